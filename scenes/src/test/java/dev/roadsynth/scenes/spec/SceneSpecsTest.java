package dev.roadsynth.scenes.spec;

import dev.roadsynth.core.spec.Dist;
import dev.roadsynth.core.spec.YamlTree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roadsynth.scenes.SceneSpecException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SceneSpecsTest {
    static final Path EXAMPLES = Path.of("..", "examples");

    private static SceneSpec parse(String yaml) {
        return SceneSpecs.parse(new StringReader(yaml), "t.yaml", EXAMPLES);
    }

    /**
     * A spec's digest is the SHA-256 of its text's bytes followed by its class table's canonical JSON: the same for
     * the same text and table, another for any other text, and kept by {@code withResolution}.
     */
    @Test
    void theDigestIdentifiesTheTextAndItsClassTable() throws Exception {
        String text = Files.readString(EXAMPLES.resolve("custom-labels.yaml"));
        SceneSpec spec = parse(text);
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        sha.update(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        sha.update(dev.roadsynth.core.LabelSet.load(EXAMPLES.resolve("labels/driving-minimal.yaml")).toJson());
        assertThat(spec.digest()).isEqualTo(java.util.HexFormat.of().formatHex(sha.digest()));
        assertThat(parse(text).digest()).isEqualTo(spec.digest());
        assertThat(SceneSpecs.load(EXAMPLES.resolve("custom-labels.yaml")).digest()).isEqualTo(spec.digest());
        assertThat(parse(text + "\n# a comment\n").digest()).isNotEqualTo(spec.digest());
        assertThat(spec.withResolution(64, 32).digest()).isEqualTo(spec.digest());
        assertThat(SceneSpecs.preset("highway").digest()).isEqualTo(SceneSpecs.preset("highway").digest())
                .isNotEqualTo(SceneSpecs.preset("suburban-street").digest());
    }

    @Test
    void everyPresetAndExampleParses() throws Exception {
        for (String p : SceneSpecs.PRESETS) {
            assertThat(SceneSpecs.preset(p).name()).isEqualTo(p);
        }
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            List<Path> yaml = files.filter(f -> f.toString().endsWith(".yaml")).toList();
            assertThat(yaml).hasSizeGreaterThanOrEqualTo(4);
            for (Path f : yaml) {
                assertThat(SceneSpecs.load(f).source()).isEqualTo(f.toString());
            }
        }
    }

    @Test
    void ignoredClassesKeepTheirIdsButLeaveTrainingAndEvaluation() {
        SceneSpec s = parse("labels: {ignore: [bicycle, rider]}");
        var bicycle = s.labels().set().byName("bicycle");
        assertThat(bicycle.id()).isEqualTo(33);
        assertThat(bicycle.trainId()).isEqualTo(255);
        assertThat(bicycle.ignoreInEval()).isTrue();
        assertThat(s.labels().set().byName("car").trainId()).isEqualTo(13);
        assertThat(s.labels().classOf("bicycle")).isEqualTo(33);
    }

    @Test
    void jsonIsAcceptedToo() {
        SceneSpec s = parse("{\"road\": {\"layout\": \"four-way\", \"laneWidth\": {\"uniform\": [3, 3.5]}}}");
        assertThat(s.road().laneWidth()).isEqualTo(new Dist.Uniform(3, 3.5));
    }

    @Test
    void distributionsParseIntoTheirTypes() {
        SceneSpec s = parse("""
                road:
                  lanesPerDirection: {uniform: [1, 3]}
                  laneWidth: {normal: {mean: 3.3, std: 0.2}}
                  layout: {choice: [straight, four-way], weights: [1, 3]}
                vehicles:
                  colour: {choice: ["#ff0000", [0, 0, 255]]}
                """);
        assertThat(s.road().lanesPerDirection()).isEqualTo(new Dist.UniformInt(1, 3));
        assertThat(s.road().laneWidth()).isEqualTo(new Dist.Normal(3.3, 0.2, 2.5, 4.5));
        assertThat(s.road().layout()).isEqualTo(new Dist.Choice<>(
                List.of(SceneSpec.RoadLayout.STRAIGHT, SceneSpec.RoadLayout.FOUR_WAY), List.of(1.0, 3.0)));
        assertThat(s.vehicles().colour()).isInstanceOf(Dist.Choice.class);
    }

    static Stream<Arguments> invalidFiles() {
        return Stream.of(
                Arguments.of("roads: {}", "t.yaml:1:1: roads: unknown key; did you mean 'road'?"),
                Arguments.of("road:\n  lanes: 2", "t.yaml:2:3: road.lanes: unknown key; did you mean 'lanesPerDirection'?"),
                Arguments.of("road: {laneWidth: 9}", "t.yaml:1:19: road.laneWidth: 9 is out of range [2.5, 4.5] m"),
                Arguments.of("road: {laneWidth: wide}", "road.laneWidth: 'wide' is not a number"),
                Arguments.of("road: {laneWidth: {uniform: [4, 3]}}", "road.laneWidth.uniform: [4.0, 3.0] is empty"),
                Arguments.of("road: {laneWidth: {uniform: [3]}}", "road.laneWidth.uniform: a list is not [a, b], two numbers"),
                Arguments.of("road: {laneWidth: {gauss: {mean: 3}}}", "road.laneWidth.gauss: unknown distribution"),
                Arguments.of("road: {laneWidth: {normal: {mean: 3}}}", "road.laneWidth.normal: mean and std are required"),
                Arguments.of("road: {laneWidth: {normal: {mean: 3, std: -1}}}", "road.laneWidth.normal.std: -1 is out of range"),
                Arguments.of("road: {laneWidth: {normal: {mean: 3, std: 1, min: 4, max: 3}}}", "road.laneWidth.normal: min 4.0 exceeds max 3.0"),
                Arguments.of("road: {lanesPerDirection: 2.5}", "road.lanesPerDirection: 2.5 is not an integer"),
                Arguments.of("road: {lanesPerDirection: 9}", "road.lanesPerDirection: 9 is out of range 1..4"),
                Arguments.of("road: {layout: roundabout}", "road.layout: 'roundabout' is not one of [straight, curved, t-intersection, four-way]"),
                Arguments.of("road: {layout: fourway}", "did you mean 'four-way'?"),
                Arguments.of("road: {layout: {choice: []}}", "road.layout.choice: expected a non-empty list of values"),
                Arguments.of("road: {layout: {choice: [straight, curved], weights: [1]}}", "road.layout.weights: expected a list of 2 weights"),
                Arguments.of("road: {layout: {choice: [straight], weights: [0]}}", "weights add up to 0"),
                Arguments.of("road: {stopLines: maybe}", "road.stopLines: 'maybe' is not true or false"),
                Arguments.of("vehicles: {colour: [300, 0, 0]}", "vehicles.colour: 300 is out of range 0..255"),
                Arguments.of("vehicles: {colour: red}", "vehicles.colour: 'red' is not a colour"),
                Arguments.of("vehicles: {cars: 100000}", "vehicles.cars: 100000 is out of range 0..200"),
                Arguments.of("pedestrians: {count: 501}", "pedestrians.count: 501 is out of range 0..500"),
                Arguments.of("camera: {width: 100000}", "camera.width: 100000 is out of range [16, 8192] px"),
                Arguments.of("camera: {width: {uniform: [100, 200]}}", "camera.width: a mapping is not a number"),
                Arguments.of("camera: {fov: 190}", "t.yaml:1:15: camera.fov: 190 is out of range [10, 170] degrees"),
                Arguments.of("camera: {fov: 60, fx: 500, fy: 500}", "camera.fov: give either fov or fx and fy, not both"),
                Arguments.of("camera: {fx: 500}", "camera.fx: fx and fy go together; give both"),
                Arguments.of("camera: {near: 5, far: 10}", null),
                Arguments.of("labels: {set: missing.yaml}", "labels.set: 'missing.yaml' is not a usable label table"),
                Arguments.of("labels: {classes: {lorry: car}}", "labels.classes.lorry: unknown object kind"),
                Arguments.of("labels: {classes: {car: automobile}}", "labels.classes.car: 'automobile' is not a class of the label set"),
                Arguments.of("labels: {billboardPerson: sometimes}", "labels.billboardPerson: 'sometimes' is not one of"),
                Arguments.of("labels: {billboardPerson: {choice: [person, billboard]}}", "labels.billboardPerson: must be a single value"),
                Arguments.of("labels: {ignore: [bycicle]}", "labels.ignore: 'bycicle' is not a class of the label set; did you mean 'bicycle'?"),
                Arguments.of("labels: {ignore: bicycle}", "labels.ignore: expected a list of names"),
                Arguments.of("labels: {background: heaven}", "labels.background: 'heaven' is not a class of the label set"),
                Arguments.of("labels: {set: labels/driving-minimal.yaml}", "labels.classes: the label set lacks the default classes of these kinds"),
                Arguments.of("version: 2", "version: 2 is out of range 1..1"),
                Arguments.of("- a\n- b", "t.yaml:1:1: expected a mapping of scene settings, found a list"),
                Arguments.of("road: [1, 2]", "road: expected a mapping, found a list"),
                Arguments.of("road: {layout: !!python/object:os.system straight}", "YAML tag '!"),
                Arguments.of("road: {layout: straight, layout: curved}", "Duplicate field 'layout'"),
                Arguments.of("road: {layout: [straight", "t.yaml:1:25: not valid YAML: expected ',' or ']', but got"
                        + " the end of the file (while parsing a flow sequence that begins at 1:16)"),
                Arguments.of("camera: [1,\n", "t.yaml:2:1: not valid YAML: expected the node content, but found the end"
                        + " of the file (while parsing a flow node)"),
                Arguments.of("road:\n  layout: straight\n lanes: 2\n", "t.yaml:3:2: not valid YAML: expected <block end>,"
                        + " but found '<block mapping start>' (while parsing a block mapping that begins at 1:1)"),
                Arguments.of("road: {layout: *nothing}", "alias '*nothing' names no anchor defined before it"),
                // The same words in every run (the kinds had been a Set.of, whose order changes from run to run):
                Arguments.of("vehicles: {cars: {uniform: [1, 2], choice: [1, 2]}}", "t.yaml:1:18: vehicles.cars: expected"
                        + " one of uniform, choice, not several; found uniform and choice"),
                Arguments.of("vehicles: {cars: {}}", "vehicles.cars: a mapping without a distribution; expected an"
                        + " integer 0..200, {uniform: [a, b]} or {choice: [...]}"),
                Arguments.of("road: {stopLines: {weights: [1]}}", "road.stopLines: a mapping without a distribution;"
                        + " expected true, false or {choice: [true, false], weights: [...]}"),
                Arguments.of("pedestrians: {height: {normal: {mean: 1.7, std: 0.1, mix: 1}}}", "pedestrians.height.normal"
                        + ".mix: unknown key; did you mean 'min'?; allowed: mean, std, min, max"),
                Arguments.of("", "t.yaml:1:1: the file is empty"),
                Arguments.of("static: {treeSpacing: 0.001}", "t.yaml:1:23: static.treeSpacing: 0.001 is out of range"
                        + " [0, 500] m (0 = none, else at least 2)"),
                Arguments.of("static: {poleSpacing: {uniform: [0, 10]}}", "static.poleSpacing: draws values out of range"
                        + " [0, 500] m (0 = none, else at least 2); for none some of the time, a choice such as"
                        + " {choice: [0, 20]}"),
                Arguments.of("static: {streetLightSpacing: {choice: [0, 1]}}", "static.streetLightSpacing: draws values"),
                Arguments.of("static: {treeSpacing: {normal: {mean: 10, std: 5}}}", "static.treeSpacing: draws values"),
                Arguments.of("static: {treeSpacing: -2}", "static.treeSpacing: -2 is out of range [0, 500] m"),
                Arguments.of("environment: {fog: {density: 1}}", "environment.fog.density: 1 is out of range [0, 0.2] 1/m"),
                Arguments.of("environment: {sunElevation: -45}", "environment.sunElevation: -45 is out of range [-10, 90] degrees"));
    }

    /**
     * A spacing is 0 (none) or at least 2 m, for every value it can draw: a uniform range down to a few millimetres
     * made millions of trees, and generation ran on for minutes (found by mutating the examples' values).
     */
    @Test
    void spacingsAreNoneOrAtLeastTwoMetresWhateverTheyDraw() {
        for (String ok : List.of("0", "2", "500", "{uniform: [0, 0]}", "{uniform: [2, 40]}", "{choice: [0, 20]}",
                "{normal: {mean: 10, std: 5, min: 2}}", "{normal: {mean: 0, std: 0}}")) {
            SceneSpec spec = parse("static: {treeSpacing: " + ok + ", poleSpacing: " + ok + ", streetLightSpacing: "
                    + ok + "}");
            java.util.SplittableRandom rng = new java.util.SplittableRandom(1);
            for (int i = 0; i < 1000; i++) {
                double v = spec.statics().treeSpacing().sample(rng);
                assertThat(v == 0 || v >= 2).as("%s drew %s", ok, v).isTrue();
            }
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalidFiles")
    void invalidFilesFailNamingFieldValueAndWhatIsAllowed(String yaml, String expected) {
        if (expected == null) {
            assertThat(parse(yaml).camera().far()).isEqualTo(10); // a valid edge case amid the invalid ones
            return;
        }
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(SceneSpecException.class).hasMessageContaining(expected);
    }

    /**
     * A label table that cannot be read is one problem, not one more for every class name the file gives (a
     * missing or broken table made every mapping "not a class of the label set"); what does not depend on the
     * table is still checked.
     */
    @Test
    void anUnreadableLabelTableIsOneProblemNotOnePerClassName() {
        assertThatThrownBy(() -> parse("""
                labels:
                  set: missing.yaml
                  background: nothing
                  ignore: [vehicle]
                  classes: {car: vehicle, lorry: vehicle}
                """))
                .isInstanceOfSatisfying(SceneSpecException.class, e -> assertThat(e.problems()).satisfiesExactly(
                        p -> assertThat(p).startsWith("t.yaml:2:8: labels.set: 'missing.yaml' is not a usable label"
                                + " table ("),
                        p -> assertThat(p).startsWith("t.yaml:5:34: labels.classes.lorry: unknown object kind")));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> parse("""
                road:
                  laneWidth: 9
                  lanes: 2
                camera:
                  fov: 0
                colour: red
                """))
                .isInstanceOfSatisfying(SceneSpecException.class, e -> assertThat(e.problems()).containsExactly(
                        "t.yaml:2:14: road.laneWidth: 9 is out of range [2.5, 4.5] m",
                        "t.yaml:3:3: road.lanes: unknown key; did you mean 'lanesPerDirection'?; allowed here: layout, "
                                + "length, curvature, lanesPerDirection, laneWidth, sidewalkWidth, curbHeight, vergeWidth, "
                                + "centreLine, laneLines, stopLines, crosswalks, parking",
                        "t.yaml:5:8: camera.fov: 0 is out of range [10, 170] degrees",
                        "t.yaml:6:1: colour: unknown key; allowed here: version, name, labels, road, static, vehicles, "
                                + "pedestrians, camera, environment"));
    }

    @Test
    void problemsComeInFileOrderWhateverOrderTheSectionsAreCheckedIn() {
        // The vehicles section is checked before the camera; the report still follows the file.
        assertThatThrownBy(() -> parse("""
                camera:
                  fov: 0
                vehicles:
                  count: 3
                """))
                .isInstanceOfSatisfying(SceneSpecException.class, e -> assertThat(e.problems()).containsExactly(
                        "t.yaml:2:8: camera.fov: 0 is out of range [10, 170] degrees",
                        "t.yaml:4:3: vehicles.count: unknown key; allowed here: cars, trucks, buses, motorcycles, "
                                + "bicycles, colour"));
    }

    @Test
    void billionLaughsFailsFastWithAClearMessage() {
        StringBuilder y = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 10; i++) {
            y.append("a").append(i).append(": &a").append(i).append(" [");
            for (int k = 0; k < 10; k++) {
                y.append(k == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            y.append("]\n");
        }
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> parse(y.toString())).isInstanceOf(SceneSpecException.class)
                .hasMessageContaining("billion laughs");
        assertThat((System.nanoTime() - t0) / 1e9).as("seconds").isLessThan(5);
    }

    @Test
    void oversizedFilesAreRefused(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.yaml");
        Files.writeString(big, "name: " + "x".repeat(YamlTree.MAX_CHARS + 10));
        assertThatThrownBy(() -> SceneSpecs.load(big)).hasMessageContaining("limited to " + YamlTree.MAX_CHARS + " bytes");
    }

    @Test
    void unreadableFilesSayWhyInWords(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> SceneSpecs.load(dir)).isInstanceOf(SceneSpecException.class)
                .hasMessage(dir + ": is a directory; give the scene files in it (" + dir + "/*.yaml)");
        Path latin1 = Files.write(dir.resolve("latin1.yaml"), new byte[] {'n', 'a', 'm', 'e', ':', ' ', (byte) 0xe9});
        assertThatThrownBy(() -> SceneSpecs.load(latin1)).hasMessage(latin1 + ": cannot read: not UTF-8 text");
        assertThatThrownBy(() -> SceneSpecs.load(dir.resolve("gone.yaml")))
                .hasMessage(dir.resolve("gone.yaml") + ": cannot read: No such file or directory");
    }

    @Test
    void presetsByReferenceAndTyposInNames() {
        assertThat(SceneSpecs.resolve("preset:highway").name()).isEqualTo("highway");
        assertThat(SceneSpecs.resolve("highway").name()).isEqualTo("highway");
        assertThatThrownBy(() -> SceneSpecs.resolve("preset:hiway")).hasMessageContaining("did you mean 'highway'?");
        assertThatThrownBy(() -> SceneSpecs.resolve("nope.yaml")).hasMessageContaining("nope.yaml: no such file, and not a preset");
    }
}
