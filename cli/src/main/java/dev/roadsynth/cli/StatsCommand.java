package dev.roadsynth.cli;

import dev.roadsynth.core.LabelSet;
import dev.roadsynth.core.dataset.AnnotationStatistics;
import dev.roadsynth.core.dataset.DatasetPlanes;
import dev.roadsynth.core.dataset.Formats;
import dev.roadsynth.core.dataset.LabelStatistics;
import dev.roadsynth.core.io.AtomicFiles;
import dev.roadsynth.core.batch.InOrder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "stats", mixinStandardHelpOptions = true,
        header = "Class and instance statistics of a dataset, with loss weights.", description = {
        "Count a dataset's label planes (raw or cityscapes among its",
        "formats): per class its pixels and the samples it appears in; per class",
        "with instances their number, visible areas (COCO's small/medium/large),",
        "visible box heights (KITTI's 40 and 25 px) and, with depth, nearest",
        "depths; per train id the class weights of median frequency balancing and",
        "of ENet, for a segmentation loss. Ids that the class table lacks are",
        "reported, never dropped. With coco among the formats also per category",
        "its objects' occlusion, truncation and KITTI difficulty (with coco but no",
        "label planes, those alone). The JSON is",
        "described in docs/formats.md. Other folders (augment's output, a Cityscapes",
        "download, images with masks) are counted in file name order; compare a",
        "synthetic dataset with real data that way. A run not finished is counted as",
        "far as its manifest goes, and a note says so."},
        footer = {"%nExamples:%n  roadsynth stats data",
                "  roadsynth stats data --split train --json data/stats-train.json",
                "  roadsynth stats ~/datasets/cityscapes --split val --labels cityscapes"})
