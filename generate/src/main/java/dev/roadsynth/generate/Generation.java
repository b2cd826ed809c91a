package dev.roadsynth.generate;

import dev.roadsynth.core.ObjectAnnotation;
import dev.roadsynth.core.Seeds;
import dev.roadsynth.core.batch.CommitGate;
import dev.roadsynth.core.batch.InOrder;
import dev.roadsynth.core.batch.RunListener;
import dev.roadsynth.core.dataset.DatasetWriter;
import dev.roadsynth.core.dataset.Formats;
import dev.roadsynth.core.dataset.Manifest;
import dev.roadsynth.core.dataset.RunState;
import dev.roadsynth.core.dataset.Sample;
import dev.roadsynth.core.dataset.Splits;
import dev.roadsynth.core.io.AtomicFiles;
import dev.roadsynth.core.io.FileErrors;
import dev.roadsynth.renderer.Annotator;
import dev.roadsynth.renderer.BesideRendering;
import dev.roadsynth.renderer.Outputs;
import dev.roadsynth.renderer.Rendered;
import dev.roadsynth.renderer.RenderTimes;
import dev.roadsynth.renderer.Renderer;
import dev.roadsynth.scenes.Scene;
import dev.roadsynth.scenes.SceneGenerator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One generation run, the sample pipeline: scene specs and seeds -> scenes ({@link SceneGenerator}) -> the renderer's
 * frames -> annotations ({@link Annotator}) -> augmentation (optional) -> the chosen writers -> the manifest, one
 * line per sample, in sample order. Sample i uses spec i mod n and seed {@code Seeds.forSample(seed, i)}; its bytes
 * depend on the plan and the rasterizer, not on the number of threads. A rerun into the same directory with the
 * same plan resumes ({@link RunState}): samples whose files hash as recorded are kept, the rest are made again.
 */
public final class Generation {
    private Generation() {
    }

    /** A sample whose files are written, with what its writers still append and its manifest line. */
    private record Done(List<DatasetWriter.Prepared> prepared, String manifestLine) {
    }

    /**
     * The counts of a run: samples written now (in a stopped run, the frames rendered, not all of them committed),
     * samples found done from an earlier run, how long the render thread waited for the writers (nanoseconds; a
     * small share of the run means rendering was the limit), where the render thread's time went, the writer
     * threads' CPU time by step over the samples written now, the pace of each quarter of them, and whether the run
     * was stopped ({@link CommitGate#stop}; the rerun has what spans samples left to join).
     */
    public record Outcome(long written, long alreadyDone, long renderWaitedNanos, RenderTimes renderTimes,
                          StepTimes writerTimes, Pace pace, boolean stopped) {
    }

    /** What a run tells its caller as it goes: its progress in samples ({@link RunListener}), and notes. */
    public interface Listener extends RunListener {
        /** Something the user should know about the dataset, as one sentence without "note:". */
        default void note(String sentence) {
        }

        /**
         * A caveat about what the run's options make, known before it starts (one sentence without "note:"): for
         * the user to read once, not a finding about the data, so a quiet run may leave it out.
         */
        default void caveat(String sentence) {
        }
    }

