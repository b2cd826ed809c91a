package dev.roadsynth.cli;

import dev.roadsynth.augment.AugmentSpec;
import dev.roadsynth.augment.FolderCopies;
import dev.roadsynth.augment.Pipeline;
import dev.roadsynth.augment.Sweep;
import dev.roadsynth.core.Frame;
import dev.roadsynth.core.LabelSet;
import dev.roadsynth.core.dataset.Formats;
import dev.roadsynth.core.dataset.Manifest;
import dev.roadsynth.core.dataset.RunState;
import dev.roadsynth.core.io.AtomicFiles;
import dev.roadsynth.core.io.ImageFolder;
import dev.roadsynth.generate.InOrder;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "augment", mixinStandardHelpOptions = true,
        header = "Augment images and masks, or a dataset, with a pipeline file.", description = {
        "Augment a folder of images with masks (images/, masks/, optional instances/)",
        "or a roadsynth dataset (its raw frames/, else its cityscapes/ layout) with a",
        "pipeline file. Writes images/, masks/, instances/ (frames/ for raw inputs) and",
        "manifest.jsonl (each output's drawn parameters and file hashes) into OUT.",
        "Unreadable inputs are named and skipped, and the exit code is then 4.",
        "Rerunning the same command resumes."},
        footer = {"%nExamples:",
                "  roadsynth augment out/ aug/ --spec examples/augment/train.yaml --copies 3",
                "  roadsynth augment photos/ aug/ --spec aug.yaml --sweep rotation=-15,-7,0,7,15",
                "  roadsynth augment photos/ aug/ --spec aug.yaml --sweep random=8 --seed 3"})
