package dev.roadsynth.renderer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roadsynth.core.Frame;
import org.junit.jupiter.api.Test;

/**
 * The built-in scenes are closed wherever the camera can look: culling the triangles seen from behind changes no
 * label of any preset or example scene. (Before sidewalk slabs had end faces, their open ends showed the ground
 * through them, and culling turned those pixels from sidewalk into terrain.) That the renderer culls by the rule
 * the reference rasterizer follows is {@link LabelExactnessTest}'s part.
 */
class BackFaceCullingTest extends WithRenderer {

    /** The first few pixels whose class or instance differ, as "(x, y): class a/b, instance a/b". */
    private static java.util.List<String> differences(Frame a, Frame b) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int y = 0; y < a.height() && out.size() < 5; y++) {
            for (int x = 0; x < a.width() && out.size() < 5; x++) {
                if (a.semantic().get(x, y) != b.semantic().get(x, y) || a.instance().get(x, y) != b.instance().get(x, y)) {
                    out.add("(" + x + ", " + y + "): class " + a.semantic().get(x, y) + "/" + b.semantic().get(x, y)
                            + ", instance " + a.instance().get(x, y) + "/" + b.instance().get(x, y));
                }
            }
        }
        return out;
    }

    @Test
    void labelsAreTheSameWithAndWithoutCulling() throws Exception {
        long pixels = 0;
        for (TestScenes.Named named : TestScenes.smallScenesOfEveryKind()) {
            Frame culled = renderer.render(named.scene());
            Frame both;
            GlRenderer.backFaceCulling = false;
            try {
                both = renderer.render(named.scene());
            } finally {
                GlRenderer.backFaceCulling = true;
            }
            assertThat(differences(culled, both)).as(named.name()).isEmpty();
            pixels += (long) culled.width() * culled.height();
        }
        assertThat(pixels).as("pixels compared").isGreaterThan(1_000_000);
    }
}
