package dev.roadsynth.cli;

import dev.roadsynth.augment.AugmentSpec;
import dev.roadsynth.augment.FolderCopies;
import dev.roadsynth.augment.FolderRun;
import dev.roadsynth.augment.Pipeline;
import dev.roadsynth.augment.Sweep;
import dev.roadsynth.core.Frame;
import dev.roadsynth.core.LabelSet;
import dev.roadsynth.core.dataset.Formats;
import dev.roadsynth.core.dataset.Manifest;
import dev.roadsynth.core.dataset.RunState;
import dev.roadsynth.core.io.AtomicFiles;
import dev.roadsynth.core.io.ImageFolder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    /** Its outputs are copies, each with its manifest line. */
    @Override
    public String kept() {
        return "; copies made so far are intact, rerun the same command to resume";
    }

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
        int t = Pools.threads(threads);
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
        LabelSet labels = FolderRun.maskLabels(table); // for sweeps, as the run reads them
        PrintWriter console = spec.commandLine().getOut();
        if (sweep != null) {
            return sweep(pipeline, items, labels, console);
        }
        FolderCopies made = new FolderCopies(pipeline, in, out, specFile + " sha256:" + Manifest.sha256(specFile),
                copies, seed, Main.version());
        long start = System.nanoTime();
        FolderRun.Outcome outcome;
        try (StopNote stop = new StopNote(err(), quiet, "inputs");
             RunProgress shown = new RunProgress(err(), quiet, "inputs", "outputs")) {
            outcome = FolderRun.run(made, items, split, table, t, stop.gate(), shown);
        }
        double secs = (System.nanoTime() - start) / 1e9;
        if (!quiet && !outcome.stopped()) { // stopped by a signal: the stop note is the last word
            console.printf("wrote %d augmented %s to %s in %.1f s%s%n", outcome.written(),
                    outcome.written() == 1 ? "image" : "images", out, secs, outcome.skipped() > 0
                            ? "; skipped " + outcome.skipped() + " unreadable input(s), see above" : "");
            console.flush();
        }
        return outcome.skipped() > 0 ? Main.EXIT_SKIPPED : Main.EXIT_OK;
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
                err().println("roadsynth: " + RunProgress.skippedLine(candidate.name(), e.getMessage()));
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
