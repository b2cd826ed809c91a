package dev.roadsynth.renderer;

import dev.roadsynth.core.Frame;
import dev.roadsynth.scenes.Scene;
import java.util.List;

/**
 * A scene with its frame and, when asked for, its amodal coverage (for {@link Annotator}).
 *
 * @param scene    the scene that was rendered
 * @param frame    its frame
 * @param coverage its instances' coverage, or an empty list when not asked for
 */
public record Rendered(Scene scene, Frame frame, List<Coverage> coverage) {
    public Rendered {
        coverage = List.copyOf(coverage);
    }
}
