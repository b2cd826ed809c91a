package dev.roadsynth.core.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roadsynth.core.Frame;
import dev.roadsynth.core.IdMap;
import dev.roadsynth.core.Label;
import dev.roadsynth.core.LabelSet;
import dev.roadsynth.core.io.AtomicFiles;
import dev.roadsynth.core.io.PngEncoder;
import java.io.IOException;
import java.nio.IntBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Cityscapes layout, as torchvision's {@code datasets.Cityscapes} and cityscapesScripts read it:
 * <pre>
 * leftImg8bit/{split}/{city}/{city}_{seq:06d}_{frame:06d}_leftImg8bit.png     8-bit RGB
 * gtFine/{split}/{city}/{city}_{seq:06d}_{frame:06d}_gtFine_labelIds.png      8-bit class ids
 * gtFine/.../..._gtFine_labelTrainIds.png  8-bit train ids (255: ignored), as cityscapesScripts' createTrainIdLabelImgs
 *                                          makes them and mmsegmentation reads them, here from the exact class plane
 * gtFine/.../..._gtFine_instanceIds.png    16-bit: class id * 1000 + index for classes with instances, else class id
 * gtFine/.../..._gtFine_color.png          8-bit RGB, the label table's colours (for eyes; decode labelIds instead)
 * gtFine/.../..._gtFine_polygons.json      {imgHeight, imgWidth, objects: [{label, polygon: [[x, y], ...]}]}
 * </pre>
 * Instance indices count from 0 per class within a frame, in ascending instance id order. Class ids must fit 8
 * bits and a frame may hold at most 1000 instances of a class: otherwise the writer refuses rather than truncate.
 */
