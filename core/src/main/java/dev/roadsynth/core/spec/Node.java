package dev.roadsynth.core.spec;

import java.util.List;
import java.util.Map;

/**
 * A parsed YAML/JSON value that remembers where it stood in its file (1-based line and column), so that every
 * validation message can point at it.
 */
public sealed interface Node permits Node.MapNode, Node.ListNode, Node.ScalarNode {
    int line();

    int column();

    /** A mapping; keys in file order, each with the position of the key itself. */
    record MapNode(Map<String, Entry> entries, int line, int column) implements Node {
        public MapNode {
            entries = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(entries));
        }

        public Node get(String key) {
            Entry e = entries.get(key);
            return e == null ? null : e.value();
        }
    }

    /** A key of a mapping, where it stands, and its value. */
    record Entry(String key, int line, int column, Node value) {
    }

    record ListNode(List<Node> items, int line, int column) implements Node {
        public ListNode {
            items = List.copyOf(items);
        }
    }

    /** A scalar: a {@link String}, {@link Long}, {@link Double}, {@link Boolean}, or null for YAML null. */
    record ScalarNode(Object value, int line, int column) implements Node {
        /** The scalar as written, for messages. */
        public String text() {
            return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
        }
    }

    /** How a node reads in a message: its scalar value, or its kind. */
    static String describe(Node n) {
        if (n instanceof ScalarNode s) {
            return s.text();
        }
        return n instanceof MapNode ? "a mapping" : "a list";
    }
}
