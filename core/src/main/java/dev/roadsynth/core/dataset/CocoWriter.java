package dev.roadsynth.core.dataset;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roadsynth.core.Box2;
import dev.roadsynth.core.Label;
import dev.roadsynth.core.ObjectAnnotation;
import dev.roadsynth.core.io.AtomicFiles;
import dev.roadsynth.core.io.FileTrees;
import dev.roadsynth.core.io.PngEncoder;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * COCO instance annotations: {@code images/{split}/{id}.png} and {@code annotations/instances_{split}.json} with
 * images, categories (the label table's classes with instances; category id = class id) and one annotation per
 * kept object: bbox {@code [x, y, w, h]} of the visible pixels, area (visible pixel count), segmentation as
 * uncompressed RLE, iscrowd 0, and roadsynth's extras: {@code amodal_bbox}, {@code amodal_bbox_unclipped},
 * {@code visible_fraction}, {@code truncation}, {@code instance_id}. Then one with iscrowd 1 per object the policy
 * left out while in view ({@link Sample#ignored()}): COCO's ignore region, which pycocotools' evaluation neither
 * rewards nor punishes detections in and which training code leaves out of its targets (torchvision's and
 * detectron2's drop crowd annotations, mmdetection's make them ignored boxes), as KITTI's DontCare does.
 *
 * <p>Each sample's JSON entries go to a part file of their own ({@code annotations/.parts/{split}/{id}.jsonl},
 * atomically, from any thread); {@link #finish} streams all parts, in sample order, into the JSON files (so
 * memory does not grow with the number of images, and an interrupted run resumes without losing or repeating
 * entries), then deletes the parts. Annotation ids are {@code image id * 10000 + per-image index}.
 */
public final class CocoWriter implements DatasetWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final PngEncoder png;
    private final boolean keepParts;
    /** Whether this writer has written the categories part (once: one run has one class table). */
    private volatile boolean categoriesWritten;
    /** {@link #categoriesIntact}'s answer, once asked. */
    private Boolean categoriesChecked;
    /** Per split, the sample ids its joined JSON lists, sorted (none where it is not whole): asked once each. */
    private final Map<String, long[]> joinedIds = new java.util.concurrent.ConcurrentHashMap<>();

    public CocoWriter(Path root, PngEncoder png) {
        this(root, png, false);
    }

    /**
     * @param keepParts keep the per-sample parts after joining them (a shard's, so that {@code roadsynth merge}
     *                  can join the parts of all shards into the JSON an unsharded run writes)
     */
    public CocoWriter(Path root, PngEncoder png, boolean keepParts) {
        this.root = root;
        this.png = png;
        this.keepParts = keepParts;
    }

    @Override
    public String name() {
        return "coco";
    }

    @Override
    public boolean needsObjects() {
        return true;
    }

    private Path parts() {
        return root.resolve("annotations").resolve(".parts");
    }

    @Override
    public Prepared prepare(Sample sample) throws IOException {
        var f = sample.frame();
        Path image = root.resolve("images").resolve(sample.split()).resolve(sample.id() + ".png");
        byte[] rgbPng = sample.output().rgbPng(sample, png); // shared with the other layouts
        sample.output().write(image, out -> out.write(rgbPng));
        long imageId = sample.index();
        Map<String, Object> img = new LinkedHashMap<>();
        img.put("id", imageId);
        img.put("file_name", sample.split() + "/" + sample.id() + ".png");
        img.put("width", f.width());
        img.put("height", f.height());
        StringBuilder part = new StringBuilder(JSON.writeValueAsString(img)).append('\n');
        int k = 0;
        // Every instance's RLE from one pass over the plane, not one pass per object.
        Map<Integer, int[]> rles = Rle.encodeAll(f.instance().ids(), f.width(), f.height());
        for (int crowd = 0; crowd <= 1; crowd++) {
            // The kept objects, then the ones left out while in view as ignore regions.
            for (ObjectAnnotation a : crowd == 0 ? sample.objects() : sample.ignored()) {
                if (a.visibleBox() == null || !f.labels().byId(a.classId()).hasInstances()) {
                    continue;
                }
                Map<String, Object> ann = new LinkedHashMap<>();
                ann.put("id", imageId * 10000 + k++);
                ann.put("image_id", imageId);
                ann.put("category_id", a.classId());
                ann.put("bbox", xywh(a.visibleBox()));
                ann.put("area", a.visiblePixels());
                ann.put("iscrowd", crowd);
                Map<String, Object> rle = new LinkedHashMap<>();
                rle.put("size", List.of(f.height(), f.width()));
                rle.put("counts", rles.getOrDefault(a.instanceId(), new int[] {f.width() * f.height()}));
                ann.put("segmentation", rle);
                ann.put("instance_id", Integer.toUnsignedLong(a.instanceId()));
                ann.put("amodal_bbox", a.amodalBox() == null ? null : xywh(a.amodalBox()));
                ann.put("amodal_bbox_unclipped", a.amodalBoxUnclipped() == null ? null : xywh(a.amodalBoxUnclipped()));
                ann.put("visible_fraction", a.visibleFraction());
                ann.put("truncation", a.truncation());
                part.append(JSON.writeValueAsString(ann)).append('\n');
            }
        }
        writeCategoriesOnce(sample);
        byte[] bytes = part.toString().getBytes(StandardCharsets.UTF_8);
        sample.output().write(parts().resolve(sample.split()).resolve(sample.id() + ".jsonl"), out -> out.write(bytes));
        return new Written(List.of(image));
    }

    /**
     * Writes the categories part on this writer's first sample; every other sample waits until it is there, so no
     * sample's part can exist without it (a run resumed after its last sample is done joins the parts at once). One
     * run has one class table (generate refuses scenes with different ones), so the first sample's is every one's.
     */
    private void writeCategoriesOnce(Sample sample) throws IOException {
        if (categoriesWritten) {
            return;
        }
        synchronized (this) {
            if (categoriesWritten) {
                return;
            }
            List<Map<String, Object>> categories = new ArrayList<>();
            for (Label l : sample.frame().labels().labels()) {
                if (l.hasInstances()) {
                    Map<String, Object> c = new LinkedHashMap<>();
                    c.put("id", l.id());
                    c.put("name", l.name());
                    c.put("supercategory", l.category());
                    categories.add(c);
                }
            }
            byte[] cats = JSON.writeValueAsBytes(categories);
            AtomicFiles.write(parts().resolve("categories.json"), out -> out.write(cats));
            categoriesWritten = true;
        }
    }

    private static List<Integer> xywh(Box2 b) {
        return List.of(b.x0(), b.y0(), b.width(), b.height());
    }

    /**
     * The sample's part and the categories part parse as JSON, the part's first line being its image; once the
     * parts are joined (and deleted), the split's JSON reads whole, as {@link #reopen} would split it, and lists
     * the sample's image. (Its mere presence was taken once: a finished run resumed to make a damaged sample again
     * then counted the samples before it done, and joined only the new ones into the JSON, losing theirs.)
     */
    @Override
    public boolean intact(String split, String id) {
        Path parts = parts();
        if (!Files.isDirectory(parts)) {
            long[] ids = joinedIds.computeIfAbsent(split,
                    s -> joinedIds(root.resolve("annotations").resolve("instances_" + s + ".json")));
            try {
                return java.util.Arrays.binarySearch(ids, Long.parseLong(id)) >= 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        try {
            if (!categoriesIntact()) {
                return false;
            }
            List<String> lines = Files.readAllLines(parts.resolve(split).resolve(id + ".jsonl"), StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (i > 0 && lines.get(i).isEmpty()) {
                    continue;
                }
                JsonNode n = JSON.readTree(lines.get(i)); // each line parsed once; the first is the image
                if (!n.isObject() || (i == 0 && !n.has("file_name"))) {
                    return false;
                }
            }
            return !lines.isEmpty();
        } catch (IOException | RuntimeException e) {
            return false; // missing, cut short or not JSON
        }
    }

    /** Whether the categories part reads as a JSON array; read once per writer (it is the same for every sample). */
    private boolean categoriesIntact() {
        if (categoriesChecked == null) {
            try {
                categoriesChecked = JSON.readTree(parts().resolve("categories.json").toFile()).isArray();
            } catch (IOException | RuntimeException e) {
                categoriesChecked = false;
            }
        }
        return categoriesChecked;
    }

    /** Where joined parts go to be deleted (see {@link #finish}). */
    private Path joinedParts() {
        return root.resolve("annotations").resolve(".parts.joined");
    }

    /** As {@link #finish(List)} with no splits declared: the splits that have samples. */
    @Override
    public List<Path> finish() throws IOException {
        return finish(List.of());
    }

    /**
     * Joins the parts of every split into its JSON file, in sample order, and removes them: first renamed out of
     * the way at once, then deleted. Deleted in place, a run killed halfway through deleting (seconds for a large
     * run) would leave some parts, and its rerun would join only those into the JSON. A declared split without
     * samples gets a JSON with no images or annotations (and the categories), and its empty image folder; with no
     * sample at all there are no categories to write, and nothing is written.
     */
    @Override
    public synchronized List<Path> finish(List<String> declared) throws IOException {
        List<Path> out = new ArrayList<>();
        Path parts = parts();
        Path joined = joinedParts();
        FileTrees.delete(joined); // what a run killed while deleting left; its JSON has all of it
        if (!Files.isDirectory(parts)) {
            return out;
        }
        byte[] categories = Files.readAllBytes(parts.resolve("categories.json"));
        java.util.SortedSet<String> splits = new java.util.TreeSet<>(declared);
        try (Stream<Path> s = Files.list(parts)) {
            s.filter(Files::isDirectory).forEach(p -> splits.add(p.getFileName().toString()));
        }
        for (String split : splits) {
            List<Path> samples = List.of();
            if (Files.isDirectory(parts.resolve(split))) {
                try (Stream<Path> s = Files.list(parts.resolve(split))) {
                    samples = s.filter(p -> p.getFileName().toString().endsWith(".jsonl"))
                            .sorted(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().replace(".jsonl", ""))))
                            .toList();
                }
            } else {
                Files.createDirectories(root.resolve("images").resolve(split));
            }
            List<Path> joinedSamples = samples;
            Path json = root.resolve("annotations").resolve("instances_" + split + ".json");
            AtomicFiles.write(json, o -> {
                JsonGenerator g = JSON.getFactory().createGenerator(o, JsonEncoding.UTF8);
                g.writeStartObject();
                g.writeObjectFieldStart("info");
                g.writeStringField("description", "roadsynth synthetic driving data");
                g.writeEndObject();
                g.writeArrayFieldStart("images");
                for (Path p : joinedSamples) {
                    copy(g, p, true);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("annotations");
                for (Path p : joinedSamples) {
                    copy(g, p, false);
                }
                g.writeEndArray();
                g.writeFieldName("categories");
                g.writeRawValue(new String(categories, StandardCharsets.UTF_8));
                g.writeEndObject();
                g.flush();
            });
            out.add(json);
        }
        if (!keepParts) {
            Files.move(parts, joined, StandardCopyOption.ATOMIC_MOVE);
            FileTrees.delete(joined);
        }
        return out;
    }

    /** The sample ids a joined JSON file lists, sorted; none when it is missing or would not split whole. */
    private static long[] joinedIds(Path json) {
        try {
            return joinedSampleIds(json);
        } catch (IOException | RuntimeException e) {
            return new long[0];
        }
    }

    /**
     * The sample ids (the {@code ID} of each image's {@code split/ID.png}) that a joined {@code instances_SPLIT.json}
     * lists, sorted: the file read through as {@link #reopen} would split it back into parts.
     *
     * @throws IOException saying what is wrong where the file is not as {@link #finish} writes it: cut short, not
     *                     JSON, an image without its id or file name, annotations of an image it does not list
     */
    public static long[] joinedSampleIds(Path json) throws IOException {
        java.util.stream.LongStream.Builder ids = java.util.stream.LongStream.builder();
        unjoin(json, (sampleId, part) -> {
            try {
                ids.add(Long.parseLong(sampleId));
            } catch (NumberFormatException e) {
                throw new NotWhole(json + ": an image's file name ends in " + sampleId + ".png, not a sample's id");
            }
        });
        return ids.build().sorted().toArray();
    }

    /**
     * Each element of the top-level array {@code field} ({@code "images"}, {@code "annotations"}) of a COCO JSON file,
     * read one at a time, so that a file of any size reads in bounded memory; other fields are skipped.
     *
     * @throws IOException naming the file where it is missing or does not read as JSON
     * @throws IllegalArgumentException naming the file where it is not a JSON object
     */
    static void elements(Path json, String field, java.util.function.Consumer<JsonNode> each) throws IOException {
        if (!Files.isRegularFile(json)) {
            throw new IOException(json + " is missing (COCO's JSON is joined when the run finishes)");
        }
        try (JsonParser p = JSON.getFactory().createParser(json.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException(json + ": not a COCO annotation file (no JSON object)");
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
            throw new IOException(json + ": does not read as JSON (" + e.getOriginalMessage() + ")", e);
        }
    }

    /**
     * Splits the finished JSON files back into the parts they were joined from (byte for byte: each image and
     * annotation is copied from the file as {@link #finish} copied it there from its part), so that a run extended
     * to more samples, or one resumed to make damaged samples again, joins its earlier samples with the new ones.
     * A JSON file that is not whole (cut short by a copy, say) is left out: {@link #intact} counted none of its
     * samples done, so all are made again. Built aside and moved into place at once: an interruption leaves the
     * JSON files as they were and no parts (a rerun reopens again). Nothing to do where parts are there (a run not
     * finished, or a shard's, which keeps them) or no JSON is.
     */
    @Override
    public synchronized void reopen() throws IOException {
        Path annotations = root.resolve("annotations");
        Path reopening = annotations.resolve(".parts.reopening");
        FileTrees.delete(reopening); // an interrupted reopen's
        if (Files.isDirectory(parts()) || !Files.isDirectory(annotations)) {
            return;
        }
        List<Path> joined;
        try (Stream<Path> s = Files.list(annotations)) {
            joined = s.filter(p -> p.getFileName().toString().startsWith("instances_")
                    && p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        if (joined.isEmpty()) {
            return;
        }
        byte[] categories = null;
        for (Path json : joined) {
            String name = json.getFileName().toString();
            Path dir = reopening.resolve(name.substring("instances_".length(), name.length() - 5));
            Files.createDirectories(dir);
            try {
                byte[] c = unjoin(json, (sampleId, part) -> Files.write(dir.resolve(sampleId + ".jsonl"), part));
                categories = categories == null ? c : categories; // one run, one class table: the same in each
            } catch (com.fasterxml.jackson.core.JsonProcessingException | EOFException | NotWhole e) {
                FileTrees.delete(dir);
            }
        }
        if (categories == null) {
            FileTrees.delete(reopening); // no file whole: every sample is made again
            return;
        }
        byte[] cats = categories;
        AtomicFiles.write(reopening.resolve("categories.json"), o -> o.write(cats));
        Files.move(reopening, parts(), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Where {@link #unjoin} hands each image's part: its entry, then its annotations, a line each. */
    @FunctionalInterface
    private interface PartSink {
        void accept(String sampleId, byte[] part) throws IOException;
    }

    /** A joined JSON file not in the layout {@link #finish} writes. */
    private static final class NotWhole extends IOException {
        NotWhole(String message) {
            super(message);
        }
    }

    /**
     * Hands the parts of one split's JSON file to {@code sink}: per image, its entry and then its annotations, a
     * line each, with its file's id; returns the file's categories array as it stands there.
     *
     * @throws NotWhole, or Jackson's or an end-of-file exception, where the file is not as {@link #finish} wrote it
     */
    private static byte[] unjoin(Path json, PartSink sink) throws IOException {
        Map<Long, ImageEntry> images = new LinkedHashMap<>(); // by image id
        byte[] categories = null;
        try (FileChannel file = FileChannel.open(json);
             JsonParser p = JSON.getFactory().createParser(
                     new BufferedInputStream(Files.newInputStream(json), 1 << 16))) {
            requireToken(p.nextToken(), JsonToken.START_OBJECT, json);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("images")) {
                    requireToken(value, JsonToken.START_ARRAY, json);
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        long from = p.currentTokenLocation().getByteOffset();
                        long id = -1;
                        String fileName = null;
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            p.nextToken();
                            if (f.equals("id")) {
                                id = p.getLongValue();
                            } else if (f.equals("file_name")) {
                                fileName = p.getText();
                            } else {
                                p.skipChildren();
                            }
                        }
                        if (id < 0 || fileName == null || !fileName.endsWith(".png") || fileName.indexOf('/') < 0) {
                            throw new NotWhole(json + ": an image without an id or a file name split/ID.png");
                        }
                        images.put(id, new ImageEntry(from, p.currentLocation().getByteOffset(),
                                fileName.substring(fileName.lastIndexOf('/') + 1, fileName.length() - 4)));
                    }
                } else if (field.equals("annotations")) {
                    requireToken(value, JsonToken.START_ARRAY, json);
                    long current = -1;
                    ByteArrayOutputStream lines = new ByteArrayOutputStream();
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        long from = p.currentTokenLocation().getByteOffset();
                        long imageId = -1;
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            p.nextToken();
                            if (f.equals("image_id")) {
                                imageId = p.getLongValue();
                            } else {
                                p.skipChildren();
                            }
                        }
                        if (imageId != current) {
                            writePart(file, json, sink, current, images, lines);
                            current = imageId;
                        }
                        lines.write(read(file, from, p.currentLocation().getByteOffset()));
                        lines.write('\n');
                    }
                    writePart(file, json, sink, current, images, lines);
                } else if (field.equals("categories")) {
                    long from = p.currentTokenLocation().getByteOffset();
                    p.skipChildren();
                    categories = read(file, from, p.currentLocation().getByteOffset());
                } else {
                    p.skipChildren();
                }
            }
            for (long id : new ArrayList<>(images.keySet())) { // images without annotations
                writePart(file, json, sink, id, images, new ByteArrayOutputStream());
            }
        }
        if (categories == null) {
            throw new NotWhole(json + " has no categories");
        }
        return categories;
    }

    /** An image's entry in a joined JSON file: its bytes from {@code from} to {@code to}, and its sample's id. */
    private record ImageEntry(long from, long to, String sampleId) {
    }

    /**
     * Writes image {@code id}'s part (its entry, then {@code lines}) and forgets the image, so that each is
     * written once; nothing for id -1. Annotations of an image the file does not list are an error.
     */
    private static void writePart(FileChannel file, Path json, PartSink sink, long id, Map<Long, ImageEntry> images,
                                  ByteArrayOutputStream lines) throws IOException {
        if (id < 0) {
            return;
        }
        ImageEntry image = images.remove(id);
        if (image == null) {
            throw new NotWhole(json + ": annotations of image " + id + ", which it does not list (or not before)");
        }
        ByteArrayOutputStream part = new ByteArrayOutputStream();
        part.write(read(file, image.from(), image.to()));
        part.write('\n');
        lines.writeTo(part);
        lines.reset();
        sink.accept(image.sampleId(), part.toByteArray());
    }

    private static byte[] read(FileChannel file, long from, long to) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(to - from));
        while (b.hasRemaining()) {
            if (file.read(b, from + b.position()) < 0) {
                throw new EOFException("end of file at byte " + (from + b.position()));
            }
        }
        return b.array();
    }

    private static void requireToken(JsonToken got, JsonToken wanted,
                                     Path json) throws IOException {
        if (got != wanted) {
            throw new NotWhole(json + ": " + got + " where COCO's layout has " + wanted);
        }
    }

    /** The part's first line (the image) or its other lines (the annotations), as raw JSON values. */
    private static void copy(JsonGenerator g, Path part, boolean image) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(part, StandardCharsets.UTF_8)) {
            String line = r.readLine();
            if (image) {
                g.writeRawValue(line);
                return;
            }
            while ((line = r.readLine()) != null) {
                if (!line.isEmpty()) {
                    g.writeRawValue(line);
                }
            }
        }
    }
}
