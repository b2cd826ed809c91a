package dev.roadsynth.core.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roadsynth.core.Box2;
import dev.roadsynth.core.Box3;
import dev.roadsynth.core.DepthPlane;
import dev.roadsynth.core.Frame;
import dev.roadsynth.core.IdPlane;
import dev.roadsynth.core.LabelSet;
import dev.roadsynth.core.ObjectAnnotation;
import dev.roadsynth.core.ObjectGroup;
import dev.roadsynth.core.RgbImage;
import dev.roadsynth.core.io.PngEncoder;
import java.awt.image.BufferedImage;
import java.nio.IntBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writers on a small hand-made frame: names, encodings and contents checked against independent readings. */
class WritersTest {
    static final int W = 40;
    static final int H = 30;
    static final int ROAD = 7;
    static final int CAR = 26;
    static final int PERSON = 24;

    /** Road everywhere; car instance 5 in [4, 14) x [6, 16); car 9 in [20, 30) x [3, 9); a person (id 7) with a hole. */
    static Frame frame() {
        int[] cls = new int[W * H];
        int[] inst = new int[W * H];
        float[] depth = new float[W * H];
        java.util.Arrays.fill(cls, ROAD);
        java.util.Arrays.fill(depth, 12.3456f);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int i = y * W + x;
                if (x >= 4 && x < 14 && y >= 6 && y < 16) {
                    cls[i] = CAR;
                    inst[i] = 5;
                } else if (x >= 20 && x < 30 && y >= 3 && y < 9) {
                    cls[i] = CAR;
                    inst[i] = 9;
                } else if (x >= 30 && x < 37 && y >= 18 && y < 27 && !(x == 33 && y == 22)) {
                    cls[i] = PERSON;
                    inst[i] = 7;
                }
            }
        }
        depth[0] = DepthPlane.NO_DEPTH;
        depth[1] = 70f;
        byte[] rgb = new byte[W * H * 3];
        new SplittableRandom(1).nextBytes(rgb);
        return new Frame(LabelSet.cityscapes(), RgbImage.copyOf(W, H, rgb), IdPlane.copyOf(W, H, cls),
                IdPlane.copyOf(W, H, inst), DepthPlane.copyOf(W, H, depth));
    }

    static List<ObjectAnnotation> objects() {
        return List.of(
                new ObjectAnnotation(5, CAR, "car", 100, new Box2(4, 6, 14, 16), 120, new Box2(2, 6, 14, 16),
                        new Box2(2, 6, 14, 16), 100 / 120.0, 0, new Box3(1.5, 1.8, 4.2, 1, 1.6, 12, -1.5), -1.58, 12.2),
                new ObjectAnnotation(9, CAR, "car", 60, new Box2(20, 3, 30, 9), 60, new Box2(20, 3, 30, 9),
                        new Box2(20, -3, 30, 9), 1, 0.5, new Box3(1.4, 1.7, 4.0, -3, 1.6, 30, 0.2), 0.3, 30.1));
    }

    static Sample sample() {
        return new Sample(42, 99, "val", frame(), objects(), new double[] {500, 510, 20, 15}, Map.of("scene", "test"));
    }

    /**
     * COCO's uncompressed RLE of the mask {@code ids[i] == id}, written here from the specification the simplest
     * way (one column-major walk per id), as the reference for {@link Rle#encodeAll}.
     */
    static List<Integer> referenceRle(IntBuffer ids, int width, int height, int id) {
        List<Integer> counts = new java.util.ArrayList<>();
        boolean current = false;
        int run = 0;
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                boolean v = ids.get(y * width + x) == id;
                if (v != current) {
                    counts.add(run);
                    run = 0;
                    current = v;
                }
                run++;
            }
        }
        counts.add(run);
        return counts;
    }

    /** Decodes COCO's uncompressed RLE, written here from the specification, not from the encoder. */
    static boolean[] decodeRle(List<Integer> counts, int width, int height) {
        boolean[] mask = new boolean[width * height];
        int p = 0;
        boolean value = false;
        for (int run : counts) {
            for (int k = 0; k < run; k++, p++) {
                int x = p / height;
                int y = p % height;
                mask[y * width + x] = value;
            }
            value = !value;
        }
        assertThat(p).as("runs cover the image").isEqualTo(width * height);
        return mask;
    }

    @Test
    void rleDecodesToExactlyTheInstanceMask() {
        Frame f = frame();
        for (int id : new int[] {5, 9, 7, 0, 12345}) {
            boolean[] mask = decodeRle(referenceRle(f.instance().ids(), W, H, id), W, H);
            IntBuffer ids = f.instance().ids();
            for (int i = 0; i < W * H; i++) {
                assertThat(mask[i]).as("id %d pixel %d", id, i).isEqualTo(ids.get(i) == id);
            }
        }
    }

    @Test
    void encodeAllMatchesTheReferenceOnPlanesOfOverlappingRectangles() {
        // As rendered planes are: rows that mostly repeat the row above (the encoder skips those many ids at a
        // time), objects touching the plane's edges, columns whose bottom id runs on into the next column's top.
        java.util.SplittableRandom rng = new java.util.SplittableRandom(11);
        for (int trial = 0; trial < 40; trial++) {
            int w = 1 + rng.nextInt(120);
            int h = 1 + rng.nextInt(70);
            int[] plane = new int[w * h];
            int background = trial % 3 == 0 ? 6 : 0; // a plane with no zero anywhere, too
            java.util.Arrays.fill(plane, background);
            for (int r = rng.nextInt(12); r > 0; r--) {
                int x0 = rng.nextInt(w);
                int y0 = rng.nextInt(h);
                int x1 = Math.min(w, x0 + 1 + rng.nextInt(w));
                int y1 = Math.min(h, y0 + 1 + rng.nextInt(h));
                int id = r % 4 == 0 ? 0 : 1 + rng.nextInt(5) + (r % 3 == 0 ? Integer.MIN_VALUE : 0);
                for (int y = y0; y < y1; y++) {
                    java.util.Arrays.fill(plane, y * w + x0, y * w + x1, id);
                }
            }
            assertEncodeAllIsTheReference(plane, w, h, "trial " + trial);
        }
    }

    @Test
    void oneComputesEveryInstancesRleAsTheSinglePassEncoderDoes() {
        // Random blocky planes, with ids touching the first and the last pixel, ids above 2^31 and odd sizes.
        java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
        for (int trial = 0; trial < 30; trial++) {
            int w = 1 + rng.nextInt(40);
            int h = 1 + rng.nextInt(30);
            int[] plane = new int[w * h];
            int[] palette = {0, 0, 3, 4, 77, -5, 65536};
            for (int i = 0; i < plane.length; i++) {
                plane[i] = i > 0 && rng.nextInt(4) > 0 ? plane[i - 1] : palette[rng.nextInt(palette.length)];
            }
            assertEncodeAllIsTheReference(plane, w, h, "trial " + trial);
        }
    }

    /** {@link Rle#encodeAll} of a plane: every non-zero id, each with the reference's counts, decoding to its mask. */
    private static void assertEncodeAllIsTheReference(int[] plane, int w, int h, String what) {
        IntBuffer ids = IntBuffer.wrap(plane);
        java.util.Map<Integer, int[]> all = Rle.encodeAll(ids, w, h);
        java.util.Set<Integer> present = new java.util.TreeSet<>();
        for (int v : plane) {
            if (v != 0) {
                present.add(v);
            }
        }
        assertThat(all.keySet()).as(what).isEqualTo(present);
        for (int id : present) {
            List<Integer> counts = java.util.Arrays.stream(all.get(id)).boxed().toList();
            assertThat(counts).as("%s id %d", what, id).isEqualTo(referenceRle(ids, w, h, id));
            boolean[] mask = decodeRle(counts, w, h);
            for (int i = 0; i < plane.length; i++) {
                assertThat(mask[i]).as("%s id %d pixel %d", what, id, i).isEqualTo(plane[i] == id);
            }
        }
    }

    /** The signed areas of the polygons added up (shoelace formula): outlines and holes wind oppositely. */
    private static long signedArea(List<int[][]> polygons) {
        long area = 0;
        for (int[][] poly : polygons) {
            long twice = 0;
            for (int k = 0; k < poly.length; k++) {
                int[] a = poly[k];
                int[] b = poly[(k + 1) % poly.length];
                twice += (long) a[0] * b[1] - (long) b[0] * a[1];
            }
            area += twice / 2;
        }
        return area;
    }

    @Test
    void polygonsEncloseExactlyTheRegionsPixels() {
        Frame f = frame();
        IntBuffer ids = f.instance().ids();
        for (int id : new int[] {5, 9, 7}) {
            long area = signedArea(Polygons.trace(W, H, i -> ids.get(i) == id));
            long pixels = 0;
            for (int i = 0; i < W * H; i++) {
                pixels += ids.get(i) == id ? 1 : 0;
            }
            // Outer outlines and holes wind oppositely, so the signed areas add up to the pixel count.
            assertThat(Math.abs(area)).as("instance %d", id).isEqualTo(pixels);
        }
        assertThat(Polygons.trace(W, H, i -> ids.get(i) == 5)).hasSize(1).allSatisfy(p -> assertThat(p).hasNumberOfRows(4));
        assertThat(Polygons.trace(W, H, i -> ids.get(i) == 7)).as("outline and hole").hasSize(2);
    }

    @Test
    void tracedOutlinesOfRandomPlanesContainExactlyTheirPixelsEvenWhereRegionsTouchDiagonally() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(11);
        for (int trial = 0; trial < 120; trial++) {
            int w = 1 + rng.nextInt(trial < 60 ? 24 : 48);
            int h = 1 + rng.nextInt(trial < 60 ? 18 : 36);
            long[] labels = new long[w * h];
            for (int i = 0; i < labels.length; i++) {
                long fresh = rng.nextInt(3) + (trial % 2 == 0 ? 0 : 1L << 40);
                if (trial % 3 == 2) {
                    // Coherent regions, as rendered: long straight boundaries along rows and columns.
                    int r = rng.nextInt(20);
                    labels[i] = r < 9 && i % w > 0 ? labels[i - 1] : r < 18 && i >= w ? labels[i - w] : fresh;
                } else {
                    // Few labels and little coherence: many diagonal touches, holes and islands.
                    labels[i] = i > 0 && rng.nextInt(3) == 0 ? labels[i - 1] : fresh;
                }
            }
            assertOutlinesContainExactlyTheirPixels(w, h, labels, "trial " + trial);
        }
    }

    @Test
    void tracedOutlinesOfOverlappingRectanglesContainExactlyTheirPixels() {
        // Large uniform regions with straight boundaries anywhere in a row, as rendered planes have: long interior
        // stretches that the tracer skips, ending at every kind of neighbour change.
        java.util.SplittableRandom rng = new java.util.SplittableRandom(12);
        for (int trial = 0; trial < 60; trial++) {
            int w = 1 + rng.nextInt(80);
            int h = 1 + rng.nextInt(40);
            long[] labels = new long[w * h];
            for (int r = rng.nextInt(8); r >= 0; r--) {
                int x0 = rng.nextInt(w);
                int y0 = rng.nextInt(h);
                int x1 = x0 + 1 + rng.nextInt(w - x0);
                int y1 = y0 + 1 + rng.nextInt(h - y0);
                long label = rng.nextInt(4);
                for (int y = y0; y < y1; y++) {
                    java.util.Arrays.fill(labels, y * w + x0, y * w + x1, label);
                }
            }
            assertOutlinesContainExactlyTheirPixels(w, h, labels, "rectangles " + trial);
        }
    }

    /** Signed areas equal pixel counts, the even-odd rule puts every pixel in its own label's outlines only. */
    private static void assertOutlinesContainExactlyTheirPixels(int w, int h, long[] labels, String trial) {
        Map<Long, List<int[][]>> all = Polygons.traceAll(w, h, labels);
        for (var e : all.entrySet()) {
            long area = signedArea(e.getValue());
            long pixels = java.util.Arrays.stream(labels).filter(v -> v == e.getKey()).count();
            assertThat(Math.abs(area)).as("%s label %d area", trial, e.getKey()).isEqualTo(pixels);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    // Even-odd rule at the pixel centre over all of the label's outlines.
                    double px = x + 0.5;
                    double py = y + 0.5;
                    boolean inside = false;
                    for (int[][] poly : e.getValue()) {
                        for (int k = 0, j = poly.length - 1; k < poly.length; j = k++) {
                            if ((poly[k][1] > py) != (poly[j][1] > py)
                                    && px < (double) (poly[j][0] - poly[k][0]) * (py - poly[k][1]) / (poly[j][1] - poly[k][1]) + poly[k][0]) {
                                inside = !inside;
                            }
                        }
                    }
                    assertThat(inside).as("%s label %d pixel (%d, %d)", trial, e.getKey(), x, y)
                            .isEqualTo(labels[y * w + x] == e.getKey());
                }
            }
        }
        assertThat(all.keySet()).isEqualTo(java.util.Arrays.stream(labels).boxed().collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void manifestHashesTakenWhileWritingAreTheFilesHashes(@TempDir Path dir) throws Exception {
        Sample s = sample();
        List<Path> files = new java.util.ArrayList<>();
        files.addAll(new CityscapesWriter(dir.resolve("cityscapes"), "roadsynth", 0, PngEncoder.FAST).write(s));
        files.addAll(new CocoWriter(dir.resolve("coco"), PngEncoder.FAST, true).write(s));
        files.addAll(new KittiWriter(dir.resolve("kitti"), PngEncoder.FAST).write(s));
        files.addAll(new DepthWriter(dir, PngEncoder.FAST, true).write(s));
        files.addAll(new RawWriter(dir).write(s));
        var line = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Manifest.line(s, "test", dir, files));
        assertThat(line.get("files")).hasSize(files.size());
        for (var f : line.get("files")) {
            Path file = dir.resolve(f.get("path").asText());
            // An independent digest of the bytes on disk.
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(java.nio.file.Files.readAllBytes(file));
            assertThat(f.get("sha256").asText()).as(file.toString()).isEqualTo(java.util.HexFormat.of().formatHex(digest));
            assertThat(s.output().sha256(file)).as("recorded while writing: %s", file).isNotNull();
        }
    }

    @Test
    void theRgbPngIsEncodedOnceAndTheLayoutsHoldTheSameBytes(@TempDir Path dir) throws Exception {
        Sample s = sample();
        byte[] first = s.output().rgbPng(s, PngEncoder.FAST);
        assertThat(s.output().rgbPng(s, PngEncoder.FAST)).isSameAs(first);
        java.io.ByteArrayOutputStream direct = new java.io.ByteArrayOutputStream();
        PngEncoder.FAST.writeRgb(direct, W, H, s.frame().rgb().toArray());
        assertThat(first).isEqualTo(direct.toByteArray());
        List<Path> cs = new CityscapesWriter(dir.resolve("cs"), "roadsynth", 0, PngEncoder.FAST).write(s);
        List<Path> coco = new CocoWriter(dir.resolve("coco"), PngEncoder.FAST, false).write(s);
        assertThat(java.nio.file.Files.readAllBytes(cs.get(0))).isEqualTo(first);
        assertThat(java.nio.file.Files.readAllBytes(coco.get(0))).isEqualTo(first);
    }

    @Test
    void cityscapesNamesAndEncodingsAreExact(@TempDir Path dir) throws Exception {
        CityscapesWriter w = new CityscapesWriter(dir, "roadsynth", 3, PngEncoder.FAST);
        List<Path> files = w.write(sample());
        assertThat(files.stream().map(p -> dir.relativize(p).toString())).containsExactly(
                "leftImg8bit/val/roadsynth/roadsynth_000003_000042_leftImg8bit.png",
                "gtFine/val/roadsynth/roadsynth_000003_000042_gtFine_labelIds.png",
                "gtFine/val/roadsynth/roadsynth_000003_000042_gtFine_labelTrainIds.png",
                "gtFine/val/roadsynth/roadsynth_000003_000042_gtFine_instanceIds.png",
                "gtFine/val/roadsynth/roadsynth_000003_000042_gtFine_color.png",
                "gtFine/val/roadsynth/roadsynth_000003_000042_gtFine_polygons.json");
        BufferedImage labels = ImageIO.read(files.get(1).toFile());
        BufferedImage trainIds = ImageIO.read(files.get(2).toFile());
        BufferedImage instances = ImageIO.read(files.get(3).toFile());
        // Train ids: every pixel's class id (read back from labelIds) through the table's trainId, 255 for ignored.
        assertThat(trainIds.getRaster().getSampleModel().getSampleSize(0)).isEqualTo(8);
        java.util.Set<Integer> seen = new java.util.TreeSet<>();
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int t = LabelSet.cityscapes().byId(labels.getRaster().getSample(x, y, 0)).trainId();
                assertThat(trainIds.getRaster().getSample(x, y, 0)).as("(%d, %d)", x, y).isEqualTo(t);
                seen.add(t);
            }
        }
        assertThat(seen).as("road, car, person").containsExactly(0, 11, 13);
        assertThat(labels.getRaster().getSampleModel().getSampleSize(0)).isEqualTo(8);
        assertThat(instances.getRaster().getSampleModel().getSampleSize(0)).isEqualTo(16);
        assertThat(labels.getRaster().getSample(5, 7, 0)).isEqualTo(CAR);
        assertThat(labels.getRaster().getSample(0, 0, 0)).isEqualTo(ROAD);
        // Instances per class in ascending id order: car 5 -> 26000, car 9 -> 26001; person 7 -> 24000; stuff -> class.
        assertThat(instances.getRaster().getSample(5, 7, 0)).isEqualTo(26000);
        assertThat(instances.getRaster().getSample(25, 5, 0)).isEqualTo(26001);
        assertThat(instances.getRaster().getSample(31, 19, 0)).isEqualTo(24000);
        assertThat(instances.getRaster().getSample(0, 0, 0)).isEqualTo(ROAD);
        BufferedImage colour = ImageIO.read(files.get(4).toFile());
        assertThat(colour.getRGB(5, 7) & 0xffffff).isEqualTo(LabelSet.cityscapes().byId(CAR).color().packed());
        JsonNode polygons = new ObjectMapper().readTree(files.get(5).toFile());
        assertThat(polygons.get("imgWidth").asInt()).isEqualTo(W);
        assertThat(polygons.get("objects").findValuesAsText("label")).contains("road", "car", "person");
    }

    @Test
    void cityscapesTrainIdsMarkClassesIgnoredInTrainingWith255(@TempDir Path dir) throws Exception {
        // Left half 'static' (id 4, ignored in training), right half 'sky' (id 23, train id 10); one unlabeled pixel.
        int[] cls = new int[W * H];
        for (int i = 0; i < cls.length; i++) {
            cls[i] = i % W < W / 2 ? 4 : 23;
        }
        cls[W + 1] = 0;
        Frame f = new Frame(LabelSet.cityscapes(), RgbImage.copyOf(W, H, new byte[W * H * 3]), IdPlane.copyOf(W, H, cls),
                IdPlane.copyOf(W, H, new int[W * H]), DepthPlane.copyOf(W, H, new float[W * H]));
        Sample s = new Sample(1, 2, "train", f, List.of(), new double[] {500, 500, 20, 15}, Map.of());
        List<Path> files = new CityscapesWriter(dir, "roadsynth", 0, PngEncoder.FAST).write(s);
        BufferedImage train = ImageIO.read(files.get(2).toFile());
        assertThat(files.get(2).getFileName().toString()).endsWith("_gtFine_labelTrainIds.png");
        assertThat(train.getRaster().getSample(0, 0, 0)).isEqualTo(255);
        assertThat(train.getRaster().getSample(W - 1, H - 1, 0)).isEqualTo(10);
        assertThat(train.getRaster().getSample(1, 1, 0)).as("unlabeled").isEqualTo(255);
    }

    @Test
    void everyDeclaredSplitExistsAfterFinishingThoughNoSampleFellInIt(@TempDir Path dir) throws Exception {
        // The samples are all in val; train and test were declared too. A loader asking for any of them finds one.
        List<String> splits = List.of("train", "val", "test");
        CocoWriter coco = new CocoWriter(dir.resolve("coco"), PngEncoder.FAST);
        CityscapesWriter cityscapes = new CityscapesWriter(dir.resolve("cityscapes"), "roadsynth", 0, PngEncoder.FAST);
        DepthWriter depth = new DepthWriter(dir, PngEncoder.FAST, false);
        for (DatasetWriter w : List.of(coco, cityscapes, depth)) {
            w.write(sample());
        }
        assertThat(coco.finish(splits)).containsExactly(dir.resolve("coco/annotations/instances_test.json"),
                dir.resolve("coco/annotations/instances_train.json"), dir.resolve("coco/annotations/instances_val.json"));
        cityscapes.finish(splits);
        depth.finish(splits);
        ObjectMapper json = new ObjectMapper();
        for (String split : List.of("train", "test")) {
            JsonNode empty = json.readTree(dir.resolve("coco/annotations/instances_" + split + ".json").toFile());
            assertThat(empty.get("images")).as(split).isEmpty();
            assertThat(empty.get("annotations")).as(split).isEmpty();
            assertThat(empty.get("categories").findValuesAsText("name")).as(split).hasSize(10).contains("car", "person");
            for (String folder : List.of("coco/images/", "cityscapes/leftImg8bit/", "cityscapes/gtFine/", "depth/")) {
                assertThat(dir.resolve(folder + split)).isEmptyDirectory();
            }
        }
        JsonNode val = json.readTree(dir.resolve("coco/annotations/instances_val.json").toFile());
        assertThat(val.get("images")).hasSize(1);
        // Without declared splits (the writers' plain finish), only the splits with samples, as before.
        Path plain = dir.resolve("plain");
        CocoWriter undeclared = new CocoWriter(plain, PngEncoder.FAST);
        undeclared.write(sample());
        assertThat(undeclared.finish()).containsExactly(plain.resolve("annotations/instances_val.json"));
    }

    @Test
    void cocoJoinsTheCategoriesOfAnInterruptedRunWhenItsResumeHasNoSampleLeftToMake(@TempDir Path dir)
            throws Exception {
        // The first writer makes three samples and is cut off before finish(); a resumed run finds them all done,
        // prepares nothing, and joins the parts: the categories must already be among them.
        CocoWriter interrupted = new CocoWriter(dir, PngEncoder.FAST);
        for (int i = 0; i < 3; i++) {
            Sample s = sample();
            interrupted.write(new Sample(i, s.seed(), s.split(), s.frame(), s.objects(), new double[] {500, 510, 20, 15},
                    Map.of("scene", "test")));
        }
        assertThat(dir.resolve("annotations/.parts/categories.json")).exists();
        try (CocoWriter resumed = new CocoWriter(dir, PngEncoder.FAST)) {
            assertThat(resumed.finish()).containsExactly(dir.resolve("annotations/instances_val.json"));
        }
        JsonNode coco = new ObjectMapper().readTree(dir.resolve("annotations/instances_val.json").toFile());
        assertThat(coco.get("images").findValuesAsText("file_name")).containsExactly("val/000000.png", "val/000001.png",
                "val/000002.png");
        assertThat(coco.get("categories").findValuesAsText("name")).hasSize(10).contains("car", "person");
        assertThat(coco.get("annotations")).hasSize(6);
    }

    /** Sample {@code i} of a small run: split by i, one of them with no objects (an image without annotations). */
    private static Sample nth(int i) {
        Sample s = sample();
        return new Sample(i, s.seed() + i, i % 3 == 1 ? "train" : "val", s.frame(), i == 2 ? List.of() : s.objects(),
                new double[] {500, 510, 20, 15}, Map.of("scene", "test"));
    }

    /** Every regular file under {@code dir}, by relative path, with its bytes. */
    private static Map<String, byte[]> contents(Path dir) throws Exception {
        Map<String, byte[]> out = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }

    /**
     * A finished COCO output reopened has its parts back byte for byte (images without annotations, every split,
     * the categories), its JSON untouched; more samples written then and finished give the JSON of a writer that
     * wrote them all from the start. An interrupted reopen's leftovers go; a reopen where parts are is nothing.
     */
    @Test
    void cocoReopenedGivesBackItsPartsAndExtendsAsIfAllWereWrittenAtOnce(@TempDir Path dir) throws Exception {
        List<String> splits = List.of("train", "val", "test");
        Path a = dir.resolve("a");
        CocoWriter first = new CocoWriter(a, PngEncoder.FAST);
        for (int i = 0; i < 5; i++) {
            first.write(nth(i));
        }
        Map<String, byte[]> parts = contents(a.resolve("annotations/.parts"));
        assertThat(parts.keySet()).contains("categories.json", "train/000001.jsonl", "val/000002.jsonl", "train/000004.jsonl");
        first.finish(splits);
        Map<String, byte[]> finished = contents(a.resolve("annotations"));
        assertThat(finished.keySet()).containsExactly("instances_test.json", "instances_train.json", "instances_val.json");
        Files.createDirectories(a.resolve("annotations/.parts.reopening/val"));
        Files.writeString(a.resolve("annotations/.parts.reopening/val/000009.jsonl"), "{\"id\":9}\n");
        CocoWriter again = new CocoWriter(a, PngEncoder.FAST);
        again.reopen();
        assertThat(a.resolve("annotations/.parts.reopening")).doesNotExist();
        Map<String, byte[]> reopened = contents(a.resolve("annotations/.parts"));
        assertThat(reopened.keySet()).isEqualTo(parts.keySet());
        for (String k : parts.keySet()) {
            assertThat(reopened.get(k)).as(k).isEqualTo(parts.get(k));
        }
        for (String k : finished.keySet()) {
            assertThat(Files.readAllBytes(a.resolve("annotations").resolve(k))).as(k).isEqualTo(finished.get(k));
        }
        again.reopen(); // parts there: nothing to do
        assertThat(contents(a.resolve("annotations/.parts")).keySet()).isEqualTo(parts.keySet());
        for (int i = 5; i < 8; i++) {
            again.write(nth(i));
        }
        again.finish(splits);
        Path b = dir.resolve("b");
        CocoWriter whole = new CocoWriter(b, PngEncoder.FAST);
        for (int i = 0; i < 8; i++) {
            whole.write(nth(i));
        }
        whole.finish(splits);
        Map<String, byte[]> extended = contents(a.resolve("annotations"));
        Map<String, byte[]> direct = contents(b.resolve("annotations"));
        assertThat(extended.keySet()).isEqualTo(direct.keySet());
        for (String k : direct.keySet()) {
            assertThat(extended.get(k)).as(k).isEqualTo(direct.get(k));
        }
        assertThat(new ObjectMapper().readTree(extended.get("instances_val.json")).get("images")).hasSize(5);
    }

    @Test
    void cocoRemovesJoinedPartsThatARunKilledWhileDeletingThemLeftAndKeepsItsJson(@TempDir Path dir) throws Exception {
        try (CocoWriter w = new CocoWriter(dir, PngEncoder.FAST)) {
            for (int i = 0; i < 3; i++) {
                Sample s = sample();
                w.write(new Sample(i, s.seed(), s.split(), s.frame(), s.objects(), new double[] {500, 510, 20, 15},
                        Map.of("scene", "test")));
            }
        }
        Path json = dir.resolve("annotations/instances_val.json");
        byte[] joined = Files.readAllBytes(json);
        assertThat(dir.resolve("annotations/.parts")).doesNotExist();
        // Killed while deleting: some joined parts are left where the rename put them, none where parts are made.
        Path left = dir.resolve("annotations/.parts.joined/val/000002.jsonl");
        Files.createDirectories(left.getParent());
        Files.writeString(left, "{\"id\":2}\n");
        try (CocoWriter resumed = new CocoWriter(dir, PngEncoder.FAST)) {
            assertThat(resumed.finish()).isEmpty();
        }
        assertThat(dir.resolve("annotations/.parts.joined")).doesNotExist();
        assertThat(Files.readAllBytes(json)).isEqualTo(joined);
    }

    @Test
    void cocoJsonHasImagesCategoriesAndAnnotationsWhoseRleIsTheMask(@TempDir Path dir) throws Exception {
        try (CocoWriter w = new CocoWriter(dir, PngEncoder.FAST)) {
            w.write(sample());
        }
        JsonNode coco = new ObjectMapper().readTree(dir.resolve("annotations/instances_val.json").toFile());
        assertThat(coco.get("images")).hasSize(1);
        assertThat(coco.get("images").get(0).get("file_name").asText()).isEqualTo("val/000042.png");
        assertThat(coco.get("categories").findValuesAsText("name")).containsExactly("person", "rider", "car", "truck",
                "bus", "caravan", "trailer", "train", "motorcycle", "bicycle");
        JsonNode anns = coco.get("annotations");
        assertThat(anns).hasSize(2);
        JsonNode car = anns.get(0);
        assertThat(car.get("category_id").asInt()).isEqualTo(CAR);
        assertThat(car.get("bbox").toString()).isEqualTo("[4,6,10,10]");
        assertThat(car.get("area").asLong()).isEqualTo(100);
        assertThat(car.get("iscrowd").asInt()).isZero();
        assertThat(car.get("amodal_bbox").toString()).isEqualTo("[2,6,12,10]");
        assertThat(car.get("visible_fraction").asDouble()).isEqualTo(100 / 120.0);
        assertThat(anns.get(1).get("amodal_bbox_unclipped").toString()).isEqualTo("[20,-3,10,12]");
        List<Integer> counts = new ObjectMapper().convertValue(car.get("segmentation").get("counts"),
                new com.fasterxml.jackson.core.type.TypeReference<List<Integer>>() { });
        boolean[] mask = decodeRle(counts, W, H);
        IntBuffer ids = frame().instance().ids();
        int n = 0;
        for (int i = 0; i < W * H; i++) {
            assertThat(mask[i]).isEqualTo(ids.get(i) == 5);
            n += mask[i] ? 1 : 0;
        }
        assertThat(n).isEqualTo(100);
        try (var files = Files.list(dir.resolve("annotations"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("instances_val.json");
        }
    }

    @Test
    void kittiLinesHaveTheFifteenStandardColumns(@TempDir Path dir) throws Exception {
        new KittiWriter(dir, PngEncoder.FAST).write(sample());
        List<String> lines = Files.readAllLines(dir.resolve("training/label_2/000042.txt"));
        assertThat(lines).hasSize(2);
        String[] c = lines.get(0).split(" ");
        assertThat(c).hasSize(15);
        assertThat(c[0]).isEqualTo("Car");
        assertThat(Double.parseDouble(c[1])).isEqualTo(0.0);  // truncated
        assertThat(Integer.parseInt(c[2])).isEqualTo(1);      // 83% visible: partly occluded
        assertThat(Double.parseDouble(c[3])).isEqualTo(-1.58);
        assertThat(List.of(c[4], c[5], c[6], c[7])).containsExactly("2.00", "6.00", "14.00", "16.00");
        assertThat(List.of(c[8], c[9], c[10])).containsExactly("1.50", "1.80", "4.20");
        assertThat(List.of(c[11], c[12], c[13], c[14])).containsExactly("1.00", "1.60", "12.00", "-1.50");
        assertThat(lines.get(1).split(" ")[1]).isEqualTo("0.50");
        List<String> calib = Files.readAllLines(dir.resolve("training/calib/000042.txt"));
        String[] p2 = calib.get(2).split(" ");
        assertThat(p2[0]).isEqualTo("P2:");
        assertThat(p2).hasSize(13);
        assertThat(Double.parseDouble(p2[1])).isEqualTo(500);
        assertThat(Double.parseDouble(p2[3])).isEqualTo(20);
        assertThat(Double.parseDouble(p2[6])).isEqualTo(510);
        assertThat(Double.parseDouble(p2[7])).isEqualTo(15);
        assertThat(calib.get(4)).startsWith("R0_rect: ");
        assertThat(Files.exists(dir.resolve("training/image_2/000042.png"))).isTrue();
    }

    @Test
    void objectsLeftOutButInViewAreKittiDontCareLines(@TempDir Path dir) throws Exception {
        Sample s = sample();
        // Instance 7: 12 visible pixels, left out by a policy; its amodal box clipped to the image.
        ObjectAnnotation small = new ObjectAnnotation(7, CAR, "car", 12, new Box2(33, 10, 36, 14), 40,
                new Box2(31, 9, 36, 15), new Box2(31, 9, 38, 15), 0.3, 0.2, new Box3(1.5, 1.8, 4.2, 5, 1.6, 60, 0.1),
                0.02, 60.3);
        Sample withIgnored = new Sample(s.index(), s.seed(), s.split(), s.frame(), s.objects(), List.of(small),
                s.intrinsics(), s.metadata());
        List<String> lines = kittiLines(dir.resolve("kitti"), withIgnored);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("Car ");
        assertThat(lines.get(1)).startsWith("Car ");
        assertThat(lines.get(2)).isEqualTo("DontCare -1 -1 -10 31.00 9.00 36.00 15.00 -1 -1 -1 -1000 -1000 -1000 -10");
        // COCO's mark is an ignore region: the kept objects' lines, then one with iscrowd 1.
        List<String> plain = new String(cocoPart(dir.resolve("coco-plain"), s), StandardCharsets.UTF_8).lines().toList();
        List<String> marked = new String(cocoPart(dir.resolve("coco"), withIgnored), StandardCharsets.UTF_8).lines().toList();
        assertThat(marked).hasSize(plain.size() + 1).startsWith(plain.toArray(String[]::new));
        var crowd = new com.fasterxml.jackson.databind.ObjectMapper().readTree(marked.get(marked.size() - 1));
        assertThat(crowd.get("iscrowd").asInt()).isEqualTo(1);
        assertThat(crowd.get("instance_id").asInt()).isEqualTo(7);
        assertThat(crowd.get("bbox").toString()).isEqualTo("[33,10,3,4]");
        assertThat(crowd.get("area").asInt()).isEqualTo(12);
        assertThat(crowd.get("id").asLong()).isEqualTo(42 * 10000 + plain.size() - 1);
    }

    /** Sample 42's KITTI label lines as the KITTI writer writes them under {@code root}. */
    private static List<String> kittiLines(Path root, Sample sample) throws Exception {
        new KittiWriter(root, PngEncoder.FAST).write(sample);
        return Files.readAllLines(root.resolve("training/label_2/000042.txt"));
    }

    /** Sample 42's COCO part (its images and annotations entries) as the COCO writer writes it under {@code root}. */
    private static byte[] cocoPart(Path root, Sample sample) throws Exception {
        new CocoWriter(root, PngEncoder.FAST).write(sample);
        return Files.readAllBytes(root.resolve("annotations/.parts/val/000042.jsonl"));
    }

    /**
     * A rider and its bicycle are one Cyclist line, the group's (KITTI boxes them together), with no line of their
     * own; a group the policy left out while in view is one DontCare line, its members none. COCO keeps the rider
     * and the bicycle apart.
     */
    @Test
    void aRiderAndItsBicycleAreOneKittiCyclist(@TempDir Path dir) throws Exception {
        Sample s = sample();
        int rider = 25;
        int bicycle = 33;
        Box3 box = new Box3(1.5, 1.8, 4.2, 5, 1.6, 60, 0.1);
        ObjectAnnotation r = new ObjectAnnotation(11, rider, "rider", 20, new Box2(31, 2, 35, 10), 20,
                new Box2(31, 2, 35, 10), new Box2(31, 2, 35, 10), 1, 0, box, 0.02, 60.3);
        ObjectAnnotation b = new ObjectAnnotation(12, bicycle, "bicycle", 8, new Box2(30, 8, 38, 11), 10,
                new Box2(30, 8, 38, 11), new Box2(30, 8, 38, 11), 0.8, 0, box, 0.02, 60.3);
        ObjectAnnotation cyclist = new ObjectAnnotation(20, rider, "cyclist", 28, new Box2(30, 2, 38, 11), 29,
                new Box2(30, 2, 38, 11), new Box2(30, 2, 38, 11), 28 / 29.0, 0, new Box3(1.7, 0.6, 1.8, 5, 1.6, 60, 0.1),
                0.02, 60.3);
        ObjectAnnotation hiddenRider = new ObjectAnnotation(13, rider, "rider", 2, new Box2(1, 1, 3, 2), 30,
                new Box2(1, 1, 4, 9), new Box2(1, 1, 4, 9), 2 / 30.0, 0, box, 0.1, 20);
        ObjectAnnotation hiddenCyclist = new ObjectAnnotation(21, rider, "cyclist", 2, new Box2(1, 1, 3, 2), 40,
                new Box2(0, 1, 5, 10), new Box2(0, 1, 5, 10), 2 / 40.0, 0, box, 0.1, 20);
        List<ObjectAnnotation> objects = new java.util.ArrayList<>(s.objects());
        objects.add(r);
        objects.add(b);
        Sample withGroups = new Sample(s.index(), s.seed(), s.split(), s.frame(), objects, List.of(hiddenRider),
                List.of(new ObjectGroup(cyclist, List.of(11, 12), null),
                        new ObjectGroup(hiddenCyclist, List.of(13, 14), "0.950 occluded, more than 0.900")),
                s.intrinsics(), s.metadata());
        List<String> lines = kittiLines(dir.resolve("kitti"), withGroups);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("Car ");
        assertThat(lines.get(1)).startsWith("Car ");
        assertThat(lines.get(2)).isEqualTo("Cyclist 0.00 1 0.02 30.00 2.00 38.00 11.00 1.70 0.60 1.80 5.00 1.60 60.00 0.10");
        assertThat(lines.get(3)).isEqualTo("DontCare -1 -1 -10 0.00 1.00 5.00 10.00 -1 -1 -1 -1000 -1000 -1000 -10");
        // Without groups, the rider and the bicycle each have a line.
        Sample apart = new Sample(s.index(), s.seed(), s.split(), s.frame(), objects, List.of(), s.intrinsics(),
                s.metadata());
        assertThat(kittiLines(dir.resolve("apart"), apart)).extracting(l -> l.split(" ")[0])
                .containsExactly("Car", "Car", "Cyclist", "Misc");
        Sample apartIgnoring = new Sample(s.index(), s.seed(), s.split(), s.frame(), objects, List.of(hiddenRider),
                s.intrinsics(), s.metadata());
        assertThat(cocoPart(dir.resolve("coco"), withGroups))
                .isEqualTo(cocoPart(dir.resolve("coco-apart"), apartIgnoring));
    }

    /**
     * ImageSets/{split}.txt lists each split's sample ids in sample order, from the manifest beside the kitti folder
     * (a line cut short by an interruption is no sample), with a 7-digit id after the 6-digit ones; a declared split
     * without samples gets an empty list; finishing again gives the same files.
     */
    @Test
    void kittiImageSetsListEachSplitsSamplesFromTheManifest(@TempDir Path dir) throws Exception {
        KittiWriter w = new KittiWriter(dir.resolve("kitti"), PngEncoder.FAST);
        w.write(sample());
        Files.writeString(dir.resolve("manifest.jsonl"), """
                {"id":"000000","index":0,"split":"train"}
                {"id":"000042","index":42,"split":"val"}
                {"id":"000007","index":7,"split":"train"}
                {"id":"1000000","index":1000000,"split":"train"}
                {"id":"000050","index":50,"spl""");
        List<Path> written = w.finish(List.of("train", "val", "test"));
        Path sets = dir.resolve("kitti/ImageSets");
        assertThat(written).containsExactlyInAnyOrder(sets.resolve("train.txt"), sets.resolve("val.txt"),
                sets.resolve("test.txt"));
        assertThat(Files.readString(sets.resolve("train.txt"))).isEqualTo("000000\n000007\n1000000\n");
        assertThat(Files.readString(sets.resolve("val.txt"))).isEqualTo("000042\n");
        assertThat(Files.readString(sets.resolve("test.txt"))).isEmpty();
        assertThat(Files.exists(dir.resolve("kitti/training/label_2/000042.txt"))).isTrue();
        byte[] train = Files.readAllBytes(sets.resolve("train.txt"));
        w.finish();
        assertThat(Files.readAllBytes(sets.resolve("train.txt"))).isEqualTo(train);
    }

    @Test
    void depthIsMillimetresWithZeroForNothingAndSaturationFarAway(@TempDir Path dir) throws Exception {
        new DepthWriter(dir, PngEncoder.FAST, true).write(sample());
        BufferedImage png = ImageIO.read(dir.resolve("depth/val/000042.png").toFile());
        assertThat(png.getRaster().getSample(0, 0, 0)).isEqualTo(0);
        assertThat(png.getRaster().getSample(1, 0, 0)).isEqualTo(65535);
        assertThat(png.getRaster().getSample(5, 5, 0)).isEqualTo(12346);
        assertThat(Files.size(dir.resolve("depth/val/000042.npy"))).isEqualTo(128 + W * H * 4);
        assertThat(dev.roadsynth.core.DepthPlane.millimetres(0.0002f)).isEqualTo(1);
    }

    @Test
    void depthMillimetresRoundHalfUpAsMathRoundDoes() {
        // The reference is the definition: Math.round of millimetres, then 1..65535 (0 for no depth).
        java.util.function.IntUnaryOperator reference = bits -> {
            float m = Float.intBitsToFloat(bits);
            return m <= 0 ? 0 : (int) Math.max(1, Math.min(65535, Math.round(m * 1000.0)));
        };
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        java.util.List<Integer> bits = new java.util.ArrayList<>();
        for (int i = 0; i < 2_000_000; i++) {
            bits.add(Float.floatToRawIntBits((float) rng.nextDouble(0, 70))); // the PNG's range and beyond
            bits.add(rng.nextInt()); // any float: negatives, NaNs, infinities, subnormals
        }
        for (int mm = 0; mm <= 70_000; mm++) {
            float tie = (float) ((mm + 0.5) / 1000.0); // near every rounding boundary, and its neighbours
            bits.add(Float.floatToRawIntBits(tie));
            bits.add(Float.floatToRawIntBits(Math.nextUp(tie)));
            bits.add(Float.floatToRawIntBits(Math.nextDown(tie)));
        }
        for (float f : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE,
                Float.MIN_VALUE, Float.MIN_NORMAL, -0f, 0f, 65.5345f, 65.5355f, 0.0005f, 0.0015f}) {
            bits.add(Float.floatToRawIntBits(f));
        }
        for (int b : bits) {
            int got = dev.roadsynth.core.DepthPlane.millimetres(Float.intBitsToFloat(b));
            if (got != reference.applyAsInt(b)) {
                assertThat(got).as("millimetres(%s)", Float.intBitsToFloat(b)).isEqualTo(reference.applyAsInt(b));
            }
        }
        assertThat(dev.roadsynth.core.DepthPlane.millimetres(Float.NaN)).isEqualTo(1);
        assertThat(dev.roadsynth.core.DepthPlane.millimetres(0.0015f)).isEqualTo(2);
    }

    /**
     * Cityscapes' instanceIds encoding written from its definition, per pixel and with plain maps: an instance's
     * class is that of its first pixel (row order) whose class has instances; per class, instances are numbered
     * from 0 in ascending unsigned id order; a pixel of such an instance holds its own class * 1000 + the number.
     */
    static int[] referenceInstanceIds(LabelSet labels, int[] classes, int[] inst) {
        java.util.TreeMap<Integer, Integer> classOf = new java.util.TreeMap<>(Integer::compareUnsigned);
        for (int i = 0; i < classes.length; i++) {
            if (inst[i] != 0 && labels.byId(classes[i]).hasInstances()) {
                classOf.putIfAbsent(inst[i], classes[i]);
            }
        }
        Map<Integer, Integer> number = new java.util.HashMap<>();
        Map<Integer, Integer> perClass = new java.util.HashMap<>();
        classOf.forEach((id, cls) -> number.put(id, perClass.merge(cls, 1, Integer::sum) - 1));
        int[] out = new int[classes.length];
        for (int i = 0; i < classes.length; i++) {
            Integer n = inst[i] == 0 ? null : number.get(inst[i]);
            out[i] = n == null ? classes[i] : classes[i] * 1000 + n;
        }
        return out;
    }

    @Test
    void cityscapesEncodingsOfRandomPlanesMatchTheirDefinitions(@TempDir Path dir) throws Exception {
        SplittableRandom rng = new SplittableRandom(5);
        LabelSet labels = LabelSet.cityscapes();
        int[] classIds = {ROAD, CAR, PERSON, 11, 21, 33};
        for (int trial = 0; trial < 40; trial++) {
            int w = 1 + rng.nextInt(40);
            int h = 1 + rng.nextInt(30);
            int[] cls = new int[w * h];
            int[] inst = new int[w * h];
            // Half the trials repeat most of the row above in each plane, separately (as rendered planes do, and the
            // encoder skips what repeats): an instance's first pixel may then lie under a pixel of another class.
            boolean rows = trial % 2 == 1;
            for (int i = 0; i < cls.length; i++) {
                // Runs, as in rendered planes, and instances whose pixels carry several classes (stuff and things).
                boolean repeat = i > 0 && rng.nextInt(4) != 0;
                cls[i] = rows && i >= w && rng.nextInt(6) != 0 ? cls[i - w]
                        : repeat && rng.nextInt(5) != 0 ? cls[i - 1] : classIds[rng.nextInt(classIds.length)];
                inst[i] = rows && i >= w && rng.nextInt(6) != 0 ? inst[i - w]
                        : repeat && rng.nextInt(5) != 0 ? inst[i - 1]
                        : rng.nextInt(3) == 0 ? 0 : rng.nextInt(2) == 0 ? 1 + rng.nextInt(6) : -1 - rng.nextInt(3);
            }
            Frame f = new Frame(labels, RgbImage.copyOf(w, h, new byte[w * h * 3]), IdPlane.copyOf(w, h, cls),
                    IdPlane.copyOf(w, h, inst), DepthPlane.copyOf(w, h, new float[w * h]));
            assertThat(CityscapesWriter.instanceIds(f)).as("trial %d", trial)
                    .isEqualTo(referenceInstanceIds(labels, cls, inst));
            Sample sample = new Sample(trial, 1, "val", f, List.of(), new double[] {1, 1, 0, 0}, Map.of());
            List<Path> files = new CityscapesWriter(dir, "t", 0, PngEncoder.FAST).write(sample);
            BufferedImage train = ImageIO.read(files.get(2).toFile());
            BufferedImage colour = ImageIO.read(files.get(4).toFile());
            for (int i = 0; i < cls.length; i++) {
                assertThat(train.getRaster().getSample(i % w, i / w, 0)).as("trial %d pixel %d", trial, i)
                        .isEqualTo(labels.byId(cls[i]).trainId());
                assertThat(colour.getRGB(i % w, i / w) & 0xffffff).as("trial %d pixel %d", trial, i)
                        .isEqualTo(labels.byId(cls[i]).color().packed());
            }
        }
    }

    @Test
    void cityscapesInstanceIdsOfManyInstancesMatchTheirDefinition() {
        // Hundreds to thousands of distinct ids per frame (the writer's id maps grow many times), across the whole
        // unsigned range, several classes with instances and some without.
        SplittableRandom rng = new SplittableRandom(8);
        LabelSet labels = LabelSet.cityscapes();
        int[] classIds = {ROAD, CAR, PERSON, 11, 21, 33, 26, 24};
        for (int trial = 0; trial < 6; trial++) {
            int w = 64 + rng.nextInt(64);
            int h = 48 + rng.nextInt(32);
            int[] cls = new int[w * h];
            int[] inst = new int[w * h];
            int distinct = 200 + rng.nextInt(1500);
            int[] pool = new int[distinct];
            for (int j = 0; j < distinct; j++) {
                pool[j] = trial % 2 == 0 ? 1 + j * (1 + rng.nextInt(3)) : rng.nextInt();
            }
            for (int i = 0; i < cls.length; i++) {
                boolean repeat = i > 0 && rng.nextInt(3) != 0;
                cls[i] = repeat ? cls[i - 1] : classIds[rng.nextInt(classIds.length)];
                inst[i] = repeat ? inst[i - 1] : rng.nextInt(5) == 0 ? 0 : pool[rng.nextInt(distinct)];
            }
            Frame f = new Frame(labels, RgbImage.copyOf(w, h, new byte[w * h * 3]), IdPlane.copyOf(w, h, cls),
                    IdPlane.copyOf(w, h, inst), DepthPlane.copyOf(w, h, new float[w * h]));
            int[] expected = referenceInstanceIds(labels, cls, inst);
            assertThat(java.util.Arrays.stream(expected).filter(v -> v >= 1000).map(v -> v % 1000).max().orElse(0))
                    .as("trial %d: instances numbered far into the hundreds", trial).isGreaterThan(50);
            assertThat(CityscapesWriter.instanceIds(f)).as("trial %d", trial).isEqualTo(expected);
        }
    }

    @Test
    void cityscapesRefusesMoreThanAThousandInstancesOfAClass() {
        int w = 1001;
        int[] cls = new int[w];
        int[] inst = new int[w];
        java.util.Arrays.fill(cls, CAR);
        for (int i = 0; i < w; i++) {
            inst[i] = i + 1;
        }
        Frame f = new Frame(LabelSet.cityscapes(), RgbImage.copyOf(w, 1, new byte[w * 3]), IdPlane.copyOf(w, 1, cls),
                IdPlane.copyOf(w, 1, inst), DepthPlane.copyOf(w, 1, new float[w]));
        assertThatThrownBy(() -> CityscapesWriter.instanceIds(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cityscapes: more than 1000 instances of class " + CAR + " in one frame do not fit the instanceIds encoding");
        // 1000 fit: the last is numbered 999.
        Frame fits = new Frame(LabelSet.cityscapes(), RgbImage.copyOf(w - 1, 1, new byte[(w - 1) * 3]),
                IdPlane.copyOf(w - 1, 1, java.util.Arrays.copyOf(cls, w - 1)),
                IdPlane.copyOf(w - 1, 1, java.util.Arrays.copyOf(inst, w - 1)), DepthPlane.copyOf(w - 1, 1, new float[w - 1]));
        assertThat(CityscapesWriter.instanceIds(fits)[w - 2]).isEqualTo(CAR * 1000 + 999);
    }

    @Test
    void cityscapesColoursRefuseAClassIdTheTableLacks(@TempDir Path dir) {
        int[] cls = {ROAD, 50, ROAD, ROAD};
        Frame f = new Frame(LabelSet.cityscapes(), RgbImage.copyOf(2, 2, new byte[12]), IdPlane.copyOf(2, 2, cls),
                IdPlane.copyOf(2, 2, new int[4]), DepthPlane.copyOf(2, 2, new float[4]));
        Sample sample = new Sample(0, 1, "val", f, List.of(), new double[] {1, 1, 0, 0}, Map.of());
        assertThatThrownBy(() -> new CityscapesWriter(dir, "t", 0, PngEncoder.FAST).write(sample))
                .hasMessageContaining("no label with id 50");
    }

    @Test
    void cityscapesRefusesWhatItsEncodingCannotHold() {
        int[] cls = new int[4];
        java.util.Arrays.fill(cls, 300);
        var labels = LabelSet.of(List.of(new dev.roadsynth.core.Label("big", 300, 0, "x", false, false,
                new dev.roadsynth.core.Rgb(1, 2, 3))));
        Frame f = new Frame(labels, RgbImage.copyOf(2, 2, new byte[12]), IdPlane.copyOf(2, 2, cls),
                IdPlane.copyOf(2, 2, new int[4]), DepthPlane.copyOf(2, 2, new float[4]));
        assertThatThrownBy(() -> CityscapesWriter.instanceIds(f)).hasMessageContaining("class id 300 does not fit");
        // Checked on the class table before a run starts: 255 and 64 (with instances) are the largest ids that fit.
        java.util.function.BiFunction<Integer, Boolean, LabelSet> table = (id, instances) -> LabelSet.of(List.of(
                new dev.roadsynth.core.Label("c", id, 0, "x", instances, false, new dev.roadsynth.core.Rgb(1, 2, 3))));
        CityscapesWriter.requireEncodable(table.apply(255, false));
        CityscapesWriter.requireEncodable(table.apply(64, true));
        assertThatThrownBy(() -> CityscapesWriter.requireEncodable(table.apply(256, false)))
                .hasMessage("class 'c' has id 256, more than the 8-bit labelIds images hold (0..255)");
        assertThatThrownBy(() -> CityscapesWriter.requireEncodable(table.apply(65, true)))
                .hasMessageContaining("class 'c' has instances and id 65");
    }
}