final class AugmentCommand implements Callable<Integer>, Resumes {
    @Parameters(index = "0", paramLabel = "IN", description = "Input folder.")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "Output folder: new or empty, or an earlier run's (to"
            + " resume it).")
    Path out;

    @Option(names = "--spec", required = true, paramLabel = "FILE", description = "Pipeline file (YAML or JSON; docs/augment.md).")
    Path specFile;

    @Option(names = "--copies", defaultValue = "1", description = "Augmented copies per input. Default: ${DEFAULT-VALUE}.")
    int copies;

    @Option(names = "--seed", defaultValue = "0",
            description = "Base seed; copy k of input NAME draws from Seeds.forSample(Seeds.forSample(seed, hash(NAME)), k). Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--sweep", paramLabel = "PARAM=V1,V2,...|random=N",
            description = "Instead of augmenting: for the first readable input, one variant per value of PARAM (everything else"
                    + " neutral), or with random=N, N draws from the pipeline (draw k from Seeds.forSample(seed, k)),"
                    + " as a contact sheet OUT/sweep-PARAM.png.")
    String sweep;

    @Option(names = "--split", paramLabel = "NAME",
            description = "Of a roadsynth dataset, augment only this split's samples (e.g. train: validation data is"
                    + " better left as it is). Default: all, each output keeping its sample's split.")
    String split;

    @Option(names = "--threads", description = "Threads that read, augment and write. Default: the number of cores.")
    Integer threads;

    @Option(names = "--quiet", description = "No progress and no summary.")
    boolean quiet;

    @Mixin
    VerboseOption verbose;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (copies < 1 || copies > 10_000) {
            throw new IllegalArgumentException("--copies: " + copies + " is out of range 1..10000");
        }
        Pipeline pipeline = SpecFiles.pipeline(specFile, "--spec takes a pipeline file (docs/augment.md)");
        RunState.requireFinished(in, "augment it"); // a dataset still being made has samples half there
        List<ImageFolder.Item> items = ImageFolder.list(in);
        if (items.isEmpty()) {
            throw new IllegalArgumentException(in + ": no images found");
        }
        items = SplitOption.only(items, ImageFolder.Item::split, split, in);
        // A roadsynth dataset says what its class ids mean (labels.json): frames are read with that table (class
        // colours in sweeps), the fill class must be one of its classes, and the output gets the same file. A folder
        // of masks has no table; its ids are taken as they are (and coloured as Cityscapes ids).
        Path tableFile = in.resolve(Formats.LABELS_FILE);
        LabelSet table = Files.isRegularFile(tableFile) ? LabelSet.load(tableFile) : null;
        if (table != null) {
            try {
                pipeline.requireFillClassIn(table);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--spec " + specFile + ": " + e.getMessage() + " (" + tableFile + ")", e);
            }
        }
        LabelSet labels = table == null ? LabelSet.cityscapes() : table;
        PrintWriter console = spec.commandLine().getOut();
        if (sweep != null) {
            return sweep(pipeline, items, labels, console);
        }
        String specHash = Manifest.sha256(specFile);
        Path manifestFile = out.resolve("manifest.jsonl");
        Path o = out.toAbsolutePath().normalize();
        Path i = in.toAbsolutePath().normalize();
        if (o.equals(i) || o.startsWith(i.resolve("images")) || o.startsWith(i.resolve("cityscapes"))
                || o.startsWith(i.resolve("frames"))) {
            throw new IllegalArgumentException("OUT " + out + " would put outputs among the inputs of " + in
                    + " (the next run would read them); choose another OUT");
        }
        // The lock, the run's parameters (a rerun with another pipeline is refused) and what is done: manifest
        // lines, in order, whose files hash as recorded; the rest is redone.
        Map<String, Object> parameters = Manifest.ordered("command", "augment", "version", Main.version(),
                "in", in.toString(), "spec", specFile + " sha256:" + specHash, "copies", copies, "seed", seed);
        if (split != null) {
            parameters.put("split", split); // only when given, so that runs from before --split still resume
        }
        RunState opened;
        try (Progress.Counter checking = new Progress.Counter(spec.commandLine().getErr(), quiet, "checked ",
                " outputs an earlier run wrote")) {
            opened = RunState.open(out, parameters, m -> FolderCopies.key(m.get("name").asText(), m.get("copy").asInt()),
                    m -> true, checking);
        }
        try (RunState state = opened) {
            if (table != null) {
                byte[] json = table.toJson();
                AtomicFiles.write(out.resolve(Formats.LABELS_FILE), stream -> stream.write(json));
            }
            FolderCopies made = new FolderCopies(pipeline, in, out, specFile + " sha256:" + specHash, copies, seed,
                    Main.version());
            return run(made, items, labels, state, manifestFile, console);
        }
    }

    private int run(FolderCopies made, List<ImageFolder.Item> items, LabelSet labels, RunState state,
                    Path manifestFile, PrintWriter console) throws IOException {
        int t = Pools.threads(threads);
        int[] skipped = {0};
        long[] written = {0};
        long start = System.nanoTime();
        long left = items.stream().filter(i -> !made.allDone(i.name(), state::done)).count();
        Progress progress = new Progress(spec.commandLine().getErr(), left, quiet, "inputs");
        try (StopNote stop = new StopNote(spec.commandLine().getErr(), quiet, "inputs");
             BufferedWriter manifest = dev.roadsynth.core.io.FileErrors.appending(manifestFile);
             InOrder<Done> inOrder = new InOrder<>("roadsynth-augment", t, r -> {
                 stop.gate().commit(() -> {
                     int skip = commit(r, manifest);
                     skipped[0] += skip;
                     written[0] += r.result().lines().size();
                     progress.step(); // inside: no progress line after the stop note
                     return 1 - skip;
                 });
             })) {
            stop.gate().begin(items.size() - left, items.size());
            for (ImageFolder.Item item : items) {
                if (!made.allDone(item.name(), state::done)) {
                    inOrder.submit(() -> new Done(item, made.augment(item, labels, state::done)));
                }
            }
            inOrder.finish();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        if (!quiet) {
            console.printf("wrote %d augmented %s to %s in %.1f s%s%n", written[0], written[0] == 1 ? "image" : "images",
                    out, secs,
                    skipped[0] > 0 ? "; skipped " + skipped[0] + " unreadable input(s), see above" : "");
            console.flush();
        }
        return skipped[0] > 0 ? Main.EXIT_SKIPPED : Main.EXIT_OK;
    }

    /** One input and what augmenting it gave. */
    private record Done(ImageFolder.Item item, FolderCopies.Result result) {
    }

    /** Reports a skip, or appends the lines (after their files: an output is done exactly when its line is there). */
    private int commit(Done d, BufferedWriter manifest) throws IOException {
        if (d.result().unreadable() != null) {
            err().println(skipped(d.item(), d.result().unreadable()));
            err().flush();
            return 1;
        }
        for (String line : d.result().lines()) {
            manifest.write(line);
            manifest.newLine();
        }
        manifest.flush();
        return 0;
    }

    /** The one line that reports an input left out, and why. */
    private static String skipped(ImageFolder.Item item, String why) {
        return "roadsynth: skipped " + item.name() + ": " + why;
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }

    private int sweep(Pipeline pipeline, List<ImageFolder.Item> items, LabelSet labels, PrintWriter console)
            throws IOException {
        String[] kv = sweep.split("=", 2);
        boolean random = kv[0].equals("random");
        if (kv.length != 2 || !(random || AugmentSpec.Builder.PARAMETERS.contains(kv[0]))) {
            throw new IllegalArgumentException("--sweep: '" + sweep + "' is not PARAM=V1,V2,... or random=N; PARAM is one of "
                    + String.join(", ", AugmentSpec.Builder.PARAMETERS));
        }
        String[] parts = kv[1].split(",");
        double[] values = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                values[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--sweep: '" + parts[i] + "' is not a number");
            }
        }
        if (random && (values.length != 1 || values[0] != Math.rint(values[0]) || values[0] < 1 || values[0] > 64)) {
            throw new IllegalArgumentException("--sweep: random=" + kv[1] + " needs one count of draws, 1..64");
        }
        Frame frame = null;
        ImageFolder.Item item = null;
        for (ImageFolder.Item candidate : items) {
            try {
                frame = ImageFolder.read(candidate, labels);
                item = candidate;
                break;
            } catch (ImageFolder.BadInputException e) {
                err().println(skipped(candidate, e.getMessage()));
                err().flush();
            }
        }
        if (frame == null) {
            throw new IllegalArgumentException(in + ": no readable input to sweep");
        }
        List<Sweep.Variant> rows = random
                ? Sweep.random(frame, pipeline.spec(), (int) values[0], seed, pipeline.fillClass())
                : Sweep.grid(frame, kv[0], values, pipeline.fillClass());
        Path sheet = out.resolve("sweep-" + kv[0] + ".png");
        AtomicFiles.write(sheet, o -> ImageIO.write(Sweep.contactSheet(rows), "png", o));
        if (!quiet) {
            console.println("wrote " + sheet + " (" + item.name() + ", rows: "
                    + String.join(", ", rows.stream().map(Sweep.Variant::label).toList()) + ")");
        }
        return Main.EXIT_OK;
    }
}
