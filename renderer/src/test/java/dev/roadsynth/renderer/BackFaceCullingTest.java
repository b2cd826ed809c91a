package dev.roadsynth.renderer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roadsynth.core.Frame;
import dev.roadsynth.scenes.Scene;
import dev.roadsynth.scenes.SceneGenerator;
import dev.roadsynth.scenes.spec.SceneSpec;
import org.junit.jupiter.api.Test;

/**
 * The built-in scenes are closed wherever the camera can look: culling the triangles seen from behind changes no
 * label of any preset or example scene. (Before sidewalk slabs had end faces, their open ends showed the ground
 * through them, and culling turned those pixels from sidewalk into terrain.) That the renderer culls by the rule
 * the reference rasterizer follows is {@link LabelExactnessTest}'s part.
 */
class BackFaceCullingTest extends WithRenderer {

    @Test
    void labelsAreTheSameWithAndWithoutCulling() throws Exception {
        long pixels = 0;
        for (SceneSpec spec : TestScenes.presetsAndExamples()) {
            for (long seed = 1; seed <= 3; seed++) {
                Scene scene = SceneGenerator.generate(spec.withResolution(480, 240), seed);
                Frame culled = renderer.render(scene);
                Frame both;
                GlRenderer.backFaceCulling = false;
                try {
                    both = renderer.render(scene);
                } finally {
                    GlRenderer.backFaceCulling = true;
                }
                String what = spec.source() + " seed " + seed;
                assertThat(culled.semantic()).as(what).isEqualTo(both.semantic());
                assertThat(culled.instance()).as(what).isEqualTo(both.instance());
                pixels += (long) scene.width() * scene.height();
            }
        }
        assertThat(pixels).as("pixels compared").isGreaterThan(1_000_000);
    }
}
