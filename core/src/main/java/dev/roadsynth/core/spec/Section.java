package dev.roadsynth.core.spec;

import dev.roadsynth.core.Rgb;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the fields of one mapping of a settings file (a scene file, an augmentation pipeline) into typed values and distributions, recording every problem
 * (wrong type, out of range, unknown key with a "did you mean") instead of stopping at the first. An absent
 * section reads as all defaults.
 */
public final class Section {
    private final Problems problems;
    private final String path;
    private final Node.MapNode node;
    private final Node anchor;
    private final Set<String> known = new LinkedHashSet<>();

    private Section(Problems problems, String path, Node.MapNode node, Node anchor) {
        this.problems = problems;
        this.path = path;
        this.node = node;
        this.anchor = anchor;
    }

    /** The document's root mapping. */
    public static Section root(Problems problems, Node root) {
        return root(problems, root, "settings");
    }

    /** The document's root mapping; {@code what} names its content in messages ("scene settings"). */
    public static Section root(Problems problems, Node root, String what) {
        if (!(root instanceof Node.MapNode m)) {
            problems.add(root, "", "expected a mapping of " + what + ", found " + Node.describe(root));
            return new Section(problems, "", null, root);
        }
        return new Section(problems, "", m, root);
    }

    private String at(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private Node take(String key) {
        known.add(key);
        return node == null ? null : node.get(key);
    }

    /** Whether the key is present (and marks it known). */
    public boolean has(String key) {
        return take(key) != null;
    }

    /** A nested mapping; absent reads as all defaults. */
    public Section section(String key) {
        Node n = take(key);
        if (n == null || (n instanceof Node.ScalarNode s && s.value() == null)) {
            return new Section(problems, at(key), null, anchor);
        }
        if (!(n instanceof Node.MapNode m)) {
            problems.add(n, at(key), "expected a mapping, found " + Node.describe(n));
            return new Section(problems, at(key), null, n);
        }
        return new Section(problems, at(key), m, m);
    }

    /** A number in [min, max] ({@code unit} for messages), constant or distribution. */
    public Dist<Double> number(String key, Dist<Double> def, double min, double max, String unit) {
        Node n = take(key);
        if (n == null) {
            return def;
        }
        return readNumber(n, at(key), min, max, unit, def);
    }

    /**
     * As {@link #number}, for a quantity where 0 means none and any other value must be at least {@code least}: a
     * spacing, where a few millimetres would be millions of objects. Every value the distribution can draw is 0 or
     * in [least, max] ({@code {choice: [0, 20]}} for none some of the time); {@code unit} is said with both bounds.
     */
    public Dist<Double> numberOrNone(String key, Dist<Double> def, double least, double max, String unit) {
        Node n = take(key);
        if (n == null) {
            return def;
        }
        String where = at(key);
        String bounds = unit + " (0 = none, else at least " + fmt(least) + ")";
        Dist<Double> d = readNumber(n, where, 0, max, bounds, null);
        if (d == null) {
            return def;
        }
        java.util.function.DoublePredicate allowed = v -> v == 0 || v >= least;
        boolean ok;
        if (d instanceof Dist.Uniform u) {
            ok = u.min() == u.max() ? allowed.test(u.min()) : u.min() >= least;
        } else if (d instanceof Dist.Normal g) {
            ok = d.always(0.0) || g.min() >= least;
        } else if (d instanceof Dist.Choice<Double> c) {
            ok = c.values().stream().allMatch(allowed::test);
        } else if (d instanceof Dist.Constant<Double> c) {
            ok = allowed.test(c.value());
        } else {
            throw new IllegalStateException("a number read as " + d);
        }
        if (ok) {
            return d;
        }
        problems.add(n, where, (n instanceof Node.ScalarNode sc ? sc.text() + " is" : "draws values")
                + " out of range " + range(0, max, bounds) + (n instanceof Node.ScalarNode ? ""
                : "; for none some of the time, a choice such as {choice: [0, " + fmt(Math.max(least, 20)) + "]}"));
        return def;
    }

    /**
     * A number or distribution (as {@link #number}) that applies only with some probability: in the file either
     * the value alone (probability 1), or a mapping of one distribution and {@code probability}, e.g.
     * {@code {uniform: [-7, 7], probability: 0.5}}. Null when the key is absent.
     */
    public Chance chance(String key, double min, double max, String unit) {
        Node n = take(key);
        if (n == null) {
            return null;
        }
        String where = at(key);
        double probability = 1;
        if (n instanceof Node.MapNode m) {
            // A misspelt probability (a misspelt distribution is the number's reader's to name, with the range).
            for (Node.Entry e : m.entries().values()) {
                if (!e.key().equals("probability") && !suggest(e.key(), List.of("probability")).isEmpty()
                        && suggest(e.key(), DISTRIBUTIONS).isEmpty()) {
                    problems.add(e.line(), e.column(), where + "." + e.key(), "unknown key; did you mean 'probability'?;"
                            + " expected a distribution with an optional probability, e.g. {uniform: [a, b], probability: 0.5}");
                    return null;
                }
            }
        }
        if (n instanceof Node.MapNode m && m.get("probability") != null) {
            Double p = scalarNumber(m.get("probability"), where + ".probability", 0, 1, "", "a probability 0..1");
            probability = p == null ? 1 : p;
            Map<String, Node.Entry> rest = new LinkedHashMap<>(m.entries());
            rest.remove("probability");
            if (rest.isEmpty()) {
                problems.add(m, where, "probability needs a value beside it, e.g. {uniform: [a, b], probability: "
                        + (p == null ? "0.5" : fmt(p)) + "}");
                return null;
            }
            n = new Node.MapNode(rest, m.line(), m.column());
        }
        Dist<Double> d = readNumber(n, where, min, max, unit, null);
        return d == null ? null : new Chance(d, probability);
    }

    /** The keys of a number's distribution mapping, and of its normal distribution's. */
    private static final List<String> DISTRIBUTIONS = List.of("uniform", "normal", "choice", "weights");
    private static final List<String> NORMAL_KEYS = List.of("mean", "std", "min", "max");

    /** A value drawn only with a probability; see {@link #chance}. */
    public record Chance(Dist<Double> value, double probability) {
    }

    /** A number that may not vary: a plain constant in [min, max]. */
    public double constant(String key, double def, double min, double max, String unit) {
        Node n = take(key);
        if (n == null) {
            return def;
        }
        Double v = scalarNumber(n, at(key), min, max, unit, "a number");
        return v == null ? def : v;
    }

    /** An integer in [min, max], constant, {@code {uniform: [a, b]}} (inclusive) or {@code {choice: [...]}}. */
    public Dist<Long> integer(String key, long def, long min, long max) {
        Node n = take(key);
        if (n == null) {
            return Dist.of(def);
        }
        String where = at(key);
        String allowed = "an integer " + min + ".." + max + ", {uniform: [a, b]} or {choice: [...]}";
        if (n instanceof Node.ScalarNode s) {
            Long v = integerValue(s, where, min, max, allowed);
            return v == null ? Dist.of(def) : Dist.of(v);
        }
        Node.MapNode m = distribution(n, where, allowed, List.of("uniform", "choice"));
        if (m == null) {
            return Dist.of(def);
        }
        if (m.get("uniform") != null) {
            List<Node> ab = pair(m.get("uniform"), where + ".uniform", "[a, b], two integers");
            if (ab == null) {
                return Dist.of(def);
            }
            Long a = integerValue(ab.get(0), where + ".uniform", min, max, allowed);
            Long b = integerValue(ab.get(1), where + ".uniform", min, max, allowed);
            if (a == null || b == null) {
                return Dist.of(def);
            }
            if (a > b) {
                problems.add(m.get("uniform"), where + ".uniform", "[" + a + ", " + b + "] is empty; the first bound must not exceed the second");
                return Dist.of(def);
            }
            return new Dist.UniformInt(a, b);
        }
        return choice(m, where, v -> integerValue(v, where + ".choice", min, max, "integers " + min + ".." + max), Dist.of(def));
    }

    /** One of the named options (case-sensitive), constant or {@code {choice: [...]}}. */
    public <E> Dist<E> option(String key, E def, Map<String, E> options) {
        Node n = take(key);
        if (n == null) {
            return Dist.of(def);
        }
        String where = at(key);
        Function<Node, E> one = v -> {
            if (v instanceof Node.ScalarNode s && s.value() instanceof String str && options.containsKey(str)) {
                return options.get(str);
            }
            String text = Node.describe(v);
            String hint = v instanceof Node.ScalarNode s && s.value() instanceof String str ? suggest(str, options.keySet()) : "";
            problems.add(v, where, text + " is not one of " + options.keySet() + hint);
            return null;
        };
        if (n instanceof Node.ScalarNode) {
            E e = one.apply(n);
            return e == null ? Dist.of(def) : Dist.of(e);
        }
        Node.MapNode m = distribution(n, where, "one of " + options.keySet() + " or {choice: [...]}", List.of("choice"));
        return m == null ? Dist.of(def) : choice(m, where, one, Dist.of(def));
    }

    /** One of the named options as a plain constant: for settings that must not vary between scenes. */
    public <E> E fixedOption(String key, E def, Map<String, E> options) {
        Node n = take(key);
        if (n != null && !(n instanceof Node.ScalarNode)) {
            problems.add(n, at(key), "must be a single value, one of " + options.keySet() + "; it cannot vary");
            return def;
        }
        Dist<E> d = option(key, def, options);
        return d instanceof Dist.Constant<E> c ? c.value() : def;
    }

    /** true or false, or {@code {choice: [true, false], weights: [...]}}. */
    public Dist<Boolean> bool(String key, boolean def) {
        Node n = take(key);
        if (n == null) {
            return Dist.of(def);
        }
        String where = at(key);
        Function<Node, Boolean> one = v -> {
            if (v instanceof Node.ScalarNode s && s.value() instanceof Boolean b) {
                return b;
            }
            problems.add(v, where, Node.describe(v) + " is not true or false");
            return null;
        };
        if (n instanceof Node.ScalarNode) {
            Boolean b = one.apply(n);
            return b == null ? Dist.of(def) : Dist.of(b);
        }
        Node.MapNode m = distribution(n, where, "true, false or {choice: [true, false], weights: [...]}", List.of("choice"));
        return m == null ? Dist.of(def) : choice(m, where, one, Dist.of(def));
    }

    /** A colour: {@code [r, g, b]} (0..255) or {@code "#rrggbb"}, or a palette {@code {choice: [...]}}. */
    public Dist<Rgb> colour(String key, Dist<Rgb> def) {
        Node n = take(key);
        if (n == null) {
            return def;
        }
        String where = at(key);
        Function<Node, Rgb> one = v -> colourValue(v, where);
        if (n instanceof Node.MapNode m) {
            Node.MapNode d = distribution(m, where, "[r, g, b], \"#rrggbb\" or {choice: [colours...]}", List.of("choice"));
            return d == null ? def : choice(d, where, one, def);
        }
        Rgb c = one.apply(n);
        return c == null ? def : Dist.of(c);
    }

    /** A plain string; {@code def} when absent. */
    public String string(String key, String def) {
        Node n = take(key);
        if (n == null) {
            return def;
        }
        if (n instanceof Node.ScalarNode s && s.value() instanceof String str && !str.isBlank()) {
            return str;
        }
        problems.add(n, at(key), Node.describe(n) + " is not a non-empty string");
        return def;
    }

    /** A list of names; empty when absent. Entries keep their positions for messages. */
    public List<Node.ScalarNode> stringList(String key) {
        Node n = take(key);
        List<Node.ScalarNode> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        if (!(n instanceof Node.ListNode l)) {
            problems.add(n, at(key), "expected a list of names, found " + Node.describe(n));
            return out;
        }
        for (Node item : l.items()) {
            if (item instanceof Node.ScalarNode sc && sc.value() instanceof String) {
                out.add(sc);
            } else {
                problems.add(item, at(key), Node.describe(item) + " is not a name");
            }
        }
        return out;
    }

    /** A mapping from names to strings, e.g. kinds to class names; entries keep their positions. */
    public Map<String, Node.ScalarNode> stringMap(String key) {
        Node n = take(key);
        Map<String, Node.ScalarNode> out = new LinkedHashMap<>();
        if (n == null) {
            return out;
        }
        if (!(n instanceof Node.MapNode m)) {
            problems.add(n, at(key), "expected a mapping of names to names, found " + Node.describe(n));
            return out;
        }
        for (Node.Entry e : m.entries().values()) {
            if (e.value() instanceof Node.ScalarNode s && s.value() instanceof String) {
                out.put(e.key(), s);
            } else {
                problems.add(e.value(), at(key) + "." + e.key(), Node.describe(e.value()) + " is not a name");
            }
        }
        return out;
    }

    /** Records a problem at this section's key, for cross-field rules. */
    public void problem(String key, String message) {
        Node n = node == null ? null : node.get(key);
        Node where = n != null ? n : anchor;
        problems.add(where, at(key), message);
    }

    /** Reports every key that no reader asked for, with a "did you mean" where one is close. */
    public void finish() {
        if (node == null) {
            return;
        }
        for (Node.Entry e : node.entries().values()) {
            if (!known.contains(e.key())) {
                problems.add(e.line(), e.column(), at(e.key()), "unknown key" + suggest(e.key(), known)
                        + "; allowed here: " + String.join(", ", known));
            }
        }
    }

    // ---- helpers ----

    /** {@code kinds}: the distributions allowed, in the order messages name them. */
    private Node.MapNode distribution(Node n, String where, String allowed, List<String> kinds) {
        if (!(n instanceof Node.MapNode m)) {
            problems.add(n, where, Node.describe(n) + " is not allowed; expected " + allowed);
            return null;
        }
        List<String> present = new ArrayList<>();
        for (Node.Entry e : m.entries().values()) {
            if (kinds.contains(e.key()) || kinds.contains("normal") && e.key().equals("normal")) {
                present.add(e.key());
            } else if (!(e.key().equals("weights") && kinds.contains("choice"))) {
                problems.add(e.line(), e.column(), where + "." + e.key(), "unknown distribution" + suggest(e.key(), kinds)
                        + "; expected " + allowed);
                return null;
            }
        }
        if (present.size() != 1) {
            problems.add(m, where, present.isEmpty() ? "a mapping without a distribution; expected " + allowed
                    : "expected one of " + String.join(", ", kinds) + ", not several; found " + String.join(" and ", present));
            return null;
        }
        if (m.get("weights") != null && m.get("choice") == null) {
            problems.add(m.get("weights"), where + ".weights", "weights go with choice only");
            return null;
        }
        return m;
    }

    private <T> Dist<T> choice(Node.MapNode m, String where, Function<Node, T> one, Dist<T> def) {
        Node c = m.get("choice");
        if (!(c instanceof Node.ListNode list) || list.items().isEmpty()) {
            problems.add(c == null ? m : c, where + ".choice", "expected a non-empty list of values");
            return def;
        }
        List<T> values = new ArrayList<>();
        for (Node item : list.items()) {
            T v = one.apply(item);
            if (v == null) {
                return def;
            }
            values.add(v);
        }
        List<Double> weights = new ArrayList<>();
        Node w = m.get("weights");
        if (w == null) {
            values.forEach(v -> weights.add(1.0));
        } else {
            if (!(w instanceof Node.ListNode wl) || wl.items().size() != values.size()) {
                problems.add(w, where + ".weights", "expected a list of " + values.size() + " weights, one per choice");
                return def;
            }
            double sum = 0;
            for (Node item : wl.items()) {
                Double x = scalarNumber(item, where + ".weights", 0, Double.MAX_VALUE, "", "a weight >= 0");
                if (x == null) {
                    return def;
                }
                weights.add(x);
                sum += x;
            }
            if (!(sum > 0)) {
                problems.add(w, where + ".weights", "weights add up to 0; at least one must be positive");
                return def;
            }
        }
        return new Dist.Choice<>(values, weights);
    }

    private Dist<Double> readNumber(Node n, String where, double min, double max, String unit, Dist<Double> def) {
        String allowed = "a number " + range(min, max, unit) + ", {uniform: [a, b]}, {normal: {mean, std, min, max}} or {choice: [...]}";
        if (n instanceof Node.ScalarNode) {
            Double v = scalarNumber(n, where, min, max, unit, allowed);
            return v == null ? def : Dist.of(v);
        }
        Node.MapNode m = distribution(n, where, allowed, List.of("uniform", "normal", "choice"));
        if (m == null) {
            return def;
        }
        if (m.get("uniform") != null) {
            List<Node> ab = pair(m.get("uniform"), where + ".uniform", "[a, b], two numbers");
            if (ab == null) {
                return def;
            }
            Double a = scalarNumber(ab.get(0), where + ".uniform", min, max, unit, allowed);
            Double b = scalarNumber(ab.get(1), where + ".uniform", min, max, unit, allowed);
            if (a == null || b == null) {
                return def;
            }
            if (a > b) {
                problems.add(m.get("uniform"), where + ".uniform", "[" + a + ", " + b + "] is empty; the first bound must not exceed the second");
                return def;
            }
            return new Dist.Uniform(a, b);
        }
        if (m.get("normal") != null) {
            Node nn = m.get("normal");
            if (!(nn instanceof Node.MapNode p)) {
                problems.add(nn, where + ".normal", "expected {mean, std, min, max}");
                return def;
            }
            for (Node.Entry e : p.entries().values()) {
                if (!NORMAL_KEYS.contains(e.key())) {
                    problems.add(e.line(), e.column(), where + ".normal." + e.key(), "unknown key" + suggest(e.key(), NORMAL_KEYS)
                            + "; allowed: " + String.join(", ", NORMAL_KEYS));
                    return def;
                }
            }
            Double mean = p.get("mean") == null ? null : scalarNumber(p.get("mean"), where + ".normal.mean", min, max, unit, allowed);
            Double std = p.get("std") == null ? null : scalarNumber(p.get("std"), where + ".normal.std", 0, Double.MAX_VALUE, unit, "a number >= 0");
            if (p.get("mean") == null || p.get("std") == null) {
                problems.add(p, where + ".normal", "mean and std are required");
                return def;
            }
            Double lo = p.get("min") == null ? Double.valueOf(min) : scalarNumber(p.get("min"), where + ".normal.min", min, max, unit, allowed);
            Double hi = p.get("max") == null ? Double.valueOf(max) : scalarNumber(p.get("max"), where + ".normal.max", min, max, unit, allowed);
            if (mean == null || std == null || lo == null || hi == null) {
                return def;
            }
            if (lo > hi) {
                problems.add(p, where + ".normal", "min " + lo + " exceeds max " + hi);
                return def;
            }
            return new Dist.Normal(mean, std, lo, hi);
        }
        return choice(m, where, v -> scalarNumber(v, where + ".choice", min, max, unit, "numbers " + range(min, max, unit)), def);
    }

    private List<Node> pair(Node n, String where, String expected) {
        if (n instanceof Node.ListNode l && l.items().size() == 2) {
            return l.items();
        }
        problems.add(n, where, Node.describe(n) + " is not " + expected);
        return null;
    }

    private Double scalarNumber(Node n, String where, double min, double max, String unit, String allowed) {
        if (n instanceof Node.ScalarNode s && s.value() instanceof Number num) {
            double v = num.doubleValue();
            if (!Double.isFinite(v) || v < min || v > max) {
                problems.add(n, where, s.text() + " is out of range " + range(min, max, unit));
                return null;
            }
            return v;
        }
        problems.add(n, where, Node.describe(n) + " is not a number; expected " + allowed);
        return null;
    }

    private Long integerValue(Node n, String where, long min, long max, String allowed) {
        if (n instanceof Node.ScalarNode s && s.value() instanceof Long v) {
            if (v < min || v > max) {
                problems.add(n, where, v + " is out of range " + min + ".." + max);
                return null;
            }
            return v;
        }
        problems.add(n, where, Node.describe(n) + " is not an integer; expected " + allowed);
        return null;
    }

    private Rgb colourValue(Node v, String where) {
        if (v instanceof Node.ListNode l && l.items().size() == 3) {
            int[] c = new int[3];
            for (int i = 0; i < 3; i++) {
                Long x = integerValue(l.items().get(i), where, 0, 255, "[r, g, b] with integers 0..255");
                if (x == null) {
                    return null;
                }
                c[i] = x.intValue();
            }
            return new Rgb(c[0], c[1], c[2]);
        }
        if (v instanceof Node.ScalarNode s && s.value() instanceof String str && str.matches("#[0-9a-fA-F]{6}")) {
            int p = Integer.parseInt(str.substring(1), 16);
            return new Rgb(p >> 16, (p >> 8) & 0xff, p & 0xff);
        }
        problems.add(v, where, Node.describe(v) + " is not a colour; expected [r, g, b] with integers 0..255 or \"#rrggbb\"");
        return null;
    }

    private static String range(double min, double max, String unit) {
        String u = unit.isEmpty() ? "" : " " + unit;
        return "[" + fmt(min) + ", " + (max == Double.MAX_VALUE ? "inf" : fmt(max)) + "]" + u;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /**
     * "; did you mean 'x'?" when a known name is within a few edits of {@code word} (ignoring case), or starts
     * with it, or is a start of it; else "". Of equally close names, the first in {@code candidates}' order: give
     * an ordered collection, so that the message is the same in every run.
     */
    public static String suggest(String word, java.util.Collection<String> candidates) {
        String w = word.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            String lc = c.toLowerCase(Locale.ROOT);
            int d = distance(w, lc);
            if (w.length() >= 3 && (lc.startsWith(w) || w.startsWith(lc))) {
                d = Math.min(d, 1); // a prefix is as good a hint as a typo
            }
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best != null && bestDistance <= Math.max(2, word.length() / 4) ? "; did you mean '" + best + "'?" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
