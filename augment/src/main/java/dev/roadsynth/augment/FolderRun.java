package dev.roadsynth.augment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roadsynth.core.LabelSet;
import dev.roadsynth.core.batch.CommitGate;
import dev.roadsynth.core.batch.InOrder;
import dev.roadsynth.core.batch.RunListener;
import dev.roadsynth.core.dataset.Formats;
import dev.roadsynth.core.dataset.Manifest;
import dev.roadsynth.core.dataset.RunState;
import dev.roadsynth.core.io.AtomicFiles;
import dev.roadsynth.core.io.FileErrors;
import dev.roadsynth.core.io.ImageFolder;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * One augment run: every copy of every input ({@link FolderCopies}) that an earlier run into the same output folder
 * left undone, augmented on a pool and listed in {@code manifest.jsonl} in input order, so that an output is done
 * exactly when its line is there and a rerun with the same parameters resumes (with others it is refused,
 * {@link RunState}); outputs whose files were lost or changed since are made again alone first, in place. An input
 * that cannot be read is skipped and told to the listener; the rest go on.
 */
public final class FolderRun {
    private FolderRun() {
    }

    /**
     * The counts of a run: augmented images written now (those made again in place of damaged ones included), inputs
     * skipped as unreadable, and whether the run was stopped ({@link CommitGate#stop}: the rerun makes what is left).
     */
    public record Outcome(long written, int skipped, boolean stopped) {
    }

    /**
     * What a run tells its caller as it goes: its progress ({@link RunListener}: outputs checked, then inputs made;
     * an input skipped is committed too), and the inputs it skips.
     */
    public interface Listener extends RunListener {
        /** Input {@code name} could not be read and is left out, for the reason given; inside the commit. */
        default void skipped(String name, String why) {
        }

        /** Something the user should know about the run, as one sentence without "note:". */
        default void note(String sentence) {
        }
    }

    /**
     * What identifies a roadsynth dataset {@code in} as the input of a run: its run record without the count, hashed
     * ("run.json without its count, sha256:..."); null for a folder without a record. A dataset made again with
     * other parameters in the same place (another seed, other scenes, another version) is another input, whose
     * copies must not be mixed with the earlier one's: the resume is refused, naming "input". One extended to more
     * samples is the same input (its earlier samples are as they were), so a rerun augments the new ones too.
     */
    static String inputRecord(Path in) throws IOException {
        if (!(RunState.record(in) instanceof ObjectNode record)) {
            return null;
        }
        ObjectNode rest = record.deepCopy();
        rest.remove("count");
        return "run.json without its count, sha256:" + Manifest.sha256(new ObjectMapper().writeValueAsBytes(rest));
    }

