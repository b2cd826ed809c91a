package dev.roadsynth.cli;

import dev.roadsynth.core.dataset.Manifest;
import dev.roadsynth.core.dataset.ShardMerge;
import dev.roadsynth.generate.Augmentation;
import dev.roadsynth.generate.Generation;
import dev.roadsynth.generate.Plan;
import dev.roadsynth.generate.PlanException;
import dev.roadsynth.generate.ProcessSplit;
import dev.roadsynth.generate.ProcessUsage;
import dev.roadsynth.renderer.Annotator;
import dev.roadsynth.renderer.BesideRendering;
import dev.roadsynth.renderer.Renderer;
import dev.roadsynth.scenes.spec.SceneSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;


@Command(name = "generate", mixinStandardHelpOptions = true,
        header = "Render a dataset from scene files or presets.", description = {
        "Render a dataset from scene files or presets (default: the urban-intersection",
        "preset). Sample i uses scene i mod (number of scenes) with seed",
        "Seeds.forSample(--seed, i)."},
        footer = {"%nFormats (--format, any of them; docs/formats.md):",
                "  cityscapes  cityscapes/: the Cityscapes layout (the default)",
                "  coco        coco/: images/ and annotations/instances_{split}.json",
                "  kitti       kitti/: training/{image_2,label_2,calib}/, ImageSets/{split}.txt",
                "  depth       depth/{split}/: 16-bit millimetre PNG and float32 .npy",
                "  depth-png   depth/{split}/: the 16-bit millimetre PNG alone (30 to 60 KB",
                "              against 2 MB a sample with the .npy, at 1024x512)",
                "  raw         frames/{i}_{rgb,labelIds,instanceIds,depth}.npy, uncompressed",
                "Always manifest.jsonl: a line per sample with its seed and each file's SHA-256.",
                "A rerun with the same arguments resumes, and makes samples whose files were lost",
                "or changed since again ('roadsynth validate OUT' finds them); --shard K/N and",
                "'roadsynth merge' split a run over machines (docs/running.md).",
                "%nPresets: urban-intersection, suburban-street, highway (also as preset:NAME).",
                "%nExamples:%n  roadsynth generate --count 8 --out out --seed 1",
                "  roadsynth generate examples/night-rain.yaml suburban-street --count 100 \\",
                "      --size 640x320",
                "  roadsynth generate --count 100000 --shard 3/16 --out shard-3 --format coco",
                "  roadsynth generate --count 10000 --processes 2 --format cityscapes,coco,depth"})
final class GenerateCommand implements Callable<Integer>, Resumes {

    @Mixin
    CommonOptions common;

    @picocli.CommandLine.Parameters(paramLabel = "SCENE", arity = "0..*",
            description = "Scene files (YAML or JSON) or preset names.")
    List<String> scenes = List.of();

    @Option(names = "--count", defaultValue = "8", description = "Number of samples; larger than an earlier run's in"
            + " --out (all else the same), it extends that run. Default: ${DEFAULT-VALUE}.")
    int count;

