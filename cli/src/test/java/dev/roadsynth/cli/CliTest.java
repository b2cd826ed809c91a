package dev.roadsynth.cli;

import static dev.roadsynth.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import dev.roadsynth.core.dataset.Manifest;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {


    @Test
    void generateWritesEveryFileAndAManifestLinePerSample(@TempDir Path dir) throws Exception {
        Cli.Result r = run("generate", "--count", "3", "--out", dir.toString(), "--size", "160x96", "--seed", "9",
                "--format", "raw", "--timings");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote 3 samples").containsPattern("the render thread waited \\d+% of the time for the writers")
                .containsPattern("render thread: \\d+\\.\\d\\d ms per frame: .* waiting for the GPU, ")
                .containsPattern("GPU timeline: \\d+\\.\\d\\d ms per frame: \\d+\\.\\d\\d upload, \\d+\\.\\d\\d shadow pass, "
                        + "\\d+\\.\\d\\d drawing, ");
        // The writers' CPU by step: for raw, the raw writer and the manifest line (no annotation without COCO/KITTI).
        var writers = java.util.regex.Pattern.compile("writers: ([0-9.]+) ms of CPU per sample: annotate ([0-9.]+), raw"
                + " ([0-9.]+), manifest ([0-9.]+); the process: ([0-9.]+) ms \\(([0-9.]+) of \\d+ cores busy\\), \\d+"
                + " collections, \\d+ ms\\n").matcher(r.out());
        assertThat(writers.find()).as(r.out()).isTrue();
        // The process's CPU includes the writers' threads (and the render thread's, the JVM's, the driver's).
        assertThat(Double.parseDouble(writers.group(5))).isGreaterThanOrEqualTo(Double.parseDouble(writers.group(1)));
        assertThat(Double.parseDouble(writers.group(6))).isPositive();
        assertThat(Double.parseDouble(writers.group(3))).as("raw writes four files").isPositive();
        assertThat(Double.parseDouble(writers.group(1))).isCloseTo(Double.parseDouble(writers.group(2))
                + Double.parseDouble(writers.group(3)) + Double.parseDouble(writers.group(4)), within(0.02));
        // Three samples have no quarters to give a pace for (PaceTest).
        assertThat(r.out()).doesNotContain("by quarter");
        // Progress goes to stderr (not a terminal here: plain lines, the last one at the end), so stdout holds
        // only what a script would keep.
        assertThat(r.err()).contains("3/3 samples, ").contains(" left");
        assertThat(r.out()).doesNotContain("3/3 samples");
        List<String> manifest = Files.readAllLines(dir.resolve("manifest.jsonl"));
        assertThat(manifest).hasSize(3);
        var line = new com.fasterxml.jackson.databind.ObjectMapper().readTree(manifest.get(2));
        assertThat(line.get("id").asText()).isEqualTo("000002");
        assertThat(line.get("index").asLong()).isEqualTo(2);
        assertThat(line.get("scene").asText()).isEqualTo("preset:urban-intersection");
        // The rasterizer that made the pixels: the renderer's own line names it, with the device it runs on.
        assertThat(line.get("renderer").asText()).contains(", OpenGL ").endsWith(" depth");
        assertThat(r.out()).contains("rendering with ").contains(": " + line.get("renderer").asText());
        assertThat(line.get("files")).hasSize(4);
        // NumPy headers pad to 128 bytes here; the data are exactly height x width (x channels) values.
        assertThat(Files.size(dir.resolve("frames/000001_rgb.npy"))).isEqualTo(128 + 160 * 96 * 3);
        assertThat(Files.size(dir.resolve("frames/000001_labelIds.npy"))).isEqualTo(128 + 160 * 96);
        assertThat(Files.size(dir.resolve("frames/000001_instanceIds.npy"))).isEqualTo(128 + 160 * 96 * 4);
        assertThat(new String(Files.readAllBytes(dir.resolve("frames/000001_rgb.npy")), 10, 80,
                java.nio.charset.StandardCharsets.US_ASCII))
                .contains("'descr': '|u1'").contains("'shape': (96, 160, 3)");
        try (var files = Files.list(dir.resolve("frames"))) {
            assertThat(files.map(p -> p.getFileName().toString())).hasSize(12).noneMatch(n -> n.endsWith(".tmp"));
        }
        // Datasets are shared: files are readable by everyone (temporary files start private).
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("frames/000001_rgb.npy")))).isEqualTo("rw-r--r--");
    }

    @Test
    void sameSeedGivesIdenticalLabelFiles(@TempDir Path dir) throws Exception {
        run("generate", "--count", "2", "--out", dir.resolve("a").toString(), "--size", "128x64", "--seed", "4", "--format", "raw");
        run("generate", "--count", "2", "--out", dir.resolve("b").toString(), "--size", "128x64", "--seed", "4", "--format", "raw");
        for (String f : List.of("000001_labelIds.npy", "000001_instanceIds.npy", "000001_depth.npy", "000001_rgb.npy")) {
            assertThat(Files.readAllBytes(dir.resolve("b/frames/" + f))).as(f)
                    .isEqualTo(Files.readAllBytes(dir.resolve("a/frames/" + f)));
        }
    }

    @Test
    void theVersionNamesTheBuildsCommitWhereTheBuildKnewIt() {
        assertThat(Main.version("0.1.0-SNAPSHOT+480cab1.dirty")).isEqualTo("0.1.0-SNAPSHOT+480cab1.dirty");
        assertThat(Main.version("0.1.0-SNAPSHOT+${git.commit.id.describe}")).isEqualTo("0.1.0-SNAPSHOT");
        assertThat(Main.version(null)).isEqualTo("dev");
    }

    @Test
    void depthPngWritesTheDepthFormatsPngAlone(@TempDir Path dir) throws Exception {
        String[] common = {"generate", "--count", "2", "--size", "128x64", "--seed", "4", "--quiet"};
        assertThat(run(concat(common, "--out", dir.resolve("both").toString(), "--format", "depth")).code()).isZero();
        assertThat(run(concat(common, "--out", dir.resolve("png").toString(), "--format", "depth-png")).code()).isZero();
        for (String id : List.of("000000", "000001")) {
            assertThat(dir.resolve("both/depth/train/" + id + ".npy")).exists();
            assertThat(dir.resolve("png/depth/train/" + id + ".npy")).doesNotExist();
            assertThat(Files.readAllBytes(dir.resolve("png/depth/train/" + id + ".png"))).as(id)
                    .isEqualTo(Files.readAllBytes(dir.resolve("both/depth/train/" + id + ".png")));
        }
        // The manifest lists the PNG alone, and the sample's line is otherwise the same.
        List<String> both = Files.readAllLines(dir.resolve("both/manifest.jsonl"));
        List<String> png = Files.readAllLines(dir.resolve("png/manifest.jsonl"));
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (int i = 0; i < 2; i++) {
            var b = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(both.get(i));
            var p = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(png.get(i));
            var files = (com.fasterxml.jackson.databind.node.ArrayNode) b.get("files");
            assertThat(files.remove(files.size() - 1).get("path").asText()).endsWith(".npy");
            assertThat(p).isEqualTo(b);
        }
    }

    @Test
    void withoutTimingsTheSummaryIsTheRendererAndOneLine(@TempDir Path dir) {
        Cli.Result r = run("generate", "--count", "2", "--out", dir.toString(), "--size", "96x48", "--format", "raw");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().lines().toList()).hasSize(2).satisfies(lines -> {
            assertThat(lines.get(0)).startsWith("rendering with ");
            assertThat(lines.get(1)).matches("wrote 2 samples to .* in [0-9.]+ s \\([0-9.]+ samples/s\\)");
        });
        // A rerun that finds everything done says so on the same line, and has no timings to show.
        Cli.Result again = run("generate", "--count", "2", "--out", dir.toString(), "--size", "96x48", "--format", "raw",
                "--timings");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).containsPattern("wrote 0 samples to .* samples/s\\); 2 were done before\n")
                .doesNotContain("render thread");
    }

    private static String[] concat(String[] a, String... b) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(a), java.util.Arrays.stream(b)).toArray(String[]::new);
    }

    @Test
    void theSummarySaysWhatTheWritersAugmentationCost(@TempDir Path dir) {
        Cli.Result r = run("generate", "--count", "2", "--out", dir.toString(), "--size", "96x48", "--format", "raw",
                "--augment", "../examples/augment/train.yaml", "--timings");
        assertThat(r.code()).as(r.err()).isZero();
        var m = java.util.regex.Pattern.compile("writers: [0-9.]+ ms of CPU per sample: annotate [0-9.]+, augment ([0-9.]+),"
                + " raw [0-9.]+, manifest [0-9.]+; the process: ").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        assertThat(Double.parseDouble(m.group(1))).isPositive();
    }

    @Test
    void timingsGiveThePaceOfEachQuarterOfTheRun(@TempDir Path dir) {
        Cli.Result r = run("generate", "--count", "4", "--out", dir.toString(), "--size", "96x48", "--format", "raw",
                "--timings");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("\nsamples/s by quarter of the run: [0-9.]+, [0-9.]+, [0-9.]+, [0-9.]+;"
                + " the process's CPU per sample, ms: [0-9.]+, [0-9.]+, [0-9.]+, [0-9.]+\n");
    }

    @Test
    void badArgumentsExitWithTwoNamingTheOption() {
        Cli.Result size = run("generate", "--size", "12");
        assertThat(size.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(size.err()).contains("--size: '12' is not valid").doesNotContain("\tat ");
        // A scene's size is checked against what scene files allow, and the message says so (not another range).
        Cli.Result tiny = run("generate", "--size", "8x8", "--out", "target/never-written");
        assertThat(tiny.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(tiny.err()).contains("--size: '8x8' is not valid; expected WIDTHxHEIGHT with each side 16..8192");
        Cli.Result sizes = run("bench", "--sizes", "1024x512,20000x10");
        assertThat(sizes.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(sizes.err()).contains("--sizes: '20000x10' is not valid").contains("1..16384");
        // bench reads its scene and formats before it opens a renderer (else a bad device would be said first).
        Cli.Result benchScene = run("bench", "--scene", "nosuch", "--gpu", "7");
        assertThat(benchScene.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(benchScene.err()).contains("nosuch: no such file, and not a preset");
        Cli.Result benchFormat = run("bench", "--mode", "encode", "--formats", "png", "--gpu", "7");
        assertThat(benchFormat.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(benchFormat.err()).contains("--formats: 'png' is not one of raw, cityscapes");
        Cli.Result distinct = run("bench", "--mode", "encode", "--distinct", "0", "--gpu", "7");
        assertThat(distinct.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(distinct.err()).contains("--distinct >= 1");
        Cli.Result gpu = run("bench", "--gpu", "nvidia");
        assertThat(gpu.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(gpu.err()).contains("roadsynth: --gpu: 'nvidia' is not valid");
        Cli.Result unknown = run("generate", "--colour", "red");
        assertThat(unknown.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(unknown.err()).startsWith("roadsynth: Unknown option: '--colour'").contains("--count")
                .endsWith("(see 'roadsynth generate --help')" + System.lineSeparator());
        // Picocli's own checks (types, missing values) say what is wrong in one line, not with the whole usage help.
        Cli.Result type = run("generate", "--seed", "abc");
        assertThat(type.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(type.err()).isEqualTo("roadsynth: Invalid value for option '--seed': 'abc' is not a long"
                + System.lineSeparator() + "(see 'roadsynth generate --help')" + System.lineSeparator());
        Cli.Result missing = run("merge", "shard-0");
        assertThat(missing.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(missing.err()).startsWith("roadsynth: Missing required option: '--out=<out>'")
                .doesNotContain("Usage:");
        // Every option is checked before a renderer opens (nothing rendered, nothing written), named as typed.
        for (String[] bad : List.of(new String[]{"--threads", "0", "--threads: 0 is out of range 1..256"},
                new String[]{"--format", "png", "--format: 'png' is not one of raw, cityscapes, coco, kitti, depth, depth-png"},
                new String[]{"--format", "depth-png,depth", "--format: depth writes depth-png's PNG as well; give one of"
                        + " the two"},
                new String[]{"--max-occlusion", "2", "--max-occlusion: 2.0 is out of range 0..1"},
                new String[]{"--split", "train=0.7,val=0.2", "--split: fractions add up to 0.9, not 1"},
                new String[]{"--shard", "2/2", "--shard: 2/2 needs 0 <= K < N"},
                new String[]{"--only", "0,1,0", "--only: index 0 is given twice"},
                new String[]{"--min-visible-pixels", "-1", "--min-visible-pixels: -1 must be at least 0"})) {
            Cli.Result r = run("generate", "--count", "1", "--out", "target/never-written", bad[0], bad[1]);
            assertThat(r.code()).as(bad[0]).isEqualTo(Main.EXIT_USAGE);
            assertThat(r.err()).as(bad[0]).contains(bad[2]);
            assertThat(r.out()).as(bad[0]).doesNotContain("rendering with");
            assertThat(Path.of("target/never-written")).doesNotExist();
        }
    }

    @Test
    void scenesWithDifferentClassTablesAreRefusedBeforeAnythingIsWritten(@TempDir Path dir) throws Exception {
        // Class ids and COCO categories would mean different classes in different samples of one dataset.
        Path out = dir.resolve("mixed");
        Cli.Result r = run("generate", "../examples/custom-labels.yaml", "urban-intersection", "--count", "2",
                "--size", "64x32", "--out", out.toString());
        assertThat(r.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).contains("preset:urban-intersection labels with another class table than "
                + "../examples/custom-labels.yaml (34 classes: unlabeled, ").contains(" against 6 classes: background, ")
                .doesNotContain("\tat ");
        assertThat(out).doesNotExist();
        // The same classes with another ignore list is another class table too (trainIds differ): the difference is named.
        Path ignoring = dir.resolve("ignoring.yaml");
        Files.writeString(ignoring, "labels:\n  ignore: [bicycle]\n");
        Cli.Result flags = run("generate", "urban-intersection", ignoring.toString(), "--out", out.toString());
        assertThat(flags.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(flags.err()).contains("class 'bicycle' is Label[name=bicycle, id=33, trainId=255");
        assertThat(out).doesNotExist();
        // Scenes that share a class table mix freely.
        assertThat(run("generate", "highway", "../examples/night-rain.yaml", "--count", "2", "--size", "64x32",
                "--format", "coco", "--out", out.toString(), "--quiet").code()).isZero();
        // The run's class table lies beside the data, for readers of its label planes.
        assertThat(dev.roadsynth.core.LabelSet.load(out.resolve("labels.json"))).isEqualTo(dev.roadsynth.core.LabelSet.cityscapes());
        Path custom = dir.resolve("custom");
        Cli.Result one = run("generate", "../examples/custom-labels.yaml", "--count", "1", "--size", "64x32",
                "--out", custom.toString());
        assertThat(one.code()).isZero();
        assertThat(one.out()).contains("wrote 1 sample to " + custom + " in ");
        assertThat(dev.roadsynth.core.LabelSet.load(custom.resolve("labels.json")).labels()).extracting(
                dev.roadsynth.core.Label::name).startsWith("background").hasSize(6);
        // A class id the Cityscapes layout cannot encode is refused before anything is written, naming the class.
        Path labels = Files.createDirectories(dir.resolve("big/labels")).resolve("driving-minimal.yaml");
        Files.writeString(labels, Files.readString(Path.of("../examples/labels/driving-minimal.yaml"))
                .replace("{name: vehicle, id: 3,", "{name: vehicle, id: 300,"));
        Path scene = dir.resolve("big/scene.yaml");
        Files.copy(Path.of("../examples/custom-labels.yaml"), scene);
        Path big = dir.resolve("big-out");
        Cli.Result wide = run("generate", scene.toString(), "--count", "1", "--size", "64x32", "--out", big.toString());
        assertThat(wide.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(wide.err().strip()).startsWith("roadsynth: --format: cityscapes: class 'vehicle' has id 300, more than"
                + " the 8-bit labelIds images hold (0..255)").endsWith("or write raw, coco or depth, which hold 16-bit ids");
        assertThat(big).doesNotExist();
        assertThat(run("generate", scene.toString(), "--count", "1", "--size", "64x32", "--format", "raw,coco",
                "--out", big.toString(), "--quiet").code()).isZero();
    }

    @Test
    void mergeTracesOnlyWhenVerbose(@TempDir Path dir) {
        // (validate reports every problem as a line of its own; --verbose matters there only for unexpected errors)
        Cli.Result plain = run("merge", "--out", dir.resolve("m").toString(), dir.toString());
        assertThat(plain.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(plain.err()).contains("has no run.json").doesNotContain("\tat ");
        Cli.Result traced = run("merge", "--out", dir.resolve("m").toString(), dir.toString(), "--verbose");
        assertThat(traced.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(traced.err()).contains("has no run.json").contains("\tat dev.roadsynth.cli.MergeCommand");
    }

    @Test
    void missingDeviceExitsWithThreeInOneLineAndTracesOnlyWhenVerbose() {
        Cli.Result r = run("devices", "--gpu", "42");
        assertThat(r.code()).isEqualTo(Main.EXIT_NO_RENDERER);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("device 42, but EGL lists");
        Cli.Result v = run("devices", "--gpu", "42", "--verbose");
        assertThat(v.code()).isEqualTo(Main.EXIT_NO_RENDERER);
        assertThat(v.err()).contains("\tat dev.roadsynth");
    }

    @Test
    void renderBenchReportsBothModesAndThePipelinedRenderThreadsTime() {
        Cli.Result r = run("bench", "--sizes", "64x32", "--objects", "5", "--frames", "4", "--runs", "2", "--warmup", "1");
        assertThat(r.code()).as(r.err()).isZero();
        var m = java.util.regex.Pattern.compile("64x32 +pipelined +6 +[0-9.]+ +([0-9.]+)\\n +render thread: ([0-9.]+) ms per"
                + " frame: [0-9.]+ waiting for scenes, .*, [0-9.]+ handing on; a copy took [0-9.]+ ms, after [0-9.]+ ms waiting for a copy thread\\n +GPU timeline: [0-9.]+ ms per frame: [0-9.]+ upload, "
                + "[0-9.]+ shadow pass, [0-9.]+ drawing, "
                + "[0-9.]+ coverage passes, [0-9.]+ readback\\n64x32 +single +6 ").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        // The breakdown is of the best run, whose time per frame the row shows: the phases add up to at most that.
        assertThat(Double.parseDouble(m.group(2))).isPositive().isLessThanOrEqualTo(Double.parseDouble(m.group(1)) + 0.01);
    }

    @Test
    void renderBenchWithCoverageTimesTheCoveragePasses() {
        Cli.Result r = run("bench", "--scene", "urban-intersection", "--sizes", "128x64", "--frames", "4", "--runs", "1",
                "--warmup", "1", "--coverage");
        assertThat(r.code()).as(r.err()).isZero();
        var m = java.util.regex.Pattern.compile("128x64 +pipe\\+cover .*\\n +render thread: .* ([0-9.]+) coverage passes, .*"
                + "\\n +GPU timeline: .* ([0-9.]+) coverage passes, ").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        // Not zero, as without --coverage: the passes ran (urban scenes have cars and people).
        assertThat(Double.parseDouble(m.group(1)) + Double.parseDouble(m.group(2))).isPositive();
    }

    @Test
    void encodeBenchReportsThroughputAndWhetherTheThreadsWereBusy() {
        Cli.Result r = run("bench", "--mode", "encode", "--formats", "cityscapes,coco", "--sizes", "96x48",
                "--frames", "6", "--runs", "1", "--threads", "2");
        assertThat(r.code()).as(r.err()).isZero();
        var m = java.util.regex.Pattern.compile("96x48 +formats cityscapes,coco +threads  2: +([0-9.]+) samples/s"
                + " \\(encode only, best of 1 x 6\\)\\n +that run: CPU ([0-9.]+) ms/sample \\(([0-9.]+) of \\d+ cores busy\\),"
                + " \\d+ collections, \\d+ ms\\n +writer threads' CPU per sample, ms: annotate ([0-9.]+), cityscapes ([0-9.]+),"
                + " coco ([0-9.]+), manifest ([0-9.]+)\\n").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        assertThat(Double.parseDouble(m.group(1))).isPositive();
        assertThat(Double.parseDouble(m.group(2))).isPositive();
        assertThat(Double.parseDouble(m.group(3))).isPositive();
        // The writers' steps are each a part of the process's CPU per sample, which also holds the other threads'.
        double steps = 0;
        for (int g = 4; g <= 7; g++) {
            steps += Double.parseDouble(m.group(g));
        }
        assertThat(Double.parseDouble(m.group(5))).as("cityscapes writes five files").isPositive();
        assertThat(steps).isPositive().isLessThanOrEqualTo(Double.parseDouble(m.group(2)) * 1.05);
    }

    @Test
    void everyCommandHasHelpWithAnExample() {
        for (String cmd : List.of("generate", "bench", "devices")) {
            // (validate has no --gpu; checked below)
            Cli.Result r = run(cmd, "--help");
            assertThat(r.code()).isZero();
            assertThat(r.out()).contains("Example").contains("--gpu");
        }
        String list = run("--help").out();
        for (var e : Main.commandLine().getSubcommands().entrySet()) {
            if (e.getKey().equals("help")) {
                continue; // picocli's own
            }
            Cli.Result r = run(e.getKey(), "--help");
            assertThat(r.code()).as(e.getKey()).isZero();
            assertThat(r.out()).as(e.getKey()).contains("Example");
            if (!e.getKey().equals("completion")) { // prints a script; cannot fail
                assertThat(e.getValue().getCommandSpec().findOption("--verbose")).as(e.getKey() + " --verbose").isNotNull();
            }
            // The command list shows each command's one-line summary whole, not a description cut mid-sentence.
            String[] header = e.getValue().getCommandSpec().usageMessage().header();
            assertThat(header).as(e.getKey()).hasSize(1);
            assertThat(header[0]).as(e.getKey()).endsWith(".").hasSizeLessThanOrEqualTo(64);
            assertThat(list).as(e.getKey()).containsPattern("(?m)^  " + e.getKey() + " +" + java.util.regex.Pattern.quote(header[0]) + "$");
            // The examples name files that exist (tests run in cli/), and the description's and footer's lines fit
            // the 80 columns help is laid out in, so that picocli does not wrap them mid-phrase.
            var files = java.util.regex.Pattern.compile("examples/[A-Za-z0-9_./-]+\\.(yaml|json)").matcher(r.out());
            while (files.find()) {
                assertThat(Path.of("..", files.group())).as(e.getKey() + " --help names " + files.group()).exists();
            }
            var usage = e.getValue().getCommandSpec().usageMessage();
            for (String line : java.util.stream.Stream.concat(java.util.Arrays.stream(usage.description()),
                    java.util.Arrays.stream(usage.footer())).toList()) {
                for (String part : line.split("%n")) {
                    assertThat(part.length()).as(e.getKey() + " description or footer: " + part).isLessThanOrEqualTo(80);
                }
            }
        }
    }

    @Test
    void missingEglLibraryIsAOneLineErrorSayingWhatToInstall() throws Exception {
        // A separate JVM: the EGL library is loaded once per process.
        Cli.Result r = withoutEgl("devices");
        assertThat(r.code()).as(r.out()).isEqualTo(Main.EXIT_NO_RENDERER);
        assertThat(r.out().strip().lines()).hasSize(1);
        assertThat(r.out()).contains("cannot load the EGL library").contains("apt-get install libegl1 libegl-mesa0");
    }

    /** A separate JVM whose EGL library cannot be loaded, running roadsynth with {@code args}; its exit code and output. */
    private static Cli.Result withoutEgl(String... args) throws Exception {
        List<String> jvm = new java.util.ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED"));
        if (Runtime.version().feature() >= 24) {
            jvm.add("--sun-misc-unsafe-memory-access=allow");
        }
        jvm.add("-Dorg.lwjgl.egl.libname=libEGL-not-installed.so.1");
        Process p = new ProcessBuilder(Cli.inAnotherJvm(jvm, List.of(args))).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        return new Cli.Result(p.waitFor(), output, "");
    }

    /**
     * SIGTERM to a command that holds a renderer but keeps nothing to resume: its hook closes the renderer under the
     * running benchmark, which then fails on its own thread; the process exits with the signal's status and says
     * nothing of that failure.
     */
    @Test
    void aBenchStoppedBySigtermExitsWithTheSignalAndNoErrorLine(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("log");
        Process p = new ProcessBuilder(Cli.inAnotherJvm(List.of(), List.of("bench", "--sizes", "64x32", "--objects",
                "20", "--frames", "100000000", "--runs", "1", "--warmup", "0")))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline && p.isAlive() && !Files.readString(log).contains("frames/s")) {
            Thread.sleep(20);
        }
        Thread.sleep(500); // into the benchmark's frames
        assertThat(p.isAlive()).as(Files.readString(log)).isTrue();
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        String said = Files.readString(log);
        assertThat(p.exitValue()).as(said).isEqualTo(143);
        assertThat(said).contains("device: ").doesNotContain("roadsynth:");
    }

    /**
     * While a signal stops the JVM, a command's failure is what the hook broke under it (its renderer, closed): not
     * reported, so that the stop note stays the last word. Otherwise reported as ever.
     */
    @Test
    void aFailureWhileASignalStopsTheJvmIsNotReported(@TempDir Path dir) {
        String[] args = {"generate", "--count", "1", "--out", dir.resolve("o").toString(), "--size", "12x"};
        Cli.Result quiet = Cli.run(Main.commandLine(() -> true), args);
        Cli.Result loud = Cli.run(Main.commandLine(() -> false), args);
        assertThat(loud.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(loud.err()).contains("roadsynth: --size");
        assertThat(quiet.code()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(quiet.err()).isEmpty();
        assertThat(quiet.out()).isEmpty();
    }

    @Test
    void aRerunWithNothingLeftToRenderNeedsNoRendererAndANewRunWithoutOneWritesNothing(@TempDir Path dir)
            throws Exception {
        Path out = dir.resolve("out");
        String[] args = {"generate", "--out", out.toString(), "--count", "2", "--size", "64x32", "--format", "coco"};
        assertThat(run(args).code()).isZero();
        Cli.Result again = withoutEgl(args);
        assertThat(again.code()).as(again.out()).isZero();
        assertThat(again.out()).contains("wrote 0 samples").contains("2 were done before").doesNotContain("rendering with");
        Path fresh = dir.resolve("fresh");
        Cli.Result none = withoutEgl("generate", "--out", fresh.toString(), "--count", "2", "--size", "64x32");
        assertThat(none.code()).as(none.out()).isEqualTo(Main.EXIT_NO_RENDERER);
        assertThat(fresh).doesNotExist();
    }

    @Test
    void validateReportsEveryProblemWithFileLineAndColumn(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("good.yaml");
        Files.writeString(good, "road: {layout: curved, curvature: 0.01}\n");
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "road:\n  lanes: 2\ncamera:\n  fov: 190\n");
        Cli.Result r = run("validate", good.toString(), bad.toString(), "highway");
        assertThat(r.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.out()).contains("ok: " + good).contains("ok: highway");
        assertThat(r.err().lines().toList()).containsExactly(
                bad + ":2:3: road.lanes: unknown key; did you mean 'lanesPerDirection'?; allowed here: layout, length, "
                        + "curvature, lanesPerDirection, laneWidth, sidewalkWidth, curbHeight, vergeWidth, centreLine, "
                        + "laneLines, stopLines, crosswalks, parking",
                bad + ":4:8: camera.fov: 190 is out of range [10, 170] degrees");
        assertThat(run("validate", good.toString()).code()).isZero();
        assertThat(run("validate", "--help").out()).contains("Example");
    }

    /**
     * A dataset folder previewed from its files: samples spread over it, each row's panels its image and planes as
     * its files hold them (the RGB panel compared with the Cityscapes image decoded here, the class panel with its
     * labelIds and the table's colours).
     */
    @Test
    void previewOfADatasetFolderShowsSamplesReadFromItsFiles(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        assertThat(run("generate", "--count", "4", "--size", "64x32", "--format", "cityscapes,depth", "--quiet",
                "--out", data.toString()).code()).isZero();
        Path png = dir.resolve("sheet.png");
        Cli.Result r = run("preview", data.toString(), "--samples", "2", "--out", png.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote " + png + " (2 of the 4 samples of " + data
                + ": train/roadsynth/roadsynth_000000_000000, train/roadsynth/roadsynth_000000_000002)");
        var sheet = ImageIO.read(png.toFile());
        assertThat(sheet.getWidth()).isEqualTo(4 * 64 + 3 * 4);
        assertThat(sheet.getHeight()).isEqualTo(2 * 32 + 4);
        dev.roadsynth.core.LabelSet labels = dev.roadsynth.core.LabelSet.load(data.resolve("labels.json"));
        for (int row = 0; row < 2; row++) {
            String stem = "roadsynth_000000_00000" + (2 * row);
            Path city = data.resolve("cityscapes");
            var rgb = ImageIO.read(city.resolve("leftImg8bit/train/roadsynth/" + stem + "_leftImg8bit.png").toFile());
            var ids = ImageIO.read(city.resolve("gtFine/train/roadsynth/" + stem + "_gtFine_labelIds.png").toFile())
                    .getRaster();
            int top = row * (32 + 4);
            java.util.Set<Integer> depthShades = new java.util.HashSet<>();
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 64; x++) {
                    assertThat(sheet.getRGB(x, top + y) & 0xffffff).isEqualTo(rgb.getRGB(x, y) & 0xffffff);
                    assertThat(sheet.getRGB(64 + 4 + x, top + y) & 0xffffff)
                            .isEqualTo(labels.byId(ids.getSample(x, y, 0)).color().packed() & 0xffffff);
                    depthShades.add(sheet.getRGB(3 * (64 + 4) + x, top + y));
                }
            }
            // The depth format's array beside the Cityscapes files: a panel of many shades, not one of no depth.
            assertThat(depthShades).as("depth shades, row " + row).hasSizeGreaterThan(10);
        }
        // Without COCO or KITTI files there are no annotations to draw.
        Cli.Result boxes = run("preview", data.toString(), "--boxes", "--out", dir.resolve("b.png").toString());
        assertThat(boxes.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(boxes.err()).contains("--boxes: " + data + " has no COCO or KITTI files for ")
                .contains("generate with coco or kitti among the formats");
        Cli.Result empty = run("preview", Files.createDirectories(dir.resolve("empty")).toString(), "--out",
                dir.resolve("e.png").toString());
        assertThat(empty.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(empty.err()).contains("expected images/ with masks/");
        // A folder named as a preset (a dataset written with --out highway) leaves the name the preset's, as generate
        // takes it; ./highway is the folder.
        Path named = Path.of("highway");
        assertThat(named).doesNotExist();
        try {
            Cli.copyTree(data, named);
            assertThat(SpecFiles.isFolder("highway")).isFalse();
            assertThat(SpecFiles.isFolder("." + java.io.File.separator + "highway")).isTrue();
            assertThat(SpecFiles.isFolder(data.toString())).isTrue();
            assertThat(run("validate", "highway").out()).startsWith("ok: highway\n");
            assertThat(run("validate", "./highway").out()).startsWith("ok: ./highway (4 samples, ");
        } finally {
            dev.roadsynth.core.io.FileTrees.delete(named);
        }
    }

    /**
     * {@code preview DIR --boxes} draws the fifth panel from the dataset's COCO and KITTI files; {@code preview SCENE
     * --boxes} draws it from the renderer's annotations of the same samples. The two agree: every pixel but the 3D
     * boxes' lines is the same (2D amodal boxes in class colours and the ignore regions, from COCO's JSON), and the
     * lines, projected from KITTI's labels (metres to two decimals) and calibration, fall on the same pixels but for
     * a pixel's shift here and there.
     */
    @Test
    void previewOfADatasetsBoxesDrawsItsCocoAndKittiFilesAsTheRenderersAnnotationsAre(@TempDir Path dir)
            throws Exception {
        Path data = dir.resolve("data");
        assertThat(run("generate", "highway", "--count", "3", "--size", "256x128", "--format", "cityscapes,coco,kitti",
                "--quiet", "--out", data.toString()).code()).isZero();
        Path fromFiles = dir.resolve("files.png");
        Path rendered = dir.resolve("rendered.png");
        Cli.Result r = run("preview", data.toString(), "--boxes", "--samples", "3", "--out", fromFiles.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(run("preview", "highway", "--boxes", "--samples", "3", "--size", "256x128", "--out",
                rendered.toString()).code()).isZero();
        var a = ImageIO.read(fromFiles.toFile());
        var b = ImageIO.read(rendered.toFile());
        assertThat(a.getWidth()).isEqualTo(b.getWidth()).isEqualTo(5 * 256 + 4 * 4);
        int yellow = 0xffff30;
        long inA = 0;
        long inB = 0;
        long both = 0;
        long boxPixels = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 4 * (256 + 4); x < a.getWidth(); x++) {
                int pa = a.getRGB(x, y) & 0xffffff;
                int pb = b.getRGB(x, y) & 0xffffff;
                boolean ya = pa == yellow;
                boolean yb = pb == yellow;
                inA += ya ? 1 : 0;
                inB += yb ? 1 : 0;
                both += ya && yb ? 1 : 0;
                if (!ya && !yb) {
                    assertThat(pa).as("pixel %d, %d", x, y).isEqualTo(pb);
                    // Lines in a class's colour: full brightness, where the dimmed image is at most half.
                    boxPixels += Math.max(pa >> 16, Math.max((pa >> 8) & 0xff, pa & 0xff)) > 0x80 ? 1 : 0;
                }
            }
        }
        assertThat(boxPixels).as("2D box pixels").isGreaterThan(100);
        assertThat(inB).as("3D box pixels").isGreaterThan(500);
        assertThat(both).as("3D box pixels in both").isGreaterThan(inA * 8 / 10).isGreaterThan(inB * 8 / 10);
    }

    /**
     * A dataset with COCO but no label planes is previewed from its COCO images, its class panel painted from COCO's
     * masks: checked against the Cityscapes planes the same run wrote (moved away first), pixel for pixel: every
     * pixel of an instance (instanceIds of 1000 and more) in its labelIds class's colour, every other unlabeled.
     */
    @Test
    void aDatasetWithoutLabelPlanesIsPreviewedFromItsCocoImagesAndMasks(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        assertThat(run("generate", "--count", "2", "--size", "128x64", "--format", "cityscapes,coco", "--quiet",
                "--out", data.toString()).code()).isZero();
        Files.move(data.resolve("cityscapes"), dir.resolve("cityscapes"));
        Path png = dir.resolve("sheet.png");
        Cli.Result r = run("preview", data.toString(), "--samples", "2", "--out", png.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("(2 of the 2 samples of " + data + ", from their COCO or KITTI images; label"
                + " planes from COCO's masks where it has them: 000000, 000001)");
        var sheet = ImageIO.read(png.toFile());
        dev.roadsynth.core.LabelSet labels = dev.roadsynth.core.LabelSet.load(data.resolve("labels.json"));
        long things = 0;
        for (int row = 0; row < 2; row++) {
            String stem = "train/roadsynth/roadsynth_000000_00000" + row;
            var rgb = ImageIO.read(data.resolve("coco/images/train/00000" + row + ".png").toFile());
            var ids = ImageIO.read(dir.resolve("cityscapes/gtFine/" + stem + "_gtFine_labelIds.png").toFile())
                    .getRaster();
            var instances = ImageIO.read(dir.resolve("cityscapes/gtFine/" + stem + "_gtFine_instanceIds.png")
                    .toFile()).getRaster();
            int top = row * (64 + 4);
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 128; x++) {
                    assertThat(sheet.getRGB(x, top + y) & 0xffffff).isEqualTo(rgb.getRGB(x, y) & 0xffffff);
                    boolean thing = instances.getSample(x, y, 0) >= 1000;
                    things += thing ? 1 : 0;
                    assertThat(sheet.getRGB(128 + 4 + x, top + y) & 0xffffff).as("class panel, row %d, %d, %d", row, x, y)
                            .isEqualTo(labels.byId(thing ? ids.getSample(x, y, 0) : 0).color().packed() & 0xffffff);
                }
            }
        }
        assertThat(things).as("instance pixels").isGreaterThan(100);
        // KITTI alone: its images, planes empty; --boxes draws its 2D and 3D boxes.
        Path kitti = dir.resolve("kitti");
        assertThat(run("generate", "--count", "1", "--size", "128x64", "--format", "kitti", "--quiet", "--out",
                kitti.toString()).code()).isZero();
        Cli.Result k = run("preview", kitti.toString(), "--boxes", "--out", dir.resolve("k.png").toString());
        assertThat(k.code()).as(k.err()).isZero();
        var ks = ImageIO.read(dir.resolve("k.png").toFile());
        assertThat(ks.getWidth()).isEqualTo(5 * 128 + 4 * 4);
        long yellow = 0;
        for (int y = 0; y < 64; y++) {
            for (int x = 4 * (128 + 4); x < ks.getWidth(); x++) {
                yellow += (ks.getRGB(x, y) & 0xffffff) == 0xffff30 ? 1 : 0;
            }
        }
        assertThat(yellow).as("3D box pixels").isGreaterThan(50);
    }

    @Test
    void previewWritesAContactSheetOfFourPanelsPerSample(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("sheet.png");
        Cli.Result r = run("preview", "suburban-street", "--samples", "3", "--size", "120x60", "--out", png.toString());
        assertThat(r.code()).as(r.err()).isZero();
        var sheet = ImageIO.read(png.toFile());
        assertThat(sheet.getWidth()).isEqualTo(4 * 120 + 3 * 4);
        assertThat(sheet.getHeight()).isEqualTo(3 * 60 + 2 * 4);
        assertThat(run("preview", "suburban-street", "--samples", "0").code()).isEqualTo(Main.EXIT_USAGE);
        Cli.Result jpg = run("preview", "--samples", "1", "--out", dir.resolve("sheet.jpg").toString());
        assertThat(jpg.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(jpg.err()).contains("--out: ", "sheet.jpg does not end in .png");
        assertThat(dir.resolve("sheet.jpg")).doesNotExist();
        // Without a scene, the default scene, as generate does.
        Path none = dir.resolve("none.png");
        Path named = dir.resolve("named.png");
        assertThat(run("preview", "--samples", "1", "--size", "64x32", "--out", none.toString()).code()).isZero();
        assertThat(run("preview", "urban-intersection", "--samples", "1", "--size", "64x32", "--out", named.toString())
                .code()).isZero();
        assertThat(Files.readAllBytes(none)).isEqualTo(Files.readAllBytes(named));
        // --boxes: a fifth panel of annotations; the first four are the same, with and without --augment.
        Path boxed = dir.resolve("boxed.png");
        assertThat(run("preview", "suburban-street", "--samples", "3", "--size", "120x60", "--boxes", "--out",
                boxed.toString()).code()).isZero();
        var five = ImageIO.read(boxed.toFile());
        assertThat(five.getWidth()).isEqualTo(5 * 120 + 4 * 4);
        assertThat(five.getSubimage(0, 0, sheet.getWidth(), sheet.getHeight()).getRGB(0, 0, sheet.getWidth(),
                sheet.getHeight(), null, 0, sheet.getWidth()))
                .isEqualTo(sheet.getRGB(0, 0, sheet.getWidth(), sheet.getHeight(), null, 0, sheet.getWidth()));
        Path augmented = dir.resolve("augmented.png");
        Path augmentedBoxed = dir.resolve("augmented-boxed.png");
        String pipeline = Path.of("..", "examples", "augment", "train.yaml").toString();
        assertThat(run("preview", "suburban-street", "--samples", "2", "--size", "120x60", "--augment", pipeline,
                "--out", augmented.toString()).code()).isZero();
        assertThat(run("preview", "suburban-street", "--samples", "2", "--size", "120x60", "--augment", pipeline,
                "--boxes", "--out", augmentedBoxed.toString()).code()).isZero();
        // The policy's options as generate's, checked before anything renders.
        Cli.Result policy = run("preview", "--boxes", "--max-occlusion", "3", "--out", dir.resolve("p.png").toString());
        assertThat(policy.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(policy.err()).contains("--max-occlusion: 3.0 is out of range 0..1");
        var four = ImageIO.read(augmented.toFile());
        var withBoxes = ImageIO.read(augmentedBoxed.toFile());
        assertThat(withBoxes.getRGB(0, 0, four.getWidth(), four.getHeight(), null, 0, four.getWidth()))
                .isEqualTo(four.getRGB(0, 0, four.getWidth(), four.getHeight(), null, 0, four.getWidth()));
    }

    @Test
    void manifestRecordsShortfalls(@TempDir Path dir) throws Exception {
        Path crowded = dir.resolve("crowded.yaml");
        Files.writeString(crowded, "road: {layout: straight, lanesPerDirection: 1, length: 50}\nvehicles: {cars: 200}\n"
                + "camera: {width: 64, height: 32}\n");
        Cli.Result r = run("generate", crowded.toString(), "--count", "1", "--out", dir.resolve("o").toString(), "--format", "raw");
        assertThat(r.code()).as(r.err()).isZero();
        var line = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readAllLines(dir.resolve("o/manifest.jsonl")).get(0));
        var cars = line.get("shortfalls").get(0);
        assertThat(cars.get("kind").asText()).isEqualTo("car");
        assertThat(cars.get("requested").asInt()).isEqualTo(200);
        assertThat(cars.get("placed").asInt()).isLessThan(200);
    }

    @Test
    void onlyMakesItsIndicesInIndexOrderAndRefusesOneGivenTwice(@TempDir Path dir) throws Exception {
        Cli.Result twice = run("generate", "--out", dir.resolve("t").toString(), "--count", "5", "--only", "1,3,1",
                "--size", "64x32", "--quiet");
        assertThat(twice.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(twice.err().strip()).isEqualTo("roadsynth: --only: index 1 is given twice");
        assertThat(dir.resolve("t")).doesNotExist();
        assertThat(run("generate", "--out", dir.resolve("o").toString(), "--count", "5", "--only", "3,0",
                "--size", "64x32", "--quiet").code()).isZero();
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(Files.readAllLines(dir.resolve("o/manifest.jsonl")).stream()
                .map(l -> {
                    try {
                        return mapper.readTree(l).get("index").asLong();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).toList()).containsExactly(0L, 3L);
        // The same run, however the indices were ordered: a rerun given them the other way round resumes it.
        Cli.Result again = run("generate", "--out", dir.resolve("o").toString(), "--count", "5", "--only", "0,3",
                "--size", "64x32");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("2 were done before");
    }

    @Test
    void aSampleRegeneratedFromItsManifestLineHasByteIdenticalLabelFiles(@TempDir Path dir) throws Exception {
        String[] common = {"--count", "3", "--size", "200x100", "--seed", "11", "--format", "cityscapes,coco,kitti,depth",
                "--split", "train=0.5,val=0.5"};
        List<String> first = new java.util.ArrayList<>(List.of("generate", "--out", dir.resolve("a").toString()));
        first.addAll(List.of(common));
        assertThat(run(first.toArray(String[]::new)).code()).isZero();
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var line = mapper.readTree(Files.readAllLines(dir.resolve("a/manifest.jsonl")).get(1));
        assertThat(line.get("index").asLong()).isEqualTo(1);
        List<String> again = new java.util.ArrayList<>(List.of("generate", "--out", dir.resolve("b").toString(),
                "--only", line.get("index").asText()));
        again.addAll(List.of(common));
        assertThat(run(again.toArray(String[]::new)).code()).isZero();
        var regenerated = mapper.readTree(Files.readAllLines(dir.resolve("b/manifest.jsonl")).get(0));
        assertThat(regenerated.get("seed")).isEqualTo(line.get("seed"));
        int labelFiles = 0;
        for (var f : line.get("files")) {
            String path = f.get("path").asText();
            if (path.contains("gtFine") || path.contains("label_2") || path.contains("depth")) {
                labelFiles++;
                assertThat(Manifest.sha256(dir.resolve("b").resolve(path))).as(path).isEqualTo(f.get("sha256").asText());
            }
        }
        assertThat(labelFiles).isGreaterThanOrEqualTo(6);
        var coco = mapper.readTree(dir.resolve("a/coco/annotations/instances_" + line.get("split").asText() + ".json").toFile());
        assertThat(coco.get("annotations").size()).isPositive();
        assertThat(line.get("dropped")).as("the policy's dropped objects are listed").isNotNull();
        // The whole manifest line, not only the files, comes out the same.
        var sameLine = new java.util.ArrayList<>(Files.readAllLines(dir.resolve("b/manifest.jsonl")));
        assertThat(sameLine.get(0)).isEqualTo(Files.readAllLines(dir.resolve("a/manifest.jsonl")).get(1));
    }

    @Test
    void anOutputThatCannotBeADirectoryIsRefusedBeforeARendererOpens(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        // A usage error (exit 2), found before the renderer is opened ("rendering with" is its first line).
        Cli.Result itself = run("generate", "--out", file.toString(), "--count", "1", "--size", "64x32");
        assertThat(itself.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(itself.out()).doesNotContain("rendering with");
        assertThat(itself.err().strip()).isEqualTo("roadsynth: " + file + " exists and is not a directory; the output"
                + " must be a new or empty directory, or an earlier run's");
        Cli.Result under = run("generate", "--out", file.resolve("sub").toString(), "--count", "1", "--size", "64x32");
        assertThat(under.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(under.out()).doesNotContain("rendering with");
        assertThat(under.err().strip()).startsWith("roadsynth: " + file + " (in " + file.resolve("sub") + ") exists and"
                + " is not a directory");
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    @Test
    void fileErrorsSayWhetherReadingOrWritingFailedAndOnlyResumingCommandsSpeakOfResuming(@TempDir Path dir)
            throws Exception {
        Path data = dir.resolve("data");
        assertThat(run("generate", "--out", data.toString(), "--count", "2", "--size", "64x32", "--format", "raw",
                "--quiet").code()).isZero();
        Files.delete(data.resolve("frames/000001_depth.npy"));
        Cli.Result pack = run("pack", data.toString());
        assertThat(pack.code()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(pack.err().strip()).isEqualTo("roadsynth: " + data.resolve("frames/000001_depth.npy") + ": no such file");

        Path taken = Files.createDirectories(dir.resolve("sheet.png"));
        Cli.Result preview = run("preview", "urban-intersection", "--samples", "1", "--size", "64x32",
                "--out", taken.toString());
        assertThat(preview.code()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(preview.err().strip()).startsWith("roadsynth: cannot write " + taken + ": ").doesNotContain("resume");
    }

    @Test
    void quietRunsPrintNothingAndCompletionIsAScript(@TempDir Path dir) {
        Cli.Result r = run("generate", "--out", dir.toString(), "--count", "2", "--size", "64x32", "--quiet");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEmpty();
        assertThat(run("completion").out()).startsWith("#!/usr/bin/env bash").contains("generate").contains("--shard");
    }

    @Test
    void validateChecksPipelineFilesWithAugment(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("good.yaml");
        Files.writeString(good, "rotation: {uniform: [-5, 5]}\nflip: 0.5\n");
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "rotation: {uniform: [-5, 5]}\nflip: 1.5\n");
        Cli.Result ok = run("validate", "--augment", good.toString(), "../examples/augment/train.yaml");
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("ok: " + good);
        Cli.Result r = run("validate", "--augment", good.toString(), bad.toString());
        assertThat(r.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).contains(bad + ":2:7: flip: 1.5 is out of range [0, 1]");
        // A file of the other kind is still refused, in one line saying what it is (not a line per unknown key).
        Cli.Result pipelineAsScene = run("validate", good.toString());
        assertThat(pipelineAsScene.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(pipelineAsScene.err()).isEqualTo(good + ": an augmentation pipeline file, not a scene file; check it"
                + " with 'roadsynth validate --augment " + good + "'" + System.lineSeparator());
        Cli.Result sceneAsPipeline = run("validate", "--augment", "../examples/night-rain.yaml");
        assertThat(sceneAsPipeline.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(sceneAsPipeline.err()).isEqualTo("../examples/night-rain.yaml: a scene file, not an augmentation"
                + " pipeline file; check it without --augment" + System.lineSeparator());
        Cli.Result neither = run("validate", bad.toString());
        assertThat(neither.err()).contains(bad + ":2:1: flip: unknown key").doesNotContain("not a scene file");
        // generate says the same where the two are swapped, before anything is rendered.
        Cli.Result asScene = run("generate", good.toString(), "--out", dir.resolve("never").toString());
        assertThat(asScene.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(asScene.err()).isEqualTo("roadsynth: " + good + ": an augmentation pipeline file, not a scene file;"
                + " give it with --augment" + System.lineSeparator());
        Cli.Result asPipeline = run("generate", "--augment", "../examples/night-rain.yaml", "--out",
                dir.resolve("never").toString());
        assertThat(asPipeline.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(asPipeline.err()).isEqualTo("roadsynth: ../examples/night-rain.yaml: a scene file, not an augmentation"
                + " pipeline file; give it as a SCENE argument, not with --augment" + System.lineSeparator());
        assertThat(dir.resolve("never")).doesNotExist();
        // preview reads its pipeline file before it opens a renderer: with a device that does not exist, the
        // pipeline's problem is what it says (exit 2), not the device's (exit 3).
        Cli.Result preview = run("preview", "--augment", bad.toString(), "--gpu", "7", "--out",
                dir.resolve("never.png").toString());
        assertThat(preview.code()).as(preview.err()).isEqualTo(Main.EXIT_USAGE);
        assertThat(preview.err()).contains(bad + ":2:7: flip: 1.5 is out of range [0, 1]");
    }

    @Test
    void previewWithAugmentShowsTheSamplesAsGenerateAugmentsThem(@TempDir Path dir) throws Exception {
        Path flip = dir.resolve("flip.yaml");
        Files.writeString(flip, "flip: 1\n");
        Path plain = dir.resolve("plain.png");
        Path flipped = dir.resolve("flipped.png");
        assertThat(run("preview", "suburban-street", "--samples", "2", "--size", "64x32", "--out", plain.toString()).code()).isZero();
        assertThat(run("preview", "suburban-street", "--samples", "2", "--size", "64x32", "--out", flipped.toString(),
                "--augment", flip.toString()).code()).isZero();
        java.awt.image.BufferedImage a = javax.imageio.ImageIO.read(plain.toFile());
        java.awt.image.BufferedImage b = javax.imageio.ImageIO.read(flipped.toFile());
        // Every panel of every row mirrored left to right: the RGB, class, instance and depth panels are 64 wide.
        for (int row = 0; row < 2; row++) {
            for (int panel = 0; panel < 4; panel++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 64; x++) {
                        int left = panel * (64 + 4);
                        int top = row * (32 + 4);
                        assertThat(b.getRGB(left + x, top + y)).as("row %d panel %d (%d, %d)", row, panel, x, y)
                                .isEqualTo(a.getRGB(left + 63 - x, top + y));
                    }
                }
            }
        }
    }

    @Test
    void runningOutOfMemoryIsOneLineThatSaysHowToGiveMore() {
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
        // As it reaches the handler from a writer or copy thread: wrapped.
        var wrapped = new java.util.concurrent.CompletionException(new java.util.concurrent.ExecutionException(oom));
        assertThat(Main.describe(wrapped, Resumes.SAMPLES_KEPT)).startsWith("out of memory (Java heap space; this JVM's heap limit is ")
                .contains("give it more with -Xmx").endsWith("rerun the same command to resume");
        assertThat(Main.describe(oom, "")).startsWith("out of memory (").doesNotContain("resume");
    }

    /**
     * Writing kitti from a preset, whose cameras pitch, says once that KITTI's camera-upright boxes only approximate
     * the objects there; --quiet leaves the caveat out, as it does the progress.
     */
    @Test
    void kittiFromPitchedCamerasCarriesACaveatUnlessQuiet(@TempDir Path dir) {
        Cli.Result loud = run("generate", "--count", "1", "--size", "160x80", "--format", "kitti", "--out",
                dir.resolve("loud").toString());
        assertThat(loud.code()).isZero();
        assertThat(loud.err()).containsOnlyOnce("roadsynth: note: kitti: the cameras of preset:urban-intersection pitch"
                + " or roll;");
        Cli.Result quiet = run("generate", "--count", "1", "--size", "160x80", "--format", "kitti", "--out",
                dir.resolve("quiet").toString(), "--quiet");
        assertThat(quiet.code()).isZero();
        assertThat(quiet.err()).isEmpty();
    }
}
