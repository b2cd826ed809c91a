package dev.roadsynth.core.dataset;

import dev.roadsynth.core.Box2;
import dev.roadsynth.core.Box3;
import dev.roadsynth.core.Frame;
import dev.roadsynth.core.ObjectAnnotation;
import dev.roadsynth.core.ObjectGroup;
import dev.roadsynth.core.io.AtomicFiles;
import dev.roadsynth.core.io.JsonLines;
import dev.roadsynth.core.io.PngEncoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * KITTI's object format, in the layout of KITTI's own download: {@code training/image_2/{id}.png},
 * {@code training/label_2/{id}.txt} with the 15 standard columns per object (type, truncated, occluded, alpha, 2D
 * box left top right bottom, height width length, x y z of the bottom centre in camera coordinates, rotation_y) and
 * {@code training/calib/{id}.txt} (P0..P3 = K [I | 0], R0_rect = I, Tr_velo_to_cam and Tr_imu_to_velo = [I | 0]);
 * every sample is under {@code training/} (all have labels), and {@code ImageSets/{split}.txt} lists each split's
 * sample ids, as the lists KITTI's users split its training set with. The 2D box is the amodal box clipped to the
 * image, as KITTI's boxes are drawn around the whole object. Occluded: 0 when at least 99% is visible, 1 when at
 * least half, else 2. Objects with no 3D box are left out; classes map to KITTI types as below, the rest to Misc.
 * Objects the policy left out that are in view ({@link Sample#ignored()}) follow as DontCare lines: their 2D box,
 * the rest -1, -10 and -1000 as in KITTI's own labels. A group ({@link Sample#groups()}: a rider and the two-wheeler
 * it rides) is one object here, as KITTI's Cyclist boxes rider and bicycle together: its line (or DontCare line,
 * when the policy left it out while in view) stands for its members, which get none of their own.
 */
public final class KittiWriter implements DatasetWriter {
    private final Path root;
    private final PngEncoder png;

    public KittiWriter(Path root, PngEncoder png) {
        this.root = root;
        this.png = png;
    }

    @Override
    public String name() {
        return "kitti";
    }

    @Override
    public boolean needsObjects() {
        return true;
    }

    /** The KITTI type for a Cityscapes-style class name. */
    static String type(String className) {
        return switch (className) {
            case "car" -> "Car";
            case "truck" -> "Truck";
            case "person" -> "Pedestrian";
            case "rider" -> "Cyclist";
            case "train" -> "Tram";
            case "caravan" -> "Van";
            default -> "Misc";
        };
    }

    @Override
    public Prepared prepare(Sample sample) throws IOException {
        var f = sample.frame();
        Path training = root.resolve("training");
        Path image = training.resolve("image_2").resolve(sample.id() + ".png");
        Path label = training.resolve("label_2").resolve(sample.id() + ".txt");
        Path calib = training.resolve("calib").resolve(sample.id() + ".txt");
        byte[] rgbPng = sample.output().rgbPng(sample, png); // shared with the other layouts
        sample.output().write(image, out -> out.write(rgbPng));
        StringBuilder lines = new StringBuilder();
        Set<Integer> grouped = ObjectGroup.memberIds(sample.groups());
        for (ObjectAnnotation a : sample.objects()) {
            if (!grouped.contains(a.instanceId())) {
                object(lines, a, f);
            }
        }
        for (ObjectGroup g : sample.groups()) {
            if (g.kept()) {
                object(lines, g.object(), f);
            }
        }
        for (ObjectAnnotation a : sample.ignored()) {
            if (!grouped.contains(a.instanceId())) {
                dontCare(lines, a);
            }
        }
        for (ObjectGroup g : sample.groups()) {
            if (!g.kept() && g.object().visiblePixels() > 0) {
                dontCare(lines, g.object());
            }
        }
        byte[] text = lines.toString().getBytes(StandardCharsets.US_ASCII);
        sample.output().write(label, out -> out.write(text));
        double[] k = sample.intrinsics();
        String p = String.format(Locale.ROOT, "%.12e 0 %.12e 0 0 %.12e %.12e 0 0 0 1 0", k[0], k[2], k[1], k[3]);
        String eye = "1 0 0 0 1 0 0 0 1";
        String rigid = "1 0 0 0 0 1 0 0 0 0 1 0";
        byte[] calibText = ("P0: " + p + "\nP1: " + p + "\nP2: " + p + "\nP3: " + p + "\nR0_rect: " + eye
                + "\nTr_velo_to_cam: " + rigid + "\nTr_imu_to_velo: " + rigid + "\n").getBytes(StandardCharsets.US_ASCII);
        sample.output().write(calib, out -> out.write(calibText));
        return new Written(List.of(image, label, calib));
    }

