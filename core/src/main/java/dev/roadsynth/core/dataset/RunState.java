package dev.roadsynth.core.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roadsynth.core.dataset.Manifest;
import dev.roadsynth.core.io.AtomicFiles;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An output directory's state across runs: the lock that keeps a second job out, the run's parameters
 * ({@code run.json}, so that a rerun continues the same dataset or refuses), and which samples are done: those
 * whose manifest line is complete and whose files are all there with the recorded SHA-256. Everything from the
 * first sample that is not done on is redone, so the manifest stays in sample order.
 *
 * <p>Hashing every file again is what makes a resume after a power loss safe (a file renamed into place can come
 * back empty or zero-filled when the system went down before writing it out), and it takes long: about 25 minutes
 * per million 1024x512 samples. A process that was merely stopped (Ctrl-C, {@code kill -9}, out of memory, a
 * pre-empted job) leaves every file it renamed into place whole in the kernel's page cache. So a run records in
 * {@link #TRUST_FILE} the system's boot id, its file system's mount ids and the output directory's identity (device
 * and inode) once every file its manifest lists is known whole; a rerun under the same boot and mount, in the same
 * directory, only checks that those files are there. After a reboot (a power loss included), a new mount of the
 * file system, or in a copy of the directory, it hashes them all.
 */
