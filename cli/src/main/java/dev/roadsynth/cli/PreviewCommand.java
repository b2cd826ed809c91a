package dev.roadsynth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roadsynth.core.Frame;
import dev.roadsynth.core.Seeds;
import dev.roadsynth.core.dataset.DatasetAnnotations;
import dev.roadsynth.core.dataset.Sample;
import dev.roadsynth.core.io.AtomicFiles;
import dev.roadsynth.generate.Augmentation;
import dev.roadsynth.core.io.ContactSheet;
import dev.roadsynth.renderer.Annotator;
import dev.roadsynth.renderer.Outputs;
import dev.roadsynth.renderer.Renderer;
import dev.roadsynth.scenes.Scene;
import dev.roadsynth.scenes.SceneGenerator;
import dev.roadsynth.scenes.spec.SceneSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "preview", mixinStandardHelpOptions = true,
        header = "Render a few samples of a scene into one contact sheet PNG.",
        description = {"Render a few samples of a scene file into one contact sheet PNG, a row per",
                "sample: RGB, class colours, instances, depth, and with --boxes the annotations.",
                "For looking at what a scene file makes. Given a folder instead (a dataset of",
                "generate, merge or augment, or images with masks), the sheet shows samples read",
                "from its files, spread evenly over them, at their own size (a dataset without",
                "label planes: its COCO or KITTI images, the planes painted from COCO's masks);",
                "with --boxes, the annotations its COCO and KITTI files hold."},
        footer = {"%nExamples:%n  roadsynth preview examples/night-rain.yaml --samples 4 --out night.png",
                "  roadsynth preview highway --augment examples/augment/train.yaml --out aug.png",
                "  roadsynth preview urban-intersection --boxes --samples 2 --size 1024x512",
                "  roadsynth preview out --samples 8 --out out.png   # a dataset, from its files",
                "  roadsynth preview boxes --boxes --out b.png       # with its COCO/KITTI boxes"})
