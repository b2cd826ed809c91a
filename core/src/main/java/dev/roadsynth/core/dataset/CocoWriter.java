package dev.roadsynth.core.dataset;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roadsynth.core.Box2;
import dev.roadsynth.core.Label;
import dev.roadsynth.core.LabelSet;
import dev.roadsynth.core.ObjectAnnotation;
import dev.roadsynth.core.io.AtomicFiles;
import dev.roadsynth.core.io.PngEncoder;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * COCO instance annotations: {@code images/{split}/{id}.png} and {@code annotations/instances_{split}.json} with
 * images, categories (the label table's classes with instances; category id = class id) and one annotation per
 * kept object: bbox {@code [x, y, w, h]} of the visible pixels, area (visible pixel count), segmentation as
 * uncompressed RLE, iscrowd 0, and roadsynth's extras: {@code amodal_bbox}, {@code amodal_bbox_unclipped},
 * {@code visible_fraction}, {@code truncation}, {@code instance_id}.
 *
 * <p>Streaming: images and annotations go to per-split part files as samples arrive, so memory does not grow with
 * the number of images; {@link #finish} joins them into the JSON files, atomically. Annotation ids are
 * {@code image id * 10000 + per-image index}, so they do not depend on the order samples arrive in.
 */
public final class CocoWriter implements DatasetWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final PngEncoder png;
    private final Map<String, Parts> splits = new TreeMap<>();
    private LabelSet labels;

    private static final class Parts {
        final Path images;
        final Path annotations;
        final BufferedWriter imageOut;
        final BufferedWriter annotationOut;

        Parts(Path dir, String split) throws IOException {
            Files.createDirectories(dir);
            images = dir.resolve(".instances_" + split + ".images.part");
            annotations = dir.resolve(".instances_" + split + ".annotations.part");
            imageOut = Files.newBufferedWriter(images, StandardCharsets.UTF_8);
            annotationOut = Files.newBufferedWriter(annotations, StandardCharsets.UTF_8);
        }
    }

    public CocoWriter(Path root, PngEncoder png) {
        this.root = root;
        this.png = png;
    }

    @Override
    public String name() {
        return "coco";
    }

    /** A sample's image file and its JSON lines, waiting to be appended in sample order. */
    private record Lines(List<Path> files, String split, String image, List<String> annotations, LabelSet labels)
            implements Prepared {
    }

    @Override
    public Prepared prepare(Sample sample) throws IOException {
        var f = sample.frame();
        Path image = root.resolve("images").resolve(sample.split()).resolve(sample.id() + ".png");
        AtomicFiles.write(image, out -> png.writeRgb(out, f.width(), f.height(), f.rgb().toArray()));
        long imageId = sample.index();
        Map<String, Object> img = new LinkedHashMap<>();
        img.put("id", imageId);
        img.put("file_name", sample.split() + "/" + sample.id() + ".png");
        img.put("width", f.width());
        img.put("height", f.height());
        String imageLine = JSON.writeValueAsString(img);
        List<String> annotationLines = new ArrayList<>();
        int k = 0;
        for (ObjectAnnotation a : sample.objects()) {
            if (a.visibleBox() == null || !f.labels().byId(a.classId()).hasInstances()) {
                continue;
            }
            Map<String, Object> ann = new LinkedHashMap<>();
            ann.put("id", imageId * 10000 + k++);
            ann.put("image_id", imageId);
            ann.put("category_id", a.classId());
            ann.put("bbox", xywh(a.visibleBox()));
            ann.put("area", a.visiblePixels());
            ann.put("iscrowd", 0);
            Map<String, Object> rle = new LinkedHashMap<>();
            rle.put("size", List.of(f.height(), f.width()));
            rle.put("counts", Rle.encode(f.instance().ids(), f.width(), f.height(), a.instanceId()));
            ann.put("segmentation", rle);
            ann.put("instance_id", Integer.toUnsignedLong(a.instanceId()));
            ann.put("amodal_bbox", a.amodalBox() == null ? null : xywh(a.amodalBox()));
            ann.put("amodal_bbox_unclipped", a.amodalBoxUnclipped() == null ? null : xywh(a.amodalBoxUnclipped()));
            ann.put("visible_fraction", a.visibleFraction());
            ann.put("truncation", a.truncation());
            annotationLines.add(JSON.writeValueAsString(ann));
        }
        return new Lines(List.of(image), sample.split(), imageLine, annotationLines, f.labels());
    }

    @Override
    public synchronized void commit(Prepared prepared) throws IOException {
        Lines l = (Lines) prepared;
        if (labels == null) {
            labels = l.labels();
        }
        Parts p = splits.get(l.split());
        if (p == null) {
            p = new Parts(root.resolve("annotations"), l.split());
            splits.put(l.split(), p);
        }
        p.imageOut.write(l.image());
        p.imageOut.newLine();
        for (String line : l.annotations()) {
            p.annotationOut.write(line);
            p.annotationOut.newLine();
        }
    }

    private static List<Integer> xywh(Box2 b) {
        return List.of(b.x0(), b.y0(), b.width(), b.height());
    }

    @Override
    public synchronized List<Path> finish() throws IOException {
        List<Path> out = new ArrayList<>();
        for (var e : splits.entrySet()) {
            Parts p = e.getValue();
            p.imageOut.close();
            p.annotationOut.close();
            Path json = root.resolve("annotations").resolve("instances_" + e.getKey() + ".json");
            AtomicFiles.write(json, o -> {
                JsonGenerator g = JSON.getFactory().createGenerator(o, JsonEncoding.UTF8);
                g.writeStartObject();
                g.writeObjectFieldStart("info");
                g.writeStringField("description", "roadsynth synthetic driving data");
                g.writeEndObject();
                g.writeArrayFieldStart("images");
                copyLines(g, p.images);
                g.writeEndArray();
                g.writeArrayFieldStart("annotations");
                copyLines(g, p.annotations);
                g.writeEndArray();
                g.writeArrayFieldStart("categories");
                for (Label l : labels.labels()) {
                    if (l.hasInstances()) {
                        g.writeStartObject();
                        g.writeNumberField("id", l.id());
                        g.writeStringField("name", l.name());
                        g.writeStringField("supercategory", l.category());
                        g.writeEndObject();
                    }
                }
                g.writeEndArray();
                g.writeEndObject();
                g.flush();
            });
            Files.deleteIfExists(p.images);
            Files.deleteIfExists(p.annotations);
            out.add(json);
        }
        splits.clear();
        return out;
    }

    /** Streams one JSON value per line of a part file into the array being generated. */
    private static void copyLines(JsonGenerator g, Path part) throws IOException {
        try (var lines = Files.lines(part, StandardCharsets.UTF_8)) {
            for (var it = lines.iterator(); it.hasNext(); ) {
                g.writeRawValue(it.next());
            }
        }
    }
}
