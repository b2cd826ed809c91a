package dev.roadsynth.core.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roadsynth.core.LabelSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DatasetCheck} on a dataset laid out here by hand, as generate lays out COCO and KITTI (not written by the
 * writers it checks), whole and then damaged one way at a time.
 */
class DatasetCheckTest {
    private static final String[] SPLITS = {"train", "val", "train"};

    /**
     * A finished run of three samples (0 and 2 in train, 1 in val) in {@code formats}: its record, class table,
     * manifest, and per sample the files {@code files} names, each holding text of its own (of its sample's number
     * of 600-byte runs more, so that some are several tar blocks long).
     */
    private static Path run(Path dir, String formats, java.util.function.Function<String, List<String>> files)
            throws IOException {
        Files.writeString(dir.resolve("run.json"), "{\"count\": 3, \"shard\": \"0/1\", \"formats\": [" + formats
                + "], \"split\": \"train=0.5,val=0.5\", \"only\": null}");
        Files.write(dir.resolve("labels.json"), LabelSet.cityscapes().toJson());
        StringBuilder manifest = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            String id = String.format("%06d", i);
            List<String> entries = new ArrayList<>();
            for (String f : files.apply(SPLITS[i] + "/" + id)) {
                Path p = dir.resolve(f);
                Files.createDirectories(p.getParent());
                Files.writeString(p, f + " of sample " + i + "x".repeat(600 * i));
                entries.add("{\"path\":\"" + f + "\",\"sha256\":\"" + Manifest.sha256(p) + "\"}");
            }
            manifest.append("{\"id\":\"").append(id).append("\",\"index\":").append(i).append(",\"split\":\"")
                    .append(SPLITS[i]).append("\",\"files\":[").append(String.join(",", entries)).append("]}\n");
        }
        Files.writeString(dir.resolve("manifest.jsonl"), manifest);
        return dir;
    }

    /** {@link #run} of COCO and KITTI: a COCO image and a KITTI image and label per sample, and the joined files. */
    private static Path dataset(Path dir) throws IOException {
        run(dir, "\"coco\", \"kitti\"", splitId -> {
            String id = splitId.substring(splitId.indexOf('/') + 1);
            return List.of("coco/images/" + splitId + ".png", "kitti/training/image_2/" + id + ".png",
                    "kitti/training/label_2/" + id + ".txt");
        });
        Files.createDirectories(dir.resolve("coco/annotations"));
        Files.writeString(dir.resolve("coco/annotations/instances_train.json"), "{\"info\":{},\"images\":["
                + "{\"id\":0,\"file_name\":\"train/000000.png\"},{\"id\":2,\"file_name\":\"train/000002.png\"}],"
                + "\"annotations\":[{\"id\":1,\"image_id\":0,\"segmentation\":{\"counts\":[1,2]}}],\"categories\":[]}");
        Files.writeString(dir.resolve("coco/annotations/instances_val.json"),
                "{\"images\":[{\"id\":1,\"file_name\":\"val/000001.png\"}],\"annotations\":[],\"categories\":[]}");
        Files.createDirectories(dir.resolve("kitti/ImageSets"));
        Files.writeString(dir.resolve("kitti/ImageSets/train.txt"), "000000\n000002\n");
        Files.writeString(dir.resolve("kitti/ImageSets/val.txt"), "000001\n");
        return dir;
    }

    private static DatasetCheck.Report check(Path dir) throws IOException {
        List<Long> told = new ArrayList<>();
        DatasetCheck.Report r = DatasetCheck.check(dir, told::add);
        assertThat(told).isNotEmpty().last().isEqualTo(r.samples());
        return r;
    }

    @Test
    void aWholeDatasetHasNoProblems(@TempDir Path dir) throws Exception {
        DatasetCheck.Report r = check(dataset(dir));
        assertThat(r.problems()).isEmpty();
        assertThat(r.whole()).isTrue();
        assertThat(r.samples()).isEqualTo(3);
        assertThat(r.files()).isEqualTo(9);
        assertThat(r.redo()).isNull();
    }

    /**
     * Each damage alone, and the one problem it makes, word for word: a run not finished (its manifest short) is not
     * checked for what a finished one has (its files written at the end, no files unlisted).
     */
    @Test
    void eachDamageIsNamed(@TempDir Path dir) throws Exception {
        record Case(String name, Damage damage, String problem, boolean redoable) {
        }
        List<Case> cases = List.of(
                new Case("missing", d -> Files.delete(d.resolve("kitti/training/label_2/000001.txt")),
                        "kitti/training/label_2/000001.txt (sample 1) is missing", true),
                new Case("changed", d -> Files.writeString(d.resolve("coco/images/train/000002.png"), "other"),
                        "coco/images/train/000002.png (sample 2) is not the file its manifest records (SHA-256)", true),
                new Case("short", d -> cutLines(d.resolve("manifest.jsonl"), 2, true),
                        "the run is not complete: 2 of 3 samples done", true),
                new Case("not utf-8", d -> Files.write(d.resolve("manifest.jsonl"), new byte[] {(byte) 0xff, '{', '\n'},
                        java.nio.file.StandardOpenOption.APPEND),
                        "manifest.jsonl: a line does not read as JSON (", true),
                new Case("cut", d -> cutLines(d.resolve("manifest.jsonl"), 3, false),
                        "manifest.jsonl ends in a line cut short (a run stopped while writing it)", true),
                new Case("coco other", d -> Files.writeString(d.resolve("coco/annotations/instances_train.json"),
                        "{\"images\":[{\"id\":0,\"file_name\":\"train/000000.png\"},{\"id\":4,\"file_name\":"
                                + "\"train/000004.png\"}],\"annotations\":[],\"categories\":[]}"),
                        "coco/annotations/instances_train.json lists 2 images where the manifest has 2 in split"
                                + " train, not the same", true),
                new Case("coco fewer", d -> Files.writeString(d.resolve("coco/annotations/instances_train.json"),
                        "{\"images\":[{\"id\":2,\"file_name\":\"train/000002.png\"}],\"categories\":[]}"),
                        "coco/annotations/instances_train.json lists 1 image where the manifest has 2 in split train",
                        true),
                new Case("coco stray annotation", d -> Files.writeString(
                        d.resolve("coco/annotations/instances_val.json"), "{\"images\":[{\"id\":1,\"file_name\":"
                                + "\"val/000001.png\"}],\"annotations\":[{\"id\":7,\"image_id\":3}],\"categories\":[]}"),
                        "coco/annotations/instances_val.json is not whole (annotations of image 3, which it does not"
                                + " list (or not before))", true),
                new Case("coco cut", d -> Files.writeString(d.resolve("coco/annotations/instances_val.json"),
                        "{\"images\":[{\"id\":1,\"file_name\":\"val/000001.png\"}],\"annotations\":[{\"id\""),
                        "coco/annotations/instances_val.json is not whole (Unexpected end-of-input", true),
                new Case("coco gone", d -> Files.delete(d.resolve("coco/annotations/instances_val.json")),
                        "coco/annotations/instances_val.json is missing", true),
                new Case("kitti", d -> Files.writeString(d.resolve("kitti/ImageSets/train.txt"), "000000\n"),
                        "kitti/ImageSets/train.txt lists 1 id where the manifest has 2 in split train", true),
                new Case("labels", d -> Files.writeString(d.resolve("labels.json"), "[1"),
                        "labels.json: ", true),
                new Case("mend left", d -> Files.createDirectories(d.resolve(RunState.MEND_FOLDER + "/coco/images")),
                        RunState.MEND_FOLDER + "/ is what a rerun stopped while it made damaged samples again left", true),
                new Case("temporary", d -> Files.writeString(d.resolve("kitti/training/image_2/.000003.png.x1.tmp"), ""),
                        "kitti/training/image_2/.000003.png.x1.tmp is a temporary file a write cut short left", true),
                new Case("unlisted", d -> Files.writeString(d.resolve("coco/images/val/000007.png"), "stray"),
                        "coco/images/val/000007.png is not in manifest.jsonl (a loader listing its folder would read"
                                + " it)", false));
        for (Case c : cases) {
            Path d = Files.createDirectories(dir.resolve(c.name().replace(' ', '-')));
            dataset(d);
            c.damage().apply(d);
            DatasetCheck.Report r = check(d);
            assertThat(r.problems()).as(c.name()).singleElement().asString().startsWith(c.problem());
            assertThat(r.redo() != null).as(c.name()).isEqualTo(c.redoable());
            // The rerun makes the sample alone where its files were all that was wrong.
            if (c.redoable()) {
                assertThat(r.redo()).as(c.name()).startsWith(c.name().equals("missing") || c.name().equals("changed")
                        ? "it makes the sample with files missing or damaged again in place and keeps every other"
                        : "it makes the samples from the first one missing or damaged on again");
            }
        }
    }

    @Test
    void aDatasetBeingWrittenIsNotCheckedAndSomethingElseIsNotADataset(@TempDir Path dir) throws Exception {
        dataset(dir);
        try (OutputLock lock = OutputLock.acquire(dir)) {
            DatasetCheck.Report r = DatasetCheck.check(dir, n -> { });
            assertThat(r.problems()).singleElement().asString().startsWith("another roadsynth job (process "
                    + ProcessHandle.current().pid()).endsWith(") is writing into it; check it once that run is done");
            assertThat(r.redo()).isNull();
        }
        assertThat(DatasetCheck.check(dir, n -> { }).whole()).isTrue();
        Files.delete(dir.resolve("manifest.jsonl"));
        assertThatThrownBy(() -> DatasetCheck.check(dir, n -> { })).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(dir + ": no manifest.jsonl; not a dataset of roadsynth generate, merge or augment");
    }

    /** A shard of a run with fewer samples than shards: an empty manifest, KITTI's lists empty, no COCO JSON. */
    @Test
    void aShardWithoutSamplesIsWhole(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("run.json"), "{\"count\": 1, \"shard\": \"1/2\", \"formats\": [\"coco\", \"kitti\"],"
                + " \"split\": \"train=1\", \"only\": null}");
        Files.write(dir.resolve("labels.json"), LabelSet.cityscapes().toJson());
        Files.writeString(dir.resolve("manifest.jsonl"), "");
        Files.createDirectories(dir.resolve("kitti/ImageSets"));
        Files.writeString(dir.resolve("kitti/ImageSets/train.txt"), "");
        DatasetCheck.Report r = DatasetCheck.check(dir, n -> { });
        assertThat(r.problems()).isEmpty();
        Files.delete(dir.resolve("kitti/ImageSets/train.txt"));
        assertThat(DatasetCheck.check(dir, n -> { }).problems()).containsExactly("kitti/ImageSets/train.txt is missing");
    }

    /** augment's output: its lines name an input and a copy; no count to be complete against, no files joined. */
    @Test
    void anAugmentRunsOutputIsCheckedByItsFiles(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("run.json"), "{\"command\": \"augment\", \"in\": \"data\", \"copies\": 2}");
        StringBuilder manifest = new StringBuilder();
        for (int k = 0; k < 2; k++) {
            List<String> entries = new ArrayList<>();
            for (String f : List.of("images/a_" + k + ".png", "masks/a_" + k + ".png")) {
                Path p = Files.createDirectories(dir.resolve(f).getParent()).resolve(Path.of(f).getFileName());
                Files.writeString(p, f);
                entries.add("{\"path\":\"" + f + "\",\"sha256\":\"" + Manifest.sha256(p) + "\"}");
            }
            manifest.append("{\"name\":\"a\",\"copy\":").append(k).append(",\"files\":[")
                    .append(String.join(",", entries)).append("]}\n");
        }
        Files.writeString(dir.resolve("manifest.jsonl"), manifest);
        assertThat(check(dir).problems()).isEmpty();
        Files.delete(dir.resolve("masks/a_1.png"));
        Files.writeString(dir.resolve("images/b_0.png"), "stray");
        DatasetCheck.Report r = check(dir);
        assertThat(r.problems()).containsExactly("masks/a_1.png (a copy 1) is missing",
                "images/b_0.png is not in manifest.jsonl (a loader listing its folder would read it)");
        assertThat(r.redo()).isEqualTo("it redoes what is missing or damaged");
    }

    /** {@link #run} of raw arrays, packed a sample per shard by pack. */
    private static Path packed(Path dir) throws IOException {
        run(dir, "\"raw\"", splitId -> {
            String id = splitId.substring(splitId.indexOf('/') + 1);
            return List.of("rgb", "labelIds", "instanceIds", "depth").stream()
                    .map(kind -> "frames/" + id + "_" + kind + ".npy").toList();
        });
        WebDatasetPacker.pack(dir, 1);
        return dir;
    }

    /** pack's shards, whole, then damaged one way at a time: the first difference in the split named. */
    @Test
    void packedShardsAreCheckedMemberByMember(@TempDir Path dir) throws Exception {
        assertThat(check(packed(Files.createDirectories(dir.resolve("whole")))).problems()).isEmpty();
        record Case(String name, Damage damage, String problem) {
        }
        List<Case> cases = List.of(
                new Case("cut", d -> {
                    Path t = d.resolve("webdataset/train-000001.tar");
                    Files.write(t, java.util.Arrays.copyOf(Files.readAllBytes(t), 1000)); // in its first member
                }, "webdataset/train-000001.tar is not whole (000002.rgb.npy: cut short) (pack the dataset again)"),
                new Case("gone", d -> Files.delete(d.resolve("webdataset/train-000001.tar")),
                        "webdataset/ holds 1 samples of split train where the manifest has more (pack the dataset"
                                + " again)"),
                new Case("changed", d -> {
                    Path t = d.resolve("webdataset/val-000000.tar");
                    byte[] b = Files.readAllBytes(t);
                    b[512 + 3] ^= 1; // the first member's data
                    Files.write(t, b);
                }, "webdataset/val-000000.tar: 000001.rgb.npy is not the array its manifest records (SHA-256)"),
                new Case("stale", d -> {
                    // The dataset's manifest without its last sample, as if packed after an extension.
                    cutLines(d.resolve("manifest.jsonl"), 2, true);
                    Files.writeString(d.resolve("run.json"), Files.readString(d.resolve("run.json"))
                            .replace("\"count\": 3", "\"count\": 2"));
                    Files.delete(d.resolve("frames/000002_rgb.npy"));
                    Files.delete(d.resolve("frames/000002_labelIds.npy"));
                    Files.delete(d.resolve("frames/000002_instanceIds.npy"));
                    Files.delete(d.resolve("frames/000002_depth.npy"));
                }, "webdataset/train-000001.tar: 000002.rgb.npy after the 1 samples of split train the manifest has"),
                new Case("stray", d -> Files.writeString(d.resolve("webdataset/notes.txt"), "x"),
                        "webdataset/notes.txt is not a shard that pack writes"));
        for (Case c : cases) {
            Path d = packed(Files.createDirectories(dir.resolve(c.name())));
            c.damage().apply(d);
            DatasetCheck.Report r = check(d);
            assertThat(r.problems()).as(c.name()).singleElement().asString().startsWith(c.problem());
            assertThat(r.redo()).as(c.name()).isNull(); // packing again mends it, not a rerun
        }
    }

    @Test
    void problemsPastTheNamedAreCounted(@TempDir Path dir) throws Exception {
        dataset(dir);
        for (int i = 0; i < DatasetCheck.NAMED + 7; i++) {
            Files.writeString(dir.resolve("coco/images/train/9" + i + ".png"), "stray");
        }
        DatasetCheck.Report r = check(dir);
        assertThat(r.problems()).hasSize(DatasetCheck.NAMED);
        assertThat(r.more()).isEqualTo(7);
    }

    @FunctionalInterface
    private interface Damage {
        void apply(Path dataset) throws IOException;
    }

    /** Keeps the first {@code n} lines of a file, the last with its newline or without. */
    private static void cutLines(Path file, int n, boolean newline) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).subList(0, n);
        Files.writeString(file, String.join("\n", lines) + (newline ? "\n" : ""));
    }
}
