package dev.roadsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roadsynth.core.dataset.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command said back from a run record is taken for the run that wrote it: a rerun of it makes nothing. */
class RecordedCommandTest {
    /** The recorded command run in-process: its arguments after "roadsynth". */
    private static Cli.Result rerun(Path out) throws Exception {
        JsonNode run = RunState.record(out);
        List<String> args = RecordedCommand.of(run, out);
        assertThat(args).isNotNull().startsWith("roadsynth");
        return Cli.run(args.subList(1, args.size()).toArray(String[]::new));
    }

    @Test
    void aGenerateRunsRecordSaysItsCommandBack(@TempDir Path dir) throws Exception {
        // Options away from their defaults; a scene file by a relative path (tests run in cli/) and a preset.
        Path boxes = dir.resolve("boxes");
        Cli.Result made = Cli.run("generate", "highway", "../examples/night-rain.yaml", "--size", "96x48", "--count",
                "6", "--seed", "11", "--format", "coco,kitti", "--split", "train=0.5,val=0.5", "--shard", "1/2",
                "--min-visible-pixels", "20", "--max-occlusion", "0.8", "--only", "1,3,4", "--quiet", "--out",
                boxes.toString());
        assertThat(made.code()).as(made.err()).isZero();
        assertThat(RecordedCommand.line(RecordedCommand.of(RunState.record(boxes), boxes))).isEqualTo(
                "roadsynth generate preset:highway ../examples/night-rain.yaml --size 96x48 --count 6 --seed 11"
                        + " --format coco,kitti --split train=0.5,val=0.5 --shard 1/2 --min-visible-pixels 20"
                        + " --max-occlusion 0.8 --only 1,3,4 --out " + boxes);
        assertThat(RecordedCommand.relativePaths(RunState.record(boxes))).containsExactly("../examples/night-rain.yaml");
        Cli.Result again = rerun(boxes);
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("wrote 0 samples").contains("2 were done before"); // 1 and 3: shard 1/2 of --only

        // Defaults left out; an augmentation pipeline; scenes of their own sizes (no --size).
        Path plain = dir.resolve("plain");
        made = Cli.run("generate", "../examples/night-rain.yaml", "../examples/kitti-like.yaml", "--count", "2",
                "--augment", "../examples/augment/train.yaml", "--quiet", "--out", plain.toString());
        assertThat(made.code()).as(made.err()).isZero();
        List<String> args = RecordedCommand.of(RunState.record(plain), plain);
        assertThat(args).doesNotContain("--size", "--format", "--split", "--shard", "--only")
                .containsSequence("--augment", "../examples/augment/train.yaml");
        again = rerun(plain);
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("wrote 0 samples").contains("2 were done before");

        // Not the same run: a command with another seed is refused, as the test above would be had it said one.
        Cli.Result other = Cli.run("generate", "../examples/night-rain.yaml", "../examples/kitti-like.yaml",
                "--count", "2", "--seed", "1", "--augment", "../examples/augment/train.yaml", "--quiet", "--out",
                plain.toString());
        assertThat(other.code()).isEqualTo(Main.EXIT_USAGE);
        // The refusal ends with the command the record says back.
        assertThat(other.err()).contains("(seed 0 before, 1 now)").endsWith("; its run.json records roadsynth generate"
                + " ../examples/night-rain.yaml ../examples/kitti-like.yaml --count 2 --seed 0 --augment"
                + " ../examples/augment/train.yaml --out " + plain + " (from the folder that ../examples/night-rain.yaml and"
                + " ../examples/kitti-like.yaml and ../examples/augment/train.yaml are relative to)\n");
    }

    @Test
    void anAugmentRunsRecordSaysItsCommandBack(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        assertThat(Cli.run("generate", "--count", "3", "--size", "64x32", "--split", "train=0.5,val=0.5", "--quiet",
                "--out", data.toString()).code()).isZero();
        Path aug = dir.resolve("aug");
        Cli.Result made = Cli.run("augment", data.toString(), aug.toString(), "--spec",
                "../examples/augment/train.yaml", "--copies", "2", "--seed", "5", "--split", "train", "--quiet");
        assertThat(made.code()).as(made.err()).isZero();
        assertThat(RecordedCommand.of(RunState.record(aug), aug)).containsExactly("roadsynth", "augment",
                data.toString(), aug.toString(), "--spec", "../examples/augment/train.yaml", "--copies", "2", "--seed",
                "5", "--split", "train");
        String manifest = Files.readString(aug.resolve("manifest.jsonl"));
        Cli.Result again = rerun(aug);
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(Files.readString(aug.resolve("manifest.jsonl"))).isEqualTo(manifest);
    }

    @Test
    void argumentsAreQuotedForAShellWhereNeeded() {
        assertThat(RecordedCommand.line(List.of("roadsynth", "generate", "my scenes/a.yaml", "it's.yaml", "",
                "--split", "train=0.8,val=0.2", "--out", "/data/x-1"))).isEqualTo(
                "roadsynth generate 'my scenes/a.yaml' 'it'\\''s.yaml' '' --split train=0.8,val=0.2 --out /data/x-1");
        assertThat(RecordedCommand.of(null, Path.of("x"))).isNull();
    }
}