    @Option(names = "--out", defaultValue = "out", description = "Output directory: new or empty, or an earlier"
            + " run's (to resume or extend it). Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--seed", defaultValue = "0", description = "Base seed; sample i uses Seeds.forSample(seed, i). Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--size", description = "Image size WIDTHxHEIGHT; overrides the scene files' camera size.")
    String size;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--format", defaultValue = "cityscapes", split = ",",
            description = "Output formats, any of raw, cityscapes, coco, kitti, depth, depth-png. Default: ${DEFAULT-VALUE}.")
    List<String> formats;

    @Option(names = "--split", defaultValue = "train=1",
            description = "Splits as name=fraction,... (fractions add up to 1), e.g. train=0.8,val=0.2. Default: ${DEFAULT-VALUE}.")
    String split;

    @Mixin
    PolicyOptions policy;

    @Option(names = "--threads", description = "Threads that annotate, encode and write. Default: the number of cores.")
    Integer threads;

    @Option(names = "--shard", paramLabel = "K/N", defaultValue = "0/1",
            description = "Make only the samples i with i mod N = K (K from 0). Default: ${DEFAULT-VALUE}.")
    String shard;

    @Option(names = "--augment", paramLabel = "FILE", description = "Augment every sample with this pipeline file "
            + "(docs/augment.md) before writing; the drawn parameters go into each manifest line. Not with kitti "
            + "(3D boxes do not follow 2D warps).")
    Path augment;

    @Option(names = "--quiet", description = "No progress and no summary.")
    boolean quiet;

    @Option(names = "--timings", description = "After the summary, where the time went: the render thread's phases,"
            + " the GPU's timeline, the writers' and the whole process's CPU per sample, and in each quarter of the"
            + " run the rate, the CPU per sample, the collector's and the compilers' time and the render thread's"
            + " phases (docs/running.md).")
    boolean timings;

    @Option(names = "--processes", paramLabel = "P", defaultValue = "1", description = "Make the run in P processes at"
            + " once on this machine, each a shard of it into OUT/" + ShardMerge.PARTS + "/ with its share of --threads,"
            + " merged into OUT (hard links; copies where its file system has none) when all are done: the same"
            + " files as one process writes. Where one process's render thread sets the pace (a GPU; --timings says"
            + " how often it waited for the writers) several get further (docs/running.md). Not with --timings."
            + " Default: ${DEFAULT-VALUE}.")
    int processes;

    /** Set on the processes of a split: each stops, as on SIGTERM, when the process that started it is gone. */
    @Option(names = "--parent-pid", hidden = true)
    Long parentPid;

    @Option(names = "--only", split = ",", paramLabel = "INDEX",
            description = "Make only these sample indices (0-based, < --count; made in index order), e.g. to regenerate one sample from its manifest line.")
    long[] only;

    @Override
    public Integer call() throws IOException {
        // The rules of a dataset (formats, --only, --shard's range, one class table, ...) are the plan's to check
        // (Plan); options are parsed here, and checked as far as their own values go.
        Annotator.Policy annotation = policy.policy();
        List<SceneSpec> specs = (scenes.isEmpty() ? List.of("urban-intersection") : scenes).stream()
                .map(f -> SpecFiles.scene(f, "give it with --augment")).toList();
        Augmentation augmentation = augment == null ? null : new Augmentation(
                SpecFiles.pipeline(augment, "give it as a SCENE argument, not with --augment"), augment.toString(),
                Manifest.sha256(augment));
        if (size != null) {
            Size s = Size.parse("--size", size);
            specs = specs.stream().map(sp -> sp.withResolution(s.width(), s.height())).toList();
        }
        int[] kn = shardKn();
        Plan plan;
        try {
            plan = Plan.builder(specs, count, out).seed(seed).formats(formats).split(split).only(only)
                    .policy(annotation)
                    .shard(kn[0], kn[1]).augment(augmentation).version(Main.version()).build();
        } catch (PlanException e) {
            throw new IllegalArgumentException(option(e.component()) + ": " + e.detail(), e);
        }
        int t = Pools.threads(threads); // checked before a renderer is opened, like every other option
        BesideRendering.niceIncrement(); // and the writers' -Droadsynth.writerNice
        if (processes < 1) {
            throw new IllegalArgumentException("--processes: " + processes + "; want 1 or more");
        }
        if (processes > 1 && timings) {
            throw new IllegalArgumentException("--timings: not with --processes; time one process, whose figures"
                    + " are per render thread");
        }
        if (parentPid != null) {
            stopWithParent(parentPid);
        }
        ProcessSplit.dropMergedParts(out);
        ProcessSplit.requireSameSplit(out, kn[1], processes);
        var err = spec.commandLine().getErr();
        if (processes > 1) {
            if (!ProcessSplit.holdsRun(out)) {
                return new SplitRun(ProcessSplit.of(plan, processes), plan, processes, quiet, spec.commandLine())
                        .run(Math.max(1, t / processes));
            }
            if (!quiet) {
                err.println("roadsynth: note: " + out + " holds a run's output already (one process's, or a split's"
                        + " joined): it goes on in one process; --processes splits new runs");
                err.flush();
            }
        }
        var console = spec.commandLine().getOut();
        long start = System.nanoTime();
        ProcessUsage before = ProcessUsage.now(); // --timings reports it, and it tells whether to suggest processes
        Generation.Outcome outcome;
        try (StopNote stop = new StopNote(err, quiet, "samples");
             RunProgress shown = new RunProgress(err, quiet, "samples", "samples")
                     .saysPartTo(parentPid != null ? console : null)) {
            outcome = Generation.run(plan, () -> {
                Renderer renderer = Renderer.open(common.gpuSelection());
                if (!quiet || parentPid != null) { // a process of a split: its parent says it, once per device
                    console.println("rendering with " + renderer.description());
                }
                if (renderer.softwareNote() != null) { // a GPU left unused: said even with --quiet
                    err.println("roadsynth: note: " + renderer.softwareNote());
                    err.flush();
                }
                return renderer;
            }, t, stop.gate(), shown);
        }
        double secs = (System.nanoTime() - start) / 1e9;
        if (!quiet && !outcome.stopped()) { // stopped by a signal: the stop note is the last word
            console.printf("wrote %d %s to %s in %.1f s (%.1f samples/s)%s%n", outcome.written(),
                    outcome.written() == 1 ? "sample" : "samples", out, secs,
                    outcome.written() / secs, doneBefore(outcome.alreadyDone()));
            ProcessUsage used = ProcessUsage.now().minus(before);
            int cores = Runtime.getRuntime().availableProcessors();
            String suggestion = parentPid != null || outcome.written() == 0 ? null : ProcessSplit.suggestion(secs,
                    outcome.renderWaitedNanos() / 1e9 / secs, used.cpuNanos() / 1e9 / secs, cores);
            if (suggestion != null) {
                err.println("roadsynth: note: " + suggestion);
                err.flush();
            }
            if (timings && outcome.written() > 0) {
                printTimings(console, outcome, used, secs, cores);
            }
        }
        return Main.EXIT_OK;
    }

    /**
     * {@code --timings}: which side set the pace, the render thread's and the GPU's phases, the writers' and the
     * process's CPU, and (for runs long enough) each quarter's rate and what its start was made of.
     */
    private static void printTimings(java.io.PrintWriter console, Generation.Outcome outcome, ProcessUsage used,
                                     double secs, int cores) {
        // Which side set the pace: near 0% rendering did; most of the time, the writers did.
        console.printf("the render thread waited %.0f%% of the time for the writers%n",
                100 * outcome.renderWaitedNanos() / 1e9 / secs);
        console.println("render thread: " + outcome.renderTimes().summary());
        console.println("GPU timeline: " + outcome.renderTimes().gpuSummary());
        // The whole process beside the writers: whether every core was busy (then CPU sets the pace) or
        // threads waited, and what the collector took.
        console.printf(java.util.Locale.ROOT, "writers: %.2f ms of CPU per sample: %s; the process: %.2f ms"
                        + " (%.1f of %d cores busy), %d collections, %d ms%n",
                outcome.writerTimes().totalPerSample(outcome.written()),
                outcome.writerTimes().perSample(outcome.written()),
                used.cpuNanos() / 1e6 / outcome.written(), used.cpuNanos() / 1e9 / secs,
                cores, used.collections(), used.gcMillis());
        String quarters = outcome.pace().perQuarter();
        if (quarters != null) {
            // A short run's figure carries its start (the JIT compiler's warm-up); the last quarters, less.
            // Their CPU per sample is what a settled run needs: cores / that = what the machine can carry.
            console.println("samples/s by quarter of the run: " + quarters + "; the process's CPU per sample,"
                    + " ms: " + outcome.pace().cpuPerQuarter());
            // What a slow start is made of: the collector, the compilers, or a phase of the render thread.
            console.println("by quarter: " + outcome.pace().collectorAndCompilerPerQuarter());
            outcome.renderTimes().quarterSummaries()
                    .forEach(q -> console.println("render thread by quarter: " + q));
        }
    }

    /** Ends this process, as SIGTERM does (its hooks stop the run after the samples in flight), once {@code pid} is gone. */
    private static void stopWithParent(long pid) {
        ProcessHandle.of(pid).ifPresentOrElse(
                parent -> parent.onExit().thenRun(() -> System.exit(143)),
                () -> System.exit(143));
    }

    /** --shard's K and N (their range is the plan's to check). */
    private int[] shardKn() {
        String[] kn = shard.split("/");
        try {
            if (kn.length == 2) {
                return new int[] {Integer.parseInt(kn[0].trim()), Integer.parseInt(kn[1].trim())};
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("--shard: '" + shard + "' is not K/N, e.g. 3/8");
    }

    /** The option (or argument) that sets a plan's component, as the user typed it. */
    private String option(PlanException.Component component) {
        return switch (component) {
            case SPECS -> "scenes";
            case COUNT -> "--count";
            case ONLY -> "--only";
            case SHARD -> "--shard";
            case FORMATS -> "--format";
            case SPLIT -> "--split";
            case AUGMENT -> "--augment " + augment;
        };
    }

    /** The summary's end for {@code n} samples an earlier run made: "; 1 was done before", or nothing for none. */
    static String doneBefore(long n) {
        return n == 0 ? "" : "; " + n + (n == 1 ? " was" : " were") + " done before";
    }
}
