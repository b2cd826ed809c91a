package dev.roadsynth.generate;

import dev.roadsynth.core.batch.RunListener;
import dev.roadsynth.core.dataset.OutputLock;
import dev.roadsynth.core.dataset.RunState;
import dev.roadsynth.core.dataset.ShardMerge;
import dev.roadsynth.core.dataset.Shards;
import dev.roadsynth.core.io.FileTrees;
import dev.roadsynth.renderer.Renderer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One run made by several processes at once on one machine ({@code generate --processes P}): process j of P makes
 * shard {@code K + N j} of {@code N P} of the run ({@code K/N} the run's own shard, 0/1 unsharded; sample i is in
 * shard i mod N, so these hold exactly the run's samples) into {@code OUT/}{@value ShardMerge#PARTS}{@code /j}; when
 * all have ended well their outputs are merged into OUT ({@link ShardMerge}, by hard links, no copies, but where
 * OUT's file system has none) and the folder is removed, so that OUT then holds what one process writes, byte for byte.
 *
 * <p>Why: where one process's render thread sets the pace, several render threads get further. On NVIDIA two
 * processes on one GPU made 292.8 samples/s where one made 263.2 (an H200, 10,000 samples, session 25): the driver's
 * time per frame on each render thread partly overlaps. On Mesa's llvmpipe the rasterizer's threads take every core
 * but the vertex stage runs on the render thread, one core; each process here gets {@code LP_NUM_THREADS} set to its
 * share of the cores, unless the environment sets it. With {@code --gpu auto} on a machine with several GPUs, process
 * j begins its search at the j-th GPU (in CUDA's order, mod their number), so the processes spread over them.
 *
 * <p>Rerunning the same command resumes: each process its part, then the merge where it stopped. A rerun with another
 * number of processes is refused, naming the number the parts were made with. If one process fails, the others are
 * stopped (SIGTERM: they end after the samples in flight), and the run reports that process's exit code; processes
 * started here stop by themselves if this one dies ({@code --parent-pid}, the caller's to pass on).
 */
public final class ProcessSplit {
    /** How often the parts' progress is read, milliseconds. */
    private static final long POLL_MILLIS = 200;

    /** How a process of a split begins the line that says what it found done in its part ({@link #partLine}). */
    private static final String PART_LINE = "roadsynth-part: making ";

    /**
     * The line a process of a split writes to its stdout once it has checked its part, before it makes anything:
     * {@code done} samples found whole there, {@code toMake} to make. The split reads it (and passes no such line on)
     * to count the run's progress from what the processes found, not from their manifests as they were before.
     */
    public static String partLine(long done, long toMake) {
        return PART_LINE + done + " " + toMake;
    }
    /** How long stopped processes get to end after the samples in flight, seconds. */
    private static final long STOP_WAIT_SECONDS = 60;

    private final Plan plan;
    private final int processes;
    private final List<Process> started = new ArrayList<>();
    private volatile boolean stopping;

    /**
     * What the run did: samples made and done before; the first process that failed (-1: none) and its exit code;
     * whether a signal stopped it. Merged where neither.
     */
    public record Outcome(long made, long doneBefore, int failedProcess, int exitCode, boolean stopped) {
    }

    private ProcessSplit(Plan plan, int processes) {
        this.plan = plan;
        this.processes = processes;
    }

    /**
     * A split of {@code plan} over {@code processes} processes (at least 2).
     *
     * @throws IllegalArgumentException where the plan's output holds the parts of a run split over another number
     *                                  of processes, or something else than such parts or a run's output
     */
    public static ProcessSplit of(Plan plan, int processes) throws IOException {
        if (processes < 2) {
            throw new IllegalArgumentException("--processes: " + processes + "; a split needs 2 or more");
        }
        if (!Files.exists(plan.out().resolve(ShardMerge.MERGING))) { // else the merge of a split, stopped halfway
            RunState.requireRunOrEmpty(plan.out()); // before any process starts: a folder of other things is refused
        }
        requireSameSplit(plan.out(), plan.shards(), processes);
        return new ProcessSplit(plan, processes);
    }

    /**
     * Refuses to go on, in {@code processes} processes (1: without a split), with a run that {@code out} holds the
     * parts of, made with another number of processes ({@link #splitBefore}).
     *
     * @throws IllegalArgumentException naming the number to give
     */
    public static void requireSameSplit(Path out, int shards, int processes) throws IOException {
        OptionalInt before = splitBefore(out, shards);
        if (before.isPresent() && before.getAsInt() != processes) {
            throw new IllegalArgumentException(out + " holds the parts of a run split over " + before.getAsInt()
                    + " processes; rerun it with --processes " + before.getAsInt() + " to finish it");
        }
    }

    /**
     * Whether {@code out} holds a run's output that a split does not make: one made by a single process (finished
     * or not), or one a split already merged. Such a run goes on in one process.
     */
    public static boolean holdsRun(Path out) {
        return Files.exists(out.resolve("run.json")) && !Files.exists(out.resolve(ShardMerge.MERGING));
    }

    /**
     * Removes the parts a split left in {@code out} after it merged them (a process stopped between the merge and
     * the parts' removal); nothing where {@code out} does not {@linkplain #holdsRun hold a run}.
     */
    public static void dropMergedParts(Path out) throws IOException {
        if (holdsRun(out)) {
            FileTrees.delete(out.resolve(ShardMerge.PARTS));
        }
    }

    /**
     * The number of processes whose parts {@code out} holds ({@value ShardMerge#PARTS}) for a run of shard K of
     * {@code shards}, if it holds any: their shards are of N P.
     */
    static OptionalInt splitBefore(Path out, int shards) throws IOException {
        Path parts = out.resolve(ShardMerge.PARTS);
        if (!Files.isDirectory(parts)) {
            return OptionalInt.empty();
        }
        List<Path> folders;
        try (Stream<Path> s = Files.list(parts)) {
            folders = s.filter(Files::isDirectory).toList();
        }
        for (Path p : folders) {
            var record = RunState.record(p);
            int[] kn = record == null ? null : RunState.shardOf(record);
            if (kn != null) {
                return OptionalInt.of(Math.max(1, kn[1] / shards));
            }
        }
        return OptionalInt.of(folders.size()); // no part started writing: as many as there are folders
    }

    /**
     * What to tell the user of a run in one process that several would likely have made faster, or null: the render
     * thread set the pace (it waited for the writers less than a tenth of the run), while the process kept less than
     * three quarters of the cores busy, on a machine with 4 cores or more, over at least 20 s (a shorter run's pace is
     * its start's). Both ends measured: on an H200 box the render thread waited 4% of the time with 10.9 of 16 cores
     * busy, and two processes made 11% more samples a second (session 25); on a 2-core machine both cores are busy,
     * and two processes made fewer (session 26).
     *
     * @param renderWaited the share of the run the render thread waited for the writers (0 to 1)
     * @param coresBusy    the process's CPU time over the run's, in cores
     */
    public static String suggestion(double seconds, double renderWaited, double coresBusy, int cores) {
        if (cores < 4 || seconds < 20 || renderWaited >= 0.1 || coresBusy >= 0.75 * cores) {
            return null;
        }
        return String.format(java.util.Locale.ROOT, "the render thread set the pace (it waited for the writers %.0f%%"
                + " of the time) and %.1f of %d cores were busy: --processes 2 may make more samples a second here"
                + " (docs/running.md)", 100 * renderWaited, coresBusy, cores);
    }

    /** Process j's folder. */
    public Path part(int j) {
        return plan.out().resolve(ShardMerge.PARTS).resolve(Integer.toString(j));
    }

    private List<Path> parts() {
        List<Path> parts = new ArrayList<>();
        for (int j = 0; j < processes; j++) {
            parts.add(part(j));
        }
        return parts;
    }

    /** Process j's shard, as {@code --shard} takes it. */
    public String shard(int j) {
        return (plan.shard() + plan.shards() * j) + "/" + (plan.shards() * processes);
    }

    /** The whole command line of a quiet {@code roadsynth generate} that makes part {@code process} of a split. */
    @FunctionalInterface
    public interface Command {
        /** The command for process {@code process}, which makes shard {@code shard} ("K/N") into {@code part}. */
        List<String> of(int process, Path part, String shard);

        /**
         * Environment variables the processes start without, of this process's environment that they otherwise
         * inherit: for instance those whose options the commands carry already. None by default.
         */
        default java.util.Set<String> unset() {
            return java.util.Set.of();
        }
    }

    /**
     * Runs the split: starts the processes, each by {@code command}, tells {@code listener} what they found done
     * ({@link #partLine}) and the progress as the parts' manifests grow, {@code output} each line a process writes to stdout and {@code errors} each it writes
     * to stderr (from threads of their own), and merges the parts once all ended well.
     */
    public Outcome run(Command command, RunListener listener, Consumer<String> output,
                       Consumer<String> errors) throws IOException, InterruptedException {
        Objects.requireNonNull(listener, "listener");
        long total = Shards.indices(plan.count(), plan.only(), plan.shard(), plan.shards()).count();
        List<Path> parts = parts();
        long before;
        try (OutputLock lock = OutputLock.acquire(plan.out())) { // one job in OUT; the merge takes it again
            ManifestLines lines = new ManifestLines(parts);
            before = lines.count();
            // What each process found done in its part once it checked it ({@link #partLine}; -1 until it says):
            // the parts' manifests before then are no count of it, since checking cuts a part's manifest back to
            // the samples whose files are whole.
            java.util.concurrent.atomic.AtomicLongArray doneOf = new java.util.concurrent.atomic.AtomicLongArray(processes);
            for (int j = 0; j < processes; j++) {
                doneOf.set(j, -1);
            }
            List<Thread> pumps = new ArrayList<>();
            synchronized (started) {
                if (stopping) {
                    return new Outcome(0, before, -1, 0, true);
                }
                String rasterizers = Integer.toString(Math.max(1, Runtime.getRuntime().availableProcessors() / processes));
                for (int j = 0; j < processes; j++) {
                    Files.createDirectories(parts.get(j));
                    ProcessBuilder pb = new ProcessBuilder(command.of(j, parts.get(j), shard(j)));
                    command.unset().forEach(pb.environment()::remove);
                    pb.environment().putIfAbsent(Renderer.SOFTWARE_THREADS, rasterizers);
                    pb.environment().put(Renderer.GPU_TURN, Integer.toString(j)); // --gpu auto: process j begins at GPU j
                    Process p = pb.start();
                    started.add(p);
                    int process = j;
                    pumps.add(pump(p.getInputStream(), line -> {
                        if (line.startsWith(PART_LINE)) {
                            doneOf.set(process, Long.parseLong(line.substring(PART_LINE.length()).split(" ")[0]));
                        } else {
                            output.accept(line);
                        }
                    }));
                    pumps.add(pump(p.getErrorStream(), errors));
                }
            }
            // Told once every process has checked its part and said so, so that the counts are what they found and
            // a progress line's rate does not count their JVMs' start, as one process's does not. Commits are told
            // only after: one process can commit samples while another's JVM still starts (more processes than
            // cores, a loaded machine), and a listener counts commits of what it was told is to be made.
            boolean told = false;
            long reported = 0;
            int failed = -1;
            int code = 0;
            while (true) {
                boolean alive = false;
                boolean allSaid = true;
                for (int j = 0; j < processes; j++) {
                    Process p = started.get(j);
                    if (p.isAlive()) {
                        alive = true;
                    } else if (failed < 0 && !stopping && p.exitValue() != 0) { // not one a signal stopped
                        failed = j;
                        code = p.exitValue();
                        stop(); // the others end after their samples in flight
                    }
                    allSaid &= doneOf.get(j) >= 0 || !p.isAlive(); // one that ended without saying: its manifest
                }
                long now = lines.count();
                if (!told && allSaid) {
                    before = 0;
                    for (int j = 0; j < processes; j++) {
                        before += doneOf.get(j) >= 0 ? doneOf.get(j) : lines.count(j);
                    }
                    listener.making(before, total - before);
                    told = true;
                }
                for (; told && reported < now - before; reported++) {
                    listener.committed();
                }
                if (!alive) {
                    break;
                }
                Thread.sleep(POLL_MILLIS);
            }
            for (Thread t : pumps) {
                t.join(TimeUnit.SECONDS.toMillis(5));
            }
            if (failed >= 0 || stopping) {
                return new Outcome(Math.max(0, lines.count() - before), before, failed, code, stopping && failed < 0);
            }
        }
        // Each process wrote or checked its files in this boot (a rerun after a reboot hashes its part again before
        // it ends well), so the merge need not check them again, and records OUT's as whole in it, as one process
        // records its own.
        ShardMerge.ofCheckedParts(parts, plan.shard(), plan.shards()).into(plan.out(), ShardMerge.Transfer.LINK_OR_COPY, n -> { });
        FileTrees.delete(plan.out().resolve(ShardMerge.PARTS));
        return new Outcome(total - before, before, -1, 0, false);
    }

    /**
     * Stops the processes (SIGTERM: each ends after its samples in flight, its output resumable) and waits for them,
     * at most a minute; from any thread, a signal's hook among them. Returns the samples the parts then hold.
     */
    public long stopAndWait() throws IOException {
        stop();
        List<Process> all;
        synchronized (started) {
            all = List.copyOf(started);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_WAIT_SECONDS);
        for (Process p : all) {
            try {
                p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return new ManifestLines(parts()).count();
    }

    private void stop() {
        synchronized (started) {
            stopping = true;
            started.forEach(Process::destroy);
        }
    }

    /** Copies a process's stdout or stderr to {@code lines}, a line at a time, on a thread of its own. */
    private static Thread pump(InputStream in, Consumer<String> lines) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.accept(line);
                }
            } catch (IOException e) {
                // the process is gone
            }
        }, "roadsynth-process-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * The lines the parts' manifests hold, read as they grow: from where the last count ended, anew where a file was
     * replaced (a resumed part rewrites its manifest) or shrank.
     */
    private static final class ManifestLines {
        private final List<Path> files = new ArrayList<>();
        private final Object[] keys;
        private final long[] offsets;
        private final long[] lines;
        private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16);

        ManifestLines(List<Path> parts) {
            parts.forEach(p -> files.add(p.resolve("manifest.jsonl")));
            keys = new Object[files.size()];
            offsets = new long[files.size()];
            lines = new long[files.size()];
        }

        long count() throws IOException {
            long sum = 0;
            for (int i = 0; i < files.size(); i++) {
                sum += count(i);
            }
            return sum;
        }

        /** The lines of part {@code i}'s manifest. */
        long count(int i) throws IOException {
            Path f = files.get(i);
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(f, BasicFileAttributes.class);
            } catch (java.nio.file.NoSuchFileException e) {
                return lines[i] = 0;
            }
            if (!Objects.equals(a.fileKey(), keys[i]) || a.size() < offsets[i]) {
                keys[i] = a.fileKey();
                offsets[i] = 0;
                lines[i] = 0;
            }
            try (SeekableByteChannel ch = Files.newByteChannel(f)) {
                ch.position(offsets[i]);
                for (int n; (n = ch.read(buffer.clear())) > 0; ) {
                    for (int b = 0; b < n; b++) {
                        if (buffer.get(b) == '\n') {
                            lines[i]++;
                        }
                    }
                    offsets[i] += n;
                }
            } catch (java.nio.file.NoSuchFileException e) {
                return lines[i]; // replaced between the two calls: counted anew next time
            }
            return lines[i];
        }
    }
}
