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

    /** A scene with a name for messages. */
    record Named(String name, Scene scene) {
    }

    /** Seeds 1 to 3 of every preset and example scene at 480x240: a spread of scenes small enough to render twice. */
    static List<Named> smallScenesOfEveryKind() throws IOException {
        List<Named> out = new ArrayList<>();
        for (SceneSpec spec : presetsAndExamples()) {
            for (long seed = 1; seed <= 3; seed++) {
                out.add(new Named(spec.source() + " seed " + seed,
                        SceneGenerator.generate(spec.withResolution(480, 240), seed)));
            }
        }
        return out;
    }

    /** Seed 1 of each of {@link #smallScenesOfEveryKind}: every preset and example file once. */
    static List<Scene> firstOfEveryKind() throws IOException {
        List<Scene> out = new ArrayList<>();
        for (Named named : smallScenesOfEveryKind()) {
            if (named.name().endsWith("seed 1")) {
                out.add(named.scene());
            }
        }
        return out;
    }

    static Scene street(long seed, int width, int height) {
        return SceneGenerator.generate(SceneSpecs.preset("urban-intersection").withResolution(width, height), seed);
    }
}
