package dev.roadsynth.core.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roadsynth.core.Frame;
import dev.roadsynth.core.Label;
import dev.roadsynth.core.LabelSet;
import dev.roadsynth.core.io.AtomicFiles;
import dev.roadsynth.core.io.PngEncoder;
import java.io.IOException;
import java.nio.IntBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Cityscapes layout, as torchvision's {@code datasets.Cityscapes} and cityscapesScripts read it:
 * <pre>
 * leftImg8bit/{split}/{city}/{city}_{seq:06d}_{frame:06d}_leftImg8bit.png     8-bit RGB
 * gtFine/{split}/{city}/{city}_{seq:06d}_{frame:06d}_gtFine_labelIds.png      8-bit class ids
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
        Path instanceFile = gt.resolve(stem + "_gtFine_instanceIds.png");
        Path colorFile = gt.resolve(stem + "_gtFine_color.png");
        Path polygonFile = gt.resolve(stem + "_gtFine_polygons.json");

        int[] classes = f.semantic().toArray();
        byte[] rgbPng = sample.output().rgbPng(sample, png); // shared with the other layouts
        sample.output().write(rgbFile, out -> out.write(rgbPng));
        sample.output().write(labelFile, out -> png.writeGray8(out, w, h, classes));
        int[] encoded = instanceIds(f, classes);
        sample.output().write(instanceFile, out -> png.writeGray16(out, w, h, encoded));
        byte[] colours = colours(f.labels(), classes);
        sample.output().write(colorFile, out -> png.writeRgb(out, w, h, colours));
        byte[] polygons = JSON.writeValueAsBytes(polygons(f, classes));
        sample.output().write(polygonFile, out -> out.write(polygons));
        return new Written(List.of(rgbFile, labelFile, instanceFile, colorFile, polygonFile));
    }

    /** Cityscapes instance encoding: class id * 1000 + per-class index for instances, the class id elsewhere. */
    static int[] instanceIds(Frame f) {
        return instanceIds(f, f.semantic().toArray());
    }

    /** As above, with the frame's class ids already copied out (they are 2 MB at 1024x512). */
    private static int[] instanceIds(Frame f, int[] classes) {
        IntBuffer inst = f.instance().ids();
        LabelSet labels = f.labels();
        // Per-class indices in ascending instance id order.
        TreeMap<Integer, Integer> classOfInstance = new TreeMap<>(Integer::compareUnsigned);
        for (int i = 0; i < classes.length; i++) {
            int id = inst.get(i);
            if (id != 0 && labels.byId(classes[i]).hasInstances()) {
                classOfInstance.putIfAbsent(id, classes[i]);
            }
        }
        Map<Integer, Integer> index = new HashMap<>();
        Map<Integer, Integer> perClass = new HashMap<>();
        for (var e : classOfInstance.entrySet()) {
            int n = perClass.merge(e.getValue(), 1, Integer::sum) - 1;
            if (n >= 1000) {
                throw new IllegalArgumentException("cityscapes: more than 1000 instances of class " + e.getValue()
                        + " in one frame do not fit the instanceIds encoding");
            }
            index.put(e.getKey(), n);
        }
        int[] out = new int[classes.length];
        for (int i = 0; i < classes.length; i++) {
            int cls = classes[i];
            int id = inst.get(i);
            if (cls > 255) {
                throw new IllegalArgumentException("cityscapes: class id " + cls + " does not fit the 8-bit labelIds image");
            }
            Integer k = id == 0 ? null : index.get(id);
            out[i] = k == null ? cls : cls * 1000 + k;
        }
        return out;
    }

    private static byte[] colours(LabelSet labels, int[] classes) {
        byte[] rgb = new byte[classes.length * 3];
        for (int i = 0; i < classes.length; i++) {
            var c = labels.byId(classes[i]).color();
            rgb[3 * i] = (byte) c.r();
            rgb[3 * i + 1] = (byte) c.g();
            rgb[3 * i + 2] = (byte) c.b();
        }
        return rgb;
    }

    /** One polygon entry per outline: for classes with instances per instance, else per class region. */
    private static Map<String, Object> polygons(Frame f, int[] classes) {
        int w = f.width();
        int h = f.height();
        IntBuffer inst = f.instance().ids();
        // Region label: class id in the high half, instance id (for classes with instances) in the low half.
        long[] regions = new long[classes.length];
        for (int i = 0; i < classes.length; i++) {
            boolean things = f.labels().byId(classes[i]).hasInstances();
            regions[i] = ((long) classes[i] << 32) | (things ? Integer.toUnsignedLong(inst.get(i)) : 0L);
        }
        List<Map<String, Object>> objects = new ArrayList<>();
        for (var e : Polygons.traceAll(w, h, regions).entrySet()) {
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
