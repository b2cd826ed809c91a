package dev.roadsynth.core.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads YAML (and so JSON) into {@link Node}s, safely: no tags or custom types are ever constructed (a tagged
 * value is an error), duplicate keys are errors, nesting and size are bounded, and aliases are expanded by
 * sharing with a budget, so a "billion laughs" file fails fast with a clear message instead of exhausting
 * memory.
 */
public final class YamlTree {
    /** Largest file accepted, in characters. */
    public static final int MAX_CHARS = 1 << 20;
    /** Largest number of nodes a document may expand to through aliases. */
    public static final int MAX_EXPANDED_NODES = 100_000;
    private static final int MAX_DEPTH = 64;

    private final String source;
    private final JsonParser parser;
    private final Map<String, Node> anchors = new HashMap<>();
    private final Map<Node, Integer> sizes = new java.util.IdentityHashMap<>();
    private long expanded;

    private YamlTree(String source, JsonParser parser) {
        this.source = source;
        this.parser = parser;
    }

    /**
     * Parses one document.
     *
     * @param source the file name, for messages
     * @throws SpecException with {@code source:line:column} when the text is not valid YAML or breaks a limit
     */
    public static Node parse(Reader reader, String source) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(1000);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit(MAX_CHARS);
        options.setAllowRecursiveKeys(false);
        YAMLFactory factory = YAMLFactory.builder().loaderOptions(options).build();
        factory.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        try (JsonParser p = factory.createParser(reader)) {
            YamlTree tree = new YamlTree(source, p);
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new SpecException(List.of(source + ":1:1: the file is empty; expected a mapping of settings"));
            }
            Node root = tree.read(t, 0);
            return root;
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblem() != null
                    && m.getProblemMark() != null) {
                throw new SpecException(List.of(syntaxError(source, m)), e);
            }
            JsonLocation loc = e.getLocation();
            String where = loc == null ? source : source + ":" + loc.getLineNr() + ":" + loc.getColumnNr();
            throw new SpecException(List.of(where + ": " + notValid(source) + firstLine(e.getOriginalMessage())), e);
        } catch (IOException e) {
            throw new SpecException(List.of(source + ": cannot read: " + e.getMessage()), e);
        } catch (RuntimeException e) {
            if (e instanceof SpecException s) {
                throw s;
            }
            // SnakeYAML reports its limits (code points, nesting, aliases) as unchecked exceptions.
            throw new SpecException(List.of(source + ": " + notValid(source) + firstLine(e.getMessage())), e);
        }
    }

    /**
     * As {@link #parse(Reader, String)}, with problems thrown as {@code kind}'s exception (a scene file's, a
     * pipeline file's).
     */
    public static Node parse(Reader reader, String source, Function<List<String>, ? extends SpecException> kind) {
        try {
            return parse(reader, source);
        } catch (SpecException e) {
            SpecException k = kind.apply(e.problems());
            k.initCause(e);
            throw k;
        }
    }

    /**
     * A settings file's text, refusing files over {@link #MAX_CHARS}; problems thrown as {@code kind}'s exception.
     *
     * @param what the kind of file, plural, for messages ("scene files")
     */
    public static String read(Path file, String what, Function<List<String>, ? extends SpecException> kind) {
        if (Files.isDirectory(file)) {
            throw kind.apply(List.of(file + ": is a directory; give the " + what + " in it (" + file + "/*.yaml)"));
        }
        try {
            if (Files.size(file) > MAX_CHARS) {
                throw kind.apply(List.of(file + ": " + Files.size(file) + " bytes; " + what + " are limited to "
                        + MAX_CHARS + " bytes"));
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            SpecException k = kind.apply(List.of(file + ": cannot read: " + dev.roadsynth.core.io.FileErrors.reason(e)));
            k.initCause(e);
            throw k;
        }
    }

    private Node read(JsonToken t, int depth) throws IOException {
        JsonLocation loc = parser.currentTokenLocation();
        int line = loc.getLineNr();
        int col = loc.getColumnNr();
        if (depth > MAX_DEPTH) {
            throw fail(line, col, "nested deeper than " + MAX_DEPTH + " levels");
        }
        Object tagId = parser.getTypeId();
        String tag = tagId == null ? null : tagId.toString();
        if (tag != null) {
            throw fail(line, col, "YAML tag '!" + tag + "' is not allowed; settings files hold plain values only");
        }
        Object anchorId = parser.getObjectId();
        String anchor = anchorId == null ? null : anchorId.toString();
        Node node;
        if (parser instanceof YAMLParser y && y.isCurrentAlias()) {
            String name = parser.getText();
            Node target = anchors.get(name);
            if (target == null) {
                throw fail(line, col, "alias '*" + name + "' names no anchor defined before it");
            }
            expanded += sizes.getOrDefault(target, 1);
            if (expanded > MAX_EXPANDED_NODES) {
                throw fail(line, col, "aliases expand the document beyond " + MAX_EXPANDED_NODES
                        + " values (a 'billion laughs' file?); write the values out or use fewer aliases");
            }
            return target;
        }
        int size;
        switch (t) {
            case START_OBJECT -> {
                Map<String, Node.Entry> entries = new LinkedHashMap<>();
                size = 1;
                JsonToken k;
                while ((k = parser.nextToken()) != JsonToken.END_OBJECT) {
                    JsonLocation kl = parser.currentTokenLocation();
                    String key = parser.currentName();
                    Node value = read(parser.nextToken(), depth + 1);
                    size += sizes.getOrDefault(value, 1);
                    entries.put(key, new Node.Entry(key, kl.getLineNr(), kl.getColumnNr(), value));
                }
                node = new Node.MapNode(entries, line, col);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                size = 1;
                JsonToken i;
                while ((i = parser.nextToken()) != JsonToken.END_ARRAY) {
                    Node value = read(i, depth + 1);
                    size += sizes.getOrDefault(value, 1);
                    items.add(value);
                }
                node = new Node.ListNode(items, line, col);
            }
            case VALUE_STRING -> {
                node = new Node.ScalarNode(parser.getText(), line, col);
                size = 1;
            }
            case VALUE_NUMBER_INT -> {
                node = new Node.ScalarNode(parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? (Object) parser.getText() : (Object) parser.getLongValue(), line, col);
                size = 1;
            }
            case VALUE_NUMBER_FLOAT -> {
                node = new Node.ScalarNode(parser.getDoubleValue(), line, col);
                size = 1;
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                node = new Node.ScalarNode(t == JsonToken.VALUE_TRUE, line, col);
                size = 1;
            }
            case VALUE_NULL -> {
                node = new Node.ScalarNode(null, line, col);
                size = 1;
            }
            default -> throw fail(line, col, "unexpected " + t);
        }
        expanded++;
        if (size > 1) {
            sizes.put(node, size);
        }
        if (anchor != null) {
            anchors.put(anchor, node);
        }
        return node;
    }

    private SpecException fail(int line, int col, String message) {
        return new SpecException(List.of(source + ":" + line + ":" + col + ": " + message));
    }

    /**
     * A YAML syntax error where the parser found it, with what it was reading and where that began: for
     * {@code "road: {layout: [straight"}, {@code t.yaml:1:25: not valid YAML: expected ',' or ']', but got the end
     * of the file (while parsing a flow sequence that begins at 1:16)}. (SnakeYAML's message puts the
     * context first, with a copy of the line and a caret, over several lines; Jackson's location is the context's.)
     */
    private static String syntaxError(String source, org.yaml.snakeyaml.error.MarkedYAMLException m) {
        var at = m.getProblemMark();
        String problem = m.getProblem().replace("'<stream end>'", "the end of the file")
                .replace("<stream end>", "the end of the file");
        var from = m.getContextMark();
        boolean elsewhere = from != null && (from.getLine() != at.getLine() || from.getColumn() != at.getColumn());
        String context = m.getContext() == null ? ""
                : " (" + m.getContext() + (elsewhere ? " that begins at " + (from.getLine() + 1) + ":"
                + (from.getColumn() + 1) : "") + ")";
        return source + ":" + (at.getLine() + 1) + ":" + (at.getColumn() + 1) + ": " + notValid(source) + problem + context;
    }

    /** "not valid YAML: ", or JSON for a .json file (read as YAML, of which JSON is a part; its user wrote JSON). */
    private static String notValid(String source) {
        return source.toLowerCase(java.util.Locale.ROOT).endsWith(".json") ? "not valid JSON: " : "not valid YAML: ";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
