package dev.roadsynth.cli;

import static dev.roadsynth.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * roadsynth stats: the same figures from the exact arrays and from the Cityscapes PNGs, and the figures numpy
 * computes from the arrays and Python from the COCO files on their own (src/test/python/check_stats.py), for both
 * class tables of the examples.
 */
class StatsCommandTest {
    private static void numpyAgrees(Path data, Path json, String... split) throws Exception {
        Python.require("python3-numpy", "numpy");
        List<String> args = new ArrayList<>(List.of(data.toString(), json.toString()));
        args.addAll(List.of(split));
        assertThat(Python.run("check_stats.py", args.toArray(String[]::new))).contains("0 differences");
    }

    /** {@code dir/data}: a generated dataset, its samples split half and half into train and val. */
    private static Path halves(Path dir, int count, String size, String formats, int seed) {
        Path data = dir.resolve("data");
        assertThat(run("generate", "--count", Integer.toString(count), "--size", size, "--out", data.toString(),
                "--format", formats, "--split", "train=0.5,val=0.5", "--seed", Integer.toString(seed), "--quiet")
                .code()).isZero();
        return data;
    }

    @Test
    void rawAndCityscapesPlanesGiveTheSameFiguresAsNumpy(@TempDir Path dir) throws Exception {
        Path data = halves(dir, 8, "384x192", "raw,cityscapes,coco", 1);
        Path fromRaw = dir.resolve("raw.json");
        Cli.Result r = run("stats", data.toString(), "--source", "raw", "--json", fromRaw.toString(), "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("8 samples (train ", ", val ").contains("384x192 8")
                .containsPattern("\\ncar +26 +13 +[0-9.]+ +[0-9.]+ +[1-9][0-9]* ")
                .contains("every pixel's class id is in the class table")
                .containsPattern("median frequency: \\[([0-9]+\\.[0-9]{4}, ){18}[0-9]+\\.[0-9]{4}\\]");
        Path fromPng = dir.resolve("cityscapes.json");
        assertThat(run("stats", data.toString(), "--source", "cityscapes", "--json", fromPng.toString(), "--quiet",
                "--threads", "1").code()).isZero();
        assertThat(Files.readAllBytes(fromPng)).as("16-bit Cityscapes instance PNGs and the exact arrays agree")
                .isEqualTo(Files.readAllBytes(fromRaw));
        JsonNode stats = new ObjectMapper().readTree(fromRaw.toFile());
        assertThat(stats.get("samples").asLong()).isEqualTo(8);
        assertThat(stats.get("pixels").asLong()).isEqualTo(8L * 384 * 192);
        assertThat(stats.get("samplesWithDepth").asLong()).isEqualTo(8); // the raw depth arrays, checked by numpy below
        assertThat(r.out()).contains("nearest depth <10/<20/<40/<80/>=80 m");
        assertThat(stats.get("annotations").get("annotations").asLong()).isPositive(); // checked by numpy below
        assertThat(r.out()).contains("COCO annotations (the objects the annotation policy kept)");
        // The same dataset without its label planes (as --format coco alone writes it): the COCO figures alone, the
        // same as above, with the samples per split.
        Path cocoOnly = dir.resolve("coco-only");
        Cli.copyTree(data, cocoOnly);
        dev.roadsynth.core.io.FileTrees.delete(cocoOnly.resolve("frames"));
        dev.roadsynth.core.io.FileTrees.delete(cocoOnly.resolve("cityscapes"));
        Path fromCoco = dir.resolve("coco.json");
        Cli.Result c = run("stats", cocoOnly.toString(), "--json", fromCoco.toString(), "--quiet");
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.out()).startsWith("8 samples (train ").contains("; no label planes (raw or cityscapes among the"
                + " formats) to count pixels from: the COCO annotations only\n")
                .contains("COCO annotations (the objects the annotation policy kept)");
        JsonNode coco = new ObjectMapper().readTree(fromCoco.toFile());
        assertThat(coco.get("samples")).isEqualTo(stats.get("samples"));
        assertThat(coco.get("splits")).isEqualTo(stats.get("splits"));
        assertThat(coco.get("annotations")).isEqualTo(stats.get("annotations"));
        assertThat(coco.size()).isEqualTo(3);
        numpyAgrees(data, fromRaw);

        Path val = dir.resolve("val.json");
        assertThat(run("stats", data.toString(), "--split", "val", "--json", val.toString(), "--quiet").code()).isZero();
        long valLines = Files.readAllLines(data.resolve("manifest.jsonl")).stream().filter(l -> l.contains("\"split\":\"val\"")).count();
        assertThat(new ObjectMapper().readTree(val.toFile()).get("samples").asLong()).isEqualTo(valLines).isPositive();
        numpyAgrees(data, val, "val");
    }

    @Test
    void aCustomClassTableIsReadFromTheDataset(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("custom");
        assertThat(run("generate", "../examples/custom-labels.yaml", "--count", "3", "--size", "128x64", "--out",
                data.toString(), "--format", "raw", "--quiet").code()).isZero();
        Path json = dir.resolve("stats.json");
        Cli.Result r = run("stats", data.toString(), "--json", json.toString(), "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(new ObjectMapper().readTree(json.toFile()).get("classes").size()).isEqualTo(6);
        numpyAgrees(data, json);
        // Read with a table that lacks the drivable class (id 1), its pixels are reported, not dropped.
        Path partial = dir.resolve("partial.yaml");
        Files.writeString(partial, "labels:\n  - {name: background, id: 0, trainId: 255, category: void,"
                + " hasInstances: false, ignoreInEval: true, color: [0, 0, 0]}\n");
        Cli.Result wrong = run("stats", data.toString(), "--labels", partial.toString(), "--quiet");
        assertThat(wrong.code()).as(wrong.err()).isZero();
        long drivable = new ObjectMapper().readTree(json.toFile()).get("classes").get(1).get("pixels").asLong();
        assertThat(drivable).isPositive();
        assertThat(wrong.out()).contains("class ids not in the class table (id: pixels): 1: " + drivable + ", ");
    }

    @Test
    void foldersWithoutASampleManifestGiveTheFiguresOfTheDatasetTheyHold(@TempDir Path dir) throws Exception {
        Path data = halves(dir, 6, "256x128", "raw,cityscapes", 2);
        Path fromDataset = dir.resolve("dataset.json");
        assertThat(run("stats", data.toString(), "--source", "cityscapes", "--json", fromDataset.toString(),
                "--quiet").code()).isZero();
        // Its gtFine/ alone, as a Cityscapes download is laid out: no manifest, no class table, splits from the path.
        Path download = dir.resolve("download");
        Cli.copyTree(data.resolve("cityscapes/gtFine"), download.resolve("gtFine"));
        Path fromDownload = dir.resolve("download.json");
        Cli.Result r = run("stats", download.toString(), "--labels", "cityscapes", "--json", fromDownload.toString(),
                "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode a = new ObjectMapper().readTree(fromDataset.toFile());
        JsonNode b = new ObjectMapper().readTree(fromDownload.toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) a).remove(List.of("samplesWithDepth", "classes"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) b).remove(List.of("samplesWithDepth", "classes"));
        assertThat(b).isEqualTo(a); // splits, pixels, weights, unknown ids
        assertThat(withoutDepth(new ObjectMapper().readTree(fromDownload.toFile()).get("classes")))
                .isEqualTo(withoutDepth(new ObjectMapper().readTree(fromDataset.toFile()).get("classes")));
        assertThat(b.get("splits").size()).isEqualTo(2);

        // augment's output with a pipeline that changes nothing, from the raw arrays (frames/) and from the
        // Cityscapes layout (masks/ and instances/): the same classes, instances and weights.
        Path identity = dir.resolve("identity.yaml");
        Files.writeString(identity, "version: 1\n");
        for (String source : List.of("raw", "cityscapes")) {
            Path in = source.equals("raw") ? data : download.getParent().resolve("cs-only");
            if (!source.equals("raw")) {
                Cli.copyTree(data.resolve("cityscapes"), in.resolve("cityscapes"));
                Files.copy(data.resolve("labels.json"), in.resolve("labels.json"));
            }
            Path aug = dir.resolve("aug-" + source);
            assertThat(run("augment", in.toString(), aug.toString(), "--spec", identity.toString(), "--quiet").code())
                    .isZero();
            Path fromAug = dir.resolve("aug-" + source + ".json");
            Cli.Result ra = run("stats", aug.toString(), "--json", fromAug.toString(), "--quiet");
            assertThat(ra.code()).as(ra.err()).isZero();
            // Each output keeps its sample's split (augment's manifest names it; for PNGs the path does too).
            assertThat(ra.out()).as(source).contains("6 samples (train 3, val 3)");
            JsonNode c = new ObjectMapper().readTree(fromAug.toFile());
            assertThat(withoutDepth(c.get("classes"))).as(source).isEqualTo(withoutDepth(
                    new ObjectMapper().readTree(fromDataset.toFile()).get("classes")));
            assertThat(c.get("weights")).as(source).isEqualTo(a.get("weights"));
        }
    }

    private static JsonNode withoutDepth(JsonNode classes) {
        JsonNode copy = classes.deepCopy();
        copy.forEach(c -> ((com.fasterxml.jackson.databind.node.ObjectNode) c).remove("nearestDepth"));
        return copy;
    }

    @Test
    void whatCannotBeCountedIsNamedWithExitCodeTwo(@TempDir Path dir) throws Exception {
        Cli.Result none = run("stats", dir.toString());
        assertThat(none.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(none.err()).contains("no dataset found; expected manifest.jsonl (roadsynth generate), frames/")
                .contains("gtFine/").contains("masks/").doesNotContain("\tat ");
        Cli.Result noDir = run("stats", dir.resolve("typo").toString());
        assertThat(noDir.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(noDir.err().strip()).isEqualTo("roadsynth: " + dir.resolve("typo") + ": no such directory; give a"
                + " dataset's folder");
        Files.createFile(dir.resolve("manifest.jsonl")); // a run stopped before its first sample
        Cli.Result empty = run("stats", dir.toString());
        assertThat(empty.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(empty.err()).contains("has no samples yet");

        Path coco = dir.resolve("coco");
        assertThat(run("generate", "--count", "2", "--size", "64x32", "--out", coco.toString(), "--format", "coco",
                "--quiet").code()).isZero();
        Cli.Result cocoAlone = run("stats", coco.toString(), "--quiet");
        assertThat(cocoAlone.code()).as(cocoAlone.err()).isZero(); // its COCO figures alone (above)
        Path kitti = dir.resolve("kitti");
        assertThat(run("generate", "--count", "1", "--size", "64x32", "--out", kitti.toString(), "--format", "kitti",
                "--quiet").code()).isZero();
        Cli.Result noPlanes = run("stats", kitti.toString());
        assertThat(noPlanes.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(noPlanes.err()).contains("manifest.jsonl:1: sample 000000 has no label planes")
                .contains("--format raw or cityscapes");

        Path png = dir.resolve("png");
        assertThat(run("generate", "--count", "2", "--size", "64x32", "--split", "train=0.999999,spare=0.000001",
                "--out", png.toString(), "--quiet").code()).isZero();
        Cli.Result noRaw = run("stats", png.toString(), "--source", "raw");
        assertThat(noRaw.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(noRaw.err()).contains("has no raw label planes");
        Cli.Result split = run("stats", png.toString(), "--split", "test");
        assertThat(split.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(split.err()).contains("--split: no sample of " + png + " is in split 'test'; its splits with samples: train");
        Cli.Result spare = run("stats", png.toString(), "--split", "spare");
        assertThat(spare.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(spare.err()).contains("is in split 'spare' (its run declared the split, but no sample fell in it);"
                + " its splits with samples: train");
        Files.delete(png.resolve("labels.json"));
        Cli.Result table = run("stats", png.toString());
        assertThat(table.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(table.err()).contains("labels.json: missing").contains("--labels cityscapes");
        Cli.Result noDepth = run("stats", png.toString(), "--labels", "cityscapes", "--quiet");
        assertThat(noDepth.code()).isZero();
        assertThat(noDepth.out()).doesNotContain("nearest depth"); // Cityscapes alone has no depth
        assertThat(noDepth.err()).isEmpty();
        // A run not finished is counted as far as its manifest goes, and said so even with --quiet.
        Path manifest = png.resolve("manifest.jsonl");
        List<String> lines = Files.readAllLines(manifest);
        Files.write(manifest, lines.subList(0, 1));
        Cli.Result partial = run("stats", png.toString(), "--labels", "cityscapes", "--quiet");
        assertThat(partial.code()).isZero();
        assertThat(partial.out()).startsWith("1 sample");
        assertThat(partial.err().strip()).isEqualTo("roadsynth: note: " + png + " is not complete: 1 of 2 samples done;"
                + " these figures count the samples its manifest lists");
        Files.write(manifest, lines);
        Files.delete(png.resolve("cityscapes/gtFine/train/roadsynth/roadsynth_000000_000001_gtFine_instanceIds.png"));
        Cli.Result missing = run("stats", png.toString(), "--labels", "cityscapes");
        assertThat(missing.code()).isNotZero();
        assertThat(missing.err()).contains("roadsynth_000000_000001_gtFine_instanceIds.png: missing").doesNotContain("\tat ");
    }
}
