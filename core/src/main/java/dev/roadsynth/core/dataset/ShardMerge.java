package dev.roadsynth.core.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roadsynth.core.io.AtomicFiles;
import dev.roadsynth.core.io.FileErrors;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * The outputs of all N shards of one run (each made with shard K of N, in any order), checked to belong together
 * and be complete, and joined into one dataset identical to the unsharded run's (or the shards of one shard, into
 * that shard's: {@link #ofCheckedParts}): the shards' files copied or
 * hard-linked, the manifests merged in sample order, COCO's per-sample parts joined into its JSON and KITTI's
 * ImageSets listed from the merged manifest, every declared split made, and the run record with shard 0/1 (k/n for
 * the shards of shard k of n, whose COCO parts stay, as a shard's do).
 *
 * <p>A merge records what it is in {@link #MERGING} inside the output directory while it runs, so that a rerun of
 * the same merge (the same shards, in any order) continues where one that stopped left off; a rerun after it
 * finished does nothing.
 */
public final class ShardMerge {
    /** In the output directory while a merge runs: the shards and the run it joins. */
    public static final String MERGING = ".roadsynth-merging.json";
    /**
     * In a merged dataset: the merge that joined it, for {@code validate} to offer its rerun, which restores lost or
     * changed files from the shards without rendering. The shards' absolute paths, whether their files were linked,
     * and the run record it wrote (a generate run that extends the dataset later writes another: the record then no
     * longer describes it). Not written where a split joins its own parts ({@code generate --processes}), which it
     * deletes.
     */
    public static final String MERGED = ".roadsynth-merged.json";
    /**
     * A folder the output directory may hold before a merge: the parts of a run that {@code generate --processes}
     * makes there, merged into it when all are done.
     */
    public static final String PARTS = ".roadsynth-processes";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Path> shards;
    private final ObjectNode run;
    /** The shard the merged dataset is (0 of 1: the whole run). */
    private final int k;
    private final int n;

    private ShardMerge(List<Path> shards, ObjectNode run, int k, int n) {
        this.shards = List.copyOf(shards);
        this.run = run;
        this.k = k;
        this.n = n;
    }

    /** How many of the merged samples one rasterizer drew, and in which shards (as given, in sample order). */
    public record Drawn(long samples, List<String> shards) {
        public Drawn {
            shards = List.copyOf(shards);
        }
    }

    /**
     * What a merge did: where the output already held this run merged, nothing but restore from the shards the files
     * of its samples lost or changed since ({@code restored} of them); else, by rasterizer (the manifest's
     * {@code renderer}, sorted; lines of versions before it name none), the samples it drew.
     */
    public record Outcome(boolean alreadyMerged, Map<String, Drawn> drawnBy, long restored) {
        public Outcome {
            drawnBy = java.util.Collections.unmodifiableMap(new TreeMap<>(drawnBy));
        }
    }

    /**
     * Checks that {@code shards} are the outputs of every shard of one run, once each, with one class table, each
     * complete (its manifest lists exactly its samples, in order: an interrupted shard merged would leave a gap
     * that no file shows) and whole (every file its manifest lists there, with its SHA-256 unless the shard's
     * trust record holds: {@link RunState#damage}).
     *
     * @throws IllegalArgumentException naming the shard and what is wrong with it
     */
    public static ShardMerge of(List<Path> shards) throws IOException {
        return of(shards, 0, 1, true);
    }

    /**
     * As {@link #of(List)}, for the parts of a split ({@code generate --processes}) that together make shard
     * {@code k} of {@code n} of a run: each the shard {@code k + n j} of {@code n P} for j from 0 to P - 1, P the
     * number of processes (sample i is in shard i mod N of N, so these hold exactly its samples). The merged run
     * record then says shard k/n. Their processes have each just checked or written every file of their part, so
     * the files are not checked again (30 ms per 600 samples on two cores, measured: a 3 KB manifest line read and
     * each file looked for, at the end of a run timed as a whole).
     */
    public static ShardMerge ofCheckedParts(List<Path> parts, int k, int n) throws IOException {
        return of(parts, k, n, false);
    }

    private static ShardMerge of(List<Path> shards, int k, int n, boolean checkFiles) throws IOException {
        if (n < 1 || k < 0 || k >= n) {
            throw new IllegalArgumentException("shard " + k + "/" + n + ": want 0 <= k < n");
        }
        String whole = k + "/" + n;
        ObjectNode common = null;
        boolean[] seen = null;
        byte[] table = null;
        for (Path s : shards) {
            Path runFile = s.resolve("run.json");
            if (!Files.exists(runFile)) {
                throw new IllegalArgumentException(s + " has no run.json: not the output of roadsynth generate");
            }
            JsonNode record = RunState.record(s);
            int[] kn = record == null ? null : RunState.shardOf(record);
            if (kn == null) {
                throw new IllegalArgumentException(runFile + " is not a run record of roadsynth generate (damaged, or"
                        + " another command's)");
            }
            int part = kn[0];
            int parts = kn[1];
            if (parts % n != 0 || part % n != k) {
                throw new IllegalArgumentException(s + " is shard " + part + "/" + parts + ", not part of shard " + whole);
            }
            ObjectNode run = (ObjectNode) record;
            run.put("shard", whole);
            if (common == null) {
                common = run;
                seen = new boolean[parts];
            } else if (!common.equals(run) || seen.length != parts) {
                String diff = RunState.differences(common, "in " + shards.get(0), run, "in " + s);
                throw new IllegalArgumentException(s + " belongs to another run than " + shards.get(0) + " ("
                        + (diff.isEmpty() ? "split into " + seen.length + " shards there, " + parts + " here" : diff) + ")");
            }
            // run.json names scene files by path; their class tables must still agree (one table per dataset).
            Path labelsFile = s.resolve(Formats.LABELS_FILE);
            byte[] labels = Files.exists(labelsFile) ? Files.readAllBytes(labelsFile) : new byte[0];
            if (table == null) {
                table = labels;
            } else if (!Arrays.equals(table, labels)) {
                throw new IllegalArgumentException(s + " has another class table (" + Formats.LABELS_FILE + ") than "
                        + shards.get(0));
            }
            if (seen[part]) {
                throw new IllegalArgumentException("shard " + part + "/" + parts + " is given twice");
            }
            seen[part] = true;
            String missing = RunState.incompleteness(s, common, part, parts);
            if (missing != null) {
                throw new RunState.RunRefused(s, "shard " + part + "/" + parts + " (" + s + ") " + missing
                        + "; rerun its generate command to finish it, then merge");
            }
            // Its files, as a resumed run checks its done samples: a shard copied in part (an rsync stopped halfway)
            // or damaged on its way would otherwise merge into a dataset whose manifest lists what is not there.
            String damaged = checkFiles ? RunState.damage(s) : null;
            if (damaged != null) {
                throw new RunState.RunRefused(s, "shard " + part + "/" + parts + " (" + s + "): " + damaged
                        + "; rerun its generate command to redo that sample, then merge");
            }
        }
        if (common == null) {
            throw new IllegalArgumentException("no shards to merge");
        }
        for (int part = k; part < seen.length; part += n) {
            if (!seen[part]) {
                throw new IllegalArgumentException("shard " + part + "/" + seen.length + " is missing");
            }
        }
        return new ShardMerge(shards, common, k, n);
    }

    /**
     * Thrown by {@link #into} when the output directory holds something other than an earlier try of the same merge;
     * the message starts with the directory, for a caller to say which of its options named it.
     */
    public static final class OutputInUse extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        OutputInUse(String message) {
            super(message);
        }
    }

    /** Thrown by {@link #into} when told to link files that cannot be hard-linked into its output. */
    public static final class CannotLink extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        CannotLink(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * How {@link #into} puts the shards' files into its output. A link is as good as a copy here: roadsynth never
     * writes a file in place, so neither side changes the other.
     */
    public enum Transfer {
        /** Copies each file. */
        COPY,
        /** Hard-links each file (one file system), refusing before anything is merged where it cannot. */
        LINK,
        /**
         * Hard-links each file where it can and copies it where not: for a split's own join, whose parts lie in its
         * output, on a file system that has no hard links (FAT, some network and object-store mounts).
         */
        LINK_OR_COPY
    }

    /**
     * Merges into {@code out} (new, empty, or this merge stopped halfway), under its {@link OutputLock}.
     *
     * @param how      whether the shards' files are copied or hard-linked
     * @param eachFile told the count of files copied (or linked) so far, after each
     * @throws OutputInUse when {@code out} holds anything else
     * @throws CannotLink  with {@link Transfer#LINK}, when a shard's files cannot be hard-linked into {@code out},
     *                     before anything is merged
     */
    public Outcome into(Path out, Transfer how, LongConsumer eachFile) throws IOException {
        return into(out, how, eachFile, n -> { });
    }

    /**
     * As {@link #into(Path, Transfer, LongConsumer)}, telling {@code eachChecked}, where {@code out} holds this run
     * merged already, the count of its samples whose files were checked so far (a batch at a time).
     */
    public Outcome into(Path out, Transfer how, LongConsumer eachFile, LongConsumer eachChecked) throws IOException {
        var intent = JSON.createObjectNode();
        var paths = intent.putArray("shards");
        shards.stream().map(p -> p.toAbsolutePath().normalize().toString()).sorted().forEach(paths::add);
        intent.set("run", run);
        byte[] intentBytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(intent);
        Path marker = out.resolve(MERGING);
        if (!Files.exists(marker) && alreadyMerged(out)) {
            // A rerun after the merge finished (a batch job retried, say, or one to mend what validate found): nothing
            // to do but restore the files of its samples that were lost or changed since.
            return new Outcome(true, Map.of(), restore(out, how, eachChecked));
        }
        if (!emptyButForLock(out, partsHere(out)) && !(Files.isRegularFile(marker)
                && Arrays.equals(Files.readAllBytes(marker), intentBytes))) {
            throw new OutputInUse(out + " is not empty, and not a merge of these shards that stopped halfway;"
                    + " choose a new or empty directory");
        }
        try (OutputLock lock = OutputLock.acquire(out)) {
            if (how == Transfer.LINK) {
                requireLinks(out);
            }
            // A merge killed while it wrote a file left its temporary beside it, which nothing else would remove from
            // a finished dataset: one stopped halfway (its marker there) anywhere it writes (COCO's joined JSON, the
            // manifest), one killed before (while it wrote the marker, or probed for links) in OUT itself. Only the
            // first walks the tree, which a split's first join need not (its parts: every file of the run).
            RunState.removeTemporaries(out, Files.exists(marker) ? Integer.MAX_VALUE : 1);
            AtomicFiles.write(marker, o -> o.write(intentBytes));
            long[] copied = {0};
            for (Path s : shards) {
                copyTree(s, out, how, () -> eachFile.accept(++copied[0]));
            }
            Map<String, Drawn> drawnBy = mergeManifests(out);
            // As the unsharded run finishes: COCO's parts of all shards joined, every declared split made.
            List<String> formats = new ArrayList<>();
            run.get("formats").forEach(f -> formats.add(f.asText()));
            List<String> splits = RunState.declaredSplits(run);
            // A shard's output keeps COCO's parts, as generate --shard does, for the merge of all shards.
            for (DatasetWriter w : Formats.writers(out, formats, n > 1)) {
                w.finish(splits);
            }
            byte[] record = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(run);
            AtomicFiles.write(out.resolve("run.json"), o -> o.write(record));
            // Every shard's files were found whole in this boot by of() (present where the shard's own record holds,
            // hashed where not), or by the processes that made the parts, and OUT's are links or copies of them made
            // since: recorded, so that a rerun or an extension of the merged run need not hash them again.
            RunState.recordTrust(out);
            if (!partsHere(out)) {
                intent.put("link", how == Transfer.LINK);
                byte[] merged = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(intent);
                AtomicFiles.write(out.resolve(MERGED), o -> o.write(merged));
            }
            Files.delete(marker);
            return new Outcome(false, drawnBy, 0);
        }
    }

    /**
     * Refuses, before anything is merged, to link from a shard whose files cannot be hard-linked into {@code out}
     * (another file system, most often): found by linking each shard's manifest under a temporary name.
     *
     * @throws CannotLink naming the shard, {@code out} and the system's reason
     */
    private void requireLinks(Path out) throws IOException {
        for (Path s : shards) {
            Path probe = AtomicFiles.temporaryFor(out.resolve("roadsynth-link-probe"));
            try {
                Files.createLink(probe, s.resolve("manifest.jsonl"));
            } catch (IOException | UnsupportedOperationException e) {
                String why = e instanceof IOException io ? FileErrors.reason(io) : String.valueOf(e.getMessage());
                throw new CannotLink(s + "'s files cannot be hard-linked into " + out + " (" + why + "):"
                        + " links need one file system; merge by copying instead", e);
            } finally {
                Files.deleteIfExists(probe);
            }
        }
    }

    /**
     * Restores, under {@code out}'s lock, every file its manifest lists that is not whole (missing, or, unless its
     * trust record holds, not of the SHA-256 recorded: {@link RunState#fileProblem}) from the shard that holds its
     * sample (sample i in shard i mod n, checked whole by {@link #of}), each linked or copied beside it and renamed
     * over it; then records that its files are whole in this boot. Returns how many it restored. What the merge
     * wrote itself (the manifest, COCO's JSON, KITTI's lists) it leaves: {@code roadsynth validate} names damage
     * there, and merging again into a new folder mends it.
     */
    private long restore(Path out, Transfer how, LongConsumer checked) throws IOException {
        try (OutputLock lock = OutputLock.acquire(out)) {
            Map<Integer, Path> byPart = new java.util.HashMap<>();
            int parts = 1;
            for (Path s : shards) {
                int[] kn = RunState.shardOf(RunState.record(s));
                byPart.put(kn[0], s);
                parts = kn[1];
            }
            int p = parts;
            boolean trusted = RunState.trustedNow(out);
            long[] restored = {0};
            long[] lines = {0};
            IOException[] failed = {null};
            RunState.inBatches(out.resolve("manifest.jsonl"), batch -> {
                checked.accept(lines[0] += batch.size());
                List<String[]> lost = batch.parallelStream().flatMap(line -> notWhole(out, line, trusted).stream())
                        .toList();
                for (String[] f : lost) {
                    Path shard = byPart.get((int) (Long.parseLong(f[0]) % p));
                    Path from = shard.resolve(f[1]);
                    try {
                        // Hashed, whatever the shard's record says: a file changed in place, linked, is the shard's too.
                        String problem = RunState.fileProblem(from, f[2], false);
                        if (problem != null) {
                            RunState.distrust(shard); // its rerun then hashes its files and finds this one
                            throw new RunState.RunRefused(shard, out + ": sample " + f[0] + "'s " + f[1] + " is not whole,"
                                    + " and its shard's (" + shard + ") " + problem + "; rerun the shard's generate"
                                    + " command to make that sample again, then merge");
                        }
                        put(from, out.resolve(f[1]), how);
                    } catch (IOException e) {
                        failed[0] = e;
                        return false;
                    }
                    restored[0]++;
                }
                return true;
            });
            if (failed[0] != null) {
                throw failed[0];
            }
            if (!trusted || restored[0] > 0) {
                RunState.recordTrust(out); // every listed file hashed (or found) whole, or restored from a whole shard
            }
            return restored[0];
        }
    }

    /**
     * The files a manifest line lists that are not whole, each as {sample index, path, SHA-256}; none for a line that
     * does not read.
     */
    private static List<String[]> notWhole(Path out, byte[] line, boolean trusted) {
        List<String[]> lost = new ArrayList<>();
        JsonNode m;
        try {
            m = JSON.readTree(line);
        } catch (IOException e) {
            return lost; // a merge writes whole lines; alreadyMerged read every one
        }
        for (JsonNode f : m.get("files")) {
            String path = f.get("path").asText();
            boolean whole;
            try {
                whole = RunState.fileProblem(out.resolve(path), f.get("sha256").asText(), trusted) == null;
            } catch (IOException e) {
                whole = false; // unreadable: restored like a lost one
            }
            if (!whole) {
                lost.add(new String[] {m.get("index").asText(), path, f.get("sha256").asText()});
            }
        }
        return lost;
    }

    /** {@code from} linked (as {@code how} allows) or copied beside {@code to}, then renamed over it. */
    private static void put(Path from, Path to, Transfer how) throws IOException {
        Files.createDirectories(to.getParent());
        Path tmp = AtomicFiles.temporaryFor(to);
        try {
            if (how == Transfer.COPY || !linked(from, tmp, how == Transfer.LINK)) {
                Files.copy(from, tmp);
            }
            Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw FileErrors.named(to, e);
        }
    }

    /** Whether {@code out} holds a finished merge of this run: its run record and all its samples. */
    private boolean alreadyMerged(Path out) throws IOException {
        JsonNode had = RunState.record(out);
        return had != null && had.equals(run) && RunState.incompleteness(out, run, k, n) == null;
    }

    /** Whether every shard merged lies in {@code out}'s {@link #PARTS}: a split's own join. */
    private boolean partsHere(Path out) {
        Path parts = out.resolve(PARTS).toAbsolutePath().normalize();
        return shards.stream().allMatch(s -> s.toAbsolutePath().normalize().startsWith(parts));
    }

    /**
     * Whether {@code dir} is missing or holds nothing but an output lock, and the parts of a run where
     * {@code partsAllowed} (a split's join; a merge of other shards into a folder that holds a split's parts is
     * refused, since those parts, once the folder holds a run, would be taken for a finished split's and removed).
     */
    private static boolean emptyButForLock(Path dir, boolean partsAllowed) throws IOException {
        if (!Files.exists(dir)) {
            return true;
        }
        try (Stream<Path> s = Files.list(dir)) {
            // Temporaries too: a merge killed while it wrote its marker (or probed for links) left one, and goes on.
            return s.allMatch(p -> AtomicFiles.isTemporary(p) || p.getFileName().toString().equals(OutputLock.FILE)
                    || (partsAllowed && p.getFileName().toString().equals(PARTS)));
        }
    }

    /**
     * Copies (or links) a shard's files, but what is rebuilt for the whole run (manifest, run record, COCO JSON),
     * the lock, the run's trust record ({@link RunState#TRUST_FILE}), temporary files, what a mend a kill stopped
     * left ({@link RunState#MEND_FOLDER}) and a merge's own records (a merged dataset merged again, as one shard of
     * one); {@code eachFile} runs after each.
     */
    private static void copyTree(Path shard, Path target, Transfer how, Runnable eachFile) throws IOException {
        try (Stream<Path> s = Files.walk(shard)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String rel = shard.relativize(p).toString().replace('\\', '/');
                if (rel.equals("manifest.jsonl") || rel.equals("run.json") || rel.equals(OutputLock.FILE)
                        || rel.equals(RunState.TRUST_FILE) || rel.startsWith(RunState.MEND_FOLDER + "/")
                        || rel.equals(MERGED) || rel.equals(MERGING)
                        || AtomicFiles.isTemporary(p)
                        || (rel.startsWith("coco/annotations/") && rel.endsWith(".json") && !rel.contains("/.parts/"))) {
                    continue;
                }
                Path dest = target.resolve(rel);
                Files.createDirectories(dest.getParent());
                if (how == Transfer.COPY || !linked(p, dest, how == Transfer.LINK)) {
                    try {
                        Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
                    } catch (IOException e) {
                        throw FileErrors.named(dest, e); // a full disk, say: named as any write that fails
                    }
                }
                eachFile.run();
            }
        }
    }

    /**
     * Hard-links {@code dest} to {@code file}, replacing what a merge stopped halfway left there; whether it could.
     *
     * @param must throw where it cannot, naming {@code dest}, rather than return false
     */
    private static boolean linked(Path file, Path dest, boolean must) throws IOException {
        Files.deleteIfExists(dest);
        try {
            Files.createLink(dest, file);
            return true;
        } catch (IOException e) {
            if (must) { // a file system without links under a shard's folder, say (requireLinks tried its top)
                throw FileErrors.named(dest, e);
            }
            return false;
        }
    }

    /**
     * A k-way merge of the shards' manifests (each in sample order) into {@code out}'s, in sample order, streaming,
     * written atomically.
     *
     * @return by rasterizer (sorted), the samples it drew and the shards they came from
     */
    private Map<String, Drawn> mergeManifests(Path out) throws IOException {
        record Head(long index, String line, BufferedReader reader, String shard, String renderer) {
            static Head of(String line, BufferedReader reader, String shard) throws IOException {
                JsonNode m = JSON.readTree(line);
                return new Head(m.get("index").asLong(), line, reader, shard,
                        m.hasNonNull("renderer") ? m.get("renderer").asText() : null);
            }
        }
        // By rasterizer: how many samples it drew, and the shards they came from (in the order given).
        final class Tally {
            long samples;
            final Set<String> shards = new LinkedHashSet<>();
        }
        Map<String, Tally> tallies = new TreeMap<>();
        List<BufferedReader> readers = new ArrayList<>();
        try {
            AtomicFiles.write(out.resolve("manifest.jsonl"), o -> {
                PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> Long.compare(a.index(), b.index()));
                for (Path s : shards) {
                    if (!Files.exists(s.resolve("manifest.jsonl"))) {
                        continue; // a shard with no samples, from a build that wrote no manifest for it
                    }
                    BufferedReader r = dev.roadsynth.core.io.JsonLines.reader(s.resolve("manifest.jsonl"));
                    readers.add(r);
                    String line = r.readLine();
                    if (line != null) {
                        heads.add(Head.of(line, r, s.toString()));
                    }
                }
                // Flushed, not closed: the stream is the atomic writer's to close.
                BufferedWriter w = new BufferedWriter(new OutputStreamWriter(o, StandardCharsets.UTF_8));
                while (!heads.isEmpty()) {
                    Head h = heads.poll();
                    w.write(h.line());
                    w.newLine();
                    if (h.renderer() != null) {
                        Tally t = tallies.computeIfAbsent(h.renderer(), r -> new Tally());
                        t.samples++;
                        t.shards.add(h.shard());
                    }
                    String next = h.reader().readLine();
                    if (next != null) {
                        heads.add(Head.of(next, h.reader(), h.shard()));
                    }
                }
                w.flush();
            });
        } finally {
            for (BufferedReader r : readers) {
                r.close();
            }
        }
        Map<String, Drawn> drawnBy = new TreeMap<>();
        tallies.forEach((renderer, t) -> drawnBy.put(renderer, new Drawn(t.samples, new ArrayList<>(t.shards))));
        return drawnBy;
    }
}
