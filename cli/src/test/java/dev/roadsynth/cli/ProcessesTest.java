package dev.roadsynth.cli;

import static dev.roadsynth.cli.ResumeTest.directories;
import static dev.roadsynth.cli.ResumeTest.files;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roadsynth.core.dataset.RunState;
import dev.roadsynth.core.dataset.ShardMerge;
import dev.roadsynth.renderer.Renderer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code generate --processes}: the same files as one process writes, alone and as a shard; the processes stop when
 * the one that started them dies, and the rerun finishes the run to the same bytes; another number of processes, a
 * failing process and options that do not go with it are said as such.
 */
class ProcessesTest {
    private static final List<String> ARGS = List.of("--count", "24", "--size", "160x80", "--seed", "5", "--threads", "2",
            "--format", "raw,cityscapes,coco,kitti,depth", "--split", "train=0.7,val=0.299999,spare=0.000001", "--quiet");

    /** {@link #ARGS} but {@code --quiet}: the device line, progress and the summary. */
    private static final List<String> LOUD = ARGS.stream().filter(a -> !a.equals("--quiet")).toList();

    /**
     * Starts {@code generate --out out --processes 2} with {@code args} in another JVM (given {@code jvmOptions}),
     * its output into {@code log}.
     */
    private static Process startSplit(Path out, List<String> args, Path log, String... jvmOptions) throws Exception {
        return startSplit(out, args, log, java.util.Map.of(), jvmOptions);
    }

