package dev.roadsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roadsynth.augment.AugmentSpec;
import dev.roadsynth.augment.Augmenter;
import dev.roadsynth.core.DepthPlane;
import dev.roadsynth.core.Frame;
import dev.roadsynth.core.IdPlane;
import dev.roadsynth.core.LabelSet;
import dev.roadsynth.core.RgbImage;
import dev.roadsynth.core.dataset.Manifest;
import dev.roadsynth.core.io.FrameFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** generate --augment: recorded parameters replay the augmented files exactly; threads do not matter. */
class AugmentGenerateTest {
    private static final String PIPELINE = """
            rotation: {uniform: [-10, 10]}
            scaleX: {uniform: [0.9, 1.2]}
            translateY: {uniform: [-0.1, 0.1], probability: 0.5}
            hue: {normal: {mean: 0, std: 10, min: -30, max: 30}}
            flip: 0.5
            fill: 0
            """;

    private static int run(StringWriter err, String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    private static List<String> generate(Path out, String threads, String format, Path pipeline) {
        List<String> a = new ArrayList<>(List.of("generate", "--out", out.toString(), "--count", "4", "--size",
                "160x80", "--seed", "3", "--threads", threads, "--format", format, "--quiet"));
        if (pipeline != null) {
            a.addAll(List.of("--augment", pipeline.toString()));
        }
        return a;
    }

    /** A .npy file's data bytes (after its header), little-endian. */
    private static ByteBuffer npy(Path file) throws Exception {
        byte[] b = Files.readAllBytes(file);
        int headerLength = (b[8] & 0xff) | (b[9] & 0xff) << 8;
        return ByteBuffer.wrap(b, 10 + headerLength, b.length - 10 - headerLength).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static Frame readRaw(Path dir, String id, int w, int h) throws Exception {
        byte[] rgb = new byte[w * h * 3];
        npy(dir.resolve(id + "_rgb.npy")).get(rgb);
        ByteBuffer cls = npy(dir.resolve(id + "_labelIds.npy")); // uint8: every class id fits
        int[] classes = new int[w * h];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = cls.get(i) & 0xff;
        }
        int[] inst = new int[w * h];
        npy(dir.resolve(id + "_instanceIds.npy")).asIntBuffer().get(inst);
        float[] depth = new float[w * h];
        npy(dir.resolve(id + "_depth.npy")).asFloatBuffer().get(depth);
        return new Frame(LabelSet.cityscapes(), RgbImage.copyOf(w, h, rgb), IdPlane.copyOf(w, h, classes),
                IdPlane.copyOf(w, h, inst), DepthPlane.copyOf(w, h, depth));
    }

    @Test
    void recordedParametersReplayTheAugmentedSamplesExactly(@TempDir Path dir) throws Exception {
        Path pipeline = dir.resolve("aug.yaml");
        Files.writeString(pipeline, PIPELINE);
        StringWriter err = new StringWriter();
        assertThat(run(err, generate(dir.resolve("plain"), "1", "raw", null).toArray(String[]::new))).isZero();
        assertThat(run(err, generate(dir.resolve("aug"), "2", "raw,coco", pipeline).toArray(String[]::new))).isZero();
        assertThat(err.toString()).isEmpty();
        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(dir.resolve("aug/manifest.jsonl"));
        assertThat(lines).hasSize(4);
        int changed = 0;
        for (String line : lines) {
            JsonNode m = json.readTree(line);
            String id = m.get("id").asText();
            AugmentSpec.Params p = AugmentSpec.Params.fromJson(m.get("augment").toString());
            Frame plain = readRaw(dir.resolve("plain/frames"), id, 160, 80);
            Frame replay = Augmenter.apply(plain, p, 0);
            Path again = dir.resolve("replay");
            for (Path f : FrameFiles.write(replay, again, id)) {
                assertThat(Manifest.sha256(f)).as(f.toString())
                        .isEqualTo(Manifest.sha256(dir.resolve("aug/frames").resolve(f.getFileName())));
            }
            changed += replay.semantic().equals(plain.semantic()) ? 0 : 1;
        }
        assertThat(changed).as("the pipeline changes the labels").isEqualTo(4);
        // COCO boxes come from the augmented planes: every box lies inside the image.
        JsonNode coco = json.readTree(dir.resolve("aug/coco/annotations/instances_train.json").toFile());
        assertThat(coco.get("annotations").size()).isPositive();
        for (JsonNode a : coco.get("annotations")) {
            assertThat(a.get("bbox").get(0).asInt() + a.get("bbox").get(2).asInt()).isLessThanOrEqualTo(160);
        }
    }

    @Test
    void aChangedPipelineFileIsADifferentDatasetAndKittiIsRefused(@TempDir Path dir) throws Exception {
        Path pipeline = dir.resolve("aug.yaml");
        Files.writeString(pipeline, PIPELINE);
        Path out = dir.resolve("out");
        StringWriter err = new StringWriter();
        assertThat(run(err, generate(out, "1", "cityscapes", pipeline).toArray(String[]::new))).isZero();
        Files.writeString(pipeline, PIPELINE.replace("-10, 10", "-5, 5"));
        StringWriter err2 = new StringWriter();
        assertThat(run(err2, generate(out, "1", "cityscapes", pipeline).toArray(String[]::new))).isEqualTo(2);
        assertThat(err2.toString()).contains("other parameters").contains("augment");
        StringWriter err3 = new StringWriter();
        assertThat(run(err3, generate(dir.resolve("k"), "1", "kitti", pipeline).toArray(String[]::new))).isEqualTo(2);
        assertThat(err3.toString()).contains("--augment").contains("kitti");
        // The fill class must be a class of the scenes' table: 255 is none of Cityscapes' ids.
        Files.writeString(pipeline, PIPELINE.replace("fill: 0", "fill: 255"));
        StringWriter err4 = new StringWriter();
        assertThat(run(err4, generate(dir.resolve("f"), "1", "cityscapes", pipeline).toArray(String[]::new))).isEqualTo(2);
        assertThat(err4.toString()).contains("--augment " + pipeline + ": fill: 255 is not a class id of the dataset's"
                + " class table (ids 0..33)").contains("0 (unlabeled)");
        assertThat(dir.resolve("f")).doesNotExist();
    }

    @Test
    void augmentedShardsMergedAreTheAugmentedWholeRun(@TempDir Path dir) throws Exception {
        Path pipeline = dir.resolve("aug.yaml");
        Files.writeString(pipeline, PIPELINE);
        StringWriter err = new StringWriter();
        List<String> base = List.of("--count", "5", "--size", "96x48", "--seed", "4", "--format", "cityscapes,coco,raw",
                "--augment", pipeline.toString(), "--quiet");
        for (String out : List.of("whole", "s0", "s1")) {
            List<String> a = new ArrayList<>(List.of("generate", "--out", dir.resolve(out).toString()));
            a.addAll(base);
            if (!out.equals("whole")) {
                a.addAll(List.of("--shard", out.substring(1) + "/2"));
            }
            assertThat(run(err, a.toArray(String[]::new))).as(err.toString()).isZero();
        }
        assertThat(run(err, "merge", "--out", dir.resolve("merged").toString(), dir.resolve("s1").toString(),
                dir.resolve("s0").toString())).as(err.toString()).isZero();
        assertThat(ResumeTest.files(dir.resolve("merged"))).isEqualTo(ResumeTest.files(dir.resolve("whole")));
    }
}
