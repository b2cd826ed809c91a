package dev.roadsynth.core.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roadsynth.core.DepthPlane;
import dev.roadsynth.core.IdPlane;
import dev.roadsynth.core.io.ImageFolder;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The label planes of a finished dataset (written by {@code generate} or {@code merge}), sample by sample in manifest
 * order: the samples are the lines of {@code manifest.jsonl}, and each sample's class and instance planes come from
 * the files its line lists, the raw format's exact arrays ({@code frames/ID_labelIds.npy},
 * {@code ID_instanceIds.npy}) or else the Cityscapes layout's {@code _gtFine_labelIds.png} and
 * {@code _gtFine_instanceIds.png}; and its depth where it has the float32 array (raw or depth format).
 *
 * <p>Instance planes are returned in one convention whatever the source: 0 = no instance, any other value names
 * one instance of the frame. The Cityscapes instance image holds {@code class id * 1000 + index} for objects of
 * classes with instances and the bare class id (below 1000) elsewhere; the latter become 0.
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
        CITYSCAPES
    }

    /**
     * One sample: its manifest id, index and split, and its plane files (absolute); {@code depth} the float32 depth
     * array ({@code frames/ID_depth.npy}, else the depth format's {@code depth/SPLIT/ID.npy}), or null without one.
     */
    public record Entry(String id, long index, String split, Source source, Path classes, Path instances, Path depth) {
    }

    /** A sample's planes, of one size; instances 0 where there is none (see the class comment); depth or null. */
    public record Planes(IdPlane classes, IdPlane instances, DepthPlane depth) {
    }

    /**
     * The samples of the dataset at {@code root}, in manifest order, each with the planes of {@code preferred} (null:
     * raw where a sample has them, else Cityscapes).
     *
     * @throws IllegalArgumentException when there is no manifest, a line is not a manifest line (naming the file and
     *                                  line), or a sample lacks the planes asked for (naming the sample and what to
     *                                  generate)
     */
    public static List<Entry> list(Path root, Source preferred) throws IOException {
        Path manifest = root.resolve("manifest.jsonl");
        if (!Files.isRegularFile(manifest)) {
            throw new IllegalArgumentException(root + ": no manifest.jsonl; not a dataset written by roadsynth generate");
        }
        List<Entry> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(manifest, StandardCharsets.UTF_8)) {
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
                    + " (generate with --format raw or cityscapes among the formats)");
        }
        return new Entry(id, m.get("index").asLong(), m.get("split").asText(), source,
                root.resolve(source == Source.RAW ? rawClasses : csClasses),
                root.resolve(source == Source.RAW ? rawInstances : csInstances), depth == null ? null : root.resolve(depth));
    }

    /**
     * Reads a sample's planes.
     *
     * @throws ImageFolder.BadInputException naming the file when one is missing, unreadable or of another size than
     *                                       the other
     */
    public static Planes read(Entry e) {
        IdPlane classes = ImageFolder.readIds(e.classes());
        IdPlane instances = ImageFolder.readIds(e.instances());
        sameSize(e.instances(), instances.width(), instances.height(), e, classes);
        DepthPlane depth = e.depth() == null ? null : ImageFolder.readDepth(e.depth());
        if (depth != null) {
            sameSize(e.depth(), depth.width(), depth.height(), e, classes);
        }
        if (e.source() == Source.CITYSCAPES) {
            int[] ids = instances.toArray();
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] < 1000) {
                    ids[i] = 0; // a class id: no instance here
                }
            }
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
