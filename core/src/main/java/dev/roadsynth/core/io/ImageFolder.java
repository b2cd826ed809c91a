package dev.roadsynth.core.io;

import dev.roadsynth.core.DepthPlane;
import dev.roadsynth.core.Frame;
import dev.roadsynth.core.IdPlane;
import dev.roadsynth.core.LabelSet;
import dev.roadsynth.core.RgbImage;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A folder of images with label masks, read into {@link Frame}s and written back. Two layouts are found:
 * <pre>
 * plain:       images/NAME.png|jpg|jpeg   masks/NAME.png (class ids)   [instances/NAME.png (instance ids)]
 *              [depth/NAME.npy (float32 metres) or depth/NAME.png (16-bit millimetres)]
 * roadsynth:   frames/ID_rgb.npy, ID_labelIds.npy, ID_instanceIds.npy, [ID_depth.npy] (the raw format: exact
 *              32-bit ids and depth), else cityscapes/leftImg8bit/SPLIT/CITY/X_leftImg8bit.png with
 *              gtFine/SPLIT/CITY/X_gtFine_labelIds.png and X_gtFine_instanceIds.png (a dataset written by
 *              {@code roadsynth generate}; instance values below 1000 are class ids outside any instance: read as 0)
 * </pre>
 * A roadsynth dataset's items are the samples its manifest lists as well as the images found: one whose image is
 * gone is an item whose image is missing, which {@link #read} names.
 * Masks are one channel of exact ids: 8- or 16-bit grey PNGs, or palette PNGs (the palette index is the id).
 * Written output is the raw format for raw inputs ({@link Layout#of}), else the plain layout, masks as 8-bit PNGs when
 * every id fits (class masks: every id of the class table too, so that one table's masks have one bit depth), else
 * 16-bit, and depth where the frame has it. A plain folder's depth is optional: {@code depth/NAME.npy} (float32
 * metres) or {@code depth/NAME.png} (16-bit millimetres); a roadsynth dataset's Cityscapes layout has its depth
 * format's files ({@code depth/SPLIT/ID.npy} or {@code .png}).
 */
public final class ImageFolder {
    private ImageFolder() {
    }

    /**
     * One input: a name for outputs, the image, its class mask and (optional) instance mask and depth, and the
     * split of the dataset it belongs to.
     *
     * @param name relative name without extension, '/' separated (unique within the folder)
     * @param depth float32 metres (.npy), or null: no depth
     * @param split the sample's split in a roadsynth dataset (its manifest's for the raw arrays, the folder under
     *              {@code leftImg8bit/} for the Cityscapes layout), or null: a folder of images has none
     */
    public record Item(String name, Path image, Path classes, Path instances, Path depth, String split) {
        public Item(String name, Path image, Path classes, Path instances) {
            this(name, image, classes, instances, null, null);
        }

        /** Whether this item is the raw format's arrays (read exactly, written back as arrays). */
        public boolean raw() {
            return image.getFileName().toString().endsWith(".npy");
        }
    }

    /** A file that cannot be used as what it should be; the message names the file and what is wrong. */
    public static final class BadInputException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public BadInputException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The items of a folder in name order; an image without its mask is an item whose mask is missing. */
    public static List<Item> list(Path root) {
        try {
            Path frames = root.resolve("frames");
            if (Files.isDirectory(frames)) {
                return raw(frames);
            }
            Path cityscapes = root.resolve("cityscapes").resolve("leftImg8bit");
            if (Files.isDirectory(cityscapes)) {
                return cityscapes(root.resolve("cityscapes"));
            }
            Path images = root.resolve("images");
            if (!Files.isDirectory(images)) {
                throw new IllegalArgumentException(root + ": expected images/ with masks/ (and optionally instances/), "
                        + "or a roadsynth dataset with label planes, frames/ (raw) or cityscapes/; found none"
                        + (Files.exists(root.resolve("manifest.jsonl")) ? " (the formats of this dataset have none)"
                        : ""));
            }
            List<Item> out = new ArrayList<>();
            try (Stream<Path> s = Files.walk(images)) {
                for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                    String rel = images.relativize(p).toString().replace('\\', '/');
                    int dot = rel.lastIndexOf('.');
                    String ext = dot < 0 ? "" : rel.substring(dot + 1).toLowerCase(Locale.ROOT);
                    if (!List.of("png", "jpg", "jpeg").contains(ext)) {
                        continue;
                    }
                    String name = rel.substring(0, dot);
                    Path inst = root.resolve("instances").resolve(name + ".png");
                    out.add(new Item(name, p, root.resolve("masks").resolve(name + ".png"),
                            Files.exists(inst) ? inst : null, plainDepth(root, name), null));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + root + ": " + e.getMessage(), e);
        }
    }

    /** A plain folder's depth for image NAME: {@code depth/NAME.npy}, else {@code depth/NAME.png}, else null. */
    private static Path plainDepth(Path root, String name) {
        return depthFile(root.resolve("depth"), name);
    }

    /** {@code dir/NAME.npy} (float32 metres), else {@code dir/NAME.png} (millimetres), where one is there; else null. */
    private static Path depthFile(Path dir, String name) {
        for (String ext : new String[] {".npy", ".png"}) {
            Path d = dir.resolve(name + ext);
            if (Files.isRegularFile(d)) {
                return d;
            }
        }
        return null;
    }

    /**
     * The raw arrays' samples: those found, and those a roadsynth manifest lists, whose files may be gone (read
     * then names the missing file, and the caller skips the item saying so, rather than never seeing it).
     */
    private static List<Item> raw(Path frames) throws IOException {
        Map<String, String> splits = new HashMap<>();
        JsonLines.forEach(frames.getParent().resolve("manifest.jsonl"), m -> {
            if (m.path("id").isTextual() && m.path("split").isTextual()) {
                splits.put(m.get("id").asText(), m.get("split").asText());
            }
        });
        java.util.SortedSet<String> ids = new java.util.TreeSet<>(splits.keySet());
        try (Stream<Path> s = Files.list(frames)) {
            s.map(f -> f.getFileName().toString()).filter(n -> n.endsWith("_rgb.npy"))
                    .forEach(n -> ids.add(n.substring(0, n.length() - "_rgb.npy".length())));
        }
        List<Item> out = new ArrayList<>();
        for (String id : ids) {
            // Raw frames have depth where they were made with it (FrameFiles writes none it does not have).
            Path depth = frames.resolve(id + "_depth.npy");
            out.add(new Item(id, frames.resolve(id + "_rgb.npy"), frames.resolve(id + "_labelIds.npy"),
                    frames.resolve(id + "_instanceIds.npy"), Files.exists(depth) ? depth : null, splits.get(id)));
        }
        return out;
    }

    /**
     * The Cityscapes layout's images: those found, and those a roadsynth manifest lists (see {@link #raw}); each with
     * the depth the dataset holds for it (its {@code depth} or {@code depth-png} format): the file its manifest line
     * lists, the float32 array where it lists both, so that a listed depth file that is gone is named, not passed over.
     */
    private static List<Item> cityscapes(Path root) throws IOException {
        Path images = root.resolve("leftImg8bit");
        String suffix = "_leftImg8bit.png";
        java.util.SortedSet<String> stems = new java.util.TreeSet<>();
        Map<String, Path> depths = new HashMap<>();
        String listed = "cityscapes/leftImg8bit/";
        Path dataset = root.getParent();
        JsonLines.forEach(dataset.resolve("manifest.jsonl"), m -> {
            String stem = null;
            for (var f : m.path("files")) {
                String path = f.path("path").asText();
                if (path.startsWith(listed) && path.endsWith(suffix)) {
                    stem = path.substring(listed.length(), path.length() - suffix.length());
                }
            }
            if (stem != null) {
                stems.add(stem);
                String depth = listedDepth(m);
                if (depth != null) {
                    depths.put(stem, dataset.resolve(depth));
                }
            }
        });
        try (Stream<Path> s = Files.walk(images)) {
            s.filter(f -> f.getFileName().toString().endsWith(suffix)).forEach(p -> {
                String rel = images.relativize(p).toString().replace('\\', '/');
                stems.add(rel.substring(0, rel.length() - suffix.length()));
            });
        }
        List<Item> out = new ArrayList<>();
        Path gt = root.resolve("gtFine");
        for (String stem : stems) {
            String split = stem.contains("/") ? stem.substring(0, stem.indexOf('/')) : null;
            Path depth = depths.containsKey(stem) ? depths.get(stem) : unlistedDepth(dataset, stem, split);
            out.add(new Item(stem, images.resolve(stem + suffix), gt.resolve(stem + "_gtFine_labelIds.png"),
                    gt.resolve(stem + "_gtFine_instanceIds.png"), depth, split));
        }
        return out;
    }

    /**
     * The depth file a roadsynth manifest line lists (its {@code depth} or {@code depth-png} format), relative to the
     * dataset: the float32 array where it lists both that and the millimetre PNG; null where it lists none.
     */
    public static String listedDepth(com.fasterxml.jackson.databind.JsonNode line) {
        String depth = null;
        for (var f : line.path("files")) {
            String path = f.path("path").asText();
            if (path.startsWith("depth/") && (path.endsWith(".npy") || depth == null && path.endsWith(".png"))) {
                depth = path;
            }
        }
        return depth;
    }

    /**
     * The depth of a Cityscapes-layout image that no manifest line lists (a dataset without its manifest): the depth
     * format's {@code depth/SPLIT/ID.npy}, else its PNG, ID the frame number ending the image's name, where one is
     * there; else null.
     */
    private static Path unlistedDepth(Path dataset, String stem, String split) {
        if (split == null) {
            return null;
        }
        return depthFile(dataset.resolve("depth").resolve(split), stem.substring(stem.lastIndexOf('_') + 1));
    }

    /**
     * Reads an item into a frame: instances 0 without a mask; no depth plane ({@link Frame#hasDepth()} false)
     * without a depth array (images with masks never have one).
     *
     * @throws BadInputException naming the file when one is missing, unreadable, of another size, or a mask
     *                           has more than one channel
     */
    public static Frame read(Item item, LabelSet labels) {
        return read(item, labels, NOT_KEPT);
    }

    /** For reads whose caller keeps nothing of the bytes. */
    private static final BiConsumer<Path, byte[]> NOT_KEPT = (file, bytes) -> { };

    /**
     * As {@link #read(Item, LabelSet)}, handing {@code read} each file's bytes as they were read, before they are
     * decoded: whoever records what an input was (its SHA-256) then records what was decoded, with one read of each
     * file, not a second that could find it changed since.
     */
    public static Frame read(Item item, LabelSet labels, BiConsumer<Path, byte[]> read) {
        if (item.raw()) {
            return readRaw(item, labels, read);
        }
        BufferedImage img = image(item.image(), read);
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] rgb = rgb(img);
        int[] classes = ids(item.classes(), w, h, read);
        int[] instances = item.instances() == null ? new int[w * h] : ids(item.instances(), w, h, read);
        if (item.instances() != null && item.instances().getFileName().toString().endsWith(CITYSCAPES_INSTANCES)) {
            cityscapesInstances(instances);
        }
        return frame(labels, w, h, rgb, classes, instances, depth(item, w, h, read));
    }

    private static final String CITYSCAPES_INSTANCES = "_gtFine_instanceIds.png";

    /**
     * An image's pixels as RGB bytes, row-major, alpha dropped. A grey image (a grey PNG of 8 or 16 bits, a
     * one-channel JPEG) gives R = G = B = its grey, scaled to 8 bits: its values are gamma-encoded as a colour
     * image's are, and {@code BufferedImage.getRGB} would take them for linear light and brighten them (128 read
     * as 186).
     */
    static byte[] rgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] rgb = new byte[w * h * 3];
        java.awt.image.ColorModel cm = img.getColorModel();
        if (cm.getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY) {
            Raster r = img.getRaster();
            long max = (1L << cm.getComponentSize(0)) - 1;
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                r.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    byte v = (byte) ((row[x] * 255L + max / 2) / max);
                    int i = 3 * (y * w + x);
                    rgb[i] = v;
                    rgb[i + 1] = v;
                    rgb[i + 2] = v;
                }
            }
            return rgb;
        }
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < argb.length; i++) {
            rgb[3 * i] = (byte) (argb[i] >> 16);
            rgb[3 * i + 1] = (byte) (argb[i] >> 8);
            rgb[3 * i + 2] = (byte) argb[i];
        }
        return rgb;
    }

    /**
     * Turns a Cityscapes instance image's values into instance ids, in place: a value below 1000 is the class id of a
     * pixel outside any instance (stuff, or a crowd of things) and becomes 0; {@code class id * 1000 + index} is one
     * instance's and stays, distinct for every instance of the image.
     */
    public static void cityscapesInstances(int[] values) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 1000) {
                values[i] = 0;
            }
        }
    }

    /** A frame owning these arrays; {@code depth} null: the frame has none. */
    private static Frame frame(LabelSet labels, int w, int h, byte[] rgb, int[] classes, int[] instances,
                               DepthPlane depth) {
        return new Frame(labels, RgbImage.adopt(w, h, rgb), IdPlane.adopt(w, h, classes), IdPlane.adopt(w, h, instances),
                depth);
    }

    private static Frame readRaw(Item item, LabelSet labels, BiConsumer<Path, byte[]> read) {
        Npy.Array rgb = array(item.image(), "|u1", 3, read);
        int h = rgb.shape()[0];
        int w = rgb.shape()[1];
        byte[] pixels = new byte[w * h * 3];
        rgb.data().get(pixels);
        int[] classes = ids(array(item.classes(), null, 2, read), item.classes(), w, h);
        int[] instances = ids(array(item.instances(), null, 2, read), item.instances(), w, h);
        return frame(labels, w, h, pixels, classes, instances, depth(item, w, h, read));
    }

    /** The item's depth plane, which must be its image's size; null where it has none. */
    private static DepthPlane depth(Item item, int w, int h, BiConsumer<Path, byte[]> read) {
        DepthPlane depth = item.depth() == null ? null : readDepth(item.depth(), read);
        if (depth != null && (depth.width() != w || depth.height() != h)) {
            throw new BadInputException(item.depth() + ": " + depth.width() + "x" + depth.height()
                    + " differs from its image's " + w + "x" + h, null);
        }
        return depth;
    }

    /**
     * A .npy array of the given dtype (null: any unsigned integer type) and number of dimensions, its bytes handed to
     * {@code read} first.
     */
    private static Npy.Array array(Path file, String dtype, int dims, BiConsumer<Path, byte[]> read) {
        byte[] bytes = bytes(file, read);
        Npy.Array a;
        try {
            a = Npy.read(bytes, file.toString());
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
        boolean typeOk = dtype == null ? List.of("|u1", "<u2", "<u4").contains(a.dtype()) : a.dtype().equals(dtype);
        boolean shapeOk = a.shape().length == dims && (dims == 2 || a.shape()[2] == 3);
        if (!typeOk || !shapeOk) {
            throw new BadInputException(file + ": " + a.dtype() + " " + java.util.Arrays.toString(a.shape())
                    + "; expected " + (dtype == null ? "|u1, <u2 or <u4" : dtype) + " of shape "
                    + (dims == 3 ? "(H, W, 3)" : "(H, W)"), null);
        }
        return a;
    }

    /** Unsigned ids of a (H, W) array of the frame's size, widened to int. */
    private static int[] ids(Npy.Array a, Path file, int w, int h) {
        if (a.shape()[0] != h || a.shape()[1] != w) {
            throw new BadInputException(file + ": " + a.shape()[1] + "x" + a.shape()[0] + " differs from its image's "
                    + w + "x" + h, null);
        }
        int[] out = new int[w * h];
        java.nio.ByteBuffer d = a.data();
        switch (a.dtype()) {
            case "|u1" -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = d.get(i) & 0xff;
                }
            }
            case "<u2" -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = d.getShort(2 * i) & 0xffff;
                }
            }
            default -> d.asIntBuffer().get(out);
        }
        return out;
    }

    /** The bytes of {@code file}, handed to {@code read}. */
    private static byte[] bytes(Path file, BiConsumer<Path, byte[]> read) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + ": missing", null);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
        read.accept(file, bytes);
        return bytes;
    }

    /** The image in {@code file}, its bytes handed to {@code read} first. */
    private static BufferedImage image(Path file, BiConsumer<Path, byte[]> read) {
        byte[] bytes = bytes(file, read);
        // From memory: ImageIO.read(InputStream) would cache the stream in a temporary file. ImageIO.read closes
        // the stream unless it finds no reader; a stream over an array holds nothing else to release.
        try {
            BufferedImage img = ImageIO.read(new javax.imageio.stream.MemoryCacheImageInputStream(
                    new java.io.ByteArrayInputStream(bytes)));
            if (img == null) {
                throw new BadInputException(file + ": not a PNG or JPEG image", null);
            }
            return img;
        } catch (IOException | RuntimeException e) {
            if (e instanceof BadInputException b) {
                throw b;
            }
            throw new BadInputException(file + ": cannot be decoded (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The RGB image in a PNG or JPEG file (alpha dropped; a grey image as R = G = B).
     *
     * @throws BadInputException naming the file when it is missing, unreadable or not an image
     */
    public static RgbImage readRgb(Path file) {
        BufferedImage img = image(file, NOT_KEPT);
        return RgbImage.adopt(img.getWidth(), img.getHeight(), rgb(img));
    }

    /** Whether {@code root} holds what {@link #list} lists: raw arrays, the Cityscapes layout, or images/. */
    public static boolean hasItems(Path root) {
        return Files.isDirectory(root.resolve("frames")) || Files.isDirectory(root.resolve("cityscapes/leftImg8bit"))
                || Files.isDirectory(root.resolve("images"));
    }

    /**
     * One plane of exact ids from a mask file: a {@code .npy} array (uint8, uint16 or uint32 of shape (H, W)), else
     * a grey (8 or 16 bits) or palette PNG.
     *
     * @throws BadInputException naming the file when it is missing, unreadable or not one channel of ids
     */
    public static IdPlane readIds(Path file) {
        if (file.getFileName().toString().endsWith(".npy")) {
            Npy.Array a = array(file, null, 2, NOT_KEPT);
            return IdPlane.adopt(a.shape()[1], a.shape()[0], ids(a, file, a.shape()[1], a.shape()[0]));
        }
        BufferedImage img = image(file, NOT_KEPT);
        return IdPlane.adopt(img.getWidth(), img.getHeight(), ids(img, file, img.getWidth(), img.getHeight()));
    }

    /**
     * A depth plane from a float32 {@code .npy} array of shape (H, W) (metres; 0 = nothing hit), as the raw and
     * depth formats write it, or from a 16-bit grey PNG of millimetres (0 = none), as the depth and depth-png formats
     * write it: read as metres, {@code mm / 1000}, so that writing it back as millimetres gives the same values.
     *
     * @throws BadInputException naming the file when it is missing, unreadable or another type or shape
     */
    public static DepthPlane readDepth(Path file) {
        return readDepth(file, NOT_KEPT);
    }

    private static DepthPlane readDepth(Path file, BiConsumer<Path, byte[]> read) {
        if (file.getFileName().toString().endsWith(".png")) {
            BufferedImage img = image(file, read);
            Raster r = img.getRaster();
            int bits = img.getColorModel().getComponentSize(0);
            if (r.getNumBands() != 1 || bits != 16 || img.getColorModel() instanceof java.awt.image.IndexColorModel) {
                throw new BadInputException(file + ": " + r.getNumBands() + " channel(s) of " + bits + " bits; a depth "
                        + "PNG is one grey channel of 16-bit millimetres, as the depth format writes it", null);
            }
            int w = img.getWidth();
            int h = img.getHeight();
            int[] mm = r.getSamples(0, 0, w, h, 0, (int[]) null);
            float[] metres = new float[mm.length];
            for (int i = 0; i < mm.length; i++) {
                metres[i] = mm[i] / 1000f;
            }
            return DepthPlane.adopt(w, h, metres);
        }
        Npy.Array a = array(file, "<f4", 2, read);
        float[] metres = new float[a.shape()[0] * a.shape()[1]];
        a.data().asFloatBuffer().get(metres);
        return DepthPlane.adopt(a.shape()[1], a.shape()[0], metres);
    }

    private static int[] ids(Path file, int w, int h, BiConsumer<Path, byte[]> read) {
        return ids(image(file, read), file, w, h);
    }

    private static int[] ids(BufferedImage img, Path file, int w, int h) {
        if (img.getWidth() != w || img.getHeight() != h) {
            throw new BadInputException(file + ": " + img.getWidth() + "x" + img.getHeight()
                    + " differs from its image's " + w + "x" + h, null);
        }
        Raster r = img.getRaster();
        if (r.getNumBands() != 1) {
            throw new BadInputException(file + ": has " + r.getNumBands()
                    + " channels; a mask holds one channel of ids (grey or palette PNG)", null);
        }
        return r.getSamples(0, 0, w, h, 0, (int[]) null);
    }

    /**
     * Writes a frame under {@code root}: the raw format's arrays ({@code frames/NAME_rgb.npy}, ...) when
     * {@code raw}, else the plain layout. Returns the files written.
     */
    public static List<Path> write(Frame frame, Path root, String name, boolean withInstances, boolean raw)
            throws IOException {
        return write(frame, root, name, new Layout(raw, withInstances, false), 0, 0, AtomicFiles::write);
    }

    /**
     * How a frame is written under a folder: the raw format's arrays ({@code frames/NAME_*.npy}, depth among them
     * where the frame has it), or the plain layout ({@code images/NAME.png}, {@code masks/NAME.png}, with
     * {@code instances} also {@code instances/NAME.png}, and where the frame has depth {@code depth/NAME.npy}, float32
     * metres, or with {@code depthPng} {@code depth/NAME.png}, 16-bit millimetres as the depth format rounds them).
     */
    public record Layout(boolean raw, boolean instances, boolean depthPng) {
        /** The layout an item was read from: its arrays, or its plain files with its instances and depth's form. */
        public static Layout of(Item item) {
            return new Layout(item.raw(), item.instances() != null,
                    item.depth() != null && item.depth().getFileName().toString().endsWith(".png"));
        }
    }

    /**
     * As above, each file through {@code writer} (which may record the hash {@link AtomicFiles#write} returns), the
     * plain layout's class mask at least as wide as {@code classesAtLeast} needs and its instance mask as
     * {@code instancesAtLeast} (each the largest id its bit depth must hold, besides the class table's largest; 0: the
     * smallest depth that holds the frame's ids): the bit depth of the input's mask, say, so that the masks augmented
     * from one folder stay of one type, as a training loader stacking them expects, where each image's own ids would
     * make some 8-bit and some 16-bit.
     */
    public static List<Path> write(Frame frame, Path root, String name, Layout layout,
                                   long classesAtLeast, long instancesAtLeast, FrameFiles.FileWriter writer)
            throws IOException {
        if (layout.raw()) {
            return FrameFiles.write(frame, root.resolve("frames"), name, writer);
        }
        int w = frame.width();
        int h = frame.height();
        PngEncoder png = PngEncoder.FAST;
        Path image = root.resolve("images").resolve(name + ".png");
        Path mask = root.resolve("masks").resolve(name + ".png");
        writer.write(image, out -> png.writeRgb(out, w, h, frame.rgb().toArray()));
        writeIds(mask, w, h, frame.semantic().toArray(), Math.max(frame.labels().maxId(), classesAtLeast), png,
                writer);
        List<Path> files = new ArrayList<>(List.of(image, mask));
        if (layout.instances()) {
            Path inst = root.resolve("instances").resolve(name + ".png");
            writeIds(inst, w, h, frame.instance().toArray(), instancesAtLeast, png, writer);
            files.add(inst);
        }
        if (frame.hasDepth()) {
            DepthPlane d = frame.depth();
            Path depth = root.resolve("depth").resolve(name + (layout.depthPng() ? ".png" : ".npy"));
            writer.write(depth, out -> {
                if (layout.depthPng()) {
                    png.writeGray16(out, w, h, d::millimetreRow);
                } else {
                    Npy.writeFloat32(out, h, w, d.metres());
                }
            });
            files.add(depth);
        }
        return List.copyOf(files);
    }

    /** Writes a frame in the plain layout under {@code root}; returns the files written. */
    public static List<Path> write(Frame frame, Path root, String name, boolean withInstances) throws IOException {
        return write(frame, root, name, withInstances, false);
    }

    /**
     * The largest sample a mask file's bit depth holds, from its PNG header: 65535 for a 16-bit PNG, 255 for one of
     * 8 bits or fewer (grey or palette); 0 when the bytes are not a PNG's.
     */
    public static long largestSample(byte[] file) {
        boolean png = file.length > 25 && (file[0] & 0xff) == 0x89 && file[1] == 'P' && file[2] == 'N' && file[3] == 'G'
                && file[12] == 'I' && file[13] == 'H' && file[14] == 'D' && file[15] == 'R';
        if (!png) {
            return 0;
        }
        return file[24] == 16 ? 65535 : 255; // IHDR's bit depth, after signature (8), length, type, width, height
    }

    /**
     * A mask as an 8-bit grey PNG when its ids and {@code atLeast} (a class mask's table's largest id: one bit depth
     * for every class mask of a table) fit 8 bits, else 16-bit.
     */
    private static void writeIds(Path file, int w, int h, int[] ids, long atLeast, PngEncoder png,
                                 FrameFiles.FileWriter writer) throws IOException {
        long max = atLeast;
        for (int v : ids) {
            max = Math.max(max, Integer.toUnsignedLong(v));
        }
        if (max > 65535) {
            throw new IllegalArgumentException(file + ": id " + max + " does not fit a 16-bit PNG mask");
        }
        boolean eight = max <= 255;
        writer.write(file, out -> {
            if (eight) {
                png.writeGray8(out, w, h, ids);
            } else {
                png.writeGray16(out, w, h, ids);
            }
        });
    }
}