final class PreviewCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "SCENE", arity = "0..1", defaultValue = "urban-intersection",
            description = "A scene file or preset, or a dataset folder. Default: ${DEFAULT-VALUE}, as for generate.")
    String scene;

    @Option(names = "--samples", defaultValue = "4", description = "Rows, 1..64. Default: ${DEFAULT-VALUE}.")
    int samples;

    @Option(names = "--seed", defaultValue = "0", description = "Base seed, as for generate. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--size", defaultValue = "512x256", description = "Panel size WIDTHxHEIGHT. Default: ${DEFAULT-VALUE}.")
    String size;

    @Option(names = "--out", defaultValue = "preview.png", description = "Output PNG. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--augment", paramLabel = "FILE",
            description = "Show the samples augmented by this pipeline file, with the draws generate --augment makes for them.")
    Path augment;

    @Option(names = "--boxes", description = "A fifth panel: the annotations over the RGB image, each object's 2D "
            + "box (amodal) in its class colour, objects left out while in view (KITTI's DontCare) in grey, and the "
            + "3D boxes as KITTI's labels give them in yellow (not with --augment: 2D warps do not move them). Under "
            + "the policy --min-visible-pixels and --max-occlusion give, as in generate. For a dataset folder, from "
            + "its files: COCO's amodal boxes and ignore regions (without COCO, KITTI's 2D boxes and DontCare), "
            + "KITTI's 3D boxes with its calibration.")
    boolean boxes;

    @Mixin
    PolicyOptions policy;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (samples < 1 || samples > 64) {
            throw new IllegalArgumentException("--samples: " + samples + " is out of range 1..64");
        }
        // The sheet is always PNG (label colours must stay exact); a .jpg name would hold PNG bytes.
        if (!out.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
            throw new IllegalArgumentException("--out: " + out + " does not end in .png; the contact sheet is a PNG");
        }
        if (SpecFiles.isFolder(scene)) {
            return dataset(Path.of(scene));
        }
        Annotator.Policy annotation = policy.policy();
        Size s = Size.parse("--size", size);
        SceneSpec sceneSpec = SpecFiles.scene(scene, "give it with --augment").withResolution(s.width(), s.height());
        // Read before rendering, so that a bad pipeline file is said at once.
        var pipeline = augment == null ? null
                : SpecFiles.pipeline(augment, "give it as the SCENE argument, not with --augment");
        List<Frame> frames = new ArrayList<>();
        List<ContactSheet.Annotations> annotations = new ArrayList<>();
        try (Renderer renderer = Renderer.open(common.gpuSelection()); ClosesOnExit exit = new ClosesOnExit(renderer)) {
            Iterator<Scene> scenes = LongStream.range(0, samples)
                    .mapToObj(i -> SceneGenerator.generate(sceneSpec, Seeds.forSample(seed, i))).iterator();
            if (boxes) {
                renderer.renderEach(scenes, Outputs.FRAMES.withCoverage(true), r -> {
                    var result = Annotator.annotate(r.scene(), r.frame(), r.coverage(), annotation);
                    frames.add(r.frame());
                    annotations.add(new ContactSheet.Annotations(result.kept(), result.droppedInView(),
                            result.groups(), r.scene().camera().intrinsics().pinhole()));
                });
            } else {
                renderer.renderAll(scenes, frames::add);
            }
        }
        if (pipeline != null) {
            // The same draw as generate --augment for sample i; with the annotations warped as generate warps them.
            for (int i = 0; i < frames.size(); i++) {
                Frame f = frames.get(i);
                var params = pipeline.spec().sample(Augmentation.draws(Seeds.forSample(seed, i)), f.width(), f.height());
                if (boxes) {
                    var a = annotations.get(i);
                    Sample warped = pipeline.apply(new Sample(i, Seeds.forSample(seed, i), "preview", f, a.objects(),
                            a.ignored(), a.groups(), a.intrinsics(), Map.of()), params);
                    frames.set(i, warped.frame());
                    annotations.set(i, new ContactSheet.Annotations(warped.objects(), warped.ignored(),
                            warped.groups(), warped.intrinsics()));
                } else {
                    frames.set(i, dev.roadsynth.augment.Augmenter.apply(f, params, pipeline.fillClass()));
                }
            }
        }
        var sheet = boxes ? ContactSheet.of(frames, annotations, pipeline == null) : ContactSheet.of(frames);
        AtomicFiles.write(out, o -> ImageIO.write(sheet, "png", o));
        spec.commandLine().getOut().println("wrote " + out + " (" + samples + (samples == 1 ? " sample of " : " samples of ") + sceneSpec.source() + ")");
        return Main.EXIT_OK;
    }

    /**
     * A sheet of a dataset's samples from its files: {@code --samples} of them spread evenly over the folder's inputs,
     * as {@code augment} reads them (a dataset's raw arrays or Cityscapes layout with its class table, or images with
     * masks); an input that does not read is named and passed over.
     */
    private int dataset(Path dir) throws IOException {
        if (augment != null) {
            throw new IllegalArgumentException("--augment: not with a dataset folder (" + dir + "); 'roadsynth augment "
                    + dir + " OUT --spec FILE --sweep ...' shows a pipeline on its images");
        }
        Path table = dir.resolve(dev.roadsynth.core.dataset.Formats.LABELS_FILE);
        dev.roadsynth.core.LabelSet labels = dev.roadsynth.augment.FolderRun.maskLabels(
                java.nio.file.Files.isRegularFile(table) ? dev.roadsynth.core.LabelSet.load(table) : null);
        if (!dev.roadsynth.core.io.ImageFolder.hasItems(dir) && java.nio.file.Files.isRegularFile(
                dir.resolve("manifest.jsonl"))) {
            return withoutPlanes(dir, labels);
        }
        java.util.List<dev.roadsynth.core.io.ImageFolder.Item> items = dev.roadsynth.core.io.ImageFolder.list(dir);
        if (items.isEmpty()) {
            throw new IllegalArgumentException(dir + ": no samples to show");
        }
        int n = Math.min(samples, items.size());
        List<Frame> frames = new ArrayList<>();
        List<String> shown = new ArrayList<>();
        List<Path> images = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            var item = items.get((int) ((long) k * items.size() / n));
            try {
                frames.add(dev.roadsynth.core.io.ImageFolder.read(item, labels)); // with its depth where it has one
                shown.add(item.name());
                images.add(item.image());
            } catch (dev.roadsynth.core.io.ImageFolder.BadInputException e) {
                passedOver(e.getMessage());
            }
        }
        if (frames.isEmpty()) {
            throw new IllegalArgumentException(dir + ": none of the samples chosen reads (named above)");
        }
        var sheet = boxes ? ContactSheet.of(frames, DatasetAnnotations.of(dir, linesOf(dir, images), labels), true)
                : ContactSheet.of(frames);
        AtomicFiles.write(out, o -> ImageIO.write(sheet, "png", o));
        spec.commandLine().getOut().println("wrote " + out + " (" + frames.size() + " of the " + items.size()
                + " samples of " + dir + ": " + String.join(", ", shown) + ")");
        return Main.EXIT_OK;
    }

    /**
     * A sheet of a dataset without label planes (COCO, KITTI or both among its formats) from its files: each sample's
     * COCO or KITTI image, its planes painted from COCO's masks (DatasetAnnotations.frames), with --boxes its
     * annotations.
     */
    private int withoutPlanes(Path dir, dev.roadsynth.core.LabelSet labels) throws IOException {
        DatasetAnnotations.Spread spread = DatasetAnnotations.spread(dir, samples);
        if (spread.lines().isEmpty()) {
            throw new IllegalArgumentException(dir + ": no samples to show");
        }
        if (!DatasetAnnotations.annotated(spread.lines().get(0))) {
            throw new IllegalArgumentException(dir + ": expected images/ with masks/ (and optionally instances/), or a"
                    + " roadsynth dataset with label planes (raw, cityscapes) or COCO or KITTI images; found none");
        }
        DatasetAnnotations.Shown shown = DatasetAnnotations.frames(dir, spread.lines(), labels, boxes,
                this::passedOver);
        if (shown.frames().isEmpty()) {
            throw new IllegalArgumentException(dir + ": none of the samples chosen reads (named above)");
        }
        var sheet = boxes ? ContactSheet.of(shown.frames(), shown.annotations(), true) : ContactSheet.of(shown.frames());
        AtomicFiles.write(out, o -> ImageIO.write(sheet, "png", o));
        List<String> ids = shown.lines().stream().map(l -> l.path("id").asText("?")).toList();
        spec.commandLine().getOut().println("wrote " + out + " (" + ids.size() + " of the " + spread.count()
                + " samples of " + dir + ", from their COCO or KITTI images; label planes from COCO's masks where"
                + " it has them: " + String.join(", ", ids) + ")");
        return Main.EXIT_OK;
    }

    private void passedOver(String why) {
        spec.commandLine().getErr().println("roadsynth: passed over: " + why);
    }

    /**
     * The manifest lines of the samples whose images are {@code images} (files of {@code dir}), in their order; each
     * must list COCO or KITTI files to draw its annotations from.
     */
    private static List<JsonNode> linesOf(Path dir, List<Path> images) throws IOException {
        Map<String, Integer> at = new java.util.HashMap<>();
        for (int k = 0; k < images.size(); k++) {
            at.put(dir.relativize(images.get(k)).toString().replace('\\', '/'), k);
        }
        JsonNode[] lines = new JsonNode[images.size()];
        Path manifest = dir.resolve("manifest.jsonl");
        if (java.nio.file.Files.isRegularFile(manifest)) {
            dev.roadsynth.core.io.JsonLines.forEach(manifest, line -> {
                for (JsonNode f : line.path("files")) {
                    Integer k = at.get(f.path("path").asText());
                    if (k != null) {
                        lines[k] = line;
                    }
                }
            });
        }
        for (int k = 0; k < lines.length; k++) {
            if (lines[k] == null || !DatasetAnnotations.annotated(lines[k])) {
                throw new IllegalArgumentException("--boxes: " + (lines[k] == null ? images.get(k)
                        + " is not a sample that " + manifest + " lists" : dir + " has no COCO or KITTI files for "
                        + images.get(k)) + "; the annotations are drawn from a dataset's COCO or KITTI files (generate"
                        + " with coco or kitti among the formats)");
            }
        }
        return List.of(lines);
    }
}
