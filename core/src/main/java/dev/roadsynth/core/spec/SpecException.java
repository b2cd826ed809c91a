package dev.roadsynth.core.spec;

import java.util.List;

/**
 * A settings file (a scene file, an augmentation pipeline) that cannot be used. Carries every problem found, each
 * a line of the form {@code file:line:column: field.path: what is wrong; what is allowed}. Subclasses name the
 * kind of file.
 */
public class SpecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public SpecException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public SpecException(List<String> problems, Throwable cause) {
        super(String.join("\n", problems), cause);
        this.problems = List.copyOf(problems);
    }

    /** Each problem, one line each. */
    public List<String> problems() {
        return problems;
    }
}
