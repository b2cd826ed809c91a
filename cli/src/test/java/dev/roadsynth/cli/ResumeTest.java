package dev.roadsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roadsynth.core.dataset.OutputLock;
import dev.roadsynth.core.dataset.RunState;
import dev.roadsynth.core.dataset.ShardMerge;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Interrupted runs resume to the same bytes; shards add up to the whole; a second job is locked out. */
class ResumeTest {
    private static final String[] ARGS = {"--count", "24", "--size", "160x80", "--seed", "5", "--threads", "2",
            "--format", "raw,cityscapes,coco,kitti,depth", "--split", "train=0.7,val=0.299999,spare=0.000001", "--quiet"}; // spare: declared, no sample in it

    private static int run(Path out, String... extra) {
        return runWith(ARGS, out, extra);
    }

    /** {@link #ARGS} with another {@code --count}. */
    private static String[] counting(int count) {
        String[] args = ARGS.clone();
        args[List.of(args).indexOf("--count") + 1] = Integer.toString(count);
        return args;
    }

    private static int runWith(String[] common, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("generate", "--out", out.toString()));
        args.addAll(List.of(common));
        args.addAll(List.of(extra));
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args.toArray(String[]::new));
        assertThat(err.toString()).isEmpty();
        return code;
    }

    /**
     * Every file under dir (but the lock, the trust record and a merge's record: this machine's state), by relative
     * path, with its bytes' hash.
     */
    static Map<String, String> files(Path dir) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String rel = dir.relativize(p).toString();
                if (!rel.equals(".roadsynth.lock") && !rel.equals(RunState.TRUST_FILE)
                        && !rel.equals(dev.roadsynth.core.dataset.ShardMerge.MERGED)) {
                    out.put(rel, dev.roadsynth.core.dataset.Manifest.sha256(p));
                }
            }
        }
        return out;
    }

    /** Every directory under dir, by relative path. */
    static List<String> directories(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isDirectory).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    /** The relative paths whose hashes differ between two {@link #files} maps, or that only one has. */
    static java.util.Set<String> differing(Map<String, String> a, Map<String, String> b) {
        java.util.Set<String> out = new java.util.TreeSet<>(a.keySet());
        out.addAll(b.keySet());
        out.removeIf(k -> java.util.Objects.equals(a.get(k), b.get(k)));
        return out;
    }

    /**
     * Starts {@code generate --out out} with {@link #ARGS} (less {@code --quiet} if {@code loud}) in another JVM, its
     * output into {@code log}, and returns it once its manifest lists 4 samples (or it ended, or a minute passed).
     */
    private static Process startAndWaitForFourSamples(Path out, boolean loud, Path log) throws Exception {
        return startAndWaitFor(out, loud, log, 4);
    }

    /** As {@link #startAndWaitForFourSamples}, until the manifest lists {@code lines} samples. */
    private static Process startAndWaitFor(Path out, boolean loud, Path log, int lines) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("generate", "--out", out.toString()));
        cmd.addAll(List.of(ARGS).stream().filter(a -> !(loud && a.equals("--quiet"))).toList());
        Process p = new ProcessBuilder(Cli.inAnotherJvm(List.of(), cmd)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Path manifest = out.resolve("manifest.jsonl");
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline && p.isAlive()
                && !(Files.exists(manifest) && Files.readAllLines(manifest).size() >= lines)) {
            Thread.sleep(20);
        }
        return p;
    }

    @Test
    void aRunKilledMidwayAndRerunEqualsAnUninterruptedOne(@TempDir Path dir) throws Exception {
        Path whole = dir.resolve("whole");
        assertThat(run(whole)).isZero();

        Path killed = dir.resolve("killed");
        Process p = startAndWaitForFourSamples(killed, false, dir.resolve("log"));
        boolean killedMidway = p.isAlive();
        p.destroyForcibly().waitFor(); // SIGKILL: no shutdown hooks, no finishing
        assertThat(killedMidway).as("the run was still going when killed").isTrue();
        assertThat(Files.readAllLines(killed.resolve("manifest.jsonl")).size()).isLessThan(24);

        assertThat(run(killed)).isZero();
        assertThat(files(killed)).isEqualTo(files(whole));
    }

    /**
     * A run asked for more samples than the earlier one in its directory (all else the same) extends it, and equals
     * a run that asked for them all at once, to the byte: every file, the manifest, run.json, the COCO JSON (its
     * earlier images and annotations split back into parts and joined with the new ones), KITTI's ImageSets. So
     * does an extension killed midway and rerun, and shards extended one by one and then merged.
     */
    @Test
    void aRunExtendedToMoreSamplesEqualsOneThatAskedForThemAll(@TempDir Path dir) throws Exception {
        Path whole = dir.resolve("whole");
        assertThat(run(whole)).isZero();
        Map<String, String> expected = files(whole);
        Path extended = dir.resolve("extended");
        assertThat(runWith(counting(10), extended)).isZero();
        assertThat(Files.readAllLines(extended.resolve("manifest.jsonl"))).hasSize(10);
        assertThat(extended.resolve("coco/annotations/.parts")).doesNotExist();
        Cli.Result loud = Cli.run(Stream.concat(Stream.of("generate", "--out", extended.toString()),
                Stream.of(ARGS).filter(a -> !a.equals("--quiet"))).toArray(String[]::new));
        assertThat(loud.code()).as(loud.err()).isZero();
        assertThat(loud.err()).contains("roadsynth: note: extending the run in " + extended + " from 10 to 24 samples;");
        assertThat(loud.out() + loud.err()).contains("14 samples").contains("10 were done before");
        assertThat(files(extended)).isEqualTo(expected);
        assertThat(directories(extended)).isEqualTo(directories(whole));

        Path killed = dir.resolve("killed");
        assertThat(runWith(counting(10), killed)).isZero();
        Process p = startAndWaitFor(killed, false, dir.resolve("log"), 14);
        boolean killedMidway = p.isAlive();
        p.destroyForcibly().waitFor();
        assertThat(killedMidway).as("the extension was still going when killed").isTrue();
        assertThat(run(killed)).isZero();
        assertThat(files(killed)).isEqualTo(expected);

        for (int k = 0; k < 2; k++) {
            Path shard = dir.resolve("shard" + k);
            assertThat(runWith(counting(10), shard, "--shard", k + "/2")).isZero();
            assertThat(run(shard, "--shard", k + "/2")).isZero();
        }
        Cli.Result merged = Cli.run("merge", "--quiet", "--out", dir.resolve("merged").toString(),
                dir.resolve("shard0").toString(), dir.resolve("shard1").toString());
        assertThat(merged.code()).as(merged.err()).isZero();
        assertThat(files(dir.resolve("merged"))).isEqualTo(expected);
    }

    /**
     * A finished dataset copied with a file lost, or its COCO JSON cut short: {@code validate} names what is wrong and
     * the command that mends it. For the lost file the rerun makes that one sample again, in place (its files the
     * same bytes), and keeps every other; for the JSON, every sample from the first of its split on. Either way the
     * result is the uninterrupted run's, COCO's JSON included (before, a rerun joined only the new samples'
     * annotations into it, and those of the samples it kept were lost).
     */
    @Test
    void aFinishedRunCopiedWithDamageIsNamedByValidateAndMendedByItsRerun(@TempDir Path dir) throws Exception {
        Path whole = dir.resolve("whole");
        assertThat(run(whole)).isZero();
        Map<String, String> expected = files(whole);
        Cli.Result ok = Cli.run("validate", "--quiet", whole.toString());
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).startsWith("ok: " + whole + " (24 samples, ");
        Cli.Result file = Cli.run("validate", whole.resolve("manifest.jsonl").toString());
        assertThat(file.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(file.err().strip()).isEqualTo(whole.resolve("manifest.jsonl") + ": a dataset's manifest.jsonl, not a"
                + " scene file; check the dataset with 'roadsynth validate " + whole + "'");

        // A val sample's colour image lost in one copy; val's COCO JSON cut short in another.
        String lost = expected.keySet().stream().filter(f -> f.startsWith("cityscapes/gtFine/val/")
                && f.endsWith("_gtFine_color.png")).skip(2).findFirst().orElseThrow();
        long lostSample = Long.parseLong(lost.substring(lost.length() - "_gtFine_color.png".length() - 6,
                lost.length() - "_gtFine_color.png".length()));
        String json = "coco/annotations/instances_val.json";
        // The rasterizer that drew the lost sample, from its manifest line: validate names it for the rerun.
        String drawnBy = null;
        for (String line : Files.readAllLines(whole.resolve("manifest.jsonl"))) {
            com.fasterxml.jackson.databind.JsonNode m = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
            if (m.get("index").asLong() == lostSample) {
                drawnBy = m.get("renderer").asText();
            }
        }
        assertThat(drawnBy).contains("OpenGL");
        String command = " roadsynth generate preset:urban-intersection --size 160x80 --count 24 --seed 5 --format"
                + " raw,cityscapes,coco,kitti,depth --split train=0.7,val=0.299999,spare=0.000001 --out ";
        for (String damage : List.of(lost, json)) {
            Path copy = dir.resolve("copy-" + Math.abs(damage.hashCode()));
            Cli.copyTree(whole, copy);
            if (damage.equals(json)) {
                byte[] bytes = Files.readAllBytes(copy.resolve(json));
                Files.write(copy.resolve(json), java.util.Arrays.copyOf(bytes, bytes.length / 2));
            } else {
                Files.delete(copy.resolve(damage));
            }
            Cli.Result found = Cli.run("validate", "--quiet", copy.toString());
            assertThat(found.code()).isEqualTo(Main.EXIT_USAGE);
            assertThat(found.err()).contains(copy + ": " + damage + (damage.equals(json) ? " is not whole ("
                    : " (sample ")).contains(copy + ": to mend it, rerun the command that made it (" + (damage.equals(json)
                    ? "it makes the samples from the first one missing or damaged on again, and the files written at the"
                    + " end" : "it makes the sample with files missing or damaged again in place and keeps every other,"
                    + " where it comes out as the manifest records (the version and rasterizer that made them; drawn by "
                    + drawnBy + "); else every sample from the first of them on") + "):" + command + copy + "\n");
            List<String> loud = new ArrayList<>(List.of("generate", "--out", copy.toString()));
            loud.addAll(List.of(ARGS).subList(0, ARGS.length - 1)); // not --quiet: its summary
            Cli.Result rerun = Cli.run(loud.toArray(String[]::new));
            assertThat(rerun.code()).as(rerun.err()).isZero();
            if (damage.equals(json)) {
                // val's samples are not done where their JSON is not whole: made again from the first of them on.
                assertThat(rerun.err()).doesNotContain("again in place");
                assertThat(rerun.out()).doesNotContain("wrote 1 sample ");
            } else {
                // That sample alone is made again: its files are where they were, the same bytes.
                assertThat(rerun.err()).startsWith("roadsynth: note: 1 sample's files are missing or damaged (sample "
                        + lostSample + "'s " + damage + " is missing); making it again in place" + System.lineSeparator()
                        + "1/1 samples, "); // its progress
                assertThat(rerun.out()).contains("wrote 1 sample to " + copy + " in ").contains("; 23 were done before");
            }
            assertThat(differing(files(copy), expected)).as(damage).isEmpty();
            Cli.Result mended = Cli.run("validate", "--quiet", copy.toString());
            assertThat(mended.code()).as(mended.err()).isZero();
        }
    }

    /**
     * Damaged samples made again come out as recorded on the rasterizer that made them. Where one does not (here its
     * manifest line names another rasterizer, as a dataset copied from a GPU machine would), its files could not
     * replace the damaged ones without the manifest and COCO's JSON saying otherwise: every sample from the first
     * damaged one on is made again, as a rerun did before samples were made alone, and the result is the whole run's.
     * Several samples damaged in place (one file lost, another changed) are made again alone.
     */
    @Test
    void damagedSamplesAreMadeAloneWhereTheyComeOutAsRecordedElseEverySampleFromTheFirstOn(@TempDir Path dir)
            throws Exception {
        Path whole = dir.resolve("whole");
        assertThat(run(whole)).isZero();
        Map<String, String> expected = files(whole);
        List<String> loud = new ArrayList<>(List.of(ARGS).subList(0, ARGS.length - 1));

        Path two = dir.resolve("two");
        Cli.copyTree(whole, two);
        Files.delete(two.resolve("frames/000019_depth.npy"));
        Files.writeString(two.resolve("kitti/training/label_2/000005.txt"), "Car 0 0 0 1 1 2 2 1 1 1 0 0 10 0\n");
        Cli.Result alone = runIn(two, loud);
        assertThat(alone.code()).as(alone.err()).isZero();
        assertThat(alone.err()).startsWith("roadsynth: note: 2 samples' files are missing or damaged (sample 5's"
                + " kitti/training/label_2/000005.txt is not the file its manifest records (SHA-256)); making them again"
                + " in place" + System.lineSeparator()).contains(System.lineSeparator() + "2/2 samples, ");
        assertThat(alone.out()).contains("wrote 2 samples to " + two + " in ").contains("; 22 were done before");
        assertThat(differing(files(two), expected)).isEmpty();

        // Changed in the dataset this boot wrote: a rerun takes its files for whole on its trust record, unless
        // validate, finding the change, deleted that record (it did not, and the rerun found nothing to do).
        Path here = dir.resolve("here");
        assertThat(run(here)).isZero();
        Files.writeString(here.resolve("kitti/training/label_2/000007.txt"), "Car 0 0 0 1 1 2 2 1 1 1 0 0 10 0\n");
        assertThat(RunState.trustedNow(here)).isTrue();
        assertThat(Cli.run("validate", "--quiet", here.toString()).code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(RunState.trustedNow(here)).isFalse();
        Cli.Result trusted = runIn(here, loud);
        assertThat(trusted.err()).startsWith("roadsynth: note: 1 sample's files are missing or damaged (sample 7's"
                + " kitti/training/label_2/000007.txt is not the file its manifest records (SHA-256)); making it again"
                + " in place" + System.lineSeparator());
        assertThat(differing(files(here), expected)).isEmpty();

        Path other = dir.resolve("other");
        Cli.copyTree(whole, other);
        Path manifest = other.resolve("manifest.jsonl");
        List<String> lines = Files.readAllLines(manifest);
        String ours = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.get(3)).get("renderer").asText();
        lines.set(3, lines.get(3).replace(ours, "NVIDIA H200/PCIe/SSE2, OpenGL 4.6.0 NVIDIA 580.159.04, reversed float depth"));
        Files.write(manifest, lines);
        Files.delete(other.resolve("frames/000003_rgb.npy"));
        Files.delete(other.resolve("frames/000009_rgb.npy"));
        Cli.Result remade = runIn(other, loud);
        assertThat(remade.code()).as(remade.err()).isZero();
        assertThat(remade.err()).contains("roadsynth: note: 2 samples' files are missing or damaged (sample 3's"
                + " frames/000003_rgb.npy is missing); making them again in place").contains("roadsynth: note: sample 3"
                + " came out other than its manifest line records (made by another rasterizer or driver, say), so its"
                + " files would not match what was joined after it; every sample from 3 on is made again");
        assertThat(remade.out()).contains("wrote 21 samples to " + other + " in ").contains("; 3 were done before");
        assertThat(differing(files(other), expected)).isEmpty();
        assertThat(other.resolve(RunState.MEND_FOLDER)).doesNotExist();
    }

    /**
     * Reruns {@link #ARGS} (and {@code extra}) into {@code out}, where one sample's files are damaged: it must make that
     * sample again in place, saying so; returns what it says is wrong.
     */
    private static String mendsOne(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("generate", "--out", out.toString()));
        args.addAll(List.of(ARGS));
        args.addAll(List.of(extra));
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        String start = "roadsynth: note: 1 sample's files are missing or damaged (";
        String end = "); making it again in place" + System.lineSeparator();
        assertThat(r.err()).startsWith(start).endsWith(end);
        return r.err().substring(start.length(), r.err().length() - end.length());
    }

    /** generate into {@code out} with {@code args}, its output captured. */
    private static Cli.Result runIn(Path out, List<String> args) {
        List<String> all = new ArrayList<>(List.of("generate", "--out", out.toString()));
        all.addAll(args);
        return Cli.run(all.toArray(String[]::new));
    }

    /**
     * SIGTERM (what Kubernetes and Slurm send first; Ctrl-C runs the same hooks): the run's last line says how many
     * samples are done, exactly as many as the manifest lists, and the rerun finishes it to the same bytes.
     */
    @Test
    void aRunStoppedBySigtermSaysHowFarItGotAndTheRerunFinishesIt(@TempDir Path dir) throws Exception {
        Path whole = dir.resolve("whole");
        assertThat(run(whole)).isZero();

        Path stopped = dir.resolve("stopped");
        Path log = dir.resolve("log");
        Process p = startAndWaitForFourSamples(stopped, true, log);
        boolean stoppedMidway = p.isAlive();
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(stoppedMidway).as("the run was still going when stopped").isTrue();
        int listed = Files.readAllLines(stopped.resolve("manifest.jsonl")).size();
        assertThat(listed).isLessThan(24);
        List<String> said = Files.readAllLines(log);
        assertThat(said.get(said.size() - 1)).isEqualTo("roadsynth: stopped with " + listed
                + " of 24 samples done; rerun the same command to resume");
        assertThat(said).noneMatch(l -> l.contains("closed while rendering")); // the hook closed it: no error

        assertThat(run(stopped)).isZero();
        assertThat(files(stopped)).isEqualTo(files(whole));
    }

    /**
     * A run that stops on an error (here a directory where sample 9's depth file goes: its rename fails) must
     * leave what spans samples, COCO's per-sample parts, for the rerun; joined and deleted on the way out, the
     * rerun's COCO JSON would miss the samples done before the error.
     */
    @Test
    void aRunStoppedByAnErrorAndRerunEqualsAnUninterruptedOne(@TempDir Path dir) throws Exception {
        Path whole = dir.resolve("whole");
        assertThat(run(whole)).isZero();
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        List<String> wholeManifest = Files.readAllLines(whole.resolve("manifest.jsonl"));
        String depth9 = null;
        for (var f : mapper.readTree(wholeManifest.get(9)).get("files")) {
            if (f.get("path").asText().startsWith("depth/")) {
                depth9 = f.get("path").asText();
            }
        }
        assertThat(depth9).as("sample 9's depth file").isNotNull();

        Path failed = dir.resolve("failed");
        Path obstacle = failed.resolve(depth9);
        Files.createDirectories(obstacle);
        Files.writeString(obstacle.resolve("keep"), "a directory where a file goes");
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute(java.util.stream.Stream.concat(Stream.of("generate", "--out", failed.toString()),
                Stream.of(ARGS)).toArray(String[]::new))).as(err.toString()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(err.toString()).contains(depth9.substring(depth9.lastIndexOf('/') + 1));
        assertThat(Files.readAllLines(failed.resolve("manifest.jsonl"))).as("samples 0 to 8 done, in order")
                .isEqualTo(wholeManifest.subList(0, 9));

        // What a power loss can leave of a file renamed into place whose data never reached the disk: nothing.
        // Sample 4's own files hash as recorded, but its COCO part (kept beside them until the run ends) is empty:
        // the rerun redoes it, and the samples after it, rather than join a damaged part into the JSON.
        Path part4;
        try (Stream<Path> parts = Files.walk(failed.resolve("coco/annotations/.parts"))) {
            part4 = parts.filter(q -> q.getFileName().toString().equals("000004.jsonl")).findFirst().orElseThrow();
        }
        Files.write(part4, new byte[0]);
        Files.delete(obstacle.resolve("keep"));
        Files.delete(obstacle);
        assertThat(run(failed)).isZero();
        assertThat(differing(files(failed), files(whole))).as("files that differ from the uninterrupted run").isEmpty();
    }

    @Test
    void shardsTogetherMakeTheWholeRun(@TempDir Path dir) throws Exception {
        Path whole = dir.resolve("whole");
        assertThat(run(whole)).isZero();
        Map<String, String> union = new TreeMap<>();
        List<String> manifestLines = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            Path shard = dir.resolve("shard" + k);
            assertThat(run(shard, "--shard", k + "/3")).isZero();
            Map<String, String> f = files(shard);
            assertThat(f.get("labels.json")).as("every shard's class table").isEqualTo(files(whole).get("labels.json"));
            f.keySet().removeIf(n -> n.equals("manifest.jsonl") || n.equals("run.json") || n.equals("labels.json")
                    || n.startsWith("coco/annotations") || n.startsWith("kitti/ImageSets"));
            for (var e : f.entrySet()) {
                assertThat(union.put(e.getKey(), e.getValue())).as("%s in two shards", e.getKey()).isNull();
            }
            manifestLines.addAll(Files.readAllLines(shard.resolve("manifest.jsonl")));
        }
        Map<String, String> expected = files(whole);
        expected.keySet().removeIf(n -> n.equals("manifest.jsonl") || n.equals("run.json") || n.equals("labels.json")
                || n.startsWith("coco/annotations") || n.startsWith("kitti/ImageSets"));
        assertThat(union).isEqualTo(expected);
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        manifestLines.sort(java.util.Comparator.comparingLong(l -> {
            try {
                return mapper.readTree(l).get("index").asLong();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
        assertThat(manifestLines).isEqualTo(Files.readAllLines(whole.resolve("manifest.jsonl")));

        // What a shard's mend left when a kill stopped it after its last move (the staged COCO parts) is not merged.
        Path staged = dir.resolve("shard1").resolve(RunState.MEND_FOLDER).resolve("coco/annotations/.parts/train");
        Files.createDirectories(staged);
        Files.writeString(staged.resolve("000004.jsonl"), "{}\n");
        // Merged, the shards are the whole run to the byte: every file, the manifest, run.json, the COCO JSON, KITTI's
        // ImageSets.
        Path merged = dir.resolve("merged");
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("merge", "--out", merged.toString(), dir.resolve("shard2").toString(),
                dir.resolve("shard0").toString(), dir.resolve("shard1").toString())).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("merged 3 shards into " + merged + " in ");
        assertThat(files(merged)).isEqualTo(files(whole));
        var record = mapper.readTree(merged.resolve(dev.roadsynth.core.dataset.ShardMerge.MERGED).toFile());
        assertThat(record.get("shards").toString()).isEqualTo("[\"" + dir.resolve("shard0") + "\",\""
                + dir.resolve("shard1") + "\",\"" + dir.resolve("shard2") + "\"]");
        assertThat(record.get("link").asBoolean()).isFalse();
        assertThat(record.get("run")).isEqualTo(mapper.readTree(merged.resolve("run.json").toFile()));
        // Folders too: the split no sample fell in is there, empty, in the whole run and merged.
        assertThat(directories(merged)).isEqualTo(directories(whole)).contains("cityscapes/leftImg8bit/spare",
                "cityscapes/gtFine/spare", "coco/images/spare", "depth/spare");
        assertThat(whole.resolve("cityscapes/leftImg8bit/spare")).isEmptyDirectory();
        assertThat(files(whole)).containsKey("coco/annotations/instances_spare.json");
        Cli.Result quiet = Cli.run("merge", "--quiet", "--link", "--out", dir.resolve("mq").toString(),
                dir.resolve("shard0").toString(), dir.resolve("shard1").toString(), dir.resolve("shard2").toString());
        assertThat(quiet.code()).as(quiet.err()).isZero();
        assertThat(quiet.out() + quiet.err()).isEmpty();
        assertThat(files(dir.resolve("mq"))).isEqualTo(files(whole));
        // A file of the linked merge changed in place is its shard's file changed too: not restored from it, but
        // said, with the shard's command; that rerun makes the sample again (a new file), and the merge links it.
        Path mq = dir.resolve("mq");
        Files.writeString(mq.resolve("kitti/training/label_2/000011.txt"), "Car 0 0 0 1 1 2 2 1 1 1 0 0 10 0\n");
        assertThat(Cli.run("validate", "--quiet", mq.toString()).code()).isEqualTo(Main.EXIT_USAGE);
        String[] relink = {"merge", "--quiet", "--link", "--out", mq.toString(), dir.resolve("shard0").toString(),
                dir.resolve("shard1").toString(), dir.resolve("shard2").toString()};
        Cli.Result both = Cli.run(relink);
        assertThat(both.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(both.err()).contains(mq + ": sample 11's kitti/training/label_2/000011.txt is not whole, and its"
                + " shard's (" + dir.resolve("shard2") + ") is not the file its manifest records (SHA-256); rerun the"
                + " shard's generate command to make that sample again, then merge");
        assertThat(mendsOne(dir.resolve("shard2"), "--shard", "2/3")).isEqualTo("sample 11's"
                + " kitti/training/label_2/000011.txt is not the file its manifest records (SHA-256)");
        Cli.Result relinked = Cli.run(relink);
        assertThat(relinked.code()).as(relinked.err()).isZero();
        assertThat(files(mq)).isEqualTo(files(whole));
        // The merge records its files as whole, so that a rerun or an extension of it need not hash them: from shards
        // written in this boot, each in its own folder (presence checked), and from a copy of one (its record names
        // its own folder, so the merge hashed the copy's files first).
        assertThat(RunState.trustedNow(merged)).isTrue();
        assertThat(RunState.trustedNow(dir.resolve("mq"))).isTrue();
        Path copied = dir.resolve("shard1-copied");
        Cli.copyTree(dir.resolve("shard1"), copied);
        assertThat(RunState.trustedNow(copied)).isFalse();
        Cli.Result fromCopy = Cli.run("merge", "--quiet", "--out", dir.resolve("mc").toString(),
                dir.resolve("shard0").toString(), copied.toString(), dir.resolve("shard2").toString());
        assertThat(fromCopy.code()).as(fromCopy.err()).isZero();
        assertThat(RunState.trustedNow(dir.resolve("mc"))).as("the copy's files hashed by the merge").isTrue();
        assertThat(files(dir.resolve("mc"))).isEqualTo(files(whole));
        // Rerun after it finished (a retried batch job): nothing to do, nothing touched.
        Cli.Result again = Cli.run("merge", "--out", merged.toString(), dir.resolve("shard0").toString(),
                dir.resolve("shard1").toString(), dir.resolve("shard2").toString());
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains(merged + " already holds this run, merged; nothing to do");
        assertThat(files(merged)).isEqualTo(files(whole));
        // Rerun after files of the merged dataset were lost or changed (validate found the change, and with it the
        // record that the files are whole went): they are restored from the shards, nothing else is touched.
        Files.delete(merged.resolve("frames/000004_rgb.npy"));
        Files.writeString(merged.resolve("kitti/training/label_2/000010.txt"), "Car 0 0 0 1 1 2 2 1 1 1 0 0 10 0\n");
        Cli.Result found = Cli.run("validate", "--quiet", merged.toString());
        assertThat(found.code()).isEqualTo(Main.EXIT_USAGE);
        // validate offers the merge's rerun too, as the merge recorded it (its shards, in name order), beside the
        // generate command that would render the two samples again.
        String merge = "roadsynth merge --out " + merged + " " + dir.resolve("shard0") + " " + dir.resolve("shard1")
                + " " + dir.resolve("shard2");
        assertThat(found.err()).contains(merged + ": to mend it, rerun the command that made it (it makes the 2 samples")
                .endsWith(merged + ": or rerun the merge that joined it, which takes those files from its shards again"
                        + " and renders nothing (where the shards are as they were): " + merge + "\n");
        Cli.Result restored = Cli.run(merge.substring("roadsynth ".length()).split(" "));
        assertThat(restored.code()).as(restored.err()).isZero();
        assertThat(restored.out()).contains(merged + " already holds this run, merged; restored 2 files lost or changed"
                + " since from the shards");
        assertThat(files(merged)).isEqualTo(files(whole));
        assertThat(RunState.trustedNow(merged)).isTrue();
        // A shard of another run is refused, naming what differs: another policy, another number of shards.
        Path other = dir.resolve("other-policy");
        assertThat(run(other, "--shard", "1/3", "--min-visible-pixels", "9")).isZero();
        Cli.Result mixed = Cli.run("merge", "--out", dir.resolve("mixed").toString(), dir.resolve("shard0").toString(),
                other.toString(), dir.resolve("shard2").toString());
        assertThat(mixed.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(mixed.err().strip()).isEqualTo("roadsynth: " + other + " belongs to another run than "
                + dir.resolve("shard0") + " (minVisiblePixels 1 in " + dir.resolve("shard0") + ", 9 in " + other + ")");
        Path ofTwo = dir.resolve("of-two");
        assertThat(run(ofTwo, "--shard", "1/2")).isZero();
        Cli.Result halves = Cli.run("merge", "--out", dir.resolve("halves").toString(), dir.resolve("shard0").toString(),
                ofTwo.toString());
        assertThat(halves.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(halves.err().strip()).isEqualTo("roadsynth: " + ofTwo + " belongs to another run than "
                + dir.resolve("shard0") + " (split into 3 shards there, 2 here)");
        // Any other content is refused.
        Path stranger = Files.createDirectories(dir.resolve("stranger"));
        Files.writeString(stranger.resolve("notes.txt"), "mine");
        Cli.Result into = Cli.run("merge", "--out", stranger.toString(), dir.resolve("shard0").toString(),
                dir.resolve("shard1").toString(), dir.resolve("shard2").toString());
        assertThat(into.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(into.err()).contains("--out " + stranger + " is not empty, and not a merge of these shards that"
                + " stopped halfway");
        try (Stream<Path> left = Files.list(stranger)) {
            assertThat(left.map(q -> q.getFileName().toString()).toList()).containsExactly("notes.txt");
        }
        assertThat(Main.commandLine().execute("merge", "--out", dir.resolve("m2").toString(),
                dir.resolve("shard0").toString(), dir.resolve("shard1").toString())).isEqualTo(Main.EXIT_USAGE);
        assertThat(files(merged)).containsKey("labels.json");
        // A shard that was interrupted (its last sample not done) is refused, naming it: merged, it would leave a gap.
        Path manifest2 = dir.resolve("shard2/manifest.jsonl");
        List<String> lines2 = Files.readAllLines(manifest2);
        Files.write(manifest2, lines2.subList(0, lines2.size() - 1));
        StringWriter err4 = new StringWriter();
        CommandLine cl4 = Main.commandLine();
        cl4.setErr(new PrintWriter(err4));
        assertThat(cl4.execute("merge", "--out", dir.resolve("m4").toString(), dir.resolve("shard0").toString(),
                dir.resolve("shard1").toString(), dir.resolve("shard2").toString())).isEqualTo(Main.EXIT_USAGE);
        assertThat(err4.toString()).contains("shard 2/3 (" + dir.resolve("shard2") + ") is not complete: 7 of 8 samples done");
        assertThat(dir.resolve("m4")).doesNotExist();
        Files.write(manifest2, lines2);
        // A shard missing a file its manifest lists (copied in part) is refused, naming the sample and the file; so
        // is a shard from elsewhere (not known whole in this boot) with a file that is not the one recorded. Their
        // generate commands, rerun, redo those samples, and the merge is the whole run again.
        var last = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines2.get(lines2.size() - 1));
        String lost = last.get("files").get(0).get("path").asText();
        Files.delete(dir.resolve("shard2").resolve(lost));
        var damagedCopy = copied.resolve(new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(Files.readAllLines(copied.resolve("manifest.jsonl")).get(0)).get("files").get(1).get("path").asText());
        Files.write(damagedCopy, new byte[] {1, 2, 3});
        Cli.Result gap = Cli.run("merge", "--out", dir.resolve("m5").toString(), dir.resolve("shard0").toString(),
                dir.resolve("shard1").toString(), dir.resolve("shard2").toString());
        assertThat(gap.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(gap.err().strip()).isEqualTo("roadsynth: shard 2/3 (" + dir.resolve("shard2") + "): sample "
                + last.get("index").asLong() + "'s " + lost + " is missing; rerun its generate command to redo that"
                + " sample, then merge; its run.json records roadsynth generate preset:urban-intersection --size 160x80"
                + " --count 24 --seed 5 --format raw,cityscapes,coco,kitti,depth --split"
                + " train=0.7,val=0.299999,spare=0.000001 --shard 2/3 --out " + dir.resolve("shard2"));
        assertThat(dir.resolve("m5")).doesNotExist();
        assertThat(mendsOne(dir.resolve("shard2"), "--shard", "2/3")).isEqualTo("sample " + last.get("index").asLong()
                + "'s " + lost + " is missing");
        Cli.Result damaged = Cli.run("merge", "--out", dir.resolve("m5").toString(), dir.resolve("shard0").toString(),
                copied.toString(), dir.resolve("shard2").toString());
        assertThat(damaged.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(damaged.err()).contains("shard 1/3 (" + copied + "): sample 1's "
                + copied.relativize(damagedCopy) + " is not the file its manifest records (SHA-256)");
        assertThat(mendsOne(copied, "--shard", "1/3")).isEqualTo("sample 1's " + copied.relativize(damagedCopy)
                + " is not the file its manifest records (SHA-256)");
        Cli.Result redone = Cli.run("merge", "--quiet", "--out", dir.resolve("m5").toString(),
                dir.resolve("shard0").toString(), copied.toString(), dir.resolve("shard2").toString());
        assertThat(redone.code()).as(redone.err()).isZero();
        assertThat(files(dir.resolve("m5"))).isEqualTo(files(whole));
        // A shard whose scene file changed its class table between the shards' runs is not the same dataset.
        Files.writeString(dir.resolve("shard1/labels.json"), "{\"labels\": []}\n");
        StringWriter err3 = new StringWriter();
        CommandLine cl3 = Main.commandLine();
        cl3.setErr(new PrintWriter(err3));
        assertThat(cl3.execute("merge", "--out", dir.resolve("m3").toString(), dir.resolve("shard0").toString(),
                dir.resolve("shard1").toString(), dir.resolve("shard2").toString())).isEqualTo(Main.EXIT_USAGE);
        assertThat(err3.toString()).contains("shard1 has another class table (labels.json) than ");
    }

    @Test
    void aShardWithNoSamplesHasAnEmptyManifestAndMergesWithTheOthers(@TempDir Path dir) throws Exception {
        // Two samples in three shards: shard 2 has none to make (a job with more shards than samples).
        String[] small = {"--count", "2", "--size", "96x48", "--seed", "5", "--format", "cityscapes,coco",
                "--split", "train=0.5,val=0.5", "--quiet"};
        Cli.Result whole = Cli.run(concat(new String[] {"generate", "--out", dir.resolve("whole").toString()}, small));
        assertThat(whole.code()).as(whole.err()).isZero();
        List<String> shards = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            Path shard = dir.resolve("shard" + k);
            Cli.Result r = Cli.run(concat(new String[] {"generate", "--out", shard.toString(), "--shard", k + "/3"}, small));
            assertThat(r.code()).as(r.err()).isZero();
            shards.add(shard.toString());
        }
        assertThat(dir.resolve("shard2/manifest.jsonl")).exists().isEmptyFile();
        Path merged = dir.resolve("merged");
        Cli.Result m = Cli.run(concat(new String[] {"merge", "--quiet", "--out", merged.toString()}, shards.toArray(String[]::new)));
        assertThat(m.code()).as(m.err()).isZero();
        assertThat(files(merged)).isEqualTo(files(dir.resolve("whole")));
        assertThat(directories(merged)).isEqualTo(directories(dir.resolve("whole")));
    }

    /**
     * Runs {@link #ARGS} into {@code whole}, then as shards 0/2 and 1/2 into {@code dir/shard0} and {@code dir/shard1}.
     */
    private static List<Path> wholeAndHalves(Path whole, Path dir) {
        assertThat(run(whole)).isZero();
        List<Path> shards = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            Path shard = dir.resolve("shard" + k);
            assertThat(run(shard, "--shard", k + "/2")).isZero();
            shards.add(shard);
        }
        return shards;
    }

    private static String[] concat(String[] a, String... b) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(a), java.util.Arrays.stream(b)).toArray(String[]::new);
    }

    @Test
    void mergeLinksFilesOnOneFileSystemAndRefusesToLinkAcrossThem(@TempDir Path dir) throws Exception {
        Path whole = dir.resolve("whole");
        List<Path> shards = wholeAndHalves(whole, dir);
        List<String> shardArgs = shards.stream().map(Path::toString).toList();
        // Linked: the same bytes as copies, no more space (every sample file has a second link).
        Path linked = dir.resolve("linked");
        Cli.Result r = Cli.run(Stream.concat(Stream.of("merge", "--link", "--out", linked.toString()),
                shardArgs.stream()).toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("(files linked)");
        assertThat(differing(files(linked), files(whole))).isEmpty();
        assertThat((int) Files.getAttribute(linked.resolve("frames/000003_rgb.npy"), "unix:nlink")).isEqualTo(2);

        // Links cannot cross file systems: such a merge is refused before anything is merged, naming the shard
        // and the reason (exit 2); merged by copying instead, into the same folder, it is the whole run. (A merge
        // stopped halfway, and continued, is FullDiskTest's.)
        Path shm = Path.of("/dev/shm");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(shm)
                && !Files.getFileStore(shm).equals(Files.getFileStore(dir)), "needs /dev/shm on another file system");
        Path elsewhere = Files.createTempDirectory(shm, "roadsynth-merge-test");
        try {
            Path out = elsewhere.resolve("merged");
            Cli.Result refused = Cli.run(Stream.concat(Stream.of("merge", "--link", "--out", out.toString()),
                    shardArgs.stream()).toArray(String[]::new));
            assertThat(refused.code()).isEqualTo(Main.EXIT_USAGE);
            assertThat(refused.err().strip()).isEqualTo("roadsynth: --link: " + shardArgs.get(0) + "'s files cannot be"
                    + " hard-linked into " + out + " (Invalid cross-device link): links need one file system; merge by"
                    + " copying instead (without --link)");
            assertThat(out.resolve(ShardMerge.MERGING)).doesNotExist();
            try (Stream<Path> left = Files.list(out)) {
                assertThat(left.map(p -> p.getFileName().toString())).as("nothing merged, no probe left")
                        .containsOnly(dev.roadsynth.core.dataset.OutputLock.FILE);
            }
            Cli.Result copied = Cli.run(Stream.concat(Stream.of("merge", "--out", out.toString()),
                    shardArgs.stream()).toArray(String[]::new));
            assertThat(copied.code()).as(copied.err()).isZero();
            assertThat(differing(files(out), files(whole))).isEmpty();

            // A split's own join (generate --processes) links where it can and copies where not: there a file
            // system without hard links (the parts lie in OUT); here across file systems, each file copied.
            Path joined = elsewhere.resolve("joined");
            ShardMerge.of(shards).into(joined, ShardMerge.Transfer.LINK_OR_COPY, n -> { });
            assertThat(differing(files(joined), files(whole))).isEmpty();
            assertThat((int) Files.getAttribute(joined.resolve("frames/000003_rgb.npy"), "unix:nlink")).isEqualTo(1);
            Path joinedHere = dir.resolve("joined");
            ShardMerge.of(shards).into(joinedHere, ShardMerge.Transfer.LINK_OR_COPY, n -> { });
            assertThat(differing(files(joinedHere), files(whole))).isEmpty();
            assertThat((int) Files.getAttribute(joinedHere.resolve("frames/000003_rgb.npy"), "unix:nlink"))
                    .as("linked on one file system").isEqualTo(3);
        } finally {
            try (Stream<Path> s = Files.walk(elsewhere)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * A merge stopped halfway, whose process was killed while it wrote a file (found by a kill-and-rerun soak of
     * {@code generate --processes 2}: an empty {@code coco/annotations/.instances_val.json.*.tmp} left in a finished
     * dataset), continues to the whole run with no temporary file left; so does one killed while it wrote its marker
     * (a soak of {@code merge}: the rerun was refused).
     */
    @Test
    void aMergeContinuedAfterAKillLeavesNoTemporaryFiles(@TempDir Path dir) throws Exception {
        Path whole = dir.resolve("whole");
        List<Path> shards = wholeAndHalves(whole, dir);
        Path out = dir.resolve("merged");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ShardMerge.of(shards).into(out,
                ShardMerge.Transfer.COPY, n -> {
                    if (n == 10) {
                        throw new IllegalStateException("stopped after 10 files");
                    }
                })).hasMessage("stopped after 10 files");
        assertThat(out.resolve(ShardMerge.MERGING)).exists();
        // What a kill during AtomicFiles.write leaves: the temporary file beside its target, whole or not.
        List<Path> left = List.of(
                dev.roadsynth.core.io.AtomicFiles.temporaryFor(out.resolve("coco/annotations/instances_val.json")),
                dev.roadsynth.core.io.AtomicFiles.temporaryFor(out.resolve("manifest.jsonl")));
        for (Path t : left) {
            Files.createDirectories(t.getParent());
            Files.writeString(t, "half");
        }
        Cli.Result r = Cli.run(Stream.concat(Stream.of("merge", "--quiet", "--out", out.toString()),
                shards.stream().map(Path::toString)).toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(left).allSatisfy(t -> assertThat(t).doesNotExist());
        assertThat(differing(files(out), files(whole))).isEmpty();

        // Killed before its marker was in place (the soak again: "not a merge of these shards that stopped
        // halfway"), the output holds the lock and the marker's temporary file: the rerun merges.
        Path early = dir.resolve("early");
        Files.createDirectories(early);
        Files.writeString(early.resolve(OutputLock.FILE), "");
        Path marker = dev.roadsynth.core.io.AtomicFiles.temporaryFor(early.resolve(ShardMerge.MERGING));
        Files.writeString(marker, "{\"shards\"");
        Cli.Result again = Cli.run(Stream.concat(Stream.of("merge", "--quiet", "--out", early.toString()),
                shards.stream().map(Path::toString)).toArray(String[]::new));
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(marker).doesNotExist();
        assertThat(differing(files(early), files(whole))).isEmpty();
    }

    @Test
    void aDamagedRunRecordIsNamedAndTheRerunAfterDeletingItResumes(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        assertThat(run(out)).isZero();
        Map<String, String> before = files(out);
        for (String damaged : new String[] {"", "{\"version"}) {
            Files.writeString(out.resolve("run.json"), damaged);
            Cli.Result r = Cli.run(java.util.stream.Stream.concat(Stream.of("generate", "--out", out.toString()),
                    Stream.of(ARGS)).toArray(String[]::new));
            assertThat(r.code()).isEqualTo(Main.EXIT_FAILURE);
            assertThat(r.err().strip()).isEqualTo("roadsynth: " + out.resolve("run.json") + " is not a run record (empty"
                    + " or cut short, as a power loss can leave it); if this command made " + out + ", delete "
                    + out.resolve("run.json") + " and rerun it to resume");
        }
        Files.delete(out.resolve("run.json"));
        Cli.Result r = Cli.run(java.util.stream.Stream.concat(Stream.of("generate", "--out", out.toString()),
                Stream.of(ARGS)).toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(files(out)).isEqualTo(before);
    }

    /**
     * A scene file edited after a run began (its text, or the class table it names) is another dataset: the rerun is
     * refused, naming the file, before anything is written; with the file as it was, the rerun resumes. A change
     * that leaves the class table as it was (a comment in the table's file) is no change.
     */
    @Test
    void aRunIsNotResumedFromAnEditedSceneFileOrClassTable(@TempDir Path dir) throws Exception {
        Path examples = Path.of("..", "examples");
        Path scene = dir.resolve("scene.yaml");
        Files.copy(examples.resolve("custom-labels.yaml"), scene);
        Files.createDirectories(dir.resolve("labels"));
        Path table = dir.resolve("labels/driving-minimal.yaml");
        Files.copy(examples.resolve("labels/driving-minimal.yaml"), table);
        Path out = dir.resolve("out");
        String[] args = {"generate", scene.toString(), "--out", out.toString(), "--count", "2", "--size", "96x48",
                "--format", "raw", "--quiet"};
        assertThat(Cli.run(args).code()).isZero();
        Map<String, String> made = files(out);
        String sceneText = Files.readString(scene);
        String tableText = Files.readString(table);
        String[][] edits = {
                {scene.toString(), sceneText.replace("name: custom-labels", "name: custom-labels-2")},
                {table.toString(), tableText.replace("color: [128, 64, 128]", "color: [128, 64, 129]")}};
        for (String[] edit : edits) {
            Files.writeString(Path.of(edit[0]), edit[1]);
            Cli.Result r = Cli.run(args);
            assertThat(r.code()).as(edit[0]).isEqualTo(Main.EXIT_USAGE);
            assertThat(r.err()).as(edit[0]).startsWith("roadsynth: " + out + " holds a run made from " + scene
                    + " (or the class table it names), changed since (sha256 ").contains("restore the file to resume");
            assertThat(files(out)).isEqualTo(made);
            Files.writeString(scene, sceneText);
            Files.writeString(table, tableText);
        }
        Files.writeString(table, "# a comment changes no class\n" + tableText);
        assertThat(Cli.run(args).code()).isZero();
        assertThat(files(out)).isEqualTo(made);
    }

    @Test
    void aSecondJobIsLockedOutAndToldWhichProcessHoldsTheDirectory(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        try (RunState held = RunState.open(out, dev.roadsynth.core.dataset.Manifest.ordered("test", 1), m -> true)) {
            CommandLine cl = Main.commandLine();
            StringWriter err = new StringWriter();
            cl.setOut(new PrintWriter(new StringWriter()));
            cl.setErr(new PrintWriter(err));
            int code = cl.execute("generate", "--out", out.toString(), "--count", "1", "--size", "64x32");
            assertThat(code).isEqualTo(Main.EXIT_FAILURE);
            // The machine too: on a shared file system the holder may run on another one.
            String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            assertThat(host).as("this machine's name").isNotEmpty();
            assertThat(err.toString().strip()).isEqualTo("roadsynth: another roadsynth job (process "
                    + ProcessHandle.current().pid() + " on " + host + ") is writing into " + out
                    + "; wait for it to finish or choose another output directory");
            assertThat(Files.readString(out.resolve(OutputLock.FILE))).isEqualTo(ProcessHandle.current().pid() + "@" + host);
        }
    }

    /**
     * Shards drawn by different rasterizers merge, and the merge says so, naming each with its samples and shards;
     * shards drawn by one say nothing.
     */
    @Test
    void mergingShardsOfDifferentRasterizersSaysSo(@TempDir Path dir) throws Exception {
        List<String> shards = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            Path shard = dir.resolve("shard" + k);
            Cli.Result r = Cli.run("generate", "--out", shard.toString(), "--shard", k + "/3", "--size", "96x48",
                    "--format", "raw", "--count", "7", "--quiet");
            assertThat(r.code()).as(r.err()).isZero();
            shards.add(shard.toString());
        }
        Cli.Result same = Cli.run(Stream.concat(Stream.of("merge", "--quiet", "--out", dir.resolve("m1").toString()),
                shards.stream()).toArray(String[]::new));
        assertThat(same.code()).as(same.err()).isZero();
        assertThat(same.err()).as("one rasterizer").isEmpty();
        // As if shards 0 and 2 had run on a GPU box (3 and 2 of the 7 samples).
        Path m0 = dir.resolve("shard0/manifest.jsonl");
        String ours = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readAllLines(m0).get(0))
                .get("renderer").asText();
        String gpu = "NVIDIA H100 80GB HBM3/PCIe/SSE2, OpenGL 4.5.0 NVIDIA 580.159.04, reversed float depth";
        for (String k : List.of("shard0", "shard2")) {
            Path m = dir.resolve(k).resolve("manifest.jsonl");
            Files.writeString(m, Files.readString(m).replace(ours, gpu));
        }
        Cli.Result mixed = Cli.run(Stream.concat(Stream.of("merge", "--quiet", "--out", dir.resolve("m2").toString()),
                shards.stream()).toArray(String[]::new));
        assertThat(mixed.code()).as(mixed.err()).isZero();
        assertThat(mixed.err()).isEqualTo("roadsynth: note: the shards' samples were drawn by 2 rasterizers: "
                + gpu + " (5 samples in " + shards.get(0) + ", " + shards.get(2) + "); "
                + ours + " (2 samples in " + shards.get(1) + "); where two surfaces lie too close to call, their labels"
                + " may differ from what one run on any of them gives" + System.lineSeparator());
        assertThat(Files.readAllLines(dir.resolve("m2/manifest.jsonl"))).hasSize(7);
    }

    /**
     * A run resumed where another rasterizer drew the samples kept says so (their labels may differ from this run's
     * at pixels too close to call), naming both; one resumed on the same rasterizer says nothing.
     */
    @Test
    void resumingOnAnotherRasterizerSaysSo(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("o");
        String[] args = {"generate", "--out", out.toString(), "--size", "160x80", "--format", "raw", "--count", "5",
                "--quiet"};
        Cli.Result first = Cli.run(args);
        assertThat(first.code()).as(first.err()).isZero();
        Path manifest = out.resolve("manifest.jsonl");
        List<String> lines = Files.readAllLines(manifest);
        String ours = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.get(0)).get("renderer").asText();
        // Stopped after three samples (their lines are what a stop leaves), rerun on the same rasterizer: nothing said.
        Files.write(manifest, lines.subList(0, 3));
        Cli.Result same = Cli.run(args);
        assertThat(same.code()).isZero();
        assertThat(same.err()).as("resumed on the same rasterizer").isEmpty();
        // As if the first three had been drawn on a GPU: their lines name another rasterizer.
        String gpu = "NVIDIA H100 80GB HBM3/PCIe/SSE2, OpenGL 4.5.0 NVIDIA 580.159.04, reversed float depth";
        List<String> mixed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            mixed.add(lines.get(i).replace(ours, gpu));
        }
        Files.write(manifest, mixed);
        Cli.Result other = Cli.run(args);
        assertThat(other.code()).as(other.err()).isZero();
        assertThat(other.err()).isEqualTo("roadsynth: note: of the 3 samples kept from an earlier run, some were drawn by "
                + gpu + "; this run draws with " + ours
                + "; where two surfaces lie too close to call, their labels may differ from this run's" + System.lineSeparator());
        List<String> after = Files.readAllLines(manifest);
        assertThat(after).hasSize(5);
        assertThat(after.get(4)).contains("\"renderer\":\"" + ours + "\"");
    }
}
