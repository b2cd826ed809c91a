package dev.roadsynth.scenes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.roadsynth.scenes.spec.SceneSpec;
import dev.roadsynth.scenes.spec.SceneSpecs;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever a scene file may say, the scene stays a scene: every number of a file, set in turn to the least and the
 * greatest value validation allows, to just above the least, and to a uniform range over all of them, either is
 * refused with a {@link SceneSpecException} or generates scenes of a bounded number of objects. The allowed
 * ranges are read from validation's own message for a value far out of range, so a field added later is covered
 * without this test knowing it. (A tree spacing of {@code {uniform: [1e-9, 2e-9]}} validated, and generation ran
 * on for minutes placing millions of trees.)
 */
class SceneBoundsTest {
    /**
     * More objects than any allowed value makes: the most at one bound were 11,102 (buildings 150 m high, their
     * windows each an object), 5,651 with 500 pedestrians; a spacing of a micrometre made millions.
     */
    private static final int MOST_OBJECTS = 100_000;

    private static final Pattern RANGE = Pattern.compile("out of range \\[([-0-9.eE]+), ([-0-9.eE]+)\\]");
    private static final Pattern INTEGERS = Pattern.compile("an integer (-?[0-9]+)\\.\\.(-?[0-9]+)");

    /** The presets and the examples: between them, every section and most fields. */
    static Stream<Path> files() throws Exception {
        Path presets = Path.of("src", "main", "resources", "dev", "roadsynth", "scenes", "spec", "presets");
        List<Path> files = new ArrayList<>();
        for (Path dir : List.of(presets, Path.of("..", "examples"))) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(f -> f.toString().endsWith(".yaml")).sorted().forEach(files::add);
            }
        }
        return files.stream();
    }

    @ParameterizedTest
    @MethodSource("files")
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a file takes under 1 s; same-thread timeouts wait for a hang
    void everyNumberAtItsBoundsIsRefusedOrMakesABoundedScene(Path file) throws Exception {
        List<String> lines = Files.readAllLines(file);
        int fields = 0;
        for (int j = 0; j < lines.size(); j++) {
            String line = lines.get(j);
            int colon = line.indexOf(": ");
            if (colon < 0 || line.trim().startsWith("#") || line.trim().startsWith("-")) {
                continue;
            }
            String key = line.substring(0, colon + 2);
            List<String> values = bounds(lines, j, key);
            if (values.isEmpty()) {
                continue; // not a number
            }
            fields++;
            for (String v : values) {
                SceneSpec spec;
                try {
                    spec = parse(with(lines, j, key + v));
                } catch (SceneSpecException e) {
                    continue; // refused with the other values of the file (near beyond far, say): allowed
                }
                for (long seed = 1; seed <= 2; seed++) {
                    assertThat(SceneGenerator.generate(spec, seed).objects().size()).as("%s line %d, %s%s, seed %d",
                            file, j + 1, key, v, seed).isLessThanOrEqualTo(MOST_OBJECTS);
                }
            }
        }
        assertThat(fields).as("numbers found in %s", file).isPositive();
    }

    /** The values to try for the number on line {@code j}, from the range its validation names; none if none. */
    private static List<String> bounds(List<String> lines, int j, String key) {
        SceneSpecException e = catchThrowableOfType(SceneSpecException.class, () -> parse(with(lines, j, key + "1e18")));
        if (e == null) {
            return List.of();
        }
        String said = String.join("\n", e.problems());
        List<String> values = new ArrayList<>();
        Matcher m = RANGE.matcher(said);
        Matcher ints = INTEGERS.matcher(said);
        if (m.find()) {
            double lo = Double.parseDouble(m.group(1));
            double hi = Double.parseDouble(m.group(2));
            values.addAll(List.of(m.group(1), m.group(2), "{uniform: [" + m.group(1) + ", " + m.group(2) + "]}"));
            if (lo + 1e-6 <= hi) {
                values.add(Double.toString(lo + 1e-6));
            }
        } else if (ints.find()) {
            values.addAll(List.of(ints.group(1), ints.group(2), "{uniform: [" + ints.group(1) + ", " + ints.group(2) + "]}"));
        }
        return values;
    }

    private static String with(List<String> lines, int j, String line) {
        List<String> changed = new ArrayList<>(lines);
        changed.set(j, line);
        return String.join("\n", changed) + "\n";
    }

    private static SceneSpec parse(String yaml) {
        return SceneSpecs.parse(new StringReader(yaml), "t.yaml", Path.of("..", "examples"));
    }
}
