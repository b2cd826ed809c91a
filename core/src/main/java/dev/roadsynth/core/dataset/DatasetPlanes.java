package dev.roadsynth.core.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roadsynth.core.DepthPlane;
import dev.roadsynth.core.IdPlane;
import dev.roadsynth.core.io.ImageFolder;
import dev.roadsynth.core.io.JsonLines;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The label planes of a dataset, sample by sample. A dataset written by {@code generate} or {@code merge} is read in
 * manifest order: the samples are the lines of {@code manifest.jsonl}, and each sample's class and instance planes
 * come from the files its line lists, the raw format's exact arrays ({@code frames/ID_labelIds.npy},
 * {@code ID_instanceIds.npy}) or else the Cityscapes layout's {@code _gtFine_labelIds.png} and
 * {@code _gtFine_instanceIds.png}; and its depth where it has the float32 array (raw or depth format).
 *
 * <p>Other folders (the output of {@code augment}, a Cityscapes download, any images with masks) are read in file
 * name order from the first of these layouts that they have:
 * <pre>
 * frames/ID_labelIds.npy   with ID_instanceIds.npy and, where present, ID_depth.npy    split "all"
 * gtFine/SPLIT/CITY/X_gtFine_labelIds.png with X_gtFine_instanceIds.png (or under cityscapes/)   split SPLIT
 * masks/[DIR/]NAME.png     with instances/[DIR/]NAME.png where present (else no instances) and
 *                          depth/[DIR/]NAME.npy where present                                split DIR, else "all"
 * </pre>
 * In the output of {@code augment}, a split its manifest names for an output's files (the split of the sample it
 * was made from) comes first.
 *
 * <p>Instance planes are returned in one convention whatever the source: 0 = no instance, any other value names
 * one instance of the frame. The Cityscapes instance image holds {@code class id * 1000 + index} for objects of
 * classes with instances and the bare class id (below 1000) elsewhere; the latter become 0. Instance masks of the
 * {@code masks/} layout are taken as they are (0 = none).
 */
