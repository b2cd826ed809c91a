package dev.roadsynth.core.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roadsynth.core.Label;
import dev.roadsynth.core.LabelSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Occlusion, truncation and difficulty of a dataset's annotated objects, from its COCO annotation files (the objects
 * the annotation policy kept, with roadsynth's {@code visible_fraction}, {@code truncation} and {@code amodal_bbox};
 * the ignore regions, {@code iscrowd} 1, for the objects it left out, are not counted). Files are read as a stream:
 * memory does not grow with their size.
 *
 * <p>Levels, per category:
 * <ul>
 *   <li>occlusion as the KITTI writer labels it: visible (at least 99% of the object visible), partly (at least
 *       half), largely (less);</li>
 *   <li>truncation (the share of the object outside the image): at most 0.15, 0.30, 0.50, and more;</li>
 *   <li>KITTI's difficulty, exclusive levels: easy (amodal box height at least 40 px, visible, truncation at most
 *       0.15), else moderate (25 px, at most partly occluded, 0.30), else hard (25 px, any occlusion, 0.50), else
 *       beyond (what KITTI's evaluation ignores). The height is that of {@code amodal_bbox}, the box the KITTI
 *       writer writes.</li>
 * </ul>
 */
public final class AnnotationStatistics {
    private final LabelSet labels;
    private final Map<Integer, long[]> perCategory = new LinkedHashMap<>();
    private long annotations;

    private static final int COUNT = 0;
    private static final int VISIBLE = 1;
    private static final int PARTLY = 2;
    private static final int LARGELY = 3;
    private static final int TRUNC_15 = 4;
    private static final int TRUNC_30 = 5;
    private static final int TRUNC_50 = 6;
    private static final int TRUNC_MORE = 7;
    private static final int EASY = 8;
    private static final int MODERATE = 9;
    private static final int HARD = 10;
    private static final int BEYOND = 11;

    /** An empty tally for annotations whose category ids are class ids of {@code labels}. */
    public AnnotationStatistics(LabelSet labels) {
        this.labels = labels;
        for (Label l : labels.labels()) {
            if (l.hasInstances()) {
                perCategory.put(l.id(), new long[12]);
            }
        }
    }

    /**
     * Adds the annotations of one COCO file ({@code annotations/instances_SPLIT.json}).
     *
     * @throws IllegalArgumentException naming the file and the annotation when one lacks a field or names a category
     *                                  the class table has no class with instances for
     */
    public void add(Path cocoFile) throws IOException {
        CocoWriter.elements(cocoFile, "annotations", a -> add(a, cocoFile));
    }

    private void add(JsonNode a, Path file) {
        if (a.path("iscrowd").asInt() == 1) {
            return; // an object the policy left out: an ignore region, not an annotated object
        }
        JsonNode box = a.path("amodal_bbox");
        if (!a.path("category_id").canConvertToInt() || !a.path("visible_fraction").isNumber()
                || !a.path("truncation").isNumber() || !box.isArray() || box.size() != 4) {
            throw new IllegalArgumentException(file + ": annotation " + a.path("id") + " lacks category_id,"
                    + " visible_fraction, truncation or amodal_bbox (roadsynth's COCO files have them)");
        }
        long[] k = perCategory.get(a.get("category_id").asInt());
        if (k == null) {
            throw new IllegalArgumentException(file + ": annotation " + a.path("id") + " has category "
                    + a.get("category_id") + ", not a class with instances in the class table");
        }
        double visible = a.get("visible_fraction").asDouble();
        double truncation = a.get("truncation").asDouble();
        double height = box.get(3).asDouble();
        int occlusion = visible >= 0.99 ? 0 : visible >= 0.5 ? 1 : 2;
        annotations++;
        k[COUNT]++;
        k[VISIBLE + occlusion]++;
        k[truncation <= 0.15 ? TRUNC_15 : truncation <= 0.30 ? TRUNC_30 : truncation <= 0.50 ? TRUNC_50 : TRUNC_MORE]++;
        k[height >= 40 && occlusion == 0 && truncation <= 0.15 ? EASY
                : height >= 25 && occlusion <= 1 && truncation <= 0.30 ? MODERATE
                : height >= 25 && truncation <= 0.50 ? HARD : BEYOND]++;
    }

    /** One category's counts (see the class comment for the levels). */
    public record CategoryTotals(Label label, long annotations, long visible, long partly, long largely,
                                 long truncatedAtMost15, long truncatedAtMost30, long truncatedAtMost50,
                                 long truncatedMore, long easy, long moderate, long hard, long beyond) {
    }

    /** All annotations counted, and per class with instances (in table order) their counts. */
    public record Report(long annotations, List<CategoryTotals> categories) {
        /** The report as ordered maps and numbers, in the JSON layout of docs/formats.md (see LabelStatistics). */
        Map<String, Object> toMap() {
            List<Object> cs = new ArrayList<>();
            for (CategoryTotals c : categories) {
                cs.add(Manifest.ordered("name", c.label().name(), "id", c.label().id(),
                        "annotations", c.annotations(),
                        "occlusion", Manifest.ordered("visible", c.visible(), "partly", c.partly(),
                                "largely", c.largely()),
                        "truncation", Manifest.ordered("atMost15", c.truncatedAtMost15(),
                                "atMost30", c.truncatedAtMost30(), "atMost50", c.truncatedAtMost50(),
                                "more", c.truncatedMore()),
                        "kittiDifficulty", Manifest.ordered("easy", c.easy(), "moderate", c.moderate(),
                                "hard", c.hard(), "beyond", c.beyond())));
            }
            return Manifest.ordered("annotations", annotations, "categories", cs);
        }

        /**
         * The JSON of a dataset counted from its COCO files alone (no label planes): {@code samples}, {@code splits}
         * (samples per split) and this report as {@code annotations}, as docs/formats.md describes.
         */
        public byte[] toJson(long samples, Map<String, Long> splits) {
            try {
                return new com.fasterxml.jackson.databind.ObjectMapper()
                        .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsBytes(Manifest.ordered("samples", samples, "splits", splits, "annotations",
                                toMap()));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("statistics do not serialize", e);
            }
        }
    }

    public Report report() {
        List<CategoryTotals> out = new ArrayList<>();
        for (var e : perCategory.entrySet()) {
            long[] k = e.getValue();
            out.add(new CategoryTotals(labels.byId(e.getKey()), k[COUNT], k[VISIBLE], k[PARTLY], k[LARGELY], k[TRUNC_15],
                    k[TRUNC_30], k[TRUNC_50], k[TRUNC_MORE], k[EASY], k[MODERATE], k[HARD], k[BEYOND]));
        }
        return new Report(annotations, List.copyOf(out));
    }
}
