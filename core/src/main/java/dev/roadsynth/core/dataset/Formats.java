package dev.roadsynth.core.dataset;

import dev.roadsynth.core.io.PngEncoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The dataset formats by name, as a run lists them ({@code --format}) and its run record keeps them, and where
 * each one writes in an output directory: {@code cityscapes/}, {@code coco/}, {@code kitti/}, raw arrays and depth
 * beside them (docs/formats.md).
 */
public final class Formats {
    /** The formats' names. */
    public static final List<String> NAMES = List.of("raw", "cityscapes", "coco", "kitti", "depth", "depth-png");

    /** The run's class table in an output directory ({@code LabelSet.toJson}), one per dataset. */
    public static final String LABELS_FILE = "labels.json";

    private Formats() {
    }

    /**
     * What is wrong with the first name in {@code formats} that is none of {@link #NAMES} (with a "did you mean" where
     * one is close), or null if none is.
     */
    public static String unknownIn(List<String> formats) {
        for (String f : formats) {
            if (!NAMES.contains(f)) {
                return "'" + f + "' is not one of " + String.join(", ", NAMES)
                        + dev.roadsynth.core.spec.Section.suggest(f, NAMES);
            }
        }
        return null;
    }

    /**
     * The writers of {@code formats}, in that order, into the output directory {@code out}, with the PNG encoder
     * every writer uses ({@link PngEncoder#FAST}). {@code shard}: the run is one shard of several, so COCO keeps its
     * per-sample parts for the merge to join.
     */
    public static List<DatasetWriter> writers(Path out, List<String> formats, boolean shard) {
        PngEncoder png = PngEncoder.FAST;
        List<DatasetWriter> writers = new ArrayList<>();
        for (String f : formats) {
            writers.add(switch (f) {
                case "raw" -> new RawWriter(out);
                case "cityscapes" -> new CityscapesWriter(out.resolve("cityscapes"), "roadsynth", 0, png);
                case "coco" -> new CocoWriter(out.resolve("coco"), png, shard);
                case "kitti" -> new KittiWriter(out.resolve("kitti"), png);
                case "depth" -> new DepthWriter(out, png, true);
                case "depth-png" -> new DepthWriter(out, png, false);
                default -> throw new IllegalArgumentException("format: " + unknownIn(List.of(f))); // callers check first
            });
        }
        return writers;
    }
}