public final class DatasetPlanes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DatasetPlanes() {
    }

    /** Where a sample's planes come from. */
    public enum Source {
        /** {@code frames/ID_labelIds.npy} and {@code ID_instanceIds.npy}: exact ids of any width. */
        RAW,
        /** {@code cityscapes/gtFine/.../*_gtFine_labelIds.png} and {@code *_gtFine_instanceIds.png}. */
        CITYSCAPES,
        /** {@code masks/NAME.png} and {@code instances/NAME.png}: a folder of images with masks. */
        MASKS
    }

    /** The split of samples whose layout has none. */
    public static final String NO_SPLIT = "all";

    /**
     * One sample: its id (the manifest's, else its name in the folder), index (in the manifest, else in name order)
     * and split, and its plane files (absolute); {@code instances} null where the sample has no instance mask (all
     * 0); {@code depth} the float32 depth array ({@code frames/ID_depth.npy}, else the depth format's
     * {@code depth/SPLIT/ID.npy}), or null without one.
     */
    public record Entry(String id, long index, String split, Source source, Path classes, Path instances, Path depth) {
    }

    /** A sample's planes, of one size; instances 0 where there is none (see the class comment); depth or null. */
    public record Planes(IdPlane classes, IdPlane instances, DepthPlane depth) {
    }

    /**
     * The samples at {@code root}, each with the planes of {@code preferred} (null: raw where a sample has them, else
     * Cityscapes, else masks): a dataset of {@code generate} in manifest order, any other folder in name order (see
     * the class comment).
     *
     * @throws IllegalArgumentException when a manifest line is not a manifest line (naming the file and line), a
     *                                  sample lacks the planes asked for (naming the sample and what to generate), or
     *                                  the folder has none of the layouts (naming them)
     */
    public static List<Entry> list(Path root, Source preferred) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException(root + ": " + (Files.exists(root) ? "not a directory" : "no such directory")
                    + "; give a dataset's folder");
        }
        Path manifest = root.resolve("manifest.jsonl");
        boolean hasManifest = Files.isRegularFile(manifest);
        if (madeByAugment(root)) {
            // augment's manifest says which split each output's sample came from (when its input was a dataset).
            return folder(root, preferred, splitsOfFiles(manifest)); // empty without a manifest
        }
        if (!hasManifest) {
            return folder(root, preferred, Map.of());
        }
        if (preferred == Source.MASKS) {
            throw new IllegalArgumentException(root + ": a dataset of roadsynth generate has no masks/ layout; its label"
                    + " planes are raw or cityscapes");
        }
        List<Entry> out = new ArrayList<>();
        try (BufferedReader r = dev.roadsynth.core.io.JsonLines.reader(manifest)) {
            int lineNo = 0;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lineNo++;
                if (!line.isBlank()) {
                    out.add(entry(root, line, manifest + ":" + lineNo, preferred));
                }
            }
        }
        return out;
    }

    private static Entry entry(Path root, String line, String where, Source preferred) {
        JsonNode m;
        try {
            m = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": not JSON (" + e.getOriginalMessage() + ")");
        }
        if (m == null || !m.path("id").isTextual() || !m.path("index").canConvertToLong() || !m.path("split").isTextual()
                || !m.path("files").isArray()) {
            throw new IllegalArgumentException(where + ": not a sample's manifest line (needs id, index, split, files)");
        }
        String id = m.get("id").asText();
        String rawClasses = null;
        String rawInstances = null;
        String csClasses = null;
        String csInstances = null;
        String depth = null;
        for (JsonNode f : m.get("files")) {
            String p = f.path("path").asText();
            if (p.equals("frames/" + id + "_depth.npy") || (depth == null && p.startsWith("depth/") && p.endsWith("/" + id + ".npy"))) {
                depth = p;
            } else if (p.equals("frames/" + id + "_labelIds.npy")) {
                rawClasses = p;
            } else if (p.equals("frames/" + id + "_instanceIds.npy")) {
                rawInstances = p;
            } else if (p.startsWith("cityscapes/gtFine/") && p.endsWith("_gtFine_labelIds.png")) {
                csClasses = p;
            } else if (p.startsWith("cityscapes/gtFine/") && p.endsWith("_gtFine_instanceIds.png")) {
                csInstances = p;
            }
        }
        boolean raw = rawClasses != null && rawInstances != null;
        boolean cs = csClasses != null && csInstances != null;
        Source source = preferred == Source.CITYSCAPES || (preferred == null && !raw) ? Source.CITYSCAPES : Source.RAW;
        if (source == Source.RAW ? !raw : !cs) {
            throw new IllegalArgumentException(where + ": sample " + id + " has no " + (preferred == null
                    ? "label planes (raw frames/ or cityscapes/gtFine/)" : source.name().toLowerCase(java.util.Locale.ROOT)
                    + " label planes") + " among its files; label statistics read the raw or cityscapes format"
                    + " (generate with --format raw or cityscapes among the formats), and without them annotation"
                    + " statistics COCO's");
        }
        return new Entry(id, m.get("index").asLong(), m.get("split").asText(), source,
                root.resolve(source == Source.RAW ? rawClasses : csClasses),
                root.resolve(source == Source.RAW ? rawInstances : csInstances), depth == null ? null : root.resolve(depth));
    }

    /** Whether {@code root} is the output of {@code roadsynth augment}, whose manifest lines name outputs, not samples. */
    private static boolean madeByAugment(Path root) throws IOException {
        Path run = root.resolve("run.json");
        return Files.isRegularFile(run) && "augment".equals(JSON.readTree(run.toFile()).path("command").asText());
    }

    /**
     * The samples of a folder without a sample manifest, in name order, from the first layout it has; a sample's split
     * is {@code splitOfFile}'s for its class plane (path relative to root), else its layout's.
     */
    private static List<Entry> folder(Path root, Source preferred, Map<String, String> splitOfFile) throws IOException {
        Path frames = root.resolve("frames");
        Path gtFine = Files.isDirectory(root.resolve("gtFine")) ? root.resolve("gtFine")
                : root.resolve("cityscapes").resolve("gtFine");
        Path masks = root.resolve("masks");
        boolean raw = Files.isDirectory(frames);
        boolean cs = Files.isDirectory(gtFine);
        boolean plain = Files.isDirectory(masks);
        Source source = preferred != null ? preferred : raw ? Source.RAW : cs ? Source.CITYSCAPES : plain ? Source.MASKS : null;
        if (source == null || (source == Source.RAW && !raw) || (source == Source.CITYSCAPES && !cs)
                || (source == Source.MASKS && !plain)) {
            throw new IllegalArgumentException(root + ": " + (source == null ? "no dataset found" : "no "
                    + source.name().toLowerCase(java.util.Locale.ROOT) + " label planes") + "; expected manifest.jsonl "
                    + "(roadsynth generate), frames/*_labelIds.npy (raw arrays), gtFine/ or cityscapes/gtFine/ "
                    + "(Cityscapes layout) or masks/ (images with masks)");
        }
        List<Entry> out = new ArrayList<>();
        switch (source) {
            case RAW -> {
                for (Path c : files(frames, "_labelIds.npy")) {
                    String n = c.getFileName().toString();
                    String id = n.substring(0, n.length() - "_labelIds.npy".length());
                    Path depth = frames.resolve(id + "_depth.npy");
                    out.add(new Entry(id, out.size(), splitOfFile.getOrDefault("frames/" + n, NO_SPLIT), Source.RAW, c,
                            frames.resolve(id + "_instanceIds.npy"), Files.exists(depth) ? depth : null));
                }
            }
            case CITYSCAPES -> {
                for (Path c : files(gtFine, "_gtFine_labelIds.png")) {
                    String rel = gtFine.relativize(c).toString().replace('\\', '/');
                    String stem = rel.substring(0, rel.length() - "_gtFine_labelIds.png".length());
                    out.add(new Entry(stem, out.size(), firstFolder(rel), Source.CITYSCAPES, c,
                            gtFine.resolve(stem + "_gtFine_instanceIds.png"), null));
                }
            }
            case MASKS -> {
                for (Path c : files(masks, ".png")) {
                    String rel = masks.relativize(c).toString().replace('\\', '/');
                    String name = rel.substring(0, rel.length() - ".png".length());
                    Path instances = root.resolve("instances").resolve(rel);
                    Path depth = root.resolve("depth").resolve(name + ".npy"); // as augment writes an input's array
                    out.add(new Entry(name, out.size(), splitOfFile.getOrDefault("masks/" + rel, firstFolder(rel)),
                            Source.MASKS, c, Files.isRegularFile(instances) ? instances : null,
                            Files.isRegularFile(depth) ? depth : null));
                }
            }
        }
        return out;
    }

    /** The split a layout's path gives: its first folder, else {@link #NO_SPLIT}. */
    private static String firstFolder(String relativePath) {
        int slash = relativePath.indexOf('/');
        return slash < 0 ? NO_SPLIT : relativePath.substring(0, slash);
    }

    /** File path (relative, '/' separated) -> split, from an augment manifest's lines that name one (none: empty). */
    private static Map<String, String> splitsOfFiles(Path manifest) throws IOException {
        Map<String, String> out = new java.util.HashMap<>();
        JsonLines.forEach(manifest, m -> {
            if (m.path("split").isTextual()) {
                for (JsonNode f : m.path("files")) {
                    out.put(f.path("path").asText(), m.get("split").asText());
                }
            }
        });
        return out;
    }

    /** The regular files under {@code dir} whose names end with {@code suffix}, in path order. */
    private static List<Path> files(Path dir, String suffix) throws IOException {
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    /**
     * Reads a sample's planes.
     *
     * @throws ImageFolder.BadInputException naming the file when one is missing, unreadable or of another size than
     *                                       the other
     */
    public static Planes read(Entry e) {
        IdPlane classes = ImageFolder.readIds(e.classes());
        IdPlane instances = e.instances() == null ? IdPlane.adopt(classes.width(), classes.height(),
                new int[classes.width() * classes.height()]) : ImageFolder.readIds(e.instances());
        if (e.instances() != null) {
            sameSize(e.instances(), instances.width(), instances.height(), e, classes);
        }
        DepthPlane depth = e.depth() == null ? null : ImageFolder.readDepth(e.depth());
        if (depth != null) {
            sameSize(e.depth(), depth.width(), depth.height(), e, classes);
        }
        if (e.source() == Source.CITYSCAPES) {
            int[] ids = instances.toArray();
            ImageFolder.cityscapesInstances(ids);
            instances = IdPlane.adopt(classes.width(), classes.height(), ids);
        }
        return new Planes(classes, instances, depth);
    }

    /** @throws ImageFolder.BadInputException when {@code file}'s plane is not the size of the sample's class plane */
    private static void sameSize(Path file, int width, int height, Entry e, IdPlane classes) {
        if (width != classes.width() || height != classes.height()) {
            throw new ImageFolder.BadInputException(file + ": " + width + "x" + height + " differs from "
                    + e.classes().getFileName() + "'s " + classes.width() + "x" + classes.height(), null);
        }
    }
}
