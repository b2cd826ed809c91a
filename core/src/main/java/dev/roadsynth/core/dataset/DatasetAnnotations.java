package dev.roadsynth.core.dataset;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roadsynth.core.Box2;
import dev.roadsynth.core.Box3;
import dev.roadsynth.core.LabelSet;
import dev.roadsynth.core.ObjectAnnotation;
import dev.roadsynth.core.io.ContactSheet;
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
 * that a dataset of any size reads in bounded memory.
 */
public final class DatasetAnnotations {
    private static final ObjectMapper JSON = new ObjectMapper();
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
        // COCO: per JSON file, the file names wanted, then their image ids, then their annotations.
        Map<String, Set<String>> wanted = new HashMap<>();
        List<String[]> coco = new ArrayList<>(); // per line: {json file, file_name} or null
        for (JsonNode line : lines) {
            String image = file(line, COCO_IMAGES);
            if (image == null) {
                coco.add(null);
                continue;
            }
            String name = image.substring(COCO_IMAGES.length());
            String split = name.substring(0, Math.max(0, name.indexOf('/')));
            String json = "coco/annotations/instances_" + split + ".json";
            wanted.computeIfAbsent(json, k -> new HashSet<>()).add(name);
            coco.add(new String[] {json, name});
        }
        Map<String, Map<String, List<JsonNode>>> cocoAnns = new HashMap<>();
        for (var e : wanted.entrySet()) {
            cocoAnns.put(e.getKey(), annotationsByFileName(dir.resolve(e.getKey()), e.getValue()));
        }
        List<ContactSheet.Annotations> out = new ArrayList<>();
        for (int k = 0; k < lines.size(); k++) {
            List<ObjectAnnotation> objects = new ArrayList<>();
            List<ObjectAnnotation> ignored = new ArrayList<>();
            String[] c = coco.get(k);
            if (c != null) {
                for (JsonNode ann : cocoAnns.get(c[0]).getOrDefault(c[1], List.of())) {
                    JsonNode box = ann.path("amodal_bbox").isArray() ? ann.get("amodal_bbox") : ann.path("bbox");
                    ObjectAnnotation a = object(ann.path("category_id").asInt(-1), "coco", xywh(box), null);
                    (ann.path("iscrowd").asInt() == 1 ? ignored : objects).add(a);
                }
            }
            double[] intrinsics = {1, 1, 0, 0};
            String label = file(lines.get(k), KITTI_LABELS);
            if (label != null) {
                Path labelFile = dir.resolve(label);
                String id = label.substring(KITTI_LABELS.length(), label.length() - ".txt".length());
                intrinsics = p2(dir.resolve("kitti/training/calib").resolve(id + ".txt"));
                for (String text : Files.readAllLines(labelFile, StandardCharsets.UTF_8)) {
                    kitti(labelFile, text, labels, c == null, objects, ignored);
                }
            }
            out.add(new ContactSheet.Annotations(objects, ignored, List.of(), intrinsics));
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
    private static Map<String, List<JsonNode>> annotationsByFileName(Path json, Set<String> names) throws IOException {
        Map<Long, String> ids = new HashMap<>();
        elements(json, "images", image -> {
            if (names.contains(image.path("file_name").asText())) {
                ids.put(image.path("id").asLong(), image.get("file_name").asText());
            }
        });
        Map<String, List<JsonNode>> out = new HashMap<>();
        elements(json, "annotations", ann -> {
            String name = ids.get(ann.path("image_id").asLong());
            if (name != null) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) ann).remove("segmentation"); // not drawn: not held
                out.computeIfAbsent(name, k -> new ArrayList<>()).add(ann);
            }
        });
        return out;
    }

    /** Each element of the top-level array {@code field} of a JSON file, read one at a time. */
    private static void elements(Path json, String field, Consumer<JsonNode> each) throws IOException {
        try (JsonParser p = JSON.getFactory().createParser(json.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException(json + ": not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.getCurrentName();
                JsonToken value = p.nextToken();
                if (name.equals(field) && value == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        each.accept(p.readValueAsTree());
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(json + ": does not read as COCO's JSON (" + e.getOriginalMessage() + ")", e);
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
        for (String line : Files.readAllLines(calib, StandardCharsets.UTF_8)) {
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
