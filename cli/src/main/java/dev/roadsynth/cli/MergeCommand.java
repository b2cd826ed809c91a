package dev.roadsynth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roadsynth.core.dataset.OutputLock;
import dev.roadsynth.core.dataset.RunState;
import dev.roadsynth.core.io.AtomicFiles;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "merge", mixinStandardHelpOptions = true,
        header = "Join the outputs of the shards of one run into one dataset.",
        description = {"Join the outputs of all shards of one run (generate --shard K/N) into one",
                "dataset, identical to what the unsharded run writes: files, manifest (in",
                "sample order) and COCO JSON. Every shard must be complete; a merge that",
                "stopped halfway continues when rerun."},
        footer = {"%nExamples:%n  roadsynth merge --out dataset shard-0 shard-1 shard-2 shard-3",
                "  roadsynth merge --link --out /data/dataset /data/shard-*"})
final class MergeCommand implements Callable<Integer> {
    @Mixin
    VerboseOption verbose;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--out", required = true, description = "The merged dataset's directory (new or empty).")
    Path out;

    @Parameters(paramLabel = "SHARD", arity = "1..*", description = "The shards' output directories.")
    List<Path> shards;

    @Option(names = "--link", description = {"Hard-link the shards' files into OUT instead of copying them (one file "
            + "system; the merged dataset then takes no more space). roadsynth never writes a file in place, so "
            + "neither the shards nor the merged dataset change the other."})
    boolean link;

