package dev.roadsynth.scenes.spec;

import dev.roadsynth.scenes.SceneSpecException;
import java.util.ArrayList;
import java.util.List;

/** Collects every problem of one file, each as {@code file:line:column: path: message}. */
public final class Problems {
    private final String source;
    private final List<String> list = new ArrayList<>();

    public Problems(String source) {
        this.source = source;
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

    /** Throws a {@link SceneSpecException} with every problem, if there are any. */
    public void throwIfAny() {
        if (!list.isEmpty()) {
            throw new SceneSpecException(list);
        }
    }
}