public final class CityscapesWriter implements DatasetWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final String city;
    private final int sequence;
    private final PngEncoder png;

    /**
     * @param root     the dataset root
     * @param city     the "city" folder and file prefix (letters, digits, '-' only)
     * @param sequence the sequence number in file names (for example the shard)
     */
    public CityscapesWriter(Path root, String city, int sequence, PngEncoder png) {
        if (!city.matches("[A-Za-z0-9-]+")) {
            throw new IllegalArgumentException("cityscapes: city '" + city + "' must be letters, digits and '-' only");
        }
        if (sequence < 0 || sequence > 999_999) {
            throw new IllegalArgumentException("cityscapes: sequence " + sequence + " is out of range 0..999999");
        }
        this.root = root;
        this.city = city;
        this.sequence = sequence;
        this.png = png;
    }

    @Override
    public String name() {
        return "cityscapes";
    }

    /** The stem of sample {@code index}'s file names: {city}_{seq:06d}_{frame:06d}. */
    public String stem(long index) {
        if (index > 999_999) {
            throw new IllegalArgumentException("cityscapes: frame number " + index + " does not fit 6 digits");
        }
        return String.format("%s_%06d_%06d", city, sequence, index);
    }

    @Override
    public Prepared prepare(Sample sample) throws IOException {
        Frame f = sample.frame();
        int w = f.width();
        int h = f.height();
        String stem = stem(sample.index());
        Path images = root.resolve("leftImg8bit").resolve(sample.split()).resolve(city);
        Path gt = root.resolve("gtFine").resolve(sample.split()).resolve(city);
        Path rgbFile = images.resolve(stem + "_leftImg8bit.png");
        Path labelFile = gt.resolve(stem + "_gtFine_labelIds.png");
        Path trainFile = gt.resolve(stem + "_gtFine_labelTrainIds.png");
        Path instanceFile = gt.resolve(stem + "_gtFine_instanceIds.png");
        Path colorFile = gt.resolve(stem + "_gtFine_color.png");
        Path polygonFile = gt.resolve(stem + "_gtFine_polygons.json");

        // Every image is encoded row by row from the frame's planes: no plane-sized copies (2 MB each at 1024x512).
        IntBuffer classes = f.semantic().ids();
        byte[] rgbPng = sample.output().rgbPng(sample, png); // shared with the other layouts
        sample.output().write(rgbFile, out -> out.write(rgbPng));
        sample.output().write(labelFile, out -> png.writeGray8(out, w, h, (y, row) -> classes.get(y * w, row)));
        PngEncoder.IntRows trainIds = trainIdRows(f);
        sample.output().write(trainFile, out -> png.writeGray8(out, w, h, trainIds));
        PngEncoder.IntRows encoded = instanceRows(f);
        sample.output().write(instanceFile, out -> png.writeGray16(out, w, h, encoded));
        PngEncoder.ByteRows colours = colourRows(f);
        sample.output().write(colorFile, out -> png.writeRgb(out, w, h, colours));
        byte[] polygons = JSON.writeValueAsBytes(polygons(f, classes));
        sample.output().write(polygonFile, out -> out.write(polygons));
        return new Written(List.of(rgbFile, labelFile, trainFile, instanceFile, colorFile, polygonFile));
    }

    /** Makes {@code leftImg8bit/{split}} and {@code gtFine/{split}} for every split, with samples or not. */
    @Override
    public List<Path> finish(List<String> splits) throws IOException {
        for (String split : splits) {
            java.nio.file.Files.createDirectories(root.resolve("leftImg8bit").resolve(split));
            java.nio.file.Files.createDirectories(root.resolve("gtFine").resolve(split));
        }
        return List.of();
    }

    /**
     * Refuses a class table whose ids the layout cannot encode, before anything is written: labelIds is an 8-bit
     * image (ids 0..255), and instanceIds a 16-bit one holding class id * 1000 + an index below 1000 for classes with
     * instances (ids 0..64 for those).
     */
    public static void requireEncodable(LabelSet labels) {
        for (var l : labels.labels()) {
            if (l.id() > 255) {
                throw new IllegalArgumentException("class '" + l.name() + "' has id " + l.id()
                        + ", more than the 8-bit labelIds images hold (0..255)");
            }
            if (l.hasInstances() && l.id() > MAX_INSTANCE_CLASS) {
                throw new IllegalArgumentException("class '" + l.name() + "' has instances and id " + l.id()
                        + ", more than the 16-bit instanceIds images hold for such classes (0.." + MAX_INSTANCE_CLASS
                        + ": id * 1000 + instance index)");
            }
        }
    }

    /** The largest class id with instances that instanceIds can hold with 1000 instances: 64 * 1000 + 999. */
    static final int MAX_INSTANCE_CLASS = 64;

    /** Cityscapes instance encoding: class id * 1000 + per-class index for instances, the class id elsewhere. */
    static int[] instanceIds(Frame f) {
        int w = f.width();
        int[] out = new int[w * f.height()];
        PngEncoder.IntRows rows = instanceRows(f);
        int[] row = new int[w];
        for (int y = 0; y < f.height(); y++) {
            rows.fill(y, row);
            System.arraycopy(row, 0, out, y * w, w);
        }
        return out;
    }

    /** The rows of {@link #instanceIds(Frame)}, computed as the encoder asks for them. */
    private static PngEncoder.IntRows instanceRows(Frame f) {
        IntBuffer classes = f.semantic().ids();
        IntBuffer inst = f.instance().ids();
        LabelSet labels = f.labels();
        int[] things = byClassId(labels, l -> l.hasInstances() ? 1 : 0);
        int w = f.width();
        int h = f.height();
        int[] clsRow = new int[w];
        int[] instRow = new int[w];
        // Each instance's class: that of its first pixel (row order) whose class has instances.
        IdMap classOfInstance = new IdMap();
        for (int y = 0; y < h; y++) {
            inst.get(y * w, instRow); // the class plane only where an instance starts: half the memory read
            int lastPut = 0; // ids come in runs: a repeat of the id just put would change nothing
            for (int x = 0; x < w; x++) {
                int id = instRow[x];
                if (id != 0 && id != lastPut) {
                    int cls = classes.get(y * w + x);
                    if (lookUp(things, cls, labels) == 1) {
                        classOfInstance.putIfAbsent(id, cls);
                        lastPut = id;
                    }
                }
            }
        }
        // Per-class indices in ascending instance id order.
        IdMap index = new IdMap();
        int[] perClass = new int[labels.maxId() + 1];
        for (int id : classOfInstance.keysUnsigned()) {
            int cls = classOfInstance.get(id, -1);
            int k = perClass[cls]++;
            if (k >= 1000) {
                throw new IllegalArgumentException("cityscapes: more than 1000 instances of class " + cls
                        + " in one frame do not fit the instanceIds encoding");
            }
            index.putIfAbsent(id, k);
        }
        return (y, row) -> {
            classes.get(y * w, clsRow); // a row at a time (bulk copies): 1.5 -> 0.7-0.9 ms per 1024x512 frame
            inst.get(y * w, instRow);
            int lastId = 0;
            int lastK = -1;
            for (int x = 0; x < w; x++) {
                int cls = clsRow[x];
                int id = instRow[x];
                if (cls > 255) {
                    throw new IllegalArgumentException("cityscapes: class id " + cls + " does not fit the 8-bit labelIds image");
                }
                if (id != lastId) { // runs again: one look-up per run
                    lastId = id;
                    lastK = index.get(id, -1);
                }
                row[x] = lastK < 0 ? cls : cls * 1000 + lastK;
            }
        };
    }

    /** Rows of train ids: each class id's {@link Label#trainId} (255 where the table ignores it in training). */
    private static PngEncoder.IntRows trainIdRows(Frame f) {
        IntBuffer classes = f.semantic().ids();
        LabelSet labels = f.labels();
        int[] trainOf = byClassId(labels, Label::trainId);
        int w = f.width();
        return (y, row) -> {
            classes.get(y * w, row);
            for (int x = 0; x < w; x++) {
                row[x] = lookUp(trainOf, row[x], labels);
            }
        };
    }

    /** The colour image's rows: each pixel's class colour from the label table. */
    private static PngEncoder.ByteRows colourRows(Frame f) {
        IntBuffer classes = f.semantic().ids();
        LabelSet labels = f.labels();
        int[] colourOf = byClassId(labels, l -> l.color().packed()); // 0xRRGGBB
        int w = f.width();
        int[] row = new int[w];
        return (y, rgb) -> {
            classes.get(y * w, row);
            for (int x = 0; x < w; x++) {
                int c = lookUp(colourOf, row[x], labels);
                rgb[3 * x] = (byte) (c >> 16);
                rgb[3 * x + 1] = (byte) (c >> 8);
                rgb[3 * x + 2] = (byte) c;
            }
        };
    }

    /**
     * Each class id's {@code value} (at least 0) as an array indexed by id, -1 for ids the table lacks: one array load
     * per pixel instead of a map lookup.
     */
    private static int[] byClassId(LabelSet labels, java.util.function.ToIntFunction<Label> value) {
        int[] out = new int[labels.maxId() + 1];
        java.util.Arrays.fill(out, -1);
        for (Label l : labels.labels()) {
            out[l.id()] = value.applyAsInt(l);
        }
        return out;
    }

    /** {@code table[cls]} ({@link #byClassId}); for an id the label table lacks, its error naming the id. */
    private static int lookUp(int[] table, int cls, LabelSet labels) {
        int v = cls >= 0 && cls < table.length ? table[cls] : -1;
        if (v < 0) {
            labels.byId(cls); // throws, naming the id and the table's ids
        }
        return v;
    }

    /** One polygon entry per outline: for classes with instances per instance, else per class region. */
    private static Map<String, Object> polygons(Frame f, IntBuffer classes) {
        int w = f.width();
        int h = f.height();
        IntBuffer inst = f.instance().ids();
        // Region label: class id in the high half, instance id (for classes with instances) in the low half; made
        // row by row as the tracer reads them.
        LabelSet labels = f.labels();
        // Element by element: bulk copies of the rows first measured slower here (sessions 17 and 18).
        Map<Long, List<int[][]>> outlines = Polygons.traceAll(w, h, (y, row) -> {
            for (int x = 0, i = y * w; x < w; x++, i++) {
                int cls = classes.get(i);
                boolean things = labels.byId(cls).hasInstances();
                row[x] = ((long) cls << 32) | (things ? Integer.toUnsignedLong(inst.get(i)) : 0L);
            }
        });
        List<Map<String, Object>> objects = new ArrayList<>();
        for (var e : outlines.entrySet()) {
            String name = f.labels().byId((int) (e.getKey() >>> 32)).name();
            for (int[][] poly : e.getValue()) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("label", name);
                o.put("polygon", poly);
                objects.add(o);
            }
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("imgHeight", h);
        doc.put("imgWidth", w);
        doc.put("objects", objects);
        return doc;
    }
}
