package dev.roadsynth.renderer;

import dev.roadsynth.scenes.Scene;
import dev.roadsynth.scenes.SceneGenerator;
import dev.roadsynth.scenes.spec.SceneSpecs;

/** Street scenes from the built-in presets, at any size, for renderer tests. */
final class TestScenes {
    private TestScenes() {
    }

    static Scene street(long seed, int width, int height) {
        return SceneGenerator.generate(SceneSpecs.preset("urban-intersection").withResolution(width, height), seed);
    }
}