final class StatsCommand implements java.util.concurrent.Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "A dataset written by generate, merge or augment; or any folder"
            + " with gtFine/ (a Cityscapes download) or masks/ (images with masks).")
    Path dir;

    @Option(names = "--split", description = "Count only this split's samples. Default: all.")
    String split;

    @Option(names = "--source", defaultValue = "auto", paramLabel = "auto|raw|cityscapes|masks",
            description = "Which planes to read: raw (exact .npy), cityscapes (gtFine PNGs) or masks (masks/ and "
                    + "instances/ PNGs); auto: raw where there are, else cityscapes, else masks. Default: ${DEFAULT-VALUE}.")
    String source;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "The class table (YAML or JSON), or 'cityscapes'. Default: DIR/labels.json.")
    String labels;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the statistics as JSON to this file.")
    Path json;

    @Option(names = "--threads", description = "Threads that read and count. Default: the number of cores.")
    Integer threads;

    @Option(names = "--quiet", description = "No progress.")
    boolean quiet;

    @Mixin
    VerboseOption verbose;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        DatasetPlanes.Source from = switch (source) {
            case "auto" -> null;
            case "raw" -> DatasetPlanes.Source.RAW;
            case "cityscapes" -> DatasetPlanes.Source.CITYSCAPES;
            case "masks" -> DatasetPlanes.Source.MASKS;
            default -> throw new IllegalArgumentException("--source: '" + source + "' is not one of auto, raw, cityscapes, masks");
        };
        if (from == null && cocoAlone()) {
            return annotationsAlone();
        }
        int t = Pools.threads(threads);
        List<DatasetPlanes.Entry> entries = DatasetPlanes.list(dir, from);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(dir + " has no samples yet; nothing to count");
        }
        LabelSet table = table();
        noteUnfinished();
        entries = SplitOption.only(entries, DatasetPlanes.Entry::split, split, dir);
        PrintWriter out = spec.commandLine().getOut();
        LabelStatistics stats = new LabelStatistics(table);
        Progress progress = new Progress(spec.commandLine().getErr(), entries.size(), quiet);
        // Samples are read and counted on the pool, a few ahead, and added in manifest order.
        try (InOrder<LabelStatistics.Counts> inOrder = new InOrder<>("roadsynth-stats", t, counts -> {
            stats.add(counts);
            progress.step();
        })) {
            for (DatasetPlanes.Entry e : entries) {
                inOrder.submit(() -> {
                    DatasetPlanes.Planes p = DatasetPlanes.read(e);
                    return stats.count(e.split(), p.classes(), p.instances(), p.depth());
                });
            }
            inOrder.finish();
        }
        LabelStatistics.Report report = stats.report();
        print(report, out);
        AnnotationStatistics.Report annotations = annotations(table, report.splits().keySet(), out);
        if (annotations != null) {
            print(annotations, out);
        }
        if (json != null) {
            byte[] bytes = report.toJson(annotations);
            AtomicFiles.write(json, o -> o.write(bytes));
            out.println("wrote " + json);
        }
        out.flush();
        return Main.EXIT_OK;
    }

    /**
     * Whether the dataset has COCO's files but no label planes (generate with coco and no raw or cityscapes): its
     * annotation figures are all there is to count.
     */
    private boolean cocoAlone() {
        return Files.isRegularFile(dir.resolve("manifest.jsonl")) && Files.isDirectory(dir.resolve("coco/annotations"))
                && !dev.roadsynth.core.io.ImageFolder.hasItems(dir) && !Files.isDirectory(dir.resolve("gtFine"));
    }

    /**
     * Says on stderr when the dataset's run is not finished: it is counted all the same (a look at a run in progress),
     * but said even with --quiet, since it bears on the figures.
     */
    private void noteUnfinished() throws IOException {
        String unfinished = dev.roadsynth.core.dataset.RunState.unfinished(dir);
        if (unfinished != null) {
            spec.commandLine().getErr().println("roadsynth: note: " + dir + " " + unfinished + "; these figures count"
                    + " the samples its manifest lists");
            spec.commandLine().getErr().flush();
        }
    }

    /** The figures of a dataset without label planes: its samples per split and its COCO annotations. */
    private int annotationsAlone() throws IOException {
        LabelSet table = table();
        noteUnfinished();
        Map<String, String> names = new java.util.HashMap<>(); // one string per split, not one per sample
        List<String> splits = new java.util.ArrayList<>();
        dev.roadsynth.core.io.JsonLines.forEach(dir.resolve("manifest.jsonl"), line -> {
            String s = line.path("split").asText("all");
            splits.add(names.computeIfAbsent(s, k -> k));
        });
        if (splits.isEmpty()) {
            throw new IllegalArgumentException(dir + " has no samples yet; nothing to count");
        }
        List<String> counted = SplitOption.only(splits, s -> s, split, dir);
        Map<String, Long> perSplit = new java.util.TreeMap<>();
        counted.forEach(s -> perSplit.merge(s, 1L, Long::sum));
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%d samples (%s); no label planes (raw or cityscapes among the formats) to count"
                + " pixels from: the COCO annotations only%n", counted.size(), join(perSplit));
        AnnotationStatistics.Report annotations = annotations(table, perSplit.keySet(), out);
        print(annotations, out);
        if (json != null) {
            byte[] bytes = annotations.toJson(counted.size(), perSplit);
            AtomicFiles.write(json, o -> o.write(bytes));
            out.println("wrote " + json);
        }
        out.flush();
        return Main.EXIT_OK;
    }

    /** The COCO annotations of the counted splits, when the dataset has COCO among its formats; else null. */
    private AnnotationStatistics.Report annotations(LabelSet table, java.util.Set<String> splits, PrintWriter out)
            throws IOException {
        Path annotationsDir = dir.resolve("coco").resolve("annotations");
        if (!Files.isDirectory(annotationsDir)) {
            return null;
        }
        AnnotationStatistics a = new AnnotationStatistics(table);
        for (String s : splits) {
            Path file = annotationsDir.resolve("instances_" + s + ".json");
            if (Files.isRegularFile(file)) {
                a.add(file);
            } else { // written when a run finishes: an unfinished run has none yet
                out.println("no COCO annotations for split " + s + " (" + file + " is missing: an unfinished run?)");
            }
        }
        return a.report();
    }

    private LabelSet table() {
        if ("cityscapes".equals(labels)) {
            return LabelSet.cityscapes();
        }
        Path file = labels != null ? Path.of(labels) : dir.resolve(Formats.LABELS_FILE);
        if (labels == null && !Files.exists(file)) {
            throw new IllegalArgumentException(file + ": missing (a folder not written by roadsynth, or a dataset from"
                    + " before labels.json was written); give the class table with --labels FILE, or --labels cityscapes");
        }
        return LabelSet.load(file);
    }

    private static void print(LabelStatistics.Report r, PrintWriter out) {
        out.printf(Locale.ROOT, "%d samples (%s), %s; %,d pixels, %.2f%% ignored in training%n", r.samples(),
                join(r.splits()), join(r.sizes()), r.pixels(), 100.0 * r.ignoredPixels() / Math.max(1, r.pixels()));
        boolean depth = r.samplesWithDepth() > 0;
        out.printf(Locale.ROOT, "%-22s %5s %5s %8s %8s %9s  %-20s %-20s %s%n", "class", "id", "train", "pixels%",
                "samples%", "instances", "area S/M/L", "height >=40/>=25/<25",
                depth ? "nearest depth <10/<20/<40/<80/>=80 m" : "");
        for (LabelStatistics.ClassTotals c : r.classes()) {
            LabelStatistics.DepthBuckets d = c.depth();
            String inst = c.label().hasInstances() ? String.format(Locale.ROOT, "%9d  %-20s %-20s %s", c.instances(),
                    c.small() + "/" + c.medium() + "/" + c.large(), c.tall() + "/" + c.mid() + "/" + c.low(),
                    d == null ? "" : d.below10() + "/" + d.below20() + "/" + d.below40() + "/" + d.below80() + "/"
                            + d.atLeast80()) : "";
            out.printf(Locale.ROOT, "%-22s %5d %5d %8.3f %8.1f %s%n", c.label().name(), c.label().id(),
                    c.label().trainId(), 100 * c.pixelShare(), 100.0 * c.samples() / Math.max(1, r.samples()), inst)
                    .flush();
        }
        if (r.unknownIds().isEmpty()) {
            out.println("every pixel's class id is in the class table");
        } else {
            out.println("class ids not in the class table (id: pixels): " + r.unknownIds().entrySet().stream()
                    .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", ")));
        }
        out.println("class weights by train id (index = train id; 0 where no pixel has it),"
                + " e.g. for torch.nn.CrossEntropyLoss(weight=...):");
        out.println("  median frequency: " + list(r.medianFrequencyWeights()));
        out.println("  ENet:             " + list(r.enetWeights()));
    }

    private static void print(AnnotationStatistics.Report r, PrintWriter out) {
        out.printf(Locale.ROOT, "%d COCO annotations (the objects the annotation policy kept); occlusion: visible >= 99%%,"
                + " partly >= 50%%; KITTI difficulty from the amodal box%n", r.annotations());
        out.printf(Locale.ROOT, "%-22s %11s  %-24s %-28s %s%n", "category", "annotations", "visible/partly/largely",
                "truncation <=.15/.3/.5/more", "easy/moderate/hard/beyond");
        for (AnnotationStatistics.CategoryTotals c : r.categories()) {
            out.printf(Locale.ROOT, "%-22s %11d  %-24s %-28s %s%n", c.label().name(), c.annotations(),
                    c.visible() + "/" + c.partly() + "/" + c.largely(), c.truncatedAtMost15() + "/" + c.truncatedAtMost30()
                            + "/" + c.truncatedAtMost50() + "/" + c.truncatedMore(),
                    c.easy() + "/" + c.moderate() + "/" + c.hard() + "/" + c.beyond());
        }
    }

    private static String join(java.util.Map<String, Long> counts) {
        return counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    private static String list(double[] w) {
        return java.util.Arrays.stream(w).mapToObj(x -> String.format(Locale.ROOT, "%.4f", x))
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
