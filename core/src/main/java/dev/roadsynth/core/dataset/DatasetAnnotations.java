package dev.roadsynth.core.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roadsynth.core.Box2;
import dev.roadsynth.core.Box3;
import dev.roadsynth.core.DepthPlane;
import dev.roadsynth.core.Frame;
import dev.roadsynth.core.IdPlane;
import dev.roadsynth.core.LabelSet;
import dev.roadsynth.core.ObjectAnnotation;
import dev.roadsynth.core.RgbImage;
import dev.roadsynth.core.io.ContactSheet;
import dev.roadsynth.core.io.ImageFolder;
import dev.roadsynth.core.io.JsonLines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A generated dataset's annotations as its own files hold them, for the fifth panel of a contact sheet
 * ({@link ContactSheet.Annotations}) drawn from what was written rather than from a render: each COCO annotation's
 * amodal box ({@code amodal_bbox}; its {@code bbox} where it has none) in its category's class colour, COCO's ignore
 * regions ({@code iscrowd} 1) as the objects left out, and each KITTI object's 3D box (a Cyclist's is its rider's and
 * bicycle's together) projected with the intrinsics of its calibration's P2. Without COCO, KITTI's 2D boxes stand for
 * the amodal boxes (they are those, clipped to the image) and its DontCare regions for the objects left out.
 *
 * <p>A sample's files are found through its manifest line ({@code coco/images/SPLIT/ID.png}: the image named
 * {@code SPLIT/ID.png} in {@code coco/annotations/instances_SPLIT.json}; {@code kitti/training/label_2/ID.txt} and
 * the calibration beside it), not by naming rules. COCO's JSON is streamed, one image or annotation at a time, so
 * that a dataset of any size reads in bounded memory. For a dataset without label planes ({@code --format coco},
 * {@code kitti} or both) it also reads the samples themselves ({@link #frames}).
 */
public final class DatasetAnnotations {
    private static final String COCO_IMAGES = "coco/images/";
    private static final String KITTI_LABELS = "kitti/training/label_2/";

    private DatasetAnnotations() {
    }

    /** Whether a manifest line lists COCO or KITTI files to draw its annotations from. */
    public static boolean annotated(JsonNode line) {
        for (JsonNode f : line.path("files")) {
            String p = f.path("path").asText();
            if (p.startsWith(COCO_IMAGES) || p.startsWith(KITTI_LABELS)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The annotations of the samples whose manifest lines are {@code lines}, in their order, from the files those
     * lines list in {@code dir}; class ids as {@code labels} number them (KITTI's types mapped back to the classes
     * its writer maps to them).
     *
     * @throws IOException naming the file that cannot be read or does not read as what it should be
     */
    public static List<ContactSheet.Annotations> of(Path dir, List<JsonNode> lines, LabelSet labels)
            throws IOException {
        List<List<JsonNode>> coco = coco(dir, lines, false);
        List<ContactSheet.Annotations> out = new ArrayList<>();
        for (int k = 0; k < lines.size(); k++) {
            out.add(annotations(dir, lines.get(k), coco.get(k), labels));
        }
        return out;
    }

    /** One sample's annotations, from its COCO annotations {@code coco} (null: it has no COCO) and its KITTI files. */
    private static ContactSheet.Annotations annotations(Path dir, JsonNode line, List<JsonNode> coco, LabelSet labels)
            throws IOException {
        List<ObjectAnnotation> objects = new ArrayList<>();
        List<ObjectAnnotation> ignored = new ArrayList<>();
        for (JsonNode ann : coco == null ? List.<JsonNode>of() : coco) {
            JsonNode box = ann.path("amodal_bbox").isArray() ? ann.get("amodal_bbox") : ann.path("bbox");
            ObjectAnnotation a = object(ann.path("category_id").asInt(-1), "coco", xywh(box), null);
            (ann.path("iscrowd").asInt() == 1 ? ignored : objects).add(a);
        }
        double[] intrinsics = {1, 1, 0, 0};
        String label = file(line, KITTI_LABELS);
        if (label != null) {
            Path labelFile = dir.resolve(label);
            String id = label.substring(KITTI_LABELS.length(), label.length() - ".txt".length());
            intrinsics = p2(dir.resolve("kitti/training/calib").resolve(id + ".txt"));
            for (String text : readLines(labelFile)) {
                kitti(labelFile, text, labels, coco == null, objects, ignored);
            }
        }
        return new ContactSheet.Annotations(objects, ignored, List.of(), intrinsics);
    }

    /** Manifest lines chosen from a dataset of {@code count} samples. */
    public record Spread(long count, List<JsonNode> lines) {
        public Spread {
            lines = List.copyOf(lines);
        }
    }

    /**
     * {@code n} manifest lines of a dataset spread evenly over it (all where it has fewer), in manifest order; two
     * passes over the manifest, so that one of millions of samples is not held.
     */
    public static Spread spread(Path dir, int n) throws IOException {
        Path manifest = dir.resolve("manifest.jsonl");
        long[] count = {0};
        JsonLines.forEach(manifest, line -> count[0]++);
        long m = Math.min(n, count[0]);
        List<JsonNode> out = new ArrayList<>();
        long[] at = {0};
        JsonLines.forEach(manifest, line -> {
            if (out.size() < m && at[0] == out.size() * count[0] / m) {
                out.add(line);
            }
            at[0]++;
        });
        return new Spread(count[0], out);
    }

    /**
     * Frames read from a dataset's files, the manifest lines they are of (those that read), and where asked their
     * annotations ({@link #of}; else empty).
     */
    public record Shown(List<JsonNode> lines, List<Frame> frames, List<ContactSheet.Annotations> annotations) {
        public Shown {
            lines = List.copyOf(lines);
            frames = List.copyOf(frames);
            annotations = List.copyOf(annotations);
        }
    }

    /**
     * The samples of a dataset without label planes (only COCO, KITTI or both among its formats), as frames for a
     * contact sheet: each its COCO or KITTI image; its class and instance planes painted from COCO's masks (the
     * annotated objects and the ignore regions; every other pixel 0, unlabeled; none without COCO); its depth where
     * the dataset has the depth or depth-png format; with {@code withAnnotations} also their annotations, as
     * {@link #of} gives them, from the same read of COCO's JSON. A sample whose image or depth does not read is told
     * to {@code passedOver} (the file and why) and left out.
     *
     * @throws IOException naming the COCO JSON or KITTI file that cannot be read or does not read as it should
     */
    public static Shown frames(Path dir, List<JsonNode> lines, LabelSet labels, boolean withAnnotations,
                               Consumer<String> passedOver) throws IOException {
        List<List<JsonNode>> coco = coco(dir, lines, true);
        List<Frame> out = new ArrayList<>();
        List<JsonNode> kept = new ArrayList<>();
        List<ContactSheet.Annotations> annotations = new ArrayList<>();
        for (int k = 0; k < lines.size(); k++) {
            JsonNode line = lines.get(k);
            String image = file(line, COCO_IMAGES);
            image = image != null ? image : file(line, "kitti/training/image_2/");
            if (image == null) {
                throw new IOException(dir.resolve("manifest.jsonl") + ": sample " + line.path("id").asText("?")
                        + " lists no COCO or KITTI image");
            }
            RgbImage rgb;
            DepthPlane depthPlane;
            try {
                rgb = ImageFolder.readRgb(dir.resolve(image));
                String depth = ImageFolder.listedDepth(line);
                depthPlane = depth == null ? null : ImageFolder.readDepth(dir.resolve(depth));
            } catch (ImageFolder.BadInputException e) {
                passedOver.accept(e.getMessage());
                continue;
            }
            int w = rgb.width();
            int h = rgb.height();
            int[] classes = new int[w * h];
            int[] instances = new int[w * h];
            int next = 1;
            for (JsonNode ann : coco.get(k) == null ? List.<JsonNode>of() : coco.get(k)) {
                int id = ann.path("iscrowd").asInt() == 1 ? 0 : ann.path("instance_id").asInt(next);
                next++;
                paint(ann.path("segmentation"), w, h, ann.path("category_id").asInt(), id, classes, instances);
            }
            out.add(new Frame(labels, rgb, IdPlane.adopt(w, h, classes), IdPlane.adopt(w, h, instances), depthPlane));
            kept.add(line);
            if (withAnnotations) {
                annotations.add(annotations(dir, line, coco.get(k), labels));
            }
        }
        return new Shown(kept, out, annotations);
    }

    /** An uncompressed COCO RLE (column-major runs, the first of zeros) painted into the planes where it is 1. */
    private static void paint(JsonNode rle, int w, int h, int classId, int instanceId, int[] classes,
                              int[] instances) {
        JsonNode counts = rle.path("counts");
        if (!counts.isArray()) {
            return; // a compressed RLE string: not what roadsynth writes; left unpainted
        }
        long p = 0;
        for (int i = 0; i < counts.size(); i++) {
            long run = counts.get(i).asLong();
            if (i % 2 == 1) {
                for (long q = p; q < Math.min(p + run, (long) w * h); q++) {
                    int at = (int) (q % h) * w + (int) (q / h);
                    classes[at] = classId;
                    instances[at] = instanceId;
                }
            }
            p += run;
        }
    }

    /**
     * Per line, the COCO annotations of its image (null where the line lists no COCO image), with their masks where
     * {@code masks}; one pass over each JSON file for all lines.
     */
    private static List<List<JsonNode>> coco(Path dir, List<JsonNode> lines, boolean masks) throws IOException {
        Map<String, Set<String>> wanted = new HashMap<>();
        List<String[]> where = new ArrayList<>(); // per line: {json file, file_name} or null
        for (JsonNode line : lines) {
            String image = file(line, COCO_IMAGES);
            if (image == null) {
                where.add(null);
                continue;
            }
            String name = image.substring(COCO_IMAGES.length());
            String split = name.substring(0, Math.max(0, name.indexOf('/')));
            String json = "coco/annotations/instances_" + split + ".json";
            wanted.computeIfAbsent(json, k -> new HashSet<>()).add(name);
            where.add(new String[] {json, name});
        }
        Map<String, Map<String, List<JsonNode>>> byJson = new HashMap<>();
        for (var e : wanted.entrySet()) {
            byJson.put(e.getKey(), annotationsByFileName(dir.resolve(e.getKey()), e.getValue(), masks));
        }
        List<List<JsonNode>> out = new ArrayList<>();
        for (String[] w : where) {
            out.add(w == null ? null : byJson.get(w[0]).getOrDefault(w[1], List.of()));
        }
        return out;
    }

    /** The path a line lists under {@code prefix}, or null. */
    private static String file(JsonNode line, String prefix) {
        for (JsonNode f : line.path("files")) {
            String p = f.path("path").asText();
            if (p.startsWith(prefix)) {
                return p;
            }
        }
        return null;
    }

    /** The annotations of the images named {@code names} in a COCO JSON file, by file name. */
    private static Map<String, List<JsonNode>> annotationsByFileName(Path json, Set<String> names, boolean masks)
            throws IOException {
        Map<Long, String> ids = new HashMap<>();
        CocoWriter.elements(json, "images", image -> {
            if (names.contains(image.path("file_name").asText())) {
                ids.put(image.path("id").asLong(), image.get("file_name").asText());
            }
        });
        Map<String, List<JsonNode>> out = new HashMap<>();
        CocoWriter.elements(json, "annotations", ann -> {
            String name = ids.get(ann.path("image_id").asLong());
            if (name != null) {
                if (!masks) {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) ann).remove("segmentation"); // not drawn: not held
                }
                out.computeIfAbsent(name, k -> new ArrayList<>()).add(ann);
            }
        });
        return out;
    }

    /** A text file's lines; a missing file said so, by name. */
    private static List<String> readLines(Path file) throws IOException {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(file + " is missing", e);
        }
    }

    /** COCO's {@code [x, y, w, h]} as a box of whole pixels; null where it is not one. */
    private static Box2 xywh(JsonNode b) {
        if (!b.isArray() || b.size() != 4 || b.get(2).asDouble() <= 0 || b.get(3).asDouble() <= 0) {
            return null;
        }
        int x = (int) Math.round(b.get(0).asDouble());
        int y = (int) Math.round(b.get(1).asDouble());
        return new Box2(x, y, x + Math.max(1, (int) Math.round(b.get(2).asDouble())),
                y + Math.max(1, (int) Math.round(b.get(3).asDouble())));
    }

    private static ObjectAnnotation object(int classId, String kind, Box2 amodal, Box3 box3d) {
        return new ObjectAnnotation(0, classId, kind, 0, null, 0, amodal, null, 0, 0, box3d, 0, 0);
    }

    /**
     * One line of a KITTI label file: an object's 3D box (and, where the dataset has no COCO, its 2D box), or a
     * DontCare region (only then).
     */
    private static void kitti(Path file, String text, LabelSet labels, boolean twoD, List<ObjectAnnotation> objects,
                              List<ObjectAnnotation> ignored) throws IOException {
        String[] f = text.trim().split("\\s+");
        if (f.length == 1 && f[0].isEmpty()) {
            return;
        }
        if (f.length < 15) {
            throw new IOException(file + ": \"" + text + "\" is not a KITTI label line (15 fields)");
        }
        double[] v = new double[15];
        try {
            for (int i = 1; i < 15; i++) {
                v[i] = Double.parseDouble(f[i]);
            }
        } catch (NumberFormatException e) {
            throw new IOException(file + ": \"" + text + "\" holds a field that is not a number", e);
        }
        Box2 box = v[6] > v[4] && v[7] > v[5] ? new Box2((int) Math.round(v[4]), (int) Math.round(v[5]),
                (int) Math.round(v[6]), (int) Math.round(v[7])) : null;
        if (f[0].equals("DontCare")) {
            if (twoD) {
                ignored.add(object(-1, "DontCare", box, null));
            }
            return;
        }
        objects.add(object(classOf(f[0], labels), f[0], twoD ? box : null,
                new Box3(v[8], v[9], v[10], v[11], v[12], v[13], v[14])));
    }

    /** The class KITTI's writer maps to {@code type} (its first, for Misc none), or -1 where the table lacks it. */
    private static int classOf(String type, LabelSet labels) {
        String name = switch (type) {
            case "Car" -> "car";
            case "Truck" -> "truck";
            case "Pedestrian" -> "person";
            case "Cyclist" -> "rider";
            case "Tram" -> "train";
            case "Van" -> "caravan";
            default -> null;
        };
        for (var l : labels.labels()) {
            if (l.name().equals(name)) {
                return l.id();
            }
        }
        return -1;
    }

    /** The intrinsics {fx, fy, cx, cy} of a KITTI calibration file's P2. */
    private static double[] p2(Path calib) throws IOException {
        for (String line : readLines(calib)) {
            if (line.startsWith("P2:")) {
                String[] f = line.substring(3).trim().split("\\s+");
                try {
                    if (f.length == 12) {
                        return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[5]),
                                Double.parseDouble(f[2]), Double.parseDouble(f[6])};
                    }
                } catch (NumberFormatException e) {
                    throw new IOException(calib + ": P2 holds a field that is not a number", e);
                }
            }
        }
        throw new IOException(calib + ": no P2 line of 12 numbers");
    }
}