    /**
     * Runs {@code made} over {@code items} (all of them, or those of one split: {@code split}, recorded in the run's
     * parameters; null for all) on {@code threads} threads; every commit passes {@code gate}. {@code table} is the
     * input dataset's own class table ({@code labels.json}), or null for a folder of masks: masks are read with it
     * (else their ids are taken as Cityscapes ids), and it is written beside the outputs, so that they say what
     * their ids mean.
     */
    public static Outcome run(FolderCopies made, List<ImageFolder.Item> items, String split, LabelSet table,
                              int threads, CommitGate gate, Listener listener) throws IOException {
        InOrder.requireThreads(threads);
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(listener, "listener");
        LabelSet labels = maskLabels(table);
        // The lock, the run's parameters (a rerun with another pipeline is refused) and what is done: manifest
        // lines, in order, whose files hash as recorded; the rest is redone.
        Map<String, Object> parameters = Manifest.ordered("command", "augment", "version", made.version(),
                "in", made.in().toString(), "spec", made.spec(), "copies", made.copies(), "seed", made.seed());
        if (split != null) {
            parameters.put("split", split); // only when given, so that runs from before --split still resume
        }
        String input = inputRecord(made.in());
        if (input != null) {
            parameters.put("input", input); // only for a roadsynth dataset: a folder of images has no record
        }
        UnchangedInputs unchanged = new UnchangedInputs(made.in());
        RunState opened = RunState.open(made.out(), parameters,
                m -> FolderCopies.key(m.get("name").asText(), m.get("copy").asInt()), unchanged, listener::checking);
        try (RunState state = opened) {
            String changed = unchanged.said();
            if (changed != null) {
                listener.note(changed);
            }
            if (table != null) {
                byte[] json = table.toJson();
                AtomicFiles.write(made.out().resolve(Formats.LABELS_FILE), o -> o.write(json));
            }
            List<String> damaged = state.toMendKeys();
            long mended = 0;
            boolean told = false;
            if (!damaged.isEmpty()) {
                listener.note(damaged.size() + (damaged.size() == 1 ? " output's" : " outputs'") + " files are missing"
                        + " or damaged (" + state.firstDamage() + "); making " + (damaged.size() == 1 ? "it" : "them")
                        + " again in place");
                // Told as if every damaged output comes out as recorded, as with the same pipeline each does.
                Set<String> mending = new HashSet<>();
                damaged.forEach(k -> mending.add(FolderCopies.nameOf(k)));
                long kept = items.stream()
                        .filter(i -> !mending.contains(i.name()) && made.allDone(i.name(), state::doneIfMended)).count();
                gate.begin(kept, items.size());
                listener.making(kept, items.size() - kept);
                told = true;
                long same = mend(made, items, labels, damaged, threads, state, gate, listener);
                if (gate.stopped()) {
                    return new Outcome(same, 0, true);
                }
                state.mended(same == damaged.size());
                if (same == damaged.size()) {
                    mended = same;
                } else {
                    told = false;
                    listener.note("they came out other than their manifest lines record (or their inputs are not among"
                            + " this run's), so every output from the first of them on is made again");
                }
            }
            long left = items.stream().filter(i -> !made.allDone(i.name(), state::done)).count();
            if (!told) {
                gate.begin(items.size() - left, items.size());
                listener.making(items.size() - left, left);
            }
            int[] skipped = {0};
            long[] written = {0};
            try (BufferedWriter manifest = FileErrors.appending(made.out().resolve("manifest.jsonl"));
                 InOrder<Done> inOrder = new InOrder<>("roadsynth-augment", threads, d -> gate.commit(() -> {
                     int skip = commit(d, manifest, listener);
                     skipped[0] += skip;
                     written[0] += d.result().lines().size();
                     listener.committed(); // inside: no progress line after a stop note
                     return 1 - skip;
                 }))) {
                for (ImageFolder.Item item : items) {
                    if (gate.stopped()) {
                        break;
                    }
                    if (!made.allDone(item.name(), state::done)) {
                        inOrder.submit(() -> new Done(item, made.augment(item, labels, state::done)));
                    }
                }
                inOrder.finish();
            }
            return new Outcome(mended + written[0], skipped[0], gate.stopped());
        }
    }

    /**
     * Makes the outputs {@code damaged} ({@link RunState#toMendKeys}) again on {@code threads} threads, into
     * {@link RunState#MEND_FOLDER}, and holds each input's against their manifest lines: where they come out as
     * recorded (the input unchanged: the run's check found so; the same pipeline, seed and version: the record says
     * so), their files are moved over the damaged ones and the input is committed through {@code gate}. No more are
     * taken after the first that does not, or whose input is not among {@code items} or cannot be read. The folder is
     * deleted at the end (a stopped run leaves it to the rerun's open). Returns how many outputs came out as recorded
     * (all of {@code damaged}, or fewer).
     */
    private static long mend(FolderCopies made, List<ImageFolder.Item> items, LabelSet labels, List<String> damaged,
                             int threads, RunState state, CommitGate gate, Listener listener) throws IOException {
        Path folder = made.out().resolve(RunState.MEND_FOLDER);
        FolderCopies aside = made.writingInto(folder);
        Set<String> wanted = new HashSet<>(damaged);
        Set<String> names = new LinkedHashSet<>();
        damaged.forEach(k -> names.add(FolderCopies.nameOf(k)));
        Map<String, ImageFolder.Item> byName = new HashMap<>();
        items.forEach(i -> byName.put(i.name(), i));
        ObjectMapper json = new ObjectMapper();
        AtomicBoolean differs = new AtomicBoolean();
        long[] same = {0};
        Files.createDirectories(folder);
        try (InOrder<Done> inOrder = new InOrder<>("roadsynth-augment", threads, d -> {
            FolderCopies.Result r = d.result();
            if (differs.get() || r.unreadable() != null || r.lines().isEmpty()) {
                differs.set(true);
                return;
            }
            for (String line : r.lines()) {
                JsonNode m = json.readTree(line);
                if (!state.asRecorded(FolderCopies.key(m.get("name").asText(), m.get("copy").asInt()), line)) {
                    differs.set(true);
                    return;
                }
            }
            gate.commit(() -> {
                for (String line : r.lines()) {
                    RunState.moveMended(made.out(), line);
                }
                same[0] += r.lines().size();
                listener.committed();
                // An input with copies never made besides (a kill cut its lines) is counted when they are.
                return made.allDone(d.item().name(), state::doneIfMended) ? 1 : 0;
            });
        })) {
            for (String name : names) {
                if (gate.stopped() || differs.get()) {
                    break;
                }
                ImageFolder.Item item = byName.get(name);
                if (item == null) {
                    differs.set(true);
                    break;
                }
                inOrder.submit(() -> new Done(item, aside.augment(item, labels, k -> !wanted.contains(k))));
            }
            inOrder.finish();
        }
        if (!gate.stopped()) {
            dev.roadsynth.core.io.FileTrees.delete(folder);
        }
        return same[0];
    }