    /**
     * Runs the plan: the samples an earlier run in {@code plan.out()} left undone. The render thread draws; for each
     * frame a pool of {@code threads} annotates, encodes and writes the sample's files and hashes them; then, in
     * sample order, the writers append what spans samples and the manifest gets the sample's line (flushed), so a
     * sample is done exactly when its line is there. At most 2 x threads samples are in flight, so memory stays flat.
     *
     * <p>Every commit passes {@code gate}, which the run {@linkplain CommitGate#begin begins} with its counts once it
     * has checked an earlier run's samples, and with which it registers its renderer. Once the gate is stopped (a
     * signal) the run takes no new frames, ends after those in flight and returns an outcome that says so, leaving
     * what spans samples in parts for the rerun to join.
     *
     * @param opener opens the renderer: for a new output before anything is written (a machine without one writes
     *               nothing), for a rerun only if samples are left (finishing a run whose samples are all done needs
     *               no GPU); the run closes it
     */
    public static Outcome run(Plan plan, Supplier<Renderer> opener, int threads, CommitGate gate, Listener listener)
            throws IOException {
        InOrder.requireThreads(threads);
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(listener, "listener");
        RunState.requireRunOrEmpty(plan.out()); // before the renderer: refused, nothing else is said
        String edited = plan.editedScene(RunState.record(plan.out()));
        if (edited != null) {
            // RunState would refuse it too, naming the records' difference; this says what the difference means.
            throw new IllegalArgumentException(plan.out() + " holds a run made from " + edited + ": its samples would"
                    + " mix two versions of the scene; restore the file to resume that run, or choose another output"
                    + " directory");
        }
        Renderer opened = Files.exists(plan.out().resolve("run.json")) ? null : opener.get();
        try {
            return run(plan, opener, threads, gate, listener, opened);
        } finally {
            if (opened != null) {
                opened.close();
            }
        }
    }

