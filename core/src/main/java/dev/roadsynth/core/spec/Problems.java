package dev.roadsynth.core.spec;


import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Collects every problem of one file, each as {@code file:line:column: path: message}, and reports them in file
 * order (by line, then column; problems at one place in the order found), however the checks were ordered.
 */
public final class Problems {
    private record Entry(int line, int column, String text) {
    }

    private final String source;
    private final List<Entry> list = new ArrayList<>();
    private final Function<List<String>, ? extends SpecException> kind;

    public Problems(String source) {
        this(source, SpecException::new);
    }

    /** @param kind makes the exception that {@link #throwIfAny} throws, naming the kind of file */
    public Problems(String source, Function<List<String>, ? extends SpecException> kind) {
        this.source = source;
        this.kind = kind;
    }

    public String source() {
        return source;
    }

    public void add(int line, int column, String path, String message) {
        list.add(new Entry(line, column,
                source + ":" + line + ":" + column + ": " + (path.isEmpty() ? "" : path + ": ") + message));
    }

    public void add(Node at, String path, String message) {
        add(at.line(), at.column(), path, message);
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    /** Throws a {@link SpecException} with every problem, if there are any. */
    public void throwIfAny() {
        if (!list.isEmpty()) {
            // A stable sort: problems at one position keep the order in which they were found.
            throw kind.apply(list.stream()
                    .sorted(Comparator.comparingInt(Entry::line).thenComparingInt(Entry::column))
                    .map(Entry::text).toList());
        }
    }
}
