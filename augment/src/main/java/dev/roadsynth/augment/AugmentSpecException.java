package dev.roadsynth.augment;

import dev.roadsynth.core.spec.SpecException;
import java.util.List;

/**
 * An augmentation pipeline file that cannot be used. Carries every problem found, each a line of the form
 * {@code file:line:column: field: what is wrong; what is allowed}.
 */
public class AugmentSpecException extends SpecException {
    private static final long serialVersionUID = 1L;

    public AugmentSpecException(List<String> problems) {
        super(problems);
    }

    public AugmentSpecException(List<String> problems, Throwable cause) {
        super(problems, cause);
    }
}