    /** As above, with the renderer {@code opened} already, or null to open one only if samples are left. */
    private static Outcome run(Plan plan, Supplier<Renderer> opener, int threads, CommitGate gate, Listener listener,
                               Renderer opened) throws IOException {
        List<DatasetWriter> writers = Formats.writers(plan.out(), plan.formats(), plan.shards() > 1);
        // A sample is done when its files hash as recorded and every writer still holds what it keeps beside them.
        // The rasterizers that drew the samples an earlier run wrote (manifest "renderer"; absent in lines of earlier
        // versions), each with the first sample it drew: kept if that sample is (lines come in sample order).
        Map<String, Long> firstDrawnBy = new ConcurrentHashMap<>();
        RunState run = RunState.open(plan.out(), plan.parameters(), m -> {
            if (m.hasNonNull("renderer")) {
                firstDrawnBy.merge(m.get("renderer").asText(), m.get("index").asLong(), Math::min);
            }
            return writers.stream().allMatch(w -> w.intact(m.get("split").asText(), m.get("id").asText()));
        }, listener::checking, (from, to) -> {
            // A run asked for more samples than the earlier one in this directory, all else the same: the earlier
            // samples are the same samples, so they stay; what their run finished is made continuable again.
            for (DatasetWriter w : writers) {
                w.reopen();
            }
        });
        try (RunState state = run) {
            if (state.extendedFrom() >= 0) {
                listener.caveat("extending the run in " + plan.out() + " from " + state.extendedFrom() + " to "
                        + plan.count() + " samples; the samples it made stay as they are, as a run of " + plan.count()
                        + " would have made them");
            }
            // The class table, for readers of the label planes (and 'roadsynth stats'); one per run (Plan).
            byte[] table = plan.specs().get(0).labels().set().toJson();
            AtomicFiles.write(plan.out().resolve(Formats.LABELS_FILE), o -> o.write(table));
            // The renderer opened before the check (the outer run closes it), or one opened now for samples to make.
            Renderer own = null;
            try {
                long[] damaged = state.toMend();
                long total = plan.indices().count();
                long mended = 0;
                boolean told = false;
                if (damaged.length > 0) {
                    Renderer renderer = opened != null ? opened : (own = opener.get());
                    gate.closeOnStop(renderer); // its GPU context must not outlive a signal's exit
                    listener.note(damaged.length + (damaged.length == 1 ? " sample's" : " samples'") + " files are"
                            + " missing or damaged (" + state.firstDamage() + "); making "
                            + (damaged.length == 1 ? "it" : "them") + " again in place");
                    // Told as if every damaged sample comes out as recorded, as on one rasterizer each does.
                    long kept = state.keptCount();
                    gate.begin(kept, total);
                    listener.making(kept, total - kept);
                    told = true;
                    long same = mend(plan, renderer, threads, damaged, state, gate, listener);
                    if (gate.stopped()) {
                        return new Outcome(same, kept, 0, new RenderTimes(), stepTimes(plan, writers), new Pace(0),
                                true);
                    }
                    state.mended(same == damaged.length);
                    if (same == damaged.length) {
                        mended = same;
                    } else {
                        told = false;
                        listener.note("sample " + damaged[(int) same] + " came out other than its manifest line"
                                + " records (made by another rasterizer or driver, say), so its files would not match"
                                + " what was joined after it; every sample from " + damaged[0] + " on is made again");
                    }
                }
                long[] indices = plan.indices().filter(i -> !state.done(i)).toArray();
                long before = total - indices.length - mended;
                if (indices.length > 0) {
                    plan.caveats().forEach(listener::caveat);
                }
                if (indices.length > 0 && before + mended > 0) {
                    // Samples of a finished run found missing or damaged are made again: what it finished is split
                    // back first, so that finishing joins the samples kept with the new ones (nothing to do where it
                    // was not finished, or was extended and so reopened already).
                    for (DatasetWriter w : writers) {
                        w.reopen();
                    }
                }
                if (!told) {
                    gate.begin(before, before + indices.length);
                    listener.making(before, indices.length);
                }
                if (indices.length == 0) {
                    // A dataset always has its manifest, if an empty one: a shard of a run with fewer samples than
                    // shards has none to make, and merge, pack and stats read it.
                    Path manifest = plan.out().resolve("manifest.jsonl");
                    if (!Files.exists(manifest)) {
                        AtomicFiles.write(manifest, o -> { });
                    }
                    for (DatasetWriter w : writers) {
                        w.finish(plan.splits().names()); // what an earlier run left to join
                    }
                    return new Outcome(mended, before, 0, new RenderTimes(), stepTimes(plan, writers), new Pace(0),
                            false);
                }
                Set<String> drawnBy = new TreeSet<>();
                firstDrawnBy.forEach((renderer, first) -> {
                    if (state.done(first)) {
                        drawnBy.add(renderer);
                    }
                });
                Renderer renderer = opened != null ? opened : own != null ? own : (own = opener.get());
                gate.closeOnStop(renderer); // its GPU context must not outlive a signal's exit
                drawnBy.remove(renderer.identity());
                if (!drawnBy.isEmpty()) {
                    // The dataset is then not byte for byte what one uninterrupted run on either rasterizer would give
                    // (docs/formats.md, "renderer"): the listener tells the user, however quiet the run.
                    listener.note("of the " + (before + mended) + " samples kept from an earlier run, some were drawn"
                            + " by " + String.join("; ", drawnBy) + "; this run draws with " + renderer.identity()
                            + "; where two surfaces lie too close to call, their labels may differ from this run's");
                }
                Outcome made = render(plan, renderer, threads, indices, gate, listener, before + mended, writers);
                return new Outcome(made.written() + mended, before, made.renderWaitedNanos(), made.renderTimes(),
                        made.writerTimes(), made.pace(), made.stopped());
            } finally {
                if (own != null) {
                    own.close();
                }
            }
        }
    }