    /** As {@link #finish(List)} with no splits declared: the splits that have samples. */
    @Override
    public List<Path> finish() throws IOException {
        return finish(List.of());
    }

    /**
     * Writes {@code ImageSets/{split}.txt} for every declared split and every split with samples: the ids of its
     * samples (as in the file names), one a line, in sample order, from the dataset's manifest (the
     * {@code manifest.jsonl} beside this writer's folder, which lists exactly the samples done, so a resumed run or a
     * merge of shards writes the same lists as one uninterrupted run). A declared split without samples gets an
     * empty list.
     */
    @Override
    public synchronized List<Path> finish(List<String> declared) throws IOException {
        Map<String, SortedMap<Long, String>> splits = new TreeMap<>();
        declared.forEach(s -> splits.put(s, new TreeMap<>()));
        JsonLines.forEach(root.resolveSibling("manifest.jsonl"), m -> splits
                .computeIfAbsent(m.path("split").asText(), s -> new TreeMap<>())
                .put(m.path("index").asLong(), m.path("id").asText()));
        List<Path> out = new ArrayList<>();
        for (var e : splits.entrySet()) {
            Path list = root.resolve("ImageSets").resolve(e.getKey() + ".txt");
            StringBuilder ids = new StringBuilder();
            e.getValue().values().forEach(id -> ids.append(id).append('\n'));
            byte[] text = ids.toString().getBytes(StandardCharsets.US_ASCII);
            AtomicFiles.write(list, o -> o.write(text));
            out.add(list);
        }
        return out;
    }

    /** An object's line; none for an object without a 3D box, an amodal box, or of a class without instances. */
    private static void object(StringBuilder lines, ObjectAnnotation a, Frame f) {
        Box3 b = a.box3d();
        if (b == null || a.amodalBox() == null || !f.labels().byId(a.classId()).hasInstances()) {
            return;
        }
        int occluded = a.visibleFraction() >= 0.99 ? 0 : a.visibleFraction() >= 0.5 ? 1 : 2;
        lines.append(String.format(Locale.ROOT, "%s %.2f %d %.2f %.2f %.2f %.2f %.2f %.2f %.2f %.2f %.2f %.2f %.2f %.2f%n",
                type(f.labels().byId(a.classId()).name()), a.truncation(), occluded, a.alpha(),
                (double) a.amodalBox().x0(), (double) a.amodalBox().y0(), (double) a.amodalBox().x1(),
                (double) a.amodalBox().y1(), b.height(), b.width(), b.length(), b.x(), b.y(), b.z(), b.rotationY()));
    }

    /**
     * In view but left out by the policy: a region KITTI's evaluation ignores detections in, written as KITTI's own
     * DontCare lines are (the 2D box, every other field its "none" value).
     */
    private static void dontCare(StringBuilder lines, ObjectAnnotation a) {
        Box2 b = a.amodalBox();
        if (b != null) {
            lines.append(String.format(Locale.ROOT, "DontCare -1 -1 -10 %.2f %.2f %.2f %.2f -1 -1 -1 -1000 -1000 -1000 -10%n",
                    (double) b.x0(), (double) b.y0(), (double) b.x1(), (double) b.y1()));
        }
    }
}
