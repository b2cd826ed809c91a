package dev.roadsynth.core.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roadsynth.core.LabelSet;
import dev.roadsynth.core.io.AtomicFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Whether a finished dataset of {@code roadsynth generate}, {@code merge} or {@code augment} is whole, found without
 * writing anything (but where a listed file is not whole, the trust record goes: see below): what a user runs after
 * copying one to another machine, or before training on one kept for a while. Checked, each problem a line:
 * <ul>
 *   <li>no run is writing into it (its lock is free);</li>
 *   <li>a run of generate (or merge, or one shard) lists all its samples in its manifest, in order, and the manifest
 *       ends in a whole line;</li>
 *   <li>every file the manifest lists is there with the SHA-256 it records (hashed on all cores; the trust record
 *       of the run that wrote it is not taken, since files copied or rewritten since are what a check is for; where
 *       one is not whole, that record is deleted ({@link RunState#distrust}), so that the rerun it names, in the
 *       same boot, hashes the files and finds the damage too);</li>
 *   <li>the files written once a run is finished: {@code labels.json} reads as a class table; COCO's
 *       {@code annotations/instances_SPLIT.json} read whole (as a rerun would split them back into parts) and list
 *       the split's images of the manifest, neither more nor fewer; KITTI's {@code ImageSets/SPLIT.txt} list the
 *       split's ids, in order (every split declared and every split with samples);</li>
 *   <li>no file under the dataset's folders is missing from the manifest: a loader that lists a folder (torchvision's
 *       Cityscapes reads every image under {@code leftImg8bit/}) would read it; a temporary file is what a write cut
 *       short left, as {@link RunState#MEND_FOLDER} is what a rerun making damaged samples again left;</li>
 *   <li>{@code pack}'s WebDataset shards, where there are, are whole archives holding, split by split in manifest
 *       order, each sample's raw arrays (with their SHA-256) and its manifest line, and nothing else.</li>
 * </ul>
 * The manifest is read a batch of lines at a time; what is kept of it is a 64-bit hash per listed file (to find
 * files it does not list; two paths of one hash, about one chance in 10^6 for 10^7 files, would leave one such file
 * unreported, never report a whole one) and, per split, its COCO image ids (8 bytes each) and a digest of its KITTI
 * ids in order.
 */
public final class DatasetCheck {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Problems named one by one; more are counted. */
    public static final int NAMED = 50;

    /**
     * What a check found.
     *
     * @param samples  manifest lines read
     * @param files    files hashed
     * @param problems what is wrong, each as one sentence about a path relative to the dataset (at most
     *                 {@link #NAMED})
     * @param more     problems found beyond those named
     * @param redo     what a rerun of the command that made the dataset (run.json records it) does about the
     *                 problems found ("it makes the samples from the first one missing or damaged on again, ...";
     *                 where only some samples' files are, generate's rerun makes those samples alone), or null when
     *                 it mends none of them (or a run is writing into the dataset)
     * @param alone    how many samples' files (missing, or other bytes than recorded) are all that is wrong with the
     *                 dataset, else 0: what a merge's rerun also mends, from the shards ({@link ShardMerge#MERGED})
     */
    public record Report(long samples, long files, List<String> problems, long more, String redo, long alone) {
        public Report {
            problems = List.copyOf(problems);
        }

        public boolean whole() {
            return problems.isEmpty();
        }
    }

    private DatasetCheck() {
    }

    /**
     * Checks the dataset in {@code dir}; {@code progress} is told the number of manifest lines checked so far, after
     * each batch.
     *
     * @throws IllegalArgumentException when {@code dir} has no {@code manifest.jsonl}: not a dataset of roadsynth
     */
    public static Report check(Path dir, LongConsumer progress) throws IOException {
        Path manifest = dir.resolve("manifest.jsonl");
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + ": not a directory");
        }
        if (!Files.isRegularFile(manifest)) {
            throw new IllegalArgumentException(dir + ": no manifest.jsonl; not a dataset of roadsynth generate, merge"
                    + " or augment");
        }
        Found found = new Found();
        String writer = OutputLock.holder(dir);
        if (writer != null) {
            found.addAsIs(writer + " is writing into it; check it once that run is done");
            return found.report(0, 0, null);
        }
        JsonNode run = RunState.record(dir);
        boolean augment = run != null && "augment".equals(run.path("command").asText());
        int[] kn = run == null ? null : RunState.shardOf(run);
        if (run == null) {
            found.add("run.json is missing or not a JSON object");
        } else if (!augment && kn == null) {
            found.add("run.json is not the record of a roadsynth run (no count and shard)");
        }
        List<String> formats = new ArrayList<>();
        run = run == null ? JSON.createObjectNode() : run;
        run.path("formats").forEach(f -> formats.add(f.asText()));
        // A run not finished: the files it writes at the end are not there yet, and those of samples in the making
        // are not listed yet, so only what its manifest lists is checked.
        boolean finished = true;
        if (kn != null) {
            String missing = RunState.incompleteness(dir, run, kn[0], kn[1]);
            if (missing != null) {
                found.add("the run " + missing);
                finished = false;
            }
        }
        if (endsCutShort(manifest)) {
            found.add("manifest.jsonl ends in a line cut short (a run stopped while writing it)");
            finished = false;
        }

        // Every listed file, a batch of lines at a time on all cores; the sequences the finished files must match.
        Listed listed = new Listed();
        long[] lines = {0};
        long[] hashed = {0};
        RunState.inBatches(manifest, batch -> {
            List<Line> checked = batch.parallelStream().map(bytes -> Line.check(dir, bytes)).toList();
            for (Line l : checked) {
                lines[0]++;
                hashed[0] += l.hashed;
                int before = found.count();
                l.problems.forEach(found::add);
                if (l.fileDamaged && l.index >= 0) {
                    found.damaged(found.count() - before, l.renderer);
                }
                listed.add(l);
            }
            progress.accept(lines[0]);
            return true;
        });

        if (found.damaged > 0) {
            // A rerun in this boot would take the listed files for whole on the record that spares it hashing them
            // (RunState.TRUST_FILE), and mend nothing that is not missing: the record goes.
            RunState.distrust(dir);
        }
        if (!finished) {
            return found.report(lines[0], hashed[0], redo(augment, 0, Set.of()));
        }
        Path table = dir.resolve(Formats.LABELS_FILE);
        if (!augment || Files.exists(table)) {
            try {
                LabelSet.load(table);
            } catch (RuntimeException e) {
                found.add(Formats.LABELS_FILE + ": " + withoutPath(table, e.getMessage()));
            }
        }
        List<String> splits = new ArrayList<>(new TreeSet<>(listed.splits.keySet()));
        if (kn != null) {
            try {
                for (String s : RunState.declaredSplits(run)) {
                    if (!splits.contains(s)) {
                        splits.add(s);
                    }
                }
            } catch (IllegalArgumentException e) {
                found.add(e.getMessage());
            }
        }
        for (String split : splits) {
            Sequences expected = listed.splits.getOrDefault(split, new Sequences());
            if (formats.contains("coco") && lines[0] > 0) { // no sample, no categories: no JSON is written
                checkCoco(dir, split, expected, found);
            }
            if (formats.contains("kitti")) {
                checkKitti(dir, split, expected, found);
            }
        }
        checkUnlisted(dir, listed.sorted(), found);
        if (Files.exists(dir.resolve(RunState.MEND_FOLDER))) {
            found.add(RunState.MEND_FOLDER + "/ is what a rerun stopped while it made damaged samples again left");
        }
        checkPacked(dir, manifest, listed.splits.keySet(), found);
        return found.report(lines[0], hashed[0], found.redoable ? redo(augment, found.alone(), found.drawnBy) : null);
    }

    /** A shard {@code pack} writes: {@code SPLIT-NNNNNN.tar}. */
    private static final java.util.regex.Pattern SHARD = java.util.regex.Pattern.compile("(.+)-(\\d{6})\\.tar");

    /**
     * {@code pack}'s WebDataset shards, where there are: whole archives whose members are, split by split and in
     * manifest order, each sample's raw arrays (with the SHA-256 its manifest line records for them) and its manifest
     * line. Read a member at a time, beside the manifest's lines of the split; the first difference in a split is
     * said, and packing again mends it.
     */
    private static void checkPacked(Path dir, Path manifest, java.util.Set<String> withSamples, Found found)
            throws IOException {
        Path packed = dir.resolve("webdataset");
        if (!Files.isDirectory(packed)) {
            return;
        }
        Map<String, List<Path>> bySplit = new TreeMap<>();
        try (Stream<Path> s = Files.list(packed)) {
            for (Path p : s.sorted().toList()) {
                String n = "webdataset/" + p.getFileName();
                java.util.regex.Matcher m = SHARD.matcher(p.getFileName().toString());
                if (AtomicFiles.isTemporary(p)) {
                    found.addAsIs(n + " is a temporary file a packing cut short left (pack removes it)");
                } else if (m.matches() && Files.isRegularFile(p)) {
                    bySplit.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(p);
                } else {
                    found.addAsIs(n + " is not a shard that pack writes");
                }
            }
        }
        java.util.Set<String> splits = new TreeSet<>(bySplit.keySet());
        splits.addAll(withSamples); // the splits the manifest's lines name, gathered as they were checked
        for (String split : splits) {
            String problem = packedSplit(manifest, split, bySplit.getOrDefault(split, List.of()));
            if (problem != null) {
                found.addAsIs(problem + " (pack the dataset again)");
            }
        }
    }

    /** The first way the shards of {@code split} differ from the manifest's samples of it, or null. */
    private static String packedSplit(Path manifest, String split, List<Path> shards) throws IOException {
        long samples = 0;
        try (Members members = new Members(shards);
             BufferedReader lines = dev.roadsynth.core.io.JsonLines.reader(manifest)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                JsonNode m;
                try {
                    m = JSON.readTree(line);
                } catch (IOException e) {
                    continue; // said with the manifest's other problems
                }
                if (m == null || !split.equals(m.path("split").asText())) {
                    continue;
                }
                String id = m.path("id").asText();
                java.util.Map<String, String> hashes = new java.util.HashMap<>();
                m.path("files").forEach(f -> hashes.put(f.path("path").asText(), f.path("sha256").asText()));
                // The members pack writes per sample: its raw arrays (WebDatasetPacker.ARRAYS), then its line.
                for (int k = 0; k <= WebDatasetPacker.ARRAYS.length; k++) {
                    boolean json = k == WebDatasetPacker.ARRAYS.length;
                    dev.roadsynth.core.io.TarReader.Member got = members.next();
                    if (got == null) {
                        return "webdataset/ holds " + samples + " samples of split " + split
                                + (shards.isEmpty() ? " (no shard)" : "") + " where the manifest has more";
                    }
                    String name = id + "." + (json ? "json" : WebDatasetPacker.ARRAYS[k][1]);
                    if (!got.name().equals(name)) {
                        return members.where() + got.name() + " where sample " + id + "'s " + name + " goes";
                    }
                    boolean same = json ? Arrays.equals(got.data(), line.getBytes(StandardCharsets.UTF_8))
                            : Manifest.sha256(got.data())
                                    .equals(hashes.get("frames/" + id + WebDatasetPacker.ARRAYS[k][0]));
                    if (!same) {
                        return members.where() + name + " is not " + (json ? "the sample's manifest line"
                                : "the array its manifest records (SHA-256)");
                    }
                }
                samples++;
            }
            dev.roadsynth.core.io.TarReader.Member more = members.next();
            if (more != null) {
                return members.where() + more.name() + " after the " + samples + " samples of split " + split
                        + " the manifest has";
            }
        } catch (NotWholeShard e) {
            return e.getMessage();
        }
        return null;
    }

    /** The members of a split's shards, one archive after another. */
    private static final class Members implements AutoCloseable {
        private final java.util.Iterator<Path> files;
        private dev.roadsynth.core.io.TarReader tar;
        private Path current;

        Members(List<Path> shards) {
            files = shards.iterator();
        }

        /** The next member, or null after the last shard's last. */
        dev.roadsynth.core.io.TarReader.Member next() throws IOException {
            while (true) {
                if (tar == null) {
                    if (!files.hasNext()) {
                        return null;
                    }
                    current = files.next();
                    tar = new dev.roadsynth.core.io.TarReader(
                            new java.io.BufferedInputStream(Files.newInputStream(current), 1 << 16));
                }
                dev.roadsynth.core.io.TarReader.Member m;
                try {
                    m = tar.next();
                } catch (IOException e) {
                    throw new NotWholeShard("webdataset/" + current.getFileName() + " is not whole (" + e.getMessage()
                            + ")");
                }
                if (m != null) {
                    return m;
                }
                tar.close();
                tar = null;
            }
        }

        /** "webdataset/SHARD: ", the shard the last member came from. */
        String where() {
            return "webdataset/" + current.getFileName() + ": ";
        }

        @Override
        public void close() throws IOException {
            if (tar != null) {
                tar.close();
            }
        }
    }

    /** A shard that does not read as a whole archive; the message says which and why. */
    private static final class NotWholeShard extends IOException {
        NotWholeShard(String message) {
            super(message);
        }
    }

    /**
     * What a rerun of the command that made the dataset does about what it mends, where {@code alone} samples' files
     * (not 0) are all that is wrong: generate's rerun makes those again in place ({@link RunState#toMend}), which they
     * come out as recorded only on the rasterizers their lines name ({@code drawnBy}): on another, every sample from
     * the first of them on is made again, so the user is told which, before choosing the machine to rerun it on.
     */
    private static String redo(boolean augment, long alone, Set<String> drawnBy) {
        if (augment) {
            return "it redoes what is missing or damaged";
        }
        if (alone > 0) {
            return "it makes the " + (alone == 1 ? "sample" : alone + " samples") + " with files missing or damaged"
                    + " again in place and keeps every other, where " + (alone == 1 ? "it comes" : "they come")
                    + " out as the manifest records (the version and rasterizer that made them"
                    + (drawnBy.isEmpty() ? "" : "; drawn by " + String.join(", and by ", drawnBy)) + "); else every"
                    + " sample from the first of them on";
        }
        return "it makes the samples from the first one missing or damaged on again, and the files written at the end";
    }

    /** Whether a non-empty file's last byte is not a newline. */
    private static boolean endsCutShort(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            if (f.length() == 0) {
                return false;
            }
            f.seek(f.length() - 1);
            return f.read() != '\n';
        }
    }

    /** One manifest line checked: its problems, its files' path hashes, its split, COCO image and KITTI id. */
    private static final class Line {
        final List<String> problems = new ArrayList<>(0);
        final long[] paths;
        long hashed;
        String split;
        /** The sample's index (generate's lines), or -1. */
        long index = -1;
        /** The rasterizer that drew the sample, as its line names it, or null. */
        String renderer;
        /** Whether a file of the sample is missing, damaged or unreadable, where the line itself reads. */
        boolean fileDamaged;
        /** The sample's id as COCO's JSON names its image ({@code split/ID.png}), or -1 without one. */
        long cocoId = -1;
        String kittiId;

        private Line(int files) {
            paths = new long[files];
        }

        static Line check(Path dir, byte[] bytes) {
            JsonNode line;
            try {
                line = JSON.readTree(bytes);
            } catch (IOException e) {
                Line l = new Line(0);
                l.problems.add("manifest.jsonl: a line does not read as JSON (" + firstLine(e.getMessage()) + ")");
                return l;
            }
            JsonNode files = line.path("files");
            Line l = new Line(files.size());
            String sample = line.has("index") ? "sample " + line.path("index").asText() : line.path("name").asText("?")
                    + " copy " + line.path("copy").asText("?");
            if (!files.isArray() || files.isEmpty()) {
                l.problems.add("manifest.jsonl: " + sample + " lists no files");
                return l;
            }
            l.split = line.path("split").isTextual() ? line.path("split").asText() : null;
            l.index = line.path("index").canConvertToLong() ? line.get("index").asLong() : -1;
            l.renderer = line.path("renderer").isTextual() ? line.get("renderer").asText() : null;
            int i = 0;
            for (JsonNode f : files) {
                String path = f.path("path").asText();
                l.paths[i++] = pathHash(path);
                if (path.startsWith("coco/images/") && path.endsWith(".png")) {
                    String name = path.substring(path.lastIndexOf('/') + 1, path.length() - 4);
                    l.cocoId = name.matches("\\d{1,18}") ? Long.parseLong(name) : -1;
                } else if (path.startsWith("kitti/training/image_2/")) {
                    String name = path.substring("kitti/training/image_2/".length());
                    l.kittiId = name.substring(0, Math.max(0, name.lastIndexOf('.')));
                }
                Path file = dir.resolve(path).normalize();
                if (path.isEmpty() || !file.startsWith(dir.normalize())) {
                    l.problems.add("manifest.jsonl: " + sample + " lists \"" + path + "\", not a file in the dataset");
                    continue;
                }
                String problem;
                try {
                    problem = RunState.fileProblem(file, f.path("sha256").asText(), false);
                    l.hashed += Files.isRegularFile(file) ? 1 : 0;
                } catch (IOException e) {
                    problem = "cannot be read (" + e.getMessage() + ")";
                    l.hashed++;
                }
                if (problem != null) {
                    l.problems.add(path + " (" + sample + ") " + problem);
                    l.fileDamaged = true;
                }
            }
            return l;
        }
    }

    /** What the manifest lists, as much as the later checks need. */
    private static final class Listed {
        private long[] hashes = new long[1024];
        private int n;
        final Map<String, Sequences> splits = new TreeMap<>();

        void add(Line l) {
            for (long h : l.paths) {
                if (n == hashes.length) {
                    hashes = Arrays.copyOf(hashes, 2 * n);
                }
                hashes[n++] = h;
            }
            if (l.split != null) {
                Sequences s = splits.computeIfAbsent(l.split, k -> new Sequences());
                if (l.cocoId >= 0) {
                    s.coco.add(l.cocoId);
                }
                if (l.kittiId != null) {
                    s.kitti.add(l.kittiId);
                }
            }
        }

        long[] sorted() {
            long[] s = Arrays.copyOf(hashes, n);
            Arrays.sort(s);
            return s;
        }
    }

    /** A sequence of names kept as its count and a digest of them in order. */
    private static final class Sequence {
        private final MessageDigest digest = sha256();
        private long count;

        void add(String name) {
            digest.update(name.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '\n');
            count++;
        }

        /** Whether {@code other} holds the same names in the same order. */
        boolean sameAs(Sequence other) {
            return count == other.count && Arrays.equals(copy(digest).digest(), copy(other.digest).digest());
        }

        private static MessageDigest copy(MessageDigest d) {
            try {
                return (MessageDigest) d.clone();
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException(e);
            }
        }

        private static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A split's COCO image ids (as a set: COCO's readers index images by id) and KITTI ids (in manifest order). */
    private static final class Sequences {
        final java.util.stream.LongStream.Builder coco = java.util.stream.LongStream.builder();
        final Sequence kitti = new Sequence();
    }

    /** {@code dir}'s file {@code name}; null, and said, where it is missing. */
    private static Path present(Path dir, String name, Found found) {
        Path file = dir.resolve(name);
        if (Files.isRegularFile(file)) {
            return file;
        }
        found.add(name + " is missing");
        return null;
    }

    /** The split's COCO JSON: whole, as a rerun would split it back into parts, and listing the split's images. */
    private static void checkCoco(Path dir, String split, Sequences expected, Found found) {
        String name = "coco/annotations/instances_" + split + ".json";
        Path file = present(dir, name, found);
        if (file == null) {
            return;
        }
        long[] listed;
        try {
            listed = CocoWriter.joinedSampleIds(file);
        } catch (IOException | RuntimeException e) {
            found.add(name + " is not whole (" + withoutPath(file, e.getMessage()) + ")");
            return;
        }
        long[] wanted = expected.coco.build().sorted().toArray();
        if (!Arrays.equals(listed, wanted)) {
            found.add(name + " lists " + counted(listed.length, "image") + " where the manifest has " + wanted.length
                    + " in split " + split + (listed.length == wanted.length ? ", not the same" : ""));
        }
    }

    /** The split's KITTI ImageSets list: the split's ids in manifest order. */
    private static void checkKitti(Path dir, String split, Sequences expected, Found found) {
        String name = "kitti/ImageSets/" + split + ".txt";
        Path file = present(dir, name, found);
        if (file == null) {
            return;
        }
        Sequence ids = new Sequence();
        try (BufferedReader r = dev.roadsynth.core.io.JsonLines.reader(file)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                ids.add(line);
            }
        } catch (IOException e) {
            found.add(name + " cannot be read (" + e.getMessage() + ")");
            return;
        }
        if (!ids.sameAs(expected.kitti)) {
            found.add(name + " lists " + counted(ids.count, "id") + " where the manifest has " + expected.kitti.count
                    + " in split " + split + (ids.count == expected.kitti.count ? ", not the same or not in its order"
                    : ""));
        }
    }

    /** The folders a dataset's files are in, which nothing else is written into. */
    private static final List<String> FOLDERS = List.of("cityscapes", "coco", "kitti", "depth", "frames", "images",
            "masks", "instances");

    /** Files under the dataset's folders that the manifest does not list, but for those a finished run writes. */
    private static void checkUnlisted(Path dir, long[] listed, Found found) throws IOException {
        for (String folder : FOLDERS) {
            if (Files.isDirectory(dir.resolve(folder))) {
                checkUnlisted(dir, dir.resolve(folder), listed, found);
            }
        }
    }

    /**
     * One folder, its entries in name order and its subfolders in turn: what is held at once is one folder's names
     * (a Cityscapes split's images are in one), not every path of a dataset of millions of files.
     */
    private static void checkUnlisted(Path dir, Path folder, long[] listed, Found found) throws IOException {
        List<Path> entries;
        try (Stream<Path> s = Files.list(folder)) {
            entries = s.sorted().toList();
        }
        for (Path f : entries) {
            if (Files.isDirectory(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                checkUnlisted(dir, f, listed, found);
                continue;
            }
            String rel = dir.relativize(f).toString().replace('\\', '/');
            if (AtomicFiles.isTemporary(f)) {
                found.add(rel + " is a temporary file a write cut short left (a rerun of the run removes it)");
            } else if (!writtenAtTheEnd(rel) && Arrays.binarySearch(listed, pathHash(rel)) < 0) {
                found.addAsIs(rel + " is not in manifest.jsonl (a loader listing its folder would read it)");
            }
        }
    }

    /** COCO's annotation files and a shard's parts, KITTI's ImageSets: written from the manifest, not listed in it. */
    private static boolean writtenAtTheEnd(String rel) {
        return rel.startsWith("coco/annotations/") || rel.startsWith("kitti/ImageSets/");
    }

    /** A 64-bit hash of a path (FNV-1a over its UTF-16 units, then MurmurHash3's finaliser). */
    static long pathHash(String path) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < path.length(); i++) {
            h ^= path.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }

    private static String counted(long n, String thing) {
        return n + " " + thing + (n == 1 ? "" : "s");
    }

    /** The first line of an error's message, without the path of {@code file} it may start with. */
    private static String withoutPath(Path file, String message) {
        String m = firstLine(message);
        return m.startsWith(file + ": ") ? m.substring(file.toString().length() + 2) : m;
    }

    private static String firstLine(String s) {
        String m = Objects.toString(s, "");
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** Problems as found: the first {@link #NAMED} kept, the rest counted. */
    private static final class Found {
        final List<String> list = new ArrayList<>();
        long more;
        /** Whether a problem was found that a rerun of the run's command mends. */
        boolean redoable;
        /** Samples whose damaged files were problems, and how many problems those were. */
        long damaged;
        long damagedProblems;
        /** The rasterizers that drew those samples, as their lines name them (the first few). */
        final Set<String> drawnBy = new java.util.LinkedHashSet<>();

        int count() {
            return (int) Math.min(Integer.MAX_VALUE, list.size() + more);
        }

        /**
         * A sample's files were the last {@code problems} problems found; {@code renderer} drew it (null where its line
         * names none).
         */
        void damaged(long problems, String renderer) {
            damaged++;
            damagedProblems += problems;
            if (renderer != null && drawnBy.size() < 3) {
                drawnBy.add(renderer);
            }
        }

        /** How many samples' files are damaged where those are all the problems found, else 0. */
        long alone() {
            return damagedProblems == list.size() + more ? damaged : 0;
        }

        /** A problem that a rerun of the run's command mends. */
        void add(String problem) {
            redoable = true;
            addAsIs(problem);
        }

        /** A problem that a rerun of the run's command leaves as it is. */
        void addAsIs(String problem) {
            if (list.size() < NAMED) {
                list.add(problem);
            } else {
                more++;
            }
        }

        Report report(long samples, long files, String redo) {
            return new Report(samples, files, list, more, redo, redo == null ? 0 : alone());
        }
    }
}