    /**
     * Makes the damaged samples {@code indices} ({@link RunState#toMend}) again, in index order, into
     * {@link RunState#MEND_FOLDER} with writers of their own (what spans samples, COCO's parts, stays there), and
     * holds each against its manifest line: one that comes out as recorded has every file with the recorded bytes
     * (the line holds their SHA-256, taken as they were written), so its files are moved over the damaged ones (each in
     * one step, on one file system) and it is committed through {@code gate}; at the first that comes out otherwise,
     * no more are taken. The folder is deleted at the end (a stopped run leaves it to the rerun's open). Returns how
     * many came out as recorded: all, or the position in {@code indices} of the first that did not.
     */
    private static long mend(Plan plan, Renderer renderer, int threads, long[] indices, RunState state,
                             CommitGate gate, Listener listener) throws IOException {
        Path folder = plan.out().resolve(RunState.MEND_FOLDER);
        List<DatasetWriter> writers = Formats.writers(folder, plan.formats(), plan.shards() > 1);
        Samples samples = Samples.of(plan, folder, writers, renderer.identity());
        java.util.concurrent.atomic.AtomicBoolean differs = new java.util.concurrent.atomic.AtomicBoolean();
        Files.createDirectories(folder);
        long[] same = {0};
        try (InOrder<Done> inOrder = new InOrder<>("roadsynth-write", threads, Generation::yieldToRendering, done -> {
            if (differs.get() || !state.asRecorded(indices[(int) same[0]], done.manifestLine())) {
                differs.set(true);
                return;
            }
            gate.commit(() -> {
                RunState.moveMended(plan.out(), done.manifestLine());
                same[0]++;
                listener.committed();
                return 1;
            });
        })) {
            renderEach(plan, renderer, samples, indices, () -> !gate.stopped() && !differs.get(), inOrder,
                    new RenderTimes(indices.length));
            inOrder.finish();
        }
        if (!gate.stopped()) {
            dev.roadsynth.core.io.FileTrees.delete(folder);
        }
        return same[0];
    }

    /**
     * Renders the samples {@code indices} in order for as long as {@code go} holds, each prepared
     * ({@link Samples#prepare}) on {@code inOrder}'s threads and its frame then recycled; returns how many were
     * rendered. The renderer gets what makes each sample's scene, not the scene: its packing threads generate several
     * at once. None once {@code go} fails (a signal stopped the gate): the render loop ends after the frames in flight,
     * so that the stopper can close the renderer before the process exits.
     */
    private static long renderEach(Plan plan, Renderer renderer, Samples samples, long[] indices,
                                   java.util.function.BooleanSupplier go, InOrder<Done> inOrder, RenderTimes times) {
        Iterator<Supplier<Scene>> all = Arrays.stream(indices)
                .<Supplier<Scene>>mapToObj(i -> () -> SceneGenerator.generate(
                        plan.specs().get((int) (i % plan.specs().size())), Seeds.forSample(plan.seed(), i)))
                .iterator();
        Iterator<Supplier<Scene>> scenes = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return go.getAsBoolean() && all.hasNext();
            }

