package dev.roadsynth.core.spec;


import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Collects every problem of one file, each as {@code file:line:column: path: message}. */
public final class Problems {
    private final String source;
    private final List<String> list = new ArrayList<>();
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
        list.add(source + ":" + line + ":" + column + ": " + (path.isEmpty() ? "" : path + ": ") + message);
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
            throw kind.apply(list);
        }
    }
}