    /**
     * The class table an input's masks are read with: the input dataset's own ({@code labels.json}), or for a folder
     * of masks without one ({@code table} null) Cityscapes', whose ids such masks are taken to be.
     */
    public static LabelSet maskLabels(LabelSet table) {
        return table == null ? LabelSet.cityscapes() : table;
    }

    /**
     * Whether the inputs an earlier run's manifest line names (its {@code inputs}: each file relative to the input
     * folder, with its SHA-256) are still those files; a line without them (nothing to check) holds. Called from
     * several threads at once, on the lines of a batch in any order: the copies of one input, consecutive lines,
     * find its files hashed once in a cache that holds the files of a few batches, not every input of the run (a
     * million inputs would take hundreds of megabytes).
     */
    static final class UnchangedInputs implements Predicate<JsonNode> {
        /** Files the cache holds: two batches of lines ({@link RunState}'s 4,096) of 4 files each. */
        private static final int CACHED = 2 * 4096 * 4;
        private final Path in;
        private final Map<String, String> hashes = Collections.synchronizedMap(
                new LinkedHashMap<>(CACHED, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                        return size() > CACHED;
                    }
                });
        private final ConcurrentSkipListSet<String> changed = new ConcurrentSkipListSet<>();

        UnchangedInputs(Path in) {
            this.in = in;
        }

        @Override
        public boolean test(JsonNode line) {
            JsonNode inputs = line.get("inputs");
            if (inputs == null) {
                return true;
            }
            for (JsonNode f : inputs) {
                String path = f.get("path").asText();
                String now = hashes.get(path);
                if (now == null) { // hashed outside the map's lock, so that threads hash at once (rarely one twice)
                    now = hash(path);
                    hashes.put(path, now);
                }
                if (!now.equals(f.get("sha256").asText())) {
                    changed.add(path);
                    return false;
                }
            }
            return true;
        }

        private String hash(String path) {
            try {
                return Manifest.sha256(in.resolve(path));
            } catch (IOException e) {
                return "missing or unreadable";
            }
        }

        /** The sentence that tells which inputs changed (by name order), or null where none did. */
        String said() {
            if (changed.isEmpty()) {
                return null;
            }
            if (changed.size() == 1) {
                return "input " + changed.first() + " changed (or is gone) since its copies were made: they, and the"
                        + " copies listed after them, are made again";
            }
            return changed.size() + " inputs changed (or are gone) since their copies were made (" + changed.first()
                    + " first by name): those copies, and the ones listed after them, are made again";
        }
    }

    /** One input and what augmenting it gave. */
    private record Done(ImageFolder.Item item, FolderCopies.Result result) {
    }

    /**
     * Tells a skip, or appends the lines (after their files: an output is done exactly when its line is there).
     *
     * @return 1 for a skip, else 0
     */
    private static int commit(Done d, BufferedWriter manifest, Listener listener) throws IOException {
        if (d.result().unreadable() != null) {
            listener.skipped(d.item().name(), d.result().unreadable());
            return 1;
        }
        for (String line : d.result().lines()) {
            manifest.write(line);
            manifest.newLine();
        }
        manifest.flush();
        return 0;
    }
}
