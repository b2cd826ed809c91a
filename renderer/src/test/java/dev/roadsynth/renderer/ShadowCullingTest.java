package dev.roadsynth.renderer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roadsynth.core.Frame;
import dev.roadsynth.scenes.Scene;
import dev.roadsynth.scenes.SceneGenerator;
import dev.roadsynth.scenes.spec.SceneSpec;
import org.junit.jupiter.api.Test;

/**
 * Leaving out of the shadow pass the objects whose shadows cannot reach the view changes no pixel: frames of every
 * preset and example scene, rendered with and without that culling, are identical.
 */
class ShadowCullingTest extends WithRenderer {

    private static int casterIndices(Scene scene) {
        try (PackedScene packed = PackedScene.pack(scene)) {
            return packed.casterIndices().remaining();
        }
    }

    @Test
    void framesAreTheSameWithEveryCasterAndCullingLeavesSomeOut() throws Exception {
        int culledSomewhere = 0;
        for (SceneSpec spec : TestScenes.presetsAndExamples()) {
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