            @Override
            public Supplier<Scene> next() {
                return all.next();
            }
        };
        long[] received = {0};
        renderer.renderEachMade(scenes, samples.outputs(), r -> {
            long i = indices[(int) received[0]++];
            inOrder.submit(() -> {
                try {
                    return samples.prepare(r, i);
                } finally {
                    // Written (prepared samples keep only file names): the frame's arrays serve a later frame.
                    renderer.recycle(r.frame());
                }
            });
        }, times);
        return received[0];
    }

    private static Outcome render(Plan plan, Renderer renderer, int threads, long[] indices, CommitGate gate,
                                  Listener listener, long before, List<DatasetWriter> writers) throws IOException {
        Samples samples = Samples.of(plan, writers, renderer.identity());
        Files.createDirectories(plan.out());
        long received;
        long waited;
        RenderTimes times = new RenderTimes(indices.length);
        StepTimes steps = samples.times();
        Pace pace = new Pace(indices.length);
        SpaceCheck space = new SpaceCheck(plan.out(), indices.length);
        try (BufferedWriter manifest = FileErrors.appending(plan.out().resolve("manifest.jsonl"));
             InOrder<Done> inOrder = new InOrder<>("roadsynth-write", threads, Generation::yieldToRendering, done -> {
                 gate.commit(() -> {
                     commit(writers, done, manifest);
                     space.written(done.prepared(), listener::note);
                     pace.committed();
                     listener.committed(); // inside: no progress line after a stop note
                     return 1;
                 });
             })) {
            received = renderEach(plan, renderer, samples, indices, () -> !gate.stopped(), inOrder, times);
            waited = inOrder.waitedNanos(); // before finish: draining the last samples is not waiting
            inOrder.finish();
        }
        if (gate.stopped()) {
            // Not every sample is committed: what spans samples stays in parts for the rerun to join.
            return new Outcome(received, before, waited, times, steps, pace, true);
        }
        // Only once every sample is committed: finishing joins what spans samples (COCO's per-sample parts into
        // its JSON) and deletes the parts, which a run stopped by an error leaves for its rerun to join; and makes
        // every declared split exist, with samples or not.
        for (DatasetWriter w : writers) {
            w.finish(plan.splits().names());
        }
        return new Outcome(received, before, waited, times, steps, pace, false);
    }

    /**
     * Writes {@code plan.count()} samples made from the given rendered frames (cycled; sample i from frame i mod n)
     * as {@link #run} would, on {@code threads} threads with ordered commits, without rendering: the encode-only
     * floor for benchmarks. Not resumable: {@code plan.out()} should be empty.
     *
     * @return the writer threads' CPU time by step, over all samples
     */
    public static StepTimes encodeOnly(Plan plan, List<Rendered> frames, String identity, int threads)
            throws IOException {
        List<DatasetWriter> writers = Formats.writers(plan.out(), plan.formats(), false);
        Samples samples = Samples.of(plan, writers, identity);
        Path manifestFile = plan.out().resolve("manifest.jsonl");
        try (BufferedWriter manifest = Files.newBufferedWriter(manifestFile, StandardCharsets.UTF_8);
             InOrder<Done> inOrder = new InOrder<>("roadsynth-write", threads,
                     done -> commit(writers, done, manifest))) {
            for (long i = 0; i < plan.count(); i++) {
                Rendered r = frames.get((int) (i % frames.size()));
                long index = i;
                inOrder.submit(() -> samples.prepare(r, index));
            }
            inOrder.finish();
        }
        for (DatasetWriter w : writers) {
            w.finish();
        }
        return samples.times();
    }

    /**
     * Gives the calling writer thread a lower priority than the renderer's threads ({@link BesideRendering}: a
     * higher nice value, on Linux), so that writing slows rendering as little as it can.
     */
    private static void yieldToRendering() {
        try {
            BesideRendering.yieldToRendering();
        } catch (RuntimeException | LinkageError e) {
            // the thread keeps the process's priority: slower beside a busy renderer, never wrong
        }
    }

    /** The steps of {@link Samples#prepare} that {@link StepTimes} names, beside each writer's name. */
    static final String ANNOTATE = "annotate";
    static final String AUGMENT = "augment";
    static final String MANIFEST_LINE = "manifest";

    /**
     * Timers for the steps of {@link Samples#prepare} with {@code writers}: annotating, augmenting (when
     * {@code plan} does), each writer, the manifest line.
     */
    private static StepTimes stepTimes(Plan plan, List<DatasetWriter> writers) {
        List<String> steps = new ArrayList<>();
        steps.add(ANNOTATE);
        if (plan.augment() != null) {
            steps.add(AUGMENT);
        }
        writers.forEach(w -> steps.add(w.name()));
        steps.add(MANIFEST_LINE);
        return new StepTimes(steps);
    }

    /**
     * What {@code plan}'s frames must come with: depth where one of its formats' writers reads it, and the amodal
     * coverage where one reads the object annotations made from it.
     */
    public static Outputs outputs(Plan plan) {
        return outputs(Formats.writers(plan.out(), plan.formats(), false));
    }

    private static Outputs outputs(List<DatasetWriter> writers) {
        return new Outputs(writers.stream().anyMatch(DatasetWriter::needsDepth),
                writers.stream().anyMatch(DatasetWriter::needsObjects));
    }

    /**
     * What every sample of one run is prepared with, made once per run: the plan and its splits, the folder the
     * writers write into (manifest lines name files relative to it: the plan's output, or where a mend makes samples
     * aside), the writers, what the frames come with ({@link #outputs}; with coverage, samples are annotated), the
     * identity of the rasterizer that draws ({@link Renderer#identity}), and the timers each step's CPU time is added
     * to (a few reads of the thread's CPU clock per sample, so generate keeps them too).
     */
    private record Samples(Plan plan, Splits splits, Path root, List<DatasetWriter> writers, Outputs outputs,
                           String identity, StepTimes times) {
        static Samples of(Plan plan, List<DatasetWriter> writers, String identity) {
            return of(plan, plan.out(), writers, identity);
        }

        static Samples of(Plan plan, Path root, List<DatasetWriter> writers, String identity) {
            return new Samples(plan, plan.splits(), root, writers, Generation.outputs(writers), identity,
                    stepTimes(plan, writers));
        }

        boolean annotate() {
            return outputs.coverage();
        }

        /** Sample {@code i}'s files and manifest line, from its frame. */
        Done prepare(Rendered r, long i) throws IOException {
            long cpu = StepTimes.threadCpu();
            Scene scene = r.scene();
            var result = annotate() ? Annotator.annotate(scene, r.frame(), r.coverage(), plan.policy()) : null;
            var objects = result == null ? List.<ObjectAnnotation>of() : result.kept();
            // Left out but in view: formats that can say "ignore this region" (KITTI's DontCare, COCO's iscrowd)
            // mark them.
            var ignored = result == null ? List.<ObjectAnnotation>of() : result.droppedInView();
            Map<String, Object> meta = new LinkedHashMap<>();
            // Which rasterizer made the pixels: regenerating the sample alone (--only) gives the same bytes under the
            // same one.
            meta.put("renderer", identity);
            if (result != null) {
                // Why the policy left objects out, so a user can see what the labels do not mention.
                meta.put("dropped", result.dropped().stream().map(d -> Manifest.ordered(
                        "instance_id", Integer.toUnsignedLong(d.object().instanceId()), "kind", d.object().kind(),
                        "reason", d.reason())).toList());
                // Instances annotated together as well (KITTI's Cyclist: rider and bicycle), and whether kept.
                meta.put("groups", result.groups().stream().map(g -> {
                    Map<String, Object> m = Manifest.ordered(
                            "group_id", Integer.toUnsignedLong(g.object().instanceId()), "kind", g.object().kind(),
                            "members", g.members().stream().map(Integer::toUnsignedLong).toList());
                    if (!g.kept()) {
                        m.put("dropped", g.dropped());
                    }
                    return m;
                }).toList());
            }
            meta.put("scene", plan.specs().get((int) (i % plan.specs().size())).source());
            meta.put("shortfalls", scene.shortfalls().stream().map(f -> Manifest.ordered("kind", f.kind(),
                    "requested", f.requested(), "placed", f.placed())).toList());
            Sample sample = new Sample(i, Seeds.forSample(plan.seed(), i), splits.of(plan.seed(), i), r.frame(),
                    objects, ignored, result == null ? List.of() : result.groups(),
                    scene.camera().intrinsics().pinhole(), meta);
            cpu = times.lap(ANNOTATE, cpu);
            if (plan.augment() != null) {
                // Its own generator, seeded from the sample's: regenerating one sample redraws the same parameters.
                sample = plan.augment().pipeline().apply(sample, Augmentation.draws(sample.seed()));
                cpu = times.lap(AUGMENT, cpu);
            }
            List<DatasetWriter.Prepared> prepared = new ArrayList<>();
            List<Path> files = new ArrayList<>();
            for (DatasetWriter w : writers) {
                DatasetWriter.Prepared p = w.prepare(sample);
                prepared.add(p);
                files.addAll(p.files());
                cpu = times.lap(w.name(), cpu);
            }
            String line = Manifest.line(sample, plan.version(), root, files);
            times.lap(MANIFEST_LINE, cpu);
            return new Done(prepared, line);
        }
    }

    private static void commit(List<DatasetWriter> writers, Done done, BufferedWriter manifest) throws IOException {
        for (int w = 0; w < writers.size(); w++) {
            writers.get(w).commit(done.prepared().get(w));
        }
        manifest.write(done.manifestLine());
        manifest.newLine();
        manifest.flush();
    }
}
