package dev.roadsynth.cli;

import static dev.roadsynth.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roadsynth.core.dataset.OutputLock;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** roadsynth pack: shards that Python's tarfile and numpy read back to the raw arrays and manifest lines. */
class PackCommandTest {
    @Test
    void shardsHoldEverySamplesArraysAndManifestLineAndPackingIsReproducible(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        assertThat(run("generate", "--count", "7", "--size", "96x48", "--out", data.toString(), "--format", "raw,coco",
                "--split", "train=0.6,val=0.4", "--quiet").code()).isZero();
        Cli.Result r = run("pack", data.toString(), "--samples-per-shard", "2");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("with 7 samples");
        byte[] first;
        try (var s = Files.list(data.resolve("webdataset"))) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
                    .allMatch(n -> n.matches("(train|val)-00000[0-3]\\.tar"));
        }
        Path someShard = data.resolve("webdataset/train-000000.tar");
        first = Files.readAllBytes(someShard);
        assertThat(run("pack", data.toString(), "--samples-per-shard", "2").code()).isZero();
        assertThat(Files.readAllBytes(someShard)).as("packing again gives the same bytes").isEqualTo(first);

        Python.require("python3-numpy", "numpy");
        assertThat(Python.run("check_webdataset.py", data.toString(), "7")).contains("7 passed, 0 failed");

        // Fewer, larger shards: the old ones go, and so does what a pack killed while writing a shard left.
        Path killed = dev.roadsynth.core.io.AtomicFiles.temporaryFor(data.resolve("webdataset/train-000001.tar"));
        Files.writeString(killed, "half a shard");
        assertThat(run("pack", data.toString(), "--samples-per-shard", "100").code()).isZero();
        try (var s = Files.list(data.resolve("webdataset"))) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("train-000000.tar", "val-000000.tar");
        }
    }

    @Test
    void aDatasetWithoutRawArraysOrWithAChangedArrayIsRefusedNamingIt(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("png");
        assertThat(run("generate", "--count", "2", "--size", "64x32", "--out", png.toString(), "--quiet").code()).isZero();
        Cli.Result r = run("pack", png.toString());
        assertThat(r.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).contains("needs the raw format");

        Path raw = dir.resolve("raw");
        assertThat(run("generate", "--count", "2", "--size", "64x32", "--out", raw.toString(), "--format", "raw",
                "--quiet").code()).isZero();
        Path depth = raw.resolve("frames/000001_depth.npy");
        byte[] b = Files.readAllBytes(depth);
        b[b.length - 1] ^= 1;
        Files.write(depth, b);
        Cli.Result changed = run("pack", raw.toString());
        assertThat(changed.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(changed.err()).contains("000001_depth.npy: its bytes differ from the SHA-256 in the manifest; rerun"
                + " its generate command to make that sample again");
        // What it says mends it: the rerun in this boot, which had trusted the files it wrote and only looked for them,
        // hashes them (pack removed the record it found false) and makes that sample again alone; then pack packs.
        Cli.Result rerun = run("generate", "--count", "2", "--size", "64x32", "--out", raw.toString(), "--format", "raw");
        assertThat(rerun.code()).as(rerun.err()).isZero();
        assertThat(rerun.out()).contains("wrote 1 sample to ").contains("; 1 was done before");
        Cli.Result packed = run("pack", raw.toString(), "--quiet");
        assertThat(packed.code()).as(packed.err()).isZero();
    }

    @Test
    void anUnfinishedRunALockedOneAndAugmentOutputAreRefused(@TempDir Path dir) throws Exception {
        Path raw = dir.resolve("raw");
        assertThat(run("generate", "--count", "6", "--size", "64x32", "--out", raw.toString(), "--format", "raw",
                "--quiet").code()).isZero();
        // Stopped after its fourth sample: its shards would lack the last two.
        Path manifest = raw.resolve("manifest.jsonl");
        java.util.List<String> lines = Files.readAllLines(manifest);
        Files.write(manifest, lines.subList(0, 4));
        Cli.Result unfinished = run("pack", raw.toString());
        assertThat(unfinished.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(unfinished.err().strip()).isEqualTo("roadsynth: " + raw + " is not complete: 4 of 6 samples done;"
                + " rerun its generate command to finish it, then pack; its run.json records roadsynth generate"
                + " preset:urban-intersection --size 64x32 --count 6 --seed 0 --format raw --out " + raw);
        assertThat(raw.resolve("webdataset")).doesNotExist();
        // Nor is such a run augmented: some of its samples may be half written.
        Path flip = Files.writeString(dir.resolve("flip.yaml"), "version: 1\nflip: 1\n");
        Cli.Result early = run("augment", raw.toString(), dir.resolve("early").toString(), "--spec", flip.toString());
        assertThat(early.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(early.err()).contains(raw + " is not complete: 4 of 6 samples done; rerun its generate command to"
                + " finish it, then augment it");
        Files.write(manifest, lines);

        try (OutputLock held = OutputLock.acquire(raw)) { // a job still writing
            Cli.Result locked = run("pack", raw.toString());
            assertThat(locked.code()).isEqualTo(Main.EXIT_FAILURE);
            assertThat(locked.err()).contains("is writing into " + raw + "; wait for it to finish before packing");
        }
        assertThat(run("pack", raw.toString()).code()).isZero();

        Path augmented = dir.resolve("augmented");
        assertThat(run("augment", raw.toString(), augmented.toString(), "--spec", flip.toString(), "--quiet").code())
                .isZero();
        Cli.Result notGenerate = run("pack", augmented.toString());
        assertThat(notGenerate.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(notGenerate.err()).contains("manifest.jsonl:1: no id and split")
                .contains("pack takes a dataset of roadsynth generate or merge");
    }
}