    @Option(names = "--quiet", description = "No progress and no summary.")
    boolean quiet;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        JsonNode common = null;
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
            int k = kn[0];
            int n = kn[1];
            ObjectNode run = (ObjectNode) record;
            run.put("shard", "0/1");
            if (common == null) {
                common = run;
                seen = new boolean[n];
            } else if (!common.equals(run) || seen.length != n) {
                String diff = RunState.differences(common, "in " + shards.get(0), run, "in " + s);
                throw new IllegalArgumentException(s + " belongs to another run than " + shards.get(0) + " ("
                        + (diff.isEmpty() ? "split into " + seen.length + " shards there, " + n + " here" : diff) + ")");
            }
            // run.json names scene files by path; their class tables must still agree (one table per dataset).
            byte[] labels = Files.exists(s.resolve(GenerationJob.LABELS_FILE))
                    ? Files.readAllBytes(s.resolve(GenerationJob.LABELS_FILE)) : new byte[0];
            if (table == null) {
                table = labels;
            } else if (!java.util.Arrays.equals(table, labels)) {
                throw new IllegalArgumentException(s + " has another class table (" + GenerationJob.LABELS_FILE
                        + ") than " + shards.get(0));
            }
            if (seen[k]) {
                throw new IllegalArgumentException("shard " + k + "/" + n + " is given twice");
            }
            seen[k] = true;
            checkComplete(s, common, k, n);
        }
        for (int k = 0; k < seen.length; k++) {
            if (!seen[k]) {
                throw new IllegalArgumentException("shard " + k + "/" + seen.length + " is missing");
            }
        }
        // What this merge is, recorded in OUT while it runs: a rerun of the same merge (the same shards, in any
        // order) continues in a directory that one stopped halfway left; anything else there is refused.
        var intent = JSON.createObjectNode();
        var paths = intent.putArray("shards");
        shards.stream().map(p -> p.toAbsolutePath().normalize().toString()).sorted().forEach(paths::add);
        intent.set("run", common);
        byte[] intentBytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(intent);
        Path marker = out.resolve(MERGING);
        if (!Files.exists(marker) && alreadyMerged(out, common)) {
            // A rerun after the merge finished (a batch job retried, say): nothing to do.
            spec.commandLine().getOut().println(out + " already holds this run, merged; nothing to do");
            return Main.EXIT_OK;
        }
        if (!emptyButForLock(out) && !(Files.isRegularFile(marker)
                && java.util.Arrays.equals(Files.readAllBytes(marker), intentBytes))) {
            throw new IllegalArgumentException("--out " + out + " is not empty, and not a merge of these shards that"
                    + " stopped halfway; choose a new or empty directory");
        }
        long start = System.nanoTime();
        java.util.Map<String, Drawn> drawnBy;
        try (OutputLock lock = OutputLock.acquire(out)) {
            AtomicFiles.write(marker, o -> o.write(intentBytes));
            // Shards of a large run hold millions of files: say how far the copying got (stderr, as progress).
            try (Progress.Counter files = new Progress.Counter(spec.commandLine().getErr(), quiet,
                    link ? "linked " : "copied ", " files")) {
                long[] copied = {0};
                for (Path s : shards) {
                    copyTree(s, out, () -> files.accept(++copied[0]));
                }
            }
            drawnBy = mergeManifests();
            // As the unsharded run finishes: COCO's parts of all shards joined, every declared split made.
            List<String> formats = new ArrayList<>();
            common.get("formats").forEach(f -> formats.add(f.asText()));
            List<String> splits = RunState.declaredSplits(common);
            for (var w : GenerationJob.writers(out, formats, false)) {
                w.finish(splits);
            }
            byte[] run = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(common);
            AtomicFiles.write(out.resolve("run.json"), o -> o.write(run));
            Files.delete(marker);
        }
        noteRasterizers(drawnBy);
        if (!quiet) {
            spec.commandLine().getOut().printf("merged %d %s into %s%s in %.1f s%n", shards.size(),
                    shards.size() == 1 ? "shard" : "shards", out, link ? " (files linked)" : "",
                    (System.nanoTime() - start) / 1e9);
        }
        return Main.EXIT_OK;
    }

    /** In OUT while a merge runs (see {@link #call}). */
    static final String MERGING = ".roadsynth-merging.json";

    /** Whether {@code out} holds a finished merge of the run {@code common}: its run record and all its samples. */
    private static boolean alreadyMerged(Path out, JsonNode common) throws IOException {
        JsonNode had = RunState.record(out);
        return had != null && had.equals(common) && RunState.incompleteness(out, common, 0, 1) == null;
    }

    /** Whether {@code dir} is missing or holds nothing but an output lock. */
    private static boolean emptyButForLock(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return true;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.allMatch(p -> p.getFileName().toString().equals(OutputLock.FILE));
        }
    }

    /**
     * Refuses a shard whose manifest does not list exactly its samples, in order: one interrupted (or still
     * running) would otherwise merge into a dataset with a gap that no file shows.
     */
    private static void checkComplete(Path shard, JsonNode run, int k, int n) throws IOException {
        String missing = RunState.incompleteness(shard, run, k, n);
        if (missing != null) {
            throw new IllegalArgumentException("shard " + k + "/" + n + " (" + shard + ") " + missing
                    + "; rerun its generate command to finish it, then merge");
        }
    }

    /**
     * Copies (or links) a shard's files, but what is rebuilt for the whole run (manifest, run record, COCO JSON),
     * the lock, the run's trust record (RunState.TRUST_FILE) and temporary files; {@code eachFile} runs after each.
     */
    private void copyTree(Path shard, Path target, Runnable eachFile) throws IOException {
        try (Stream<Path> s = Files.walk(shard)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String rel = shard.relativize(p).toString().replace('\\', '/');
                if (rel.equals("manifest.jsonl") || rel.equals("run.json") || rel.equals(OutputLock.FILE)
                        || rel.equals(RunState.TRUST_FILE)
                        || AtomicFiles.isTemporary(p)
                        || (rel.startsWith("coco/annotations/") && rel.endsWith(".json") && !rel.contains("/.parts/"))) {
                    continue;
                }
                Path dest = target.resolve(rel);
                Files.createDirectories(dest.getParent());
                if (link) {
                    Files.deleteIfExists(dest); // from a merge that stopped halfway
                    try {
                        Files.createLink(dest, p);
                    } catch (IOException e) {
                        throw dev.roadsynth.core.io.FileErrors.named(dest, e); // another file system, say
                    }
                } else {
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
                }
                eachFile.run();
            }
        }
    }

    /** How many of the merged samples one rasterizer drew, and in which shards (as given, in sample order). */
    private static final class Drawn {
        long samples;
        final java.util.Set<String> shards = new java.util.LinkedHashSet<>();
    }

    /**
     * Says on stderr (even with --quiet: it bears on what the dataset is) when the shards' samples were drawn by
     * more than one rasterizer (manifest {@code renderer}; lines of versions before it name none): the merged
     * dataset is then not byte for byte what the unsharded run on any one of them gives (docs/formats.md).
     */
    private void noteRasterizers(java.util.Map<String, Drawn> drawnBy) {
        if (drawnBy.size() > 1) {
            List<String> each = new ArrayList<>();
            drawnBy.forEach((renderer, d) -> each.add(renderer + " (" + d.samples + (d.samples == 1 ? " sample" : " samples")
                    + " in " + String.join(", ", d.shards) + ")"));
            var err = spec.commandLine().getErr();
            err.println("roadsynth: note: the shards' samples were drawn by " + drawnBy.size() + " rasterizers: "
                    + String.join("; ", each) + "; where two surfaces lie too close to call, their labels may differ from"
                    + " what one run on any of them gives");
            err.flush();
        }
    }

    /**
     * A k-way merge of the shards' manifests (each in sample order) into one, in sample order, streaming, written
     * atomically.
     *
     * @return by rasterizer (sorted), the samples it drew and the shards they came from
     */
    private java.util.Map<String, Drawn> mergeManifests() throws IOException {
        record Head(long index, String line, BufferedReader reader, String shard, String renderer) {
            static Head of(String line, BufferedReader reader, String shard) throws IOException {
                JsonNode m = JSON.readTree(line);
                return new Head(m.get("index").asLong(), line, reader, shard,
                        m.hasNonNull("renderer") ? m.get("renderer").asText() : null);
            }
        }
        java.util.Map<String, Drawn> drawnBy = new java.util.TreeMap<>();
        List<BufferedReader> readers = new ArrayList<>();
        try {
            AtomicFiles.write(out.resolve("manifest.jsonl"), o -> {
                PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> Long.compare(a.index(), b.index()));
                for (Path s : shards) {
                    if (!Files.exists(s.resolve("manifest.jsonl"))) {
                        continue; // a shard with no samples, from a build that wrote no manifest for it
                    }
                    BufferedReader r = Files.newBufferedReader(s.resolve("manifest.jsonl"), StandardCharsets.UTF_8);
                    readers.add(r);
                    String line = r.readLine();
                    if (line != null) {
                        heads.add(Head.of(line, r, s.toString()));
                    }
                }
                // Flushed, not closed: the stream is the atomic writer's to close.
                BufferedWriter w = new BufferedWriter(new java.io.OutputStreamWriter(o, StandardCharsets.UTF_8));
                while (!heads.isEmpty()) {
                    Head h = heads.poll();
                    w.write(h.line());
                    w.newLine();
                    if (h.renderer() != null) {
                        Drawn d = drawnBy.computeIfAbsent(h.renderer(), r -> new Drawn());
                        d.samples++;
                        d.shards.add(h.shard());
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
        return drawnBy;
    }
}
