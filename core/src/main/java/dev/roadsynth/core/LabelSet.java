package dev.roadsynth.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The class table: the single source of truth for class names, ids, train ids, categories, instance flags,
 * evaluation flags and colours. Every lookup (by id, by name) is derived from it.
 *
 * <p>Ids are the values written into semantic label planes. They are limited to {@code 0..}{@value #MAX_ID} so
 * that every id fits a 16-bit label image without truncation. Names and ids are unique. The colours of the
 * classes that count in evaluation ({@code ignoreInEval == false}) are unique, so a colour-coded label image
 * decodes unambiguously for them; ignored classes may share a colour, as Cityscapes' void classes do.
 *
 * <p>File format (YAML; JSON is accepted as well, being a subset):
 * <pre>
 * labels:
 *   - {name: road, id: 7, trainId: 0, category: flat, hasInstances: false, ignoreInEval: false, color: [128, 64, 128]}
 * </pre>
 */
public final class LabelSet {
    /** The largest class id, so that ids fit 16-bit label images. */
    public static final int MAX_ID = 65535;

    /** A label's fields, in the order messages list them (a Set.of would list them in another order each run). */
    private static final List<String> FIELDS =
            List.of("name", "id", "trainId", "category", "hasInstances", "ignoreInEval", "color");

    private final List<Label> labels;
    private final Map<String, Label> byName;
    private final Label[] byId;

    private LabelSet(List<Label> labels) {
        this.labels = List.copyOf(labels);
        Map<String, Label> names = new LinkedHashMap<>();
        int max = 0;
        for (Label l : labels) {
            names.put(l.name(), l);
            max = Math.max(max, l.id());
        }
        this.byName = Collections.unmodifiableMap(names);
        this.byId = new Label[max + 1];
        for (Label l : labels) {
            byId[l.id()] = l;
        }
    }

    /**
     * Validates and copies the given labels into a label set.
     *
     * @throws LabelSetException naming every problem found
     */
    public static LabelSet of(List<Label> labels) {
        List<String> problems = new ArrayList<>();
        validate(labels, problems);
        if (!problems.isEmpty()) {
            throw new LabelSetException("invalid label set: " + String.join("; ", problems));
        }
        return new LabelSet(labels);
    }

    /** The 34 Cityscapes labels (ids 0 to 33) with their official train ids, categories and colours. */
    public static LabelSet cityscapes() {
        return Cityscapes.INSTANCE;
    }

    /**
     * Loads a label set from a YAML or JSON file.
     *
     * @throws LabelSetException when the file cannot be read or is invalid; the message names the file and
     *                           each offending entry and field
     */
    public static LabelSet load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new LabelSetException(file + ": cannot read label set: " + e.getMessage(), e);
        }
    }

    /** Parses a label set from YAML or JSON; {@code source} names the input in error messages. */
    public static LabelSet parse(InputStream in, String source) {
        JsonNode root;
        try {
            root = new YAMLMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new LabelSetException(source + ": not valid YAML or JSON: " + firstLine(e.getMessage()), e);
        }
        List<String> problems = new ArrayList<>();
        List<Label> labels = new ArrayList<>();
        JsonNode list = root == null ? null : root.get("labels");
        if (list == null || !list.isArray()) {
            throw new LabelSetException(source + ": labels: missing; expected a list of labels under the key 'labels'");
        }
        for (int i = 0; i < list.size(); i++) {
            Label l = readLabel(list.get(i), "labels[" + i + "]", problems);
            if (l != null) {
                labels.add(l);
            }
        }
        if (problems.isEmpty()) {
            validate(labels, problems);
        }
        if (!problems.isEmpty()) {
            throw new LabelSetException(source + ": " + String.join("; ", problems));
        }
        return new LabelSet(labels);
    }

    private static Label readLabel(JsonNode node, String path, List<String> problems) {
        if (node == null || !node.isObject()) {
            problems.add(path + ": expected a mapping with fields " + String.join(", ", FIELDS));
            return null;
        }
        int before = problems.size();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                problems.add(path + "." + f + ": unknown field" + dev.roadsynth.core.spec.Section.suggest(f, FIELDS)
                        + "; allowed: " + String.join(", ", FIELDS));
            }
        }
        String name = text(node, path, "name", problems);
        int id = integer(node, path, "id", problems);
        int trainId = integer(node, path, "trainId", problems);
        String category = text(node, path, "category", problems);
        boolean inst = bool(node, path, "hasInstances", problems);
        boolean ignore = bool(node, path, "ignoreInEval", problems);
        Rgb color = null;
        JsonNode c = node.get("color");
        if (c == null || !c.isArray() || c.size() != 3 || !c.get(0).isInt() || !c.get(1).isInt() || !c.get(2).isInt()) {
            problems.add(path + ".color: " + (c == null ? "missing" : c.toString()) + "; expected [r, g, b], integers 0..255");
        } else {
            try {
                color = new Rgb(c.get(0).asInt(), c.get(1).asInt(), c.get(2).asInt());
            } catch (IllegalArgumentException e) {
                problems.add(path + ".color: " + c + ": " + e.getMessage());
            }
        }
        if (problems.size() > before) {
            return null;
        }
        return new Label(name, id, trainId, category, inst, ignore, color);
    }

    private static String text(JsonNode node, String path, String field, List<String> problems) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            problems.add(path + "." + field + ": " + (v == null ? "missing" : v.toString()) + "; expected a non-empty string");
            return null;
        }
        return v.asText();
    }

    private static int integer(JsonNode node, String path, String field, List<String> problems) {
        JsonNode v = node.get(field);
        if (v == null || !v.isInt()) {
            problems.add(path + "." + field + ": " + (v == null ? "missing" : v.toString()) + "; expected an integer");
            return -1;
        }
        return v.asInt();
    }

    private static boolean bool(JsonNode node, String path, String field, List<String> problems) {
        JsonNode v = node.get(field);
        if (v == null || !v.isBoolean()) {
            problems.add(path + "." + field + ": " + (v == null ? "missing" : v.toString()) + "; expected true or false");
            return false;
        }
        return v.asBoolean();
    }

    private static void validate(List<Label> labels, List<String> problems) {
        if (labels.isEmpty()) {
            problems.add("labels: empty; at least one label is required");
        }
        Map<String, Integer> names = new HashMap<>();
        Map<Integer, Integer> ids = new HashMap<>();
        Map<Integer, String> colors = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            Label l = labels.get(i);
            String path = "labels[" + i + "] (" + l.name() + ")";
            if (l.id() < 0 || l.id() > MAX_ID) {
                problems.add(path + ".id: " + l.id() + " is out of range 0.." + MAX_ID);
            }
            if (l.trainId() < 0 || l.trainId() > 255) {
                problems.add(path + ".trainId: " + l.trainId() + " is out of range 0..255 (255 = ignored)");
            }
            Integer prev = names.putIfAbsent(l.name(), i);
            if (prev != null) {
                problems.add(path + ".name: '" + l.name() + "' repeats labels[" + prev + "]; names must be unique");
            }
            prev = ids.putIfAbsent(l.id(), i);
            if (prev != null) {
                problems.add(path + ".id: " + l.id() + " repeats labels[" + prev + "]; ids must be unique");
            }
            if (!l.ignoreInEval()) {
                String other = colors.putIfAbsent(l.color().packed(), l.name());
                if (other != null) {
                    problems.add(path + ".color: " + l.color() + " is also the colour of '" + other
                            + "'; evaluated classes need unique colours");
                }
            }
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** All labels, in table order; unmodifiable. */
    public List<Label> labels() {
        return labels;
    }

    /** Whether {@code id} is the id of a label in this set. */
    public boolean contains(int id) {
        return id >= 0 && id < byId.length && byId[id] != null;
    }

    /**
     * The label with this id.
     *
     * @throws LabelSetException if there is none
     */
    public Label byId(int id) {
        if (!contains(id)) {
            throw new LabelSetException("no label with id " + id + " in this label set (ids: " + idList() + ")");
        }
        return byId[id];
    }

    /**
     * The label with this name.
     *
     * @throws LabelSetException naming the unknown name and the known ones
     */
    public Label byName(String name) {
        Label l = byName.get(name);
        if (l == null) {
            throw new LabelSetException("unknown label name '" + name + "'; known names: " + byName.keySet());
        }
        return l;
    }

    /** The id of the label with this name; see {@link #byName(String)}. */
    public int id(String name) {
        return byName(name).id();
    }

    /**
     * This table as JSON in the file format {@link #load(Path)} reads ({@code {"labels": [...]}}, one label per line,
     * in table order, fields in the order of {@link Label}), UTF-8. The same table gives the same bytes.
     */
    public byte[] toJson() {
        StringBuilder sb = new StringBuilder("{\"labels\": [\n");
        for (int i = 0; i < labels.size(); i++) {
            Label l = labels.get(i);
            sb.append("  {\"name\": ").append(quote(l.name())).append(", \"id\": ").append(l.id())
                    .append(", \"trainId\": ").append(l.trainId()).append(", \"category\": ").append(quote(l.category()))
                    .append(", \"hasInstances\": ").append(l.hasInstances())
                    .append(", \"ignoreInEval\": ").append(l.ignoreInEval())
                    .append(", \"color\": [").append(l.color().r()).append(", ").append(l.color().g()).append(", ")
                    .append(l.color().b()).append("]}").append(i + 1 < labels.size() ? ",\n" : "\n");
        }
        return sb.append("]}\n").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A JSON string literal (names come from user files: quotes, backslashes and control characters escaped). */
    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /** The largest id in the set. */
    public int maxId() {
        return byId.length - 1;
    }

    private String idList() {
        int[] ids = labels.stream().mapToInt(Label::id).sorted().toArray();
        return Arrays.toString(ids);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSet other && labels.equals(other.labels);
    }

    @Override
    public int hashCode() {
        return labels.hashCode();
    }

    @Override
    public String toString() {
        return "LabelSet" + labels.stream().map(Label::name).toList();
    }

    /** Lazily loaded, so a bad resource shows up as an error of the first use, not of class loading elsewhere. */
    private static final class Cityscapes {
        static final LabelSet INSTANCE = loadResource();

        private static LabelSet loadResource() {
            try (InputStream in = LabelSet.class.getResourceAsStream("cityscapes-labels.yaml")) {
                if (in == null) {
                    throw new LabelSetException("built-in resource cityscapes-labels.yaml is missing from the jar");
                }
                return parse(in, "cityscapes-labels.yaml (built in)");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
