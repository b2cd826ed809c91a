package dev.roadsynth.scenes;

import dev.roadsynth.core.spec.SpecException;
import java.util.List;

/**
 * A scene file that cannot be used. Carries every problem found, each a line of the form
 * {@code file:line:column: field.path: what is wrong; what is allowed}.
 */
public class SceneSpecException extends SpecException {
    private static final long serialVersionUID = 1L;

    public SceneSpecException(List<String> problems) {
        super(problems);
    }

    public SceneSpecException(List<String> problems, Throwable cause) {
        super(problems, cause);
    }
}
