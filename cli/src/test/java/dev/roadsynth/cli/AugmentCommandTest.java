package dev.roadsynth.cli;

import static dev.roadsynth.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roadsynth.augment.AugmentSpec;
import dev.roadsynth.augment.Augmenter;
import dev.roadsynth.augment.Pipelines;
import dev.roadsynth.core.Frame;
import dev.roadsynth.core.LabelSet;
import dev.roadsynth.core.dataset.Manifest;
import dev.roadsynth.core.io.ImageFolder;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** roadsynth augment over a plain folder: corrupt inputs skipped with exit 4, outputs replay from the manifest. */
class AugmentCommandTest {


    private static void folder(Path in) throws Exception {
        Files.createDirectories(in.resolve("images"));
        Files.createDirectories(in.resolve("masks"));
        for (int n = 0; n < 3; n++) {
            BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
            BufferedImage mask = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < 30; y++) {
                for (int x = 0; x < 40; x++) {
                    img.setRGB(x, y, (x * 6) << 16 | (y * 8) << 8 | n * 50);
                    mask.getRaster().setSample(x, y, 0, x < 20 ? 7 : 26 + n);
                }
            }
            ImageIO.write(img, "png", in.resolve("images/pic" + n + ".png").toFile());
            ImageIO.write(mask, "png", in.resolve("masks/pic" + n + ".png").toFile());
        }
        Files.writeString(in.resolve("images/broken.png"), "not a png");
        Files.writeString(in.resolve("masks/broken.png"), "not a png");
        BufferedImage rgbMask = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        ImageIO.write(rgbMask, "png", in.resolve("images/colourmask.png").toFile());
        ImageIO.write(rgbMask, "png", in.resolve("masks/colourmask.png").toFile());
    }

    @Test
    void unreadableInputsAreSkippedTheRestIsDoneAndReplaysFromTheManifest(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in");
        folder(in);
        Path spec = dir.resolve("aug.yaml");
        Files.writeString(spec, "rotation: {uniform: [-20, 20]}\nscaleY: {uniform: [0.8, 1.2]}\nfill: 255\n");
        Path out = dir.resolve("out");
        Cli.Result r = run("augment", in.toString(), out.toString(), "--spec", spec.toString(), "--copies", "2");
        assertThat(r.code()).isEqualTo(Main.EXIT_SKIPPED);
        assertThat(r.err()).contains("skipped broken").contains("images/broken.png: not a PNG or JPEG image")
                .contains("skipped colourmask").contains("has 3 channels");
        List<String> lines = Files.readAllLines(out.resolve("manifest.jsonl"));
        assertThat(lines).hasSize(6);
        ObjectMapper json = new ObjectMapper();
        List<ImageFolder.Item> items = ImageFolder.list(in);
        for (String line : lines) {
            JsonNode m = json.readTree(line);
            String name = m.get("name").asText();
            int copy = m.get("copy").asInt();
            Frame source = ImageFolder.read(items.stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow(),
                    LabelSet.cityscapes());
            Frame replay = Augmenter.apply(source, AugmentSpec.Params.fromJson(m.get("augment").toString()), 255);
            Path again = dir.resolve("again");
            List<Path> files = ImageFolder.write(replay, again, name + "_" + copy, false);
            for (int f = 0; f < files.size(); f++) {
                assertThat(Manifest.sha256(files.get(f)))
                        .isEqualTo(m.get("files").get(f).get("sha256").asText())
                        .isEqualTo(Manifest.sha256(out.resolve(m.get("files").get(f).get("path").asText())));
            }
            // Ids in the written mask: the input's, or the fill.
            Frame written = ImageFolder.read(new ImageFolder.Item(name, out.resolve("images/" + name + "_" + copy + ".png"),
                    out.resolve("masks/" + name + "_" + copy + ".png"), null), LabelSet.cityscapes());
            assertThat(java.util.Arrays.stream(written.semantic().toArray()).distinct().boxed().toList())
                    .isSubsetOf(7, 26, 27, 28, 255);
        }
        // Rerun: nothing new for what is done, the same skips, the same manifest.
        String before = Files.readString(out.resolve("manifest.jsonl"));
        assertThat(run("augment", in.toString(), out.toString(), "--spec", spec.toString(), "--copies", "2").code())
                .isEqualTo(Main.EXIT_SKIPPED);
        assertThat(Files.readString(out.resolve("manifest.jsonl"))).isEqualTo(before);

        // One thread or three: the same files and the same manifest, byte for byte.
        Path one = dir.resolve("one");
        assertThat(run("augment", in.toString(), one.toString(), "--spec", spec.toString(), "--copies", "2",
                "--threads", "1").code()).isEqualTo(Main.EXIT_SKIPPED);
        Path three = dir.resolve("three");
        assertThat(run("augment", in.toString(), three.toString(), "--spec", spec.toString(), "--copies", "2",
                "--threads", "3").code()).isEqualTo(Main.EXIT_SKIPPED);
        assertThat(ResumeTest.files(three)).isEqualTo(ResumeTest.files(one));

        // A crash that cut the last line short and lost a file: both outputs are redone, the result is the same.
        List<String> kept = Files.readAllLines(three.resolve("manifest.jsonl"));
        String cut = kept.get(5).substring(0, 40);
        Files.writeString(three.resolve("manifest.jsonl"), String.join("\n", kept.subList(0, 5)) + "\n" + cut);
        JsonNode third = json.readTree(kept.get(2));
        Files.delete(three.resolve(third.get("files").get(0).get("path").asText()));
        assertThat(run("augment", in.toString(), three.toString(), "--spec", spec.toString(), "--copies", "2",
                "--threads", "2").code()).isEqualTo(Main.EXIT_SKIPPED);
        assertThat(ResumeTest.files(three)).isEqualTo(ResumeTest.files(one)); // the manifest too, in order

        // Another pipeline into the same OUT is refused, naming what differs; OUT among the inputs is refused.
        Files.writeString(spec, "rotation: {uniform: [-5, 5]}\n");
        Cli.Result other = run("augment", in.toString(), three.toString(), "--spec", spec.toString(), "--copies", "2");
        assertThat(other.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(other.err()).contains("holds a run with other parameters (spec");
        Cli.Result inside = run("augment", in.toString(), in.resolve("images/aug").toString(), "--spec", spec.toString());
        assertThat(inside.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(inside.err()).contains("would put outputs among the inputs");
    }

    @Test
    void aDatasetsClassTableGoesWithItsAugmentedCopyAndTheFillMustBeOneOfItsClasses(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in");
        assertThat(run("generate", "../examples/custom-labels.yaml", "--count", "2", "--size", "96x48", "--seed", "5",
                "--out", in.toString(), "--quiet").code()).isZero();
        LabelSet table = LabelSet.load(in.resolve("labels.json")); // background 0 .. obstacle 5
        Path spec = dir.resolve("aug.yaml");
        // 200 is no class of the table: the warped masks would hold ids nothing can name. Refused, nothing written.
        Files.writeString(spec, "rotation: {uniform: [10, 20]}\nfill: 200\n");
        Path out = dir.resolve("out");
        Cli.Result bad = run("augment", in.toString(), out.toString(), "--spec", spec.toString());
        assertThat(bad.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(bad.err()).contains("fill: 200 is not a class id of the dataset's class table (ids 0..5)")
                .contains("0 (background)").contains("labels.json");
        assertThat(out).doesNotExist();
        assertThat(run("augment", in.toString(), out.toString(), "--spec", spec.toString(), "--sweep", "rotation=10")
                .code()).isEqualTo(Main.EXIT_USAGE);
        // fill 0 (background): done; the output says what its ids mean with the input's own table, byte for byte,
        // and every mask id is one of its classes.
        Files.writeString(spec, "rotation: {uniform: [10, 20]}\nfill: 0\n");
        assertThat(run("augment", in.toString(), out.toString(), "--spec", spec.toString(), "--quiet").code()).isZero();
        assertThat(Files.readAllBytes(out.resolve("labels.json"))).isEqualTo(Files.readAllBytes(in.resolve("labels.json")));
        int masks = 0;
        try (var files = Files.list(out.resolve("masks/train/roadsynth"))) {
            for (Path mask : files.toList()) {
                var raster = ImageIO.read(mask.toFile()).getRaster();
                for (int y = 0; y < raster.getHeight(); y++) {
                    for (int x = 0; x < raster.getWidth(); x++) {
                        assertThat(table.contains(raster.getSample(x, y, 0))).as(mask + " at " + x + "," + y).isTrue();
                    }
                }
                masks++;
            }
        }
        assertThat(masks).isEqualTo(2);
    }

    @Test
    void outputsKeepTheirSamplesSplitAndOneSplitCanBeAugmentedAlone(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in");
        assertThat(run("generate", "--count", "6", "--size", "96x48", "--seed", "2", "--split", "train=0.5,val=0.5",
                "--format", "raw,cityscapes", "--out", in.toString(), "--quiet").code()).isZero();
        java.util.Map<String, String> splitOf = new java.util.HashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(in.resolve("manifest.jsonl"))) {
            JsonNode m = json.readTree(line);
            splitOf.put(m.get("id").asText(), m.get("split").asText());
        }
        assertThat(splitOf.values()).contains("train", "val");
        Path spec = dir.resolve("aug.yaml");
        Files.writeString(spec, "rotation: {uniform: [-5, 5]}\n");
        // All of it (from the raw arrays): every output line names the split of the sample it was made from.
        Path all = dir.resolve("all");
        assertThat(run("augment", in.toString(), all.toString(), "--spec", spec.toString(), "--quiet").code()).isZero();
        List<String> lines = Files.readAllLines(all.resolve("manifest.jsonl"));
        assertThat(lines).hasSize(6);
        for (String line : lines) {
            JsonNode m = json.readTree(line);
            assertThat(m.get("split").asText()).as(line).isEqualTo(splitOf.get(m.get("name").asText()));
        }
        // Only the validation split: its samples and no other; stats counts them as that split.
        Path val = dir.resolve("val");
        assertThat(run("augment", in.toString(), val.toString(), "--spec", spec.toString(), "--split", "val",
                "--quiet").code()).isZero();
        long valSamples = splitOf.values().stream().filter("val"::equals).count();
        assertThat(Files.readAllLines(val.resolve("manifest.jsonl"))).hasSize((int) valSamples)
                .allMatch(l -> l.contains("\"split\":\"val\""));
        Cli.Result stats = run("stats", val.toString(), "--quiet");
        assertThat(stats.code()).as(stats.err()).isZero();
        assertThat(stats.out()).contains(valSamples + " samples (val " + valSamples + ")");
        // A split it does not have, and a folder without splits, are usage errors naming what there is.
        Cli.Result none = run("augment", in.toString(), dir.resolve("x").toString(), "--spec", spec.toString(),
                "--split", "test");
        assertThat(none.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(none.err()).contains("no sample of " + in + " is in split 'test'; its splits with samples: train, val");
        Path plain = dir.resolve("plain");
        folder(plain);
        Cli.Result noSplits = run("augment", plain.toString(), dir.resolve("y").toString(), "--spec", spec.toString(),
                "--split", "train");
        assertThat(noSplits.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(noSplits.err()).contains("it is not a roadsynth dataset, so it has no splits");
    }

    /**
     * A sample of a roadsynth dataset whose image is gone (its manifest lists it) is skipped saying so, exit 4, as one
     * whose mask is gone is: inputs had been found by their images, so it was left out without a word.
     */
    @Test
    void aDatasetSampleWhoseImageIsGoneIsSkippedSayingSo(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("aug.yaml");
        Files.writeString(spec, "rotation: {uniform: [-5, 5]}\n");
        for (String format : List.of("raw", "cityscapes")) {
            Path in = generated(dir.resolve(format), 4, format);
            Path gone = format.equals("raw") ? in.resolve("frames/000001_rgb.npy")
                    : in.resolve("cityscapes/leftImg8bit/train/roadsynth/roadsynth_000000_000001_leftImg8bit.png");
            Files.delete(gone);
            Path out = dir.resolve("out-" + format);
            Cli.Result r = run("augment", in.toString(), out.toString(), "--spec", spec.toString(), "--quiet");
            assertThat(r.code()).as(r.err()).isEqualTo(Main.EXIT_SKIPPED);
            assertThat(r.err()).as(format).contains(gone + ": missing");
            assertThat(Files.readAllLines(out.resolve("manifest.jsonl"))).as(format).hasSize(3);
        }
    }

    /**
     * The input dataset extended to more samples is the same input: the rerun keeps the copies made and adds the new
     * samples', equal to augmenting the larger dataset at once. The input made again with another seed in the same
     * place is another input: the rerun is refused (exit 2), naming it, with nothing written.
     */
    @Test
    void anExtendedInputIsAugmentedFurtherAndARemadeOneIsRefused(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("aug.yaml");
        Files.writeString(spec, "rotation: {uniform: [-5, 5]}\n");
        Path in = dir.resolve("in");
        String[] made = {"generate", "--size", "96x48", "--seed", "2", "--format", "raw", "--out", in.toString(), "--quiet",
                "--count"};
        assertThat(run(concat(made, "4")).code()).isZero();
        Path out = dir.resolve("out");
        String[] augment = {"augment", in.toString(), out.toString(), "--spec", spec.toString(), "--quiet"};
        assertThat(run(augment).code()).isZero();
        assertThat(Files.readAllLines(out.resolve("manifest.jsonl"))).hasSize(4);
        assertThat(run(concat(made, "6")).code()).isZero();
        assertThat(run(augment).code()).isZero();
        Path once = dir.resolve("once");
        assertThat(run("augment", in.toString(), once.toString(), "--spec", spec.toString(), "--quiet").code()).isZero();
        assertThat(ResumeTest.files(out)).isEqualTo(ResumeTest.files(once));

        try (var files = Files.walk(in)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        String[] other = made.clone();
        other[4] = "3"; // another seed
        assertThat(run(concat(other, "6")).code()).isZero();
        Cli.Result refused = run(augment);
        assertThat(refused.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(refused.err()).contains("holds a run with other parameters (input \"run.json without its count, sha256:");
        assertThat(ResumeTest.files(out)).isEqualTo(ResumeTest.files(once));
    }

    private static String[] concat(String[] a, String... b) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(a), java.util.Arrays.stream(b)).toArray(String[]::new);
    }

    @Test
    void aBadPipelineFileOrSweepIsAUsageError(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in");
        folder(in);
        Path spec = dir.resolve("aug.yaml");
        Files.writeString(spec, "rotation: {uniform: [20, -20]}\n");
        Cli.Result r = run("augment", in.toString(), dir.resolve("o").toString(), "--spec", spec.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("aug.yaml:1:21: rotation.uniform: [20.0, -20.0] is empty");
        Files.writeString(spec, "{}\n");
        Cli.Result s = run("augment", in.toString(), dir.resolve("o").toString(), "--spec", spec.toString(), "--sweep", "spin=1,2");
        assertThat(s.code()).isEqualTo(2);
        assertThat(s.err()).contains("--sweep").contains("rotation");
        Cli.Result ok = run("augment", in.toString(), dir.resolve("o").toString(), "--spec", spec.toString(), "--sweep", "rotation=-10,0,10");
        assertThat(ok.code()).isZero();
        BufferedImage sheet = ImageIO.read(dir.resolve("o/sweep-rotation.png").toFile());
        assertThat(sheet.getHeight()).isGreaterThanOrEqualTo(3 * 30);
        Files.writeString(spec, "rotation: {uniform: [-30, 30]}\n");
        assertThat(run("augment", in.toString(), dir.resolve("o").toString(), "--spec", spec.toString(), "--sweep",
                "random=4", "--seed", "3").code()).isZero();
        BufferedImage randomSheet = ImageIO.read(dir.resolve("o/sweep-random.png").toFile());
        // The sheet's rows are the draws Sweep.random makes from the same seed (pixel for pixel).
        var first = ImageFolder.list(in).stream().filter(i -> i.name().equals("pic0")).findFirst().orElseThrow();
        var rows = dev.roadsynth.augment.Sweep.random(ImageFolder.read(first, LabelSet.cityscapes()),
                Pipelines.load(spec).spec(), 4, 3, 0);
        BufferedImage expected = dev.roadsynth.augment.Sweep.contactSheet(rows);
        assertThat(randomSheet.getWidth()).isEqualTo(expected.getWidth());
        assertThat(randomSheet.getHeight()).isEqualTo(expected.getHeight());
        for (int y = 0; y < expected.getHeight(); y += 3) {
            for (int x = 0; x < expected.getWidth(); x += 3) {
                assertThat(randomSheet.getRGB(x, y)).as("(%d, %d)", x, y).isEqualTo(expected.getRGB(x, y));
            }
        }
        assertThat(run("augment", in.toString(), dir.resolve("o").toString(), "--spec", spec.toString(), "--sweep",
                "random=0").code()).isEqualTo(2);
    }

    /** Two raw samples of the default scene at 96x48, in {@code dir/raw}. */
    private static Path rawDataset(Path dir) {
        return generated(dir.resolve("raw"), 2, "raw");
    }

    /** {@code count} samples of the default scene at 96x48 in {@code formats} (split train), in {@code in}. */
    private static Path generated(Path in, int count, String formats) {
        assertThat(run("generate", "--count", Integer.toString(count), "--size", "96x48", "--format", formats, "--out",
                in.toString(), "--quiet").code()).isZero();
        return in;
    }

    /** Two copies of each input in {@code in}, rotated and stretched, into {@code dir/out}; the manifest's lines. */
    private static List<String> augmentTwice(Path in, Path dir) throws Exception {
        Path spec = dir.resolve("aug.yaml");
        Files.writeString(spec, "rotation: {uniform: [-15, 15]}\nscaleX: {uniform: [0.8, 1.3]}\nfill: 0\n");
        Path out = dir.resolve("out");
        Cli.Result r = run("augment", in.toString(), out.toString(), "--spec", spec.toString(), "--copies", "2");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = Files.readAllLines(out.resolve("manifest.jsonl"));
        assertThat(lines).hasSize(4);
        return lines;
    }

    @Test
    void aRawDatasetIsAugmentedExactlyWithDepthAndWrittenAsArrays(@TempDir Path dir) throws Exception {
        Path in = rawDataset(dir);
        ObjectMapper json = new ObjectMapper();
        for (String line : augmentTwice(in, dir)) {
            JsonNode m = json.readTree(line);
            String name = m.get("name").asText();
            Frame source = ImageFolder.read(ImageFolder.list(in).stream().filter(i -> i.name().equals(name))
                    .findFirst().orElseThrow(), LabelSet.cityscapes());
            // Depth and 32-bit ids come in exactly: the raw arrays, not images.
            assertThat(source.depth().get(48, 40)).isGreaterThan(0f);
            Frame replay = Augmenter.apply(source, AugmentSpec.Params.fromJson(m.get("augment").toString()), 0);
            List<Path> files = dev.roadsynth.core.io.FrameFiles.write(replay, dir.resolve("again"),
                    name + "_" + m.get("copy").asInt());
            assertThat(m.get("files")).hasSize(4);
            for (int f = 0; f < files.size(); f++) {
                assertThat(m.get("files").get(f).get("path").asText()).startsWith("frames/");
                assertThat(Manifest.sha256(files.get(f))).isEqualTo(m.get("files").get(f).get("sha256").asText());
            }
        }
    }

    /** Raw frames without depth arrays are read without depth and augmented into raw copies without them: none made up. */
    @Test
    void aRawDatasetWithoutDepthIsAugmentedWithoutDepth(@TempDir Path dir) throws Exception {
        Path in = rawDataset(dir);
        try (var files = Files.list(in.resolve("frames"))) {
            for (Path p : files.filter(p -> p.toString().endsWith("_depth.npy")).toList()) {
                Files.delete(p);
            }
        }
        Path out = dir.resolve("out");
        ObjectMapper json = new ObjectMapper();
        for (String line : augmentTwice(in, dir)) {
            JsonNode files = json.readTree(line).get("files");
            assertThat(files).hasSize(3);
            for (JsonNode f : files) {
                assertThat(f.get("path").asText()).doesNotEndWith("_depth.npy");
                assertThat(out.resolve(f.get("path").asText())).isRegularFile();
            }
        }
        try (var written = Files.list(out.resolve("frames"))) {
            assertThat(written.map(Path::toString).filter(p -> p.endsWith("_depth.npy")).toList()).isEmpty();
        }
    }

    /**
     * A Cityscapes-layout dataset's depth (the depth format's float32 array, or depth-png's millimetres alone) is
     * augmented with its image and written in its own form beside the masks; checked against the input's files read
     * here, mirrored by a flip, not against the augmenter's own output. A listed depth file that is gone skips its
     * sample saying so.
     */
    @Test
    void aCityscapesDatasetsDepthIsAugmentedWithItsImageInItsOwnForm(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("flip.yaml");
        Files.writeString(spec, "flip: 1\n");
        for (String format : List.of("depth", "depth-png")) {
            Path in = generated(dir.resolve(format), 2, "cityscapes," + format);
            Path out = dir.resolve(format + "-out");
            Cli.Result r = run("augment", in.toString(), out.toString(), "--spec", spec.toString(), "--quiet");
            assertThat(r.code()).as(r.err()).isZero();
            String ext = format.equals("depth") ? ".npy" : ".png";
            int nonzero = 0;
            for (int n = 0; n < 2; n++) {
                Path source = in.resolve("depth/train/00000" + n + ext);
                Path copy = out.resolve("depth/train/roadsynth/roadsynth_000000_00000" + n + "_0" + ext);
                float[][] want = depthValues(source);
                float[][] got = depthValues(copy);
                assertThat(got.length).isEqualTo(48);
                for (int y = 0; y < 48; y++) {
                    assertThat(got[y]).hasSize(96);
                    for (int x = 0; x < 96; x++) {
                        assertThat(got[y][x]).as("%s (%d, %d)", copy, x, y).isEqualTo(want[y][95 - x]);
                        nonzero += got[y][x] > 0 ? 1 : 0;
                    }
                }
            }
            assertThat(nonzero).as("pixels with depth").isPositive();
            List<String> lines = Files.readAllLines(out.resolve("manifest.jsonl"));
            assertThat(lines.get(0)).contains("\"depth/train/000000" + ext + "\"",
                    "\"depth/train/roadsynth/roadsynth_000000_000000_0" + ext + "\"");
            Files.delete(in.resolve("depth/train/000001" + ext));
            Path again = dir.resolve(format + "-again");
            r = run("augment", in.toString(), again.toString(), "--spec", spec.toString(), "--quiet");
            assertThat(r.code()).isEqualTo(4);
            assertThat(r.err()).contains(in.resolve("depth/train/000001" + ext) + ": missing");
            assertThat(again.resolve("depth/train/roadsynth/roadsynth_000000_000000_0" + ext)).isRegularFile();
            assertThat(again.resolve("depth/train/roadsynth/roadsynth_000000_000001_0" + ext)).doesNotExist();
        }
    }

    /** A depth file's values, rows top-down: a float32 .npy's metres, or a 16-bit PNG's millimetres. */
    private static float[][] depthValues(Path file) throws Exception {
        if (file.toString().endsWith(".png")) {
            BufferedImage img = ImageIO.read(file.toFile());
            assertThat(img.getColorModel().getComponentSize(0)).isEqualTo(16);
            float[][] v = new float[img.getHeight()][img.getWidth()];
            for (int y = 0; y < v.length; y++) {
                for (int x = 0; x < v[y].length; x++) {
                    v[y][x] = img.getRaster().getSample(x, y, 0);
                }
            }
            return v;
        }
        var a = dev.roadsynth.core.io.Npy.read(file);
        assertThat(a.dtype()).isEqualTo("<f4");
        float[][] v = new float[a.shape()[0]][a.shape()[1]];
        var data = a.data().order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        for (float[] row : v) {
            data.get(row);
        }
        return v;
    }

    @Test
    void cityscapesInstanceValuesBelow1000AreNoInstance(@TempDir Path dir) throws Exception {
        // The Cityscapes instance image holds the bare class id outside instances; augment's instance masks hold 0
        // there (stuff is no instance) and each instance's class * 1000 + index elsewhere.
        Path in = generated(dir.resolve("cs"), 2, "cityscapes");
        Path spec = dir.resolve("identity.yaml");
        Files.writeString(spec, "version: 1\n");
        Path out = dir.resolve("out");
        assertThat(run("augment", in.toString(), out.toString(), "--spec", spec.toString(), "--quiet").code()).isZero();
        int stuff = 0;
        int things = 0;
        for (ImageFolder.Item item : ImageFolder.list(in)) {
            var values = ImageIO.read(item.instances().toFile()).getRaster();
            String name = item.name();
            Frame written = ImageFolder.read(new ImageFolder.Item(name, out.resolve("images/" + name + "_0.png"),
                    out.resolve("masks/" + name + "_0.png"), out.resolve("instances/" + name + "_0.png")),
                    LabelSet.cityscapes());
            for (int y = 0; y < written.height(); y++) {
                for (int x = 0; x < written.width(); x++) {
                    int v = values.getSample(x, y, 0);
                    stuff += v > 0 && v < 1000 ? 1 : 0;
                    things += v >= 1000 ? 1 : 0;
                    assertThat(written.instance().get(x, y)).as("%s (%d, %d), value %d", name, x, y, v)
                            .isEqualTo(v < 1000 ? 0 : v);
                }
            }
        }
        assertThat(stuff).as("stuff pixels").isPositive();
        assertThat(things).as("instance pixels").isPositive();
    }
}
