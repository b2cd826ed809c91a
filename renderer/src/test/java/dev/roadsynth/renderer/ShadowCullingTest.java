package dev.roadsynth.renderer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roadsynth.core.Frame;
import dev.roadsynth.scenes.Scene;
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
        for (TestScenes.Named named : TestScenes.smallScenesOfEveryKind()) {
            Scene scene = named.scene();
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
            assertThat(culled.rgb()).as(named.name()).isEqualTo(all.rgb());
            assertThat(culled.semantic()).as(named.name()).isEqualTo(all.semantic());
            assertThat(kept).as(named.name()).isLessThanOrEqualTo(every);
            culledSomewhere += kept < every ? 1 : 0;
        }
        assertThat(culledSomewhere).as("scenes where the shadow pass left casters out").isGreaterThan(5);
    }
}