    /** As {@link #startSplit(Path, List, Path, String...)}, with {@code env} added to the JVM's environment. */
    private static Process startSplit(Path out, List<String> args, Path log, java.util.Map<String, String> env,
                                      String... jvmOptions) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("generate", "--out", out.toString(), "--processes", "2"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(Cli.inAnotherJvm(List.of(jvmOptions), cmd)).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    /** A free port on the loopback address, for a debugger's or the JMX agent to listen on. */
    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return free.getLocalPort();
        }
    }

    /** Waits until the parts under {@code split} list 3 samples, or {@code p} ended, or a minute passed. */
    private static void waitForThreeSamples(Path split, Process p) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline && p.isAlive() && lines(split.resolve(ShardMerge.PARTS)) < 3) {
            Thread.sleep(20);
        }
    }

    private static Cli.Result generate(Path out, String... extra) {
        return generate(ARGS, out, extra);
    }

    private static Cli.Result generate(List<String> common, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("generate", "--out", out.toString()));
        args.addAll(common);
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void aRunInTwoProcessesWritesWhatOneProcessWrites(@TempDir Path dir) throws Exception {
        Path one = dir.resolve("one");
        Path two = dir.resolve("two");
        assertThat(generate(one).code()).isZero();
        Cli.Result r = generate(two, "--processes", "2");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(files(two)).isEqualTo(files(one));
        assertThat(directories(two)).isEqualTo(directories(one)); // the parts' folder gone, the empty split's there
        assertThat(two.resolve(RunState.TRUST_FILE)).as("a rerun need not hash what the processes wrote").exists();
        // Rerun: nothing to do, nothing touched; said to go on in one process.
        Cli.Result again = generate(LOUD, two, "--processes", "2");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.err()).contains("roadsynth: note: " + two + " holds a run's output already (one process's,"
                + " or a split's joined): it goes on in one process; --processes splits new runs");
        assertThat(again.out()).contains("24 were done before");
        assertThat(files(two)).isEqualTo(files(one));
    }

    @Test
    void aShardInProcessesIsTheShardOneProcessWrites(@TempDir Path dir) throws Exception {
        Path one = dir.resolve("one");
        Path three = dir.resolve("three");
        assertThat(generate(one, "--shard", "1/3").code()).isZero();
        // Not quiet: the device once (all three render on the one llvmpipe), the summary with the processes' count.
        Cli.Result r = generate(LOUD, three, "--shard", "1/3",
                "--processes", "3");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().lines().filter(l -> l.startsWith("rendering with ")).count()).as(r.out()).isOne();
        assertThat(r.out()).containsPattern("wrote 8 samples to .* with 3 processes");
        assertThat(files(three)).isEqualTo(files(one)).anySatisfy((name, hash) ->
                assertThat(name).startsWith("coco/annotations/.parts/")); // kept for the merge of all shards
    }

    @Test
    void processesStopWhenTheirParentDiesAndTheRerunFinishesTheRun(@TempDir Path dir) throws Exception {
        Path one = dir.resolve("one");
        Path split = dir.resolve("split");
        assertThat(generate(one).code()).isZero();
        Process parent = startSplit(split, ARGS, dir.resolve("log"));
        Path parts = split.resolve(ShardMerge.PARTS);
        waitForThreeSamples(split, parent);
        assertThat(parent.isAlive()).as(Files.readString(dir.resolve("log"))).isTrue();
        List<ProcessHandle> children = parent.toHandle().children().toList();
        assertThat(children).hasSize(2);
        // Each process told where --gpu auto begins among the GPUs (its own turn) and its share of llvmpipe's threads.
        List<String> turns = new ArrayList<>();
        for (ProcessHandle c : children) {
            List<String> env = List.of(new String(Files.readAllBytes(Path.of("/proc", Long.toString(c.pid()), "environ")))
                    .split("\0"));
            env.stream().filter(e -> e.startsWith(Renderer.GPU_TURN + "=")).forEach(turns::add);
            assertThat(env).contains("LP_NUM_THREADS=" + Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
            // Its command: native access granted (as the jar's manifest grants `java -jar`: Java 24 and later warn
            // without it), the run's options, the split's own.
            List<String> args = List.of(new String(Files.readAllBytes(Path.of("/proc", Long.toString(c.pid()), "cmdline")))
                    .split("\0"));
            assertThat(args).contains("--enable-native-access=ALL-UNNAMED", "--seed", "5", "--parent-pid",
                    Long.toString(parent.pid())).doesNotContain("--processes");
            assertThat(args.get(args.indexOf("--shard") + 1)).matches("[01]/2");
        }
        assertThat(turns).containsExactlyInAnyOrder(Renderer.GPU_TURN + "=0", Renderer.GPU_TURN + "=1");
        parent.destroyForcibly(); // SIGKILL: no hook of its own runs
        for (ProcessHandle c : children) {
            assertThat(c.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS).isAlive()).isFalse();
        }
        assertThat(lines(parts)).isBetween(3L, 23L); // stopped midway, samples done kept

        Cli.Result other = generate(split, "--processes", "3");
        assertThat(other.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(other.err()).contains(split + " holds the parts of a run split over 2 processes; rerun it with"
                + " --processes 2 to finish it");
        Cli.Result alone = generate(split);
        assertThat(alone.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(alone.err()).contains("rerun it with --processes 2");
        // Nor may a merge of other shards go there: the split's parts would later be taken for a finished split's.
        Cli.Result merged = Cli.run("merge", "--out", split.toString(), one.toString());
        assertThat(merged.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(merged.err()).contains(split + " is not empty, and not a merge of these shards");

        Cli.Result rerun = generate(split, "--processes", "2");
        assertThat(rerun.code()).as(rerun.err()).isZero();
        assertThat(files(split)).isEqualTo(files(one));
        assertThat(directories(split)).isEqualTo(directories(one));
    }

    @Test
    void sigtermStopsTheProcessesAndSaysHowFarTheyGot(@TempDir Path dir) throws Exception {
        Path split = dir.resolve("split");
        Path log = dir.resolve("log");
        Process parent = startSplit(split, LOUD, log);
        Path parts = split.resolve(ShardMerge.PARTS);
        waitForThreeSamples(split, parent);
        List<ProcessHandle> children = parent.toHandle().children().toList();
        parent.destroy(); // SIGTERM, as Kubernetes and Slurm send
        assertThat(parent.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        String said = Files.readString(log);
        assertThat(parent.exitValue()).as(said).isEqualTo(143);
        assertThat(children).allSatisfy(c -> assertThat(c.isAlive()).isFalse());
        assertThat(said).contains("roadsynth: stopped with " + lines(parts) + " of 24 samples done; rerun the same"
                + " command to resume").doesNotContain("exited with code");
        assertThat(lines(parts)).isBetween(3L, 23L);
    }

    @Test
    void aFailingProcessStopsTheRunWithItsExitCodeAndItsWords(@TempDir Path dir) throws Exception {
        // The processes take the JVM's options: a bad renderer switch fails each as it opens its renderer.
        Path split = dir.resolve("split");
        Process parent = startSplit(split, ARGS, dir.resolve("log"), "-Droadsynth.glYield=sometimes");
        assertThat(parent.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        String said = Files.readString(dir.resolve("log"));
        assertThat(parent.exitValue()).as(said).isEqualTo(Main.EXIT_NO_RENDERER);
        assertThat(said).contains("roadsynth: system property roadsynth.glYield is 'sometimes'")
                .containsPattern("roadsynth: process [01] of 2 \\(.*\\) exited with code 3; the others stopped");
    }

    @Test
    void aDebuggerAgentAndLogFilesDoNotClashBetweenTheProcesses(@TempDir Path dir) throws Exception {
        // Each process would listen on the debugger's port (all but the first exiting at once) and write the one log.
        String agent = "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:" + freePort();
        Path split = dir.resolve("split");
        Process parent = startSplit(split, LOUD, dir.resolve("log"), agent,
                "-Xlog:gc:file=" + dir.resolve("gc.log") + ":uptime");
        assertThat(parent.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        String said = Files.readString(dir.resolve("log"));
        assertThat(parent.exitValue()).as(said).isZero();
        assertThat(said).contains("roadsynth: note: the processes run without this JVM's debugger agent (" + agent
                + "): each would listen on its address; this process keeps it");
        assertThat(Files.readString(split.resolve("manifest.jsonl")).lines()).hasSize(24);
        for (String log : List.of("gc.log", "gc-process0.log", "gc-process1.log")) {
            assertThat(dir.resolve(log)).as(log).isNotEmptyFile();
        }
    }

    @Test
    void aJmxPortStaysWithTheStartingProcess(@TempDir Path dir) throws Exception {
        // Given to the processes too, the port the starting JVM has bound made each exit at its start (exit 1).
        String port = "-Dcom.sun.management.jmxremote.port=" + freePort();
        Path split = dir.resolve("split");
        Process parent = startSplit(split, LOUD, dir.resolve("log"), port,
                "-Dcom.sun.management.jmxremote.authenticate=false", "-Dcom.sun.management.jmxremote.ssl=false");
        assertThat(parent.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        String said = Files.readString(dir.resolve("log"));
        assertThat(parent.exitValue()).as(said).isZero();
        assertThat(said).contains("roadsynth: note: the processes run without this JVM's JMX port (" + port + ")");
        assertThat(Files.readString(split.resolve("manifest.jsonl")).lines()).hasSize(24);
    }

    /**
     * The same options given in JAVA_TOOL_OPTIONS, as containers and monitoring agents give them: the JVM counts them
     * among its input arguments, which the processes get on their command lines made their own; inherited too, the
     * debugger made every process but one exit (exit 2), and the log was written by all.
     */
    @Test
    void optionsFromTheEnvironmentReachTheProcessesOnceAndAsTheirOwn(@TempDir Path dir) throws Exception {
        String agent = "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:" + freePort();
        Path split = dir.resolve("split");
        Process parent = startSplit(split, LOUD, dir.resolve("log"),
                java.util.Map.of("JAVA_TOOL_OPTIONS", agent + " -Xlog:gc:" + dir.resolve("gc.log")));
        assertThat(parent.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        String said = Files.readString(dir.resolve("log"));
        assertThat(parent.exitValue()).as(said).isZero();
        assertThat(said).contains("roadsynth: note: the processes run without this JVM's debugger agent (" + agent);
        assertThat(Files.readString(split.resolve("manifest.jsonl")).lines()).hasSize(24);
        for (String log : List.of("gc.log", "gc-process0.log", "gc-process1.log")) {
            assertThat(dir.resolve(log)).as(log).isNotEmptyFile();
        }
    }

    @Test
    void aBadGpuTurnIsSaidAsSuch() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Cli.inAnotherJvm(List.of(), List.of("devices"))).redirectErrorStream(true);
        pb.environment().put(Renderer.GPU_TURN, "first");
        Process p = pb.start();
        String said = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(said).isEqualTo(Main.EXIT_NO_RENDERER);
        assertThat(said).contains("environment variable ROADSYNTH_GPU_TURN is 'first'; want a whole number, 0 or more");
    }

    @Test
    void optionsThatDoNotGoWithProcessesAreRefused(@TempDir Path dir) {
        Cli.Result timed = generate(dir.resolve("a"), "--processes", "2", "--timings");
        assertThat(timed.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(timed.err()).contains("--timings: not with --processes");
        Cli.Result none = generate(dir.resolve("b"), "--processes", "0");
        assertThat(none.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(none.err()).contains("--processes: 0; want 1 or more");
        assertThat(dir.resolve("a")).doesNotExist();
        assertThat(dir.resolve("b")).doesNotExist();
    }

    /** Manifest lines the parts' manifests hold. */
    private static long lines(Path parts) throws Exception {
        if (!Files.isDirectory(parts)) {
            return 0;
        }
        long n = 0;
        try (Stream<Path> s = Files.list(parts)) {
            for (Path p : s.toList()) {
                Path m = p.resolve("manifest.jsonl");
                if (Files.exists(m)) {
                    n += Files.readAllLines(m).size();
                }
            }
        }
        return n;
    }
}