public final class RunState implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OutputLock lock;
    private final Done done;
    /** The sample count of the run this one extends, or -1 (see {@link #extendedFrom()}). */
    private final long extendedFrom;
    private final Path out;
    /** What {@link #TRUST_FILE} records for {@code out}, or null where it cannot be named. */
    private final String identity;
    /** What is left to settle of samples found damaged in place ({@link #toMend}), or null: nothing. */
    private Mend mend;

    private RunState(OutputLock lock, Done done, long extendedFrom, Path out, String identity, Mend mend) {
        this.lock = lock;
        this.done = done;
        this.extendedFrom = extendedFrom;
        this.out = out;
        this.identity = identity;
        this.mend = mend;
    }

    /**
     * Samples (or outputs) whose manifest lines are whole (and whose writers hold what they keep beside the files) but
     * whose files are not ({@code damaged}); those whose lines come after the first of them and are done
     * ({@code after}); the manifest's bytes before the first ({@code prefixBytes}), where it is cut if they are made
     * again otherwise than recorded; and what is wrong with the first.
     */
    private record Mend(Damaged damaged, Done after, long prefixBytes, String firstProblem) {
    }

    /**
     * What was found damaged in place, in manifest order, each with its line's {@link #lineKey}: sample indices (8
     * bytes each, ascending, as a generate manifest lists them), or other keys (augment's outputs).
     */
    private static final class Damaged {
        private final boolean indices;
        private final Longs index = new Longs();
        private final Map<String, Long> keys = new java.util.LinkedHashMap<>();
        private final Longs lineKeys = new Longs();

        Damaged(boolean indices) {
            this.indices = indices;
        }

        /** Whether {@code key} can follow what is here: a sample index above the last, or a key not yet here. */
        boolean takes(String key) {
            return indices ? index.size() == 0 || Long.parseLong(key) > index.last() : !keys.containsKey(key);
        }

        void add(String key, long lineKey) {
            if (indices) {
                index.add(Long.parseLong(key));
                lineKeys.add(lineKey);
            } else {
                keys.put(key, lineKey);
            }
        }

        int size() {
            return indices ? index.size() : keys.size();
        }

        /** The line key recorded for {@code key}, or null where it is not here. */
        Long lineKey(String key) {
            if (!indices) {
                return keys.get(key);
            }
            int k = index.find(Long.parseLong(key));
            return k < 0 ? null : lineKeys.get(k);
        }

        List<String> keys() {
            if (!indices) {
                return List.copyOf(keys.keySet());
            }
            List<String> out = new ArrayList<>(index.size());
            for (long i : index.toArray()) {
                out.add(Long.toString(i));
            }
            return out;
        }

        long[] indices() {
            return index.toArray();
        }

        /** Adds what is here to {@code done} (of the same kind). */
        void addTo(Done done) {
            if (indices) {
                for (int i = 0; i < index.size(); i++) {
                    done.add(index.get(i));
                }
            } else {
                keys.keySet().forEach(done::add);
            }
        }
    }

    /**
     * A manifest line's key for telling a sample made again from the recorded one: the first 64 bits of the SHA-256
     * of its bytes (8 bytes a damaged sample, where a whole dataset's may be damaged; not a defence against forgery).
     */
    private static long lineKey(byte[] line) {
        return Long.parseUnsignedLong(Manifest.sha256(line).substring(0, 16), 16);
    }

    /** A growing array of longs, 8 bytes each, for what a manifest of any length may hold one of per line. */
    private static final class Longs {
        private long[] values = new long[1024];
        private int n;

        /** Holding {@code values}, which it takes. */
        static Longs of(long[] values) {
            Longs l = new Longs();
            l.values = values;
            l.n = values.length;
            return l;
        }

        void add(long v) {
            if (n == values.length) {
                values = java.util.Arrays.copyOf(values, Math.max(1024, 2 * n)); // trimmed, perhaps to 0
            }
            values[n++] = v;
        }

        /** Gives back the room it holds beyond its values (until the next {@link #add}). */
        void trim() {
            values = java.util.Arrays.copyOf(values, n);
        }

        int size() {
            return n;
        }

        long last() {
            return values[n - 1];
        }

        long get(int k) {
            return values[k];
        }

        /** Where {@code v} is among the values, ascending; negative where it is not. */
        int find(long v) {
            return java.util.Arrays.binarySearch(values, 0, n, v);
        }

        long[] toArray() {
            return java.util.Arrays.copyOf(values, n);
        }
    }

    /**
     * Where a run makes its damaged samples again ({@link #toMend}) before their files replace the damaged ones: a
     * folder in the output directory, so that a file moves into place in one step; deleted by every {@link #open}.
     */
    public static final String MEND_FOLDER = ".roadsynth-mend";

    /**
     * Moves the files that {@code line} (a manifest line made again, {@link #asRecorded}) lists from {@code out}'s
     * {@link #MEND_FOLDER} over the damaged ones in {@code out}, each in one step.
     */
    public static void moveMended(Path out, String line) throws IOException {
        for (JsonNode f : JSON.readTree(line).get("files")) {
            String path = f.get("path").asText();
            Path target = out.resolve(path);
            Files.createDirectories(target.getParent());
            Files.move(out.resolve(MEND_FOLDER).resolve(path), target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * How a generate run goes on from an earlier one in its directory that asked for fewer samples, all else the
     * same: called under the lock, before the record is rewritten with the larger count, to make what the earlier
     * run finished continuable again ({@link DatasetWriter#reopen}). Must be safe to call again after an
     * interruption at any point: until it returns, the record still names the earlier count.
     */
    @FunctionalInterface
    public interface Extension {
        void reopen(long fromCount, long toCount) throws IOException;
    }

    /**
     * Locks {@code out}, checks or records the run's parameters, and reads which samples (manifest lines keyed by
     * their {@code index}) are done, truncating the manifest after the last sample that is. A sample is done when
     * its files hash as recorded (or, under the boot and mounts and in the directory that {@link #TRUST_FILE} names,
     * are there) and {@code intact} holds for its line (what writers keep beside those files).
     *
     * @throws IllegalStateException    when another job holds the lock (naming its process and machine)
     * @throws IllegalArgumentException when {@code out} holds a run with other parameters (naming them), another
     *                                  command's output, or other things than roadsynth's output
     */
    public static RunState open(Path out, Map<String, Object> parameters, java.util.function.Predicate<JsonNode> intact)
            throws IOException {
        return open(out, parameters, intact, n -> { });
    }

    /** As {@link #open(Path, Map, java.util.function.Predicate)}, telling {@code checked} how many lines it checked. */
    public static RunState open(Path out, Map<String, Object> parameters, java.util.function.Predicate<JsonNode> intact,
                         java.util.function.LongConsumer checked) throws IOException {
        return open(out, parameters, INDEX_KEY, intact, checked, null, false);
    }

    /**
     * As {@link #open(Path, Map, java.util.function.Predicate, java.util.function.LongConsumer)}, and a generate run
     * whose record differs from the earlier one's only by a larger {@code count} (and neither has {@code only})
     * extends it: {@code extension} reopens what the earlier run finished, then the record takes the new count. The
     * earlier samples are the same samples (each a function of the seed and its index, its split too), so the
     * extended run equals one that asked for the larger count from the start. A smaller count is refused.
     */
    public static RunState open(Path out, Map<String, Object> parameters, java.util.function.Predicate<JsonNode> intact,
                                java.util.function.LongConsumer checked, Extension extension) throws IOException {
        return open(out, parameters, INDEX_KEY, intact, checked, Objects.requireNonNull(extension, "extension"), true);
    }

    /** The key of a generate manifest line: its sample index. Done indices are kept as numbers (8 bytes each). */
    private static final java.util.function.Function<JsonNode, String> INDEX_KEY =
            line -> Long.toString(line.get("index").asLong());

    /**
     * As {@link #open(Path, Map, java.util.function.Predicate)}, for manifests whose lines are keyed otherwise
     * ({@code key} names what a line made, e.g. an augmented output's input name and copy); outputs damaged in place
     * are the caller's to make again ({@link #toMendKeys}).
     */
    public static RunState open(Path out, Map<String, Object> parameters, java.util.function.Function<JsonNode, String> key,
                         java.util.function.Predicate<JsonNode> intact, java.util.function.LongConsumer checked)
            throws IOException {
        return open(out, parameters, key, intact, checked, null, true);
    }

    /** @param mendable whether lines whole but with files that are not are left to the caller ({@link #toMend}) */
    private static RunState open(Path out, Map<String, Object> parameters, java.util.function.Function<JsonNode, String> key,
                                 java.util.function.Predicate<JsonNode> intact, java.util.function.LongConsumer checked,
                                 Extension extension, boolean mendable) throws IOException {
        requireRunOrEmpty(out);
        OutputLock lock = OutputLock.acquire(out);
        try {
            long extendedFrom = checkParameters(out, parameters, extension);
            removeTemporaries(out);
            dev.roadsynth.core.io.FileTrees.delete(out.resolve(MEND_FOLDER)); // a mend a kill stopped
            String identity = identity(out);
            boolean trusted = trusted(out, identity);
            Done done = new Done(key == INDEX_KEY);
            Mend mend = readDone(out, key, intact, checked, done, trusted, mendable);
            if (mend != null) {
                // Files the manifest lists are not whole, and the run rewrites them: until it settles (mended), no
                // record may say they are.
                distrust(out);
            } else if (!trusted) {
                // Every file the (truncated) manifest lists is now known whole in this boot: hashed just now.
                recordTrust(out, identity);
            }
            return new RunState(lock, done, extendedFrom, out, identity, mend);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * What a directory may hold for a new run to start in it without a run record: what roadsynth writes (a run
     * interrupted before its record, or one whose damaged record was deleted to resume it) and a fresh file system's
     * lost+found.
     */
    private static final Set<String> OURS = Set.of("cityscapes", "coco", "kitti", "depth", "frames", "images", "masks",
            "instances", "webdataset", "manifest.jsonl", "labels.json", OutputLock.FILE, "lost+found", RunState.TRUST_FILE,
            ShardMerge.PARTS, ShardMerge.MERGED, MEND_FOLDER);

    /**
     * The boot, mount and directory under which every file the manifest lists was last known whole (see the class
     * comment): {@code BOOT_ID MOUNT_IDS DEVICE:INODE}, one line.
     */
    public static final String TRUST_FILE = ".roadsynth-written";

    /** Linux's id of the current boot: a new random UUID at every start of the system. */
    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

    /** Linux's table of this process's mounts: mount id first, the file system's device (MAJOR:MINOR) third. */
    private static final Path MOUNTS = Path.of("/proc/self/mountinfo");

    /**
     * This boot, the mounts of {@code out}'s file system and {@code out}'s identity, as {@link #TRUST_FILE} holds
     * them, or null where any cannot be known (no boot id or mount table outside Linux; a file system without
     * inode numbers): then every resume hashes. The mount ids change when the file system is mounted again, as a
     * drive pulled out without unmounting (its unwritten files lost, the system still up) is when put back.
     */
    static String identity(Path out) {
        try {
            String boot = Files.readString(BOOT_ID, StandardCharsets.US_ASCII).strip();
            long dev = ((Number) Files.getAttribute(out, "unix:dev")).longValue();
            Object ino = Files.getAttribute(out, "unix:ino");
            // glibc's major() and minor() of a dev_t
            long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
            long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
            String device = major + ":" + minor;
            List<String> mounts = new ArrayList<>();
            for (String line : Files.readAllLines(MOUNTS, StandardCharsets.UTF_8)) {
                String[] f = line.split(" ");
                if (f.length > 2 && f[2].equals(device)) {
                    mounts.add(f[0]);
                }
            }
            return boot.isEmpty() || mounts.isEmpty() ? null
                    : boot + " " + String.join(",", mounts) + " " + dev + ":" + ino;
        } catch (IOException | RuntimeException e) {
            return null; // UnsupportedOperationException for "unix:" views elsewhere
        }
    }

    /** Whether {@code out}'s trust record names this boot, these mounts and this directory. */
    private static boolean trusted(Path out, String identity) {
        if (identity == null) {
            return false;
        }
        try {
            return identity.equals(Files.readString(out.resolve(TRUST_FILE), StandardCharsets.US_ASCII).strip());
        } catch (IOException | RuntimeException e) {
            return false; // none yet, or damaged
        }
    }

    /**
     * Whether {@code dir}'s trust record holds now: every file its manifest lists was written or checked in this
     * boot, under these mounts, in this very directory (not a copy of it).
     */
    public static boolean trustedNow(Path dir) {
        return trusted(dir, identity(dir));
    }

    /**
     * Records that every file {@code out}'s manifest lists is whole in this boot, for a caller that knows it: a merge
     * of shards whose files it found whole ({@link ShardMerge}: linked or copied in this boot). A later rerun
     * in this boot then need not hash them.
     */
    public static void recordTrust(Path out) {
        recordTrust(out, identity(out));
    }

    /**
     * Removes {@code dir}'s record that its files are whole in this boot ({@link #TRUST_FILE}), for a caller that
     * found one that is not: the next rerun then hashes them all and redoes that sample. Best effort: where it cannot
     * be removed, nothing else is at stake.
     */
    public static void distrust(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve(TRUST_FILE));
        } catch (IOException | RuntimeException e) {
            // see above
        }
    }

    /**
     * Records that every file the manifest lists is whole in this boot (checked or written in it), or removes an
     * older record where this boot cannot be named. The record only spares a later rerun its hashing, so a full disk
     * that refuses it stops nothing: the rerun then hashes (a record left from before names another boot, mount or
     * directory, or this one, and is true either way).
     */
    private static void recordTrust(Path out, String identity) {
        try {
            if (identity == null) {
                Files.deleteIfExists(out.resolve(TRUST_FILE));
            } else {
                byte[] line = (identity + "\n").getBytes(StandardCharsets.US_ASCII);
                AtomicFiles.write(out.resolve(TRUST_FILE), o -> o.write(line));
            }
        } catch (IOException | RuntimeException e) {
            // see above
        }
    }

    /**
     * A new run starts only in a directory that holds nothing but roadsynth's output (checked before the lock file
     * is made there): one holding other things (a home directory given by mistake, another tool's output) would
     * get this run's files mixed in and, on a rerun, lose any hidden *.tmp file to the clean-up of interrupted
     * writes.
     */
    public static void requireRunOrEmpty(Path out) throws IOException {
        requireWritableDirectory(out);
        if (!Files.isDirectory(out) || Files.exists(out.resolve("run.json"))) {
            return;
        }
        try (java.util.stream.Stream<Path> entries = Files.list(out)) {
            List<String> other = entries.filter(p -> !AtomicFiles.isTemporary(p))
                    .map(p -> p.getFileName().toString()).filter(n -> !OURS.contains(n))
                    .filter(n -> !(n.startsWith("sweep-") && n.endsWith(".png"))) // augment --sweep's sheets
                    .sorted().limit(3).toList();
            if (!other.isEmpty()) {
                throw new IllegalArgumentException(out + " holds other things than roadsynth's output ("
                        + String.join(", ", other) + (other.size() == 3 ? ", ..." : "") + ") and no run record"
                        + " (run.json); choose a new or empty directory");
            }
        }
    }

    /**
     * {@code out} is a directory, or can be made one, that this process may write into: checked before anything is
     * opened (a GPU context takes seconds on some machines) or written, so that a mistyped {@code --out} naming a
     * file or a read-only mount is refused at once. Asks the nearest existing directory ({@code access(2)}: a
     * read-only mount answers no even to root); a check that passes where the write then fails still ends in the
     * write's own error.
     */
    static void requireWritableDirectory(Path out) throws IOException {
        Path existing = out.toAbsolutePath().normalize();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return;
        }
        if (!Files.isDirectory(existing)) {
            String where = existing.equals(out.toAbsolutePath().normalize()) ? out.toString() : existing + " (in " + out + ")";
            throw new IllegalArgumentException(where + " exists and is not a directory; the output must be a new or"
                    + " empty directory, or an earlier run's");
        }
        if (!Files.isWritable(existing)) {
            String reason = Files.getFileStore(existing).isReadOnly() ? "Read-only file system" : "Permission denied";
            throw dev.roadsynth.core.io.FileErrors.named(out,
                    new java.nio.file.FileSystemException(existing.toString(), null, reason));
        }
    }

    /**
     * A failure about the dataset in {@link #dataset()} that the command which made it, rerun, mends or explains: a
     * rerun with other parameters, a dataset or shard not finished or with a file missing or damaged. Whoever reports
     * it may say that command, from the dataset's run record.
     */
    public static final class RunRefused extends IllegalArgumentException {
        private final transient Path dataset;

        RunRefused(Path dataset, String message) {
            super(message);
            this.dataset = dataset;
        }

        /** The directory of the dataset (or shard) whose run record says the command. */
        public Path dataset() {
            return dataset;
        }
    }

    /** Checks or records the run's parameters; returns the count of the run this one extends, or -1. */
    private static long checkParameters(Path out, Map<String, Object> parameters, Extension extension) throws IOException {
        Path run = out.resolve("run.json");
        // Through bytes, so that numbers compare by value whatever Java type they came from.
        JsonNode wanted = JSON.readTree(JSON.writeValueAsBytes(parameters));
        if (Files.exists(run)) {
            JsonNode had = record(out);
            if (had == null) {
                throw new IllegalStateException(run + " is not a run record (empty or cut short, as a power loss can"
                        + " leave it); if this command made " + out + ", delete " + run + " and rerun it to resume");
            }
            if (!had.equals(wanted)) {
                // generate's record has no "command"; augment's says "augment".
                String hadKind = had.path("command").asText("generate");
                String wantedKind = wanted.path("command").asText("generate");
                if (!hadKind.equals(wantedKind)) {
                    throw new IllegalArgumentException(out + " holds the output of roadsynth " + hadKind + ", not of "
                            + wantedKind + "; choose another output directory");
                }
                long from = extension == null ? -1 : extensible(had, wanted);
                if (from >= 0) {
                    extension.reopen(from, wanted.get("count").asLong());
                    writeRecord(run, parameters);
                    return from;
                }
                boolean shrunk = extension != null && extensible(wanted, had) >= 0;
                throw new RunRefused(out, out + " holds a run with other parameters ("
                        + differences(had, "before", wanted, "now") + "); rerun with the same ones to resume it"
                        + (shrunk ? " (a run can be extended by a larger --count, not cut short)" : "")
                        + ", or choose another output directory");
            }
        } else {
            writeRecord(run, parameters);
        }
        return -1;
    }

    private static void writeRecord(Path run, Map<String, Object> parameters) throws IOException {
        byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(parameters);
        AtomicFiles.write(run, o -> o.write(bytes));
    }

    /**
     * The count of generate record {@code had} if {@code wanted} asks for more samples and for nothing else that
     * differs, neither naming single samples ({@code only}); else -1.
     */
    private static long extensible(JsonNode had, JsonNode wanted) {
        if (had.has("command") || wanted.has("command") || !had.path("count").canConvertToLong()
                || !wanted.path("count").canConvertToLong() || !absent(had.path("only")) || !absent(wanted.path("only"))) {
            return -1;
        }
        long from = had.get("count").asLong();
        if (wanted.get("count").asLong() <= from) {
            return -1;
        }
        com.fasterxml.jackson.databind.node.ObjectNode same = ((com.fasterxml.jackson.databind.node.ObjectNode) had).deepCopy();
        same.set("count", wanted.get("count"));
        return same.equals(wanted) ? from : -1;
    }

    private static boolean absent(JsonNode n) {
        return n.isNull() || n.isMissingNode();
    }

    /**
     * The sample count of the earlier run that this one extends (its record asked for fewer samples, all else the
     * same), or -1 where this run continues (or starts) a run of its own count.
     */
    public long extendedFrom() {
        return extendedFrom;
    }

    /**
     * Where two run records differ, key by key in the order {@code b} then {@code a} names them, each with both
     * values and its side's words: "seed 0 before, 4 now" ({@code aSide} "before", {@code bSide} "now"). A key one
     * side lacks and the other holds as null is no difference.
     */
    public static String differences(JsonNode a, String aSide, JsonNode b, String bSide) {
        StringBuilder diff = new StringBuilder();
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        b.fieldNames().forEachRemaining(names::add);
        a.fieldNames().forEachRemaining(names::add);
        for (String k : names) {
            JsonNode x = a.path(k).isMissingNode() ? com.fasterxml.jackson.databind.node.NullNode.instance : a.get(k);
            JsonNode y = b.path(k).isMissingNode() ? com.fasterxml.jackson.databind.node.NullNode.instance : b.get(k);
            if (!x.equals(y)) {
                diff.append(diff.length() == 0 ? "" : ", ").append(k).append(' ').append(x).append(' ').append(aSide)
                        .append(", ").append(y).append(' ').append(bSide);
            }
        }
        return diff.toString();
    }

    /** Deletes temporary files that an interrupted run left half written anywhere under {@code out}. */
    private static void removeTemporaries(Path out) throws IOException {
        removeTemporaries(out, Integer.MAX_VALUE);
    }

    /**
     * Deletes temporary files that an interrupted run (or merge) left half written under {@code out}, at most
     * {@code depth} levels down (1: in {@code out} itself); the caller holds {@code out}'s lock.
     */
    static void removeTemporaries(Path out, int depth) throws IOException {
        try (java.util.stream.Stream<Path> s = Files.walk(out, depth)) {
            for (Path p : s.filter(Files::isRegularFile).filter(AtomicFiles::isTemporary).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Manifest lines checked at once: their files are hashed on all cores. Bounded, so that resuming a run of any
     * size holds a batch of lines, not the manifest (about 3 KB a line: a million samples make a 3 GB manifest).
     */
    static final int BATCH = 4096;

    /**
     * Reads the done samples into {@code done}: a prefix of the manifest's complete lines whose files check out, read
     * a batch at a time, and truncates the manifest after them; a line cut short (no newline) or one that does not
     * check out ends the prefix, and the lines after it are not read. Where {@code mendable}, a line that is whole but
     * whose files are not (see {@link #toMend}) does not end it: the lines after it are read on, and the manifest is
     * truncated only after the last line that is whole (damaged in place or done); then the damaged samples, those
     * done after the first of them and where the prefix ends are returned, else null.
     */
    private static Mend readDone(Path out, java.util.function.Function<JsonNode, String> key,
                                 java.util.function.Predicate<JsonNode> intact, java.util.function.LongConsumer checked,
                                 Done done, boolean trusted, boolean mendable) throws IOException {
        Path manifest = out.resolve("manifest.jsonl");
        if (!Files.exists(manifest)) {
            done.seal();
            return null;
        }
        long[] prefix = {0}; // bytes of the done prefix, newlines included
        long[] kept = {0}; // bytes of the lines kept: the prefix, then lines damaged in place or done after it
        Damaged damaged = new Damaged(done.indices);
        Done after = new Done(done.indices);
        String[] first = {null};
        inBatches(manifest, batch -> {
            Checked[] lines = batch.parallelStream().map(line -> check(out, line, key, intact, trusted))
                    .toArray(Checked[]::new);
            for (int i = 0; i < lines.length; i++) {
                Checked c = lines[i];
                // Damaged samples come in index order, as lines do (one out of order is not made alone).
                if (c.key() == null && (!mendable || c.damaged() == null || !damaged.takes(c.damaged()))) {
                    checked.accept(done.size() + after.size());
                    return false;
                }
                kept[0] += batch.get(i).length + 1;
                if (c.key() == null) {
                    damaged.add(c.damaged(), lineKey(batch.get(i)));
                    first[0] = first[0] == null ? c.problem() : first[0];
                } else if (damaged.size() > 0) {
                    after.add(c.key());
                } else {
                    done.add(c.key());
                    prefix[0] = kept[0];
                }
            }
            checked.accept(done.size() + after.size());
            return true;
        });
        if (kept[0] < Files.size(manifest)) {
            truncate(manifest, kept[0]);
        }
        done.seal();
        return damaged.size() == 0 ? null : new Mend(damaged, after.seal(), prefix[0], first[0]);
    }

    private static void truncate(Path manifest, long bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(manifest.toFile(), "rw")) {
            f.setLength(bytes);
        }
    }

    /** Hands {@code manifest}'s whole lines to {@code batch}, {@link #BATCH} at a time, for as long as it returns true. */
    static void inBatches(Path manifest, java.util.function.Predicate<List<byte[]>> batch) throws IOException {
        try (dev.roadsynth.core.io.WholeLines lines = new dev.roadsynth.core.io.WholeLines(Files.newInputStream(manifest))) {
            while (true) {
                List<byte[]> b = new ArrayList<>(BATCH);
                for (byte[] line; b.size() < BATCH && (line = lines.next()) != null; ) {
                    b.add(line);
                }
                if (b.isEmpty() || !batch.test(b)) {
                    return;
                }
            }
        }
    }

    /**
     * What is wrong with the first file {@code dir}'s manifest lists that is not whole, as "sample 5's
     * cityscapes/...png is missing", or null when all are: each must be there and, unless {@code dir}'s trust
     * record holds ({@link #trustedNow}: every file written or checked in this boot, in this directory), have the
     * SHA-256 the manifest records. Hashes on all cores, a batch of lines at a time; the check a resumed run makes
     * of its done samples.
     */
    public static String damage(Path dir) throws IOException {
        boolean trusted = trustedNow(dir);
        String[] found = {null};
        inBatches(dir.resolve("manifest.jsonl"), batch -> {
            found[0] = batch.parallelStream().map(line -> damage(dir, line, trusted)).filter(Objects::nonNull)
                    .findFirst().orElse(null);
            return found[0] == null;
        });
        return found[0];
    }

    private static String damage(Path dir, byte[] line, boolean trusted) {
        try {
            return damage(dir, JSON.readTree(line), trusted);
        } catch (IOException | RuntimeException e) {
            String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage()
                    : e.getMessage(); // one line: without Jackson's location, which names no file
            return "a manifest line does not read (" + why + ")";
        }
    }

    /** What is wrong with the first of a manifest line's files that is not whole (see {@link #damage(Path)}), or null. */
    private static String damage(Path dir, JsonNode line, boolean trusted) throws IOException {
        for (JsonNode f : line.get("files")) {
            String path = f.get("path").asText();
            String problem = fileProblem(dir.resolve(path), f.get("sha256").asText(), trusted);
            if (problem != null) {
                // generate's lines name a sample; augment's an input and copy, as validate does
                String whose = line.has("index") || !line.has("name") ? "sample " + line.path("index").asLong(-1)
                        : line.get("name").asText() + " copy " + line.path("copy").asInt();
                return whose + "'s " + path + " " + problem;
            }
        }
        return null;
    }

    /**
     * What is wrong with a file a manifest line lists, as the end of a sentence about it ("is missing", "is not the
     * file its manifest records (SHA-256)"), or null when it is whole: there and, unless {@code trusted}, of the
     * SHA-256 recorded. The one meaning of "whole" for a resumed run, a merge's check of its shards and validate.
     */
    static String fileProblem(Path file, String sha256, boolean trusted) throws IOException {
        if (!Files.isRegularFile(file)) {
            return "is missing";
        }
        return trusted || Manifest.sha256(file).equals(sha256) ? null
                : "is not the file its manifest records (SHA-256)";
    }

    /**
     * The keys of the done samples. Sample indices (generate's keys) are kept as a sorted array of numbers: a
     * resumed run of ten million samples holds 80 MB for them, not the gigabyte a set of strings takes.
     */
    private static final class Done {
        private final boolean indices;
        private final Set<String> keys = new HashSet<>();
        private Longs sorted = new Longs();
        private boolean ascending = true;

        Done(boolean indices) {
            this.indices = indices;
        }

        void add(String key) {
            if (indices) {
                add(Long.parseLong(key));
            } else {
                keys.add(key);
            }
        }

        private void add(long index) {
            ascending &= sorted.size() == 0 || index > sorted.last();
            sorted.add(index);
        }

        /** Adds what {@code other} (of the same kind) holds. */
        void addAll(Done other) {
            if (indices) {
                for (int i = 0; i < other.sorted.size(); i++) {
                    add(other.sorted.get(i));
                }
            } else {
                keys.addAll(other.keys);
            }
        }

        /** Done adding: trims the array and, if a manifest listed indices out of order or twice, sorts it. */
        Done seal() {
            if (!ascending) {
                sorted = Longs.of(java.util.Arrays.stream(sorted.toArray()).sorted().distinct().toArray());
                ascending = true;
            }
            sorted.trim();
            return this;
        }

        boolean contains(String key) {
            return indices ? contains(Long.parseLong(key)) : keys.contains(key);
        }

        boolean contains(long index) {
            return indices ? sorted.find(index) >= 0 : keys.contains(Long.toString(index));
        }

        int size() {
            return indices ? sorted.size() : keys.size();
        }
    }

    /**
     * How a manifest line checks out: {@code key} the key of the sample it records where it is complete (its files
     * there with the recorded SHA-256, or only there when {@code trusted}, and {@code intact}), else null; then
     * {@code damaged} that key where the line itself is whole and {@code intact} holds but a file is not, else null,
     * with {@code problem} what is wrong with the first such file ({@link #damage(Path)}'s words).
     */
    private record Checked(String key, String damaged, String problem) {
    }

    private static Checked check(Path out, byte[] line, java.util.function.Function<JsonNode, String> key,
                                 java.util.function.Predicate<JsonNode> intact, boolean trusted) {
        try {
            JsonNode n = JSON.readTree(line);
            if (!intact.test(n)) {
                return new Checked(null, null, null);
            }
            String problem = damage(out, n, trusted);
            return problem == null ? new Checked(key.apply(n), null, null) : new Checked(null, key.apply(n), problem);
        } catch (IOException | RuntimeException e) {
            return new Checked(null, null, null);
        }
    }

    /**
     * What keeps the run in {@code dir} (its run record {@code run}, as shard {@code k} of {@code n}) from being
     * complete, as the end of a sentence about it ("is not complete: 4127 of 6250 samples done"), or null when its
     * manifest lists exactly its samples, in order. Reads the manifest a line at a time.
     */
    public static String incompleteness(Path dir, JsonNode run, int k, int n) throws IOException {
        JsonNode only = run.get("only");
        long[] expected = Shards.indices(run.get("count").asLong(), only == null || only.isNull() ? null
                : java.util.stream.StreamSupport.stream(only.spliterator(), false).mapToLong(JsonNode::asLong).toArray(),
                k, n).toArray();
        java.util.stream.LongStream.Builder indices = java.util.stream.LongStream.builder();
        dev.roadsynth.core.io.JsonLines.forEach(dir.resolve("manifest.jsonl"), m -> indices.add(m.path("index").asLong(-1)));
        long[] listed = indices.build().toArray();
        if (java.util.Arrays.equals(expected, listed)) {
            return null;
        }
        return listed.length < expected.length
                ? "is not complete: " + listed.length + " of " + expected.length + " samples done"
                : "has a manifest that does not list its " + expected.length + " samples in order";
    }

    /**
     * Refuses a dataset of {@code generate} (or {@code merge}) whose manifest does not yet list all its samples, as
     * one interrupted or still being written: reading it would silently miss samples. Folders without such a run
     * record ({@code augment}'s output, images with masks) pass.
     *
     * @param then what the user runs once it is finished ("pack")
     */
    public static void requireFinished(Path dir, String then) throws IOException {
        String missing = unfinished(dir);
        if (missing != null) {
            throw new RunRefused(dir, dir + " " + missing + "; rerun its generate command to finish it, then " + then);
        }
    }

    /**
     * What keeps the run of generate (or merge) in {@code dir} from being finished, as {@link #incompleteness} says
     * it ("is not complete: 4127 of 6250 samples done"); null when it is finished, or {@code dir} holds no such run
     * (augment's output, images with masks; a damaged record: nothing to check against, and generate names it when
     * rerun).
     */
    public static String unfinished(Path dir) throws IOException {
        JsonNode run = record(dir);
        int[] kn = run == null ? null : shardOf(run);
        return kn == null ? null : incompleteness(dir, run, kn[0], kn[1]);
    }

    /** {@code dir}'s run record ({@code run.json}), or null when it has none or it is not a JSON object (empty, cut short). */
    public static JsonNode record(Path dir) throws IOException {
        Path file = dir.resolve("run.json");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(file.toFile());
            return n != null && n.isObject() ? n : null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }

    /**
     * Shard K of N that a run record of {@code generate} (or {@code merge}) names ("shard": "K/N", with a numeric
     * "count"), as {K, N}; null for any other record, such as augment's.
     */
    public static int[] shardOf(JsonNode run) {
        String[] kn = run.path("shard").asText().split("/");
        if (!run.path("count").canConvertToLong() || kn.length != 2 || !kn[0].matches("\\d{1,9}")
                || !kn[1].matches("\\d{1,9}")) {
            return null;
        }
        int k = Integer.parseInt(kn[0]);
        int n = Integer.parseInt(kn[1]);
        return k < n ? new int[] {k, n} : null;
    }

    /**
     * The splits a run record of {@code generate} (or {@code merge}) declares in its "split" ({@code --split}), in
     * the order given; none when it has none.
     *
     * @throws IllegalArgumentException when the text is not a split spec (see {@code Splits.parse})
     */
    public static List<String> declaredSplits(JsonNode run) {
        JsonNode split = run.get("split");
        if (split == null || split.isNull()) {
            return List.of();
        }
        try {
            return Splits.parse(split.asText()).names();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("run.json: split: " + e.getMessage(), e);
        }
    }

    /**
     * The samples of the earlier run whose manifest lines are whole, as are what its writers keep beside the files,
     * but one of whose files is not (missing, or other bytes than recorded: lost or changed after it was written), in
     * index order; empty where none. The run makes them again in place first, writing their files where they were,
     * and says whether each came out as its line records ({@link #mended}); until then {@link #done} is not known.
     * Only where the caller makes them (generate's {@code open} with an {@link Extension}; see {@link #toMendKeys}):
     * a rerun then makes a few damaged samples of a large dataset, not every sample from the first of them on.
     */
    public long[] toMend() {
        return mend == null ? new long[0] : mend.damaged().indices();
    }

    /**
     * As {@link #toMend}, for manifests keyed otherwise (the {@code open} with a {@code key} and {@code mendable}): the
     * keys of the outputs damaged in place, in manifest order.
     */
    public List<String> toMendKeys() {
        return mend == null ? List.of() : mend.damaged().keys();
    }

    /**
     * How many samples are done but for those {@link #toMend} names (the prefix and the samples listed after the first
     * of those), known before they are settled.
     */
    public long keptCount() {
        return done.size() + (mend == null ? 0 : mend.after().size());
    }

    /**
     * Whether the output with this key (as the four-argument {@code open}'s {@code key} gives it) is done once the
     * damaged ones ({@link #toMendKeys}) come out as recorded: done before the first of them, listed after it, or one
     * of them. Known before they are settled, for a run's progress, as {@link #keptCount} is.
     */
    public boolean doneIfMended(String key) {
        return done.contains(key) || mend != null && (mend.after().contains(key) || mend.damaged().lineKey(key) != null);
    }

    /** What is wrong with the first file of the samples {@link #toMend} names ("sample 5's ... is missing"), or null. */
    public String firstDamage() {
        return mend == null ? null : mend.firstProblem();
    }

    /** Whether {@code line} (without its newline) is, byte for byte, the manifest line of damaged sample {@code index}. */
    public boolean asRecorded(long index, String line) {
        return asRecorded(Long.toString(index), line);
    }

    /** As {@link #asRecorded(long, String)}, for the output of key {@code key} ({@link #toMendKeys}). */
    public boolean asRecorded(String key, String line) {
        Long recorded = mend == null ? null : mend.damaged().lineKey(key);
        return recorded != null && lineKey(line.getBytes(StandardCharsets.UTF_8)) == recorded;
    }

    /**
     * Settles the samples {@link #toMend} named. {@code asRecorded}: each was made again with the very bytes its
     * manifest line records, so they and the samples listed after them are done. Otherwise (another rasterizer draws
     * them otherwise, say) the manifest is cut before the first of them, as where a line is not whole: it and every
     * sample after it are made again, so that the manifest, what spans samples (COCO's JSON) and the files agree.
     * Then records that every file the manifest lists is whole.
     */
    public void mended(boolean asRecorded) throws IOException {
        if (mend == null) {
            throw new IllegalStateException("no samples to mend in " + out);
        }
        if (asRecorded) {
            mend.damaged().addTo(done);
            done.addAll(mend.after());
            done.seal();
        } else {
            truncate(out.resolve("manifest.jsonl"), mend.prefixBytes());
        }
        mend = null;
        recordTrust(out, identity);
    }

    /** Whether sample {@code index} is done from an earlier run. */
    public boolean done(long index) {
        requireSettled();
        return done.contains(index);
    }

    private void requireSettled() {
        if (mend != null) {
            throw new IllegalStateException("samples to mend in " + out + " are not settled (mended)");
        }
    }

    /** Whether the output with this key (as the four-argument {@code open}'s {@code key} gives it) is done. */
    public boolean done(String key) {
        requireSettled();
        return done.contains(key);
    }

    public int doneCount() {
        requireSettled();
        return done.size();
    }

    @Override
    public void close() throws IOException {
        lock.close();
    }
}
