package dev.roadsynth.renderer;

import dev.roadsynth.scenes.Scene;
import dev.roadsynth.scenes.SceneGenerator;
import dev.roadsynth.scenes.spec.SceneSpec;
import dev.roadsynth.scenes.spec.SceneSpecs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Street scenes from the built-in presets, at any size, for renderer tests. */
final class TestScenes {
    private TestScenes() {
    }

    /** Every built-in preset, then every scene file in examples/ (tests run from the module directory). */
    static List<SceneSpec> presetsAndExamples() throws IOException {
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

    static Scene street(long seed, int width, int height) {
        return SceneGenerator.generate(SceneSpecs.preset("urban-intersection").withResolution(width, height), seed);
    }
}
