package dev.roadsynth.renderer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roadsynth.core.Frame;
import dev.roadsynth.scenes.Scene;
import dev.roadsynth.scenes.SceneGenerator;
import dev.roadsynth.scenes.spec.SceneSpec;
import dev.roadsynth.scenes.spec.SceneSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Leaving out of the shadow pass the objects whose shadows cannot reach the view changes no pixel: frames of every
 * preset and example scene, rendered with and without that culling, are identical.
 */
class ShadowCullingTest extends WithRenderer {

    private static List<SceneSpec> specs() throws Exception {
        List<SceneSpec> specs = new ArrayList<>();
        for (String p : SceneSpecs.PRESETS) {
            specs.add(SceneSpecs.preset(p));
        }
        try (Stream<Path> files = Files.list(Path.of("..", "examples"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                specs.add(SceneSpecs.load(f));
            }
        }
        return specs;
    }

    private static int casterIndices(Scene scene) {
        try (PackedScene packed = PackedScene.pack(scene)) {
            return packed.casterIndices().remaining();
        }
    }

    @Test
    void framesAreTheSameWithEveryCasterAndCullingLeavesSomeOut() throws Exception {
        int culledSomewhere = 0;
        for (SceneSpec spec : specs()) {
            for (long seed = 1; seed <= 3; seed++) {
                Scene scene = SceneGenerator.generate(spec.withResolution(480, 240), seed);
                Frame culled = renderer.render(scene);
                int kept = casterIndices(scene);
                Frame all;
                int every;
                PackedScene.cullShadowCasters = false;
                try {
                    all = renderer.render(scene);
                    every = casterIndices(scene);
                } finally {
                    PackedScene.cullShadowCasters = true;
                }
                String what = spec.source() + " seed " + seed;
                assertThat(culled.rgb()).as(what).isEqualTo(all.rgb());
                assertThat(culled.semantic()).as(what).isEqualTo(all.semantic());
                assertThat(kept).as(what).isLessThanOrEqualTo(every);
                culledSomewhere += kept < every ? 1 : 0;
            }
        }
        assertThat(culledSomewhere).as("scenes where the shadow pass left casters out").isGreaterThan(5);
    }
}
