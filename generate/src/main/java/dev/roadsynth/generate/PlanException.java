package dev.roadsynth.generate;

import java.util.Locale;

/**
 * A {@link Plan} that breaks a rule of generation: it names the plan's component at fault ({@link #component}) and
 * says what is wrong and what is allowed ({@link #detail}), so that a command can name its own option instead
 * ({@code --format: ...}). The message is the component's name, ": " and the detail ({@code formats: 'png' is not
 * one of ...}).
 */
public final class PlanException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The parts of a plan a rule can refuse. */
    public enum Component {
        SPECS, COUNT, ONLY, SHARD, FORMATS, SPLIT, AUGMENT;

        /** The component's name as {@link Plan} spells it ("formats"). */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Component component;
    private final String detail;

    PlanException(Component component, String detail) {
        this(component, detail, null);
    }

    PlanException(Component component, String detail, Throwable cause) {
        super(component.key() + ": " + detail, cause);
        this.component = component;
        this.detail = detail;
    }

    /** The plan's component at fault. */
    public Component component() {
        return component;
    }

    /** What is wrong with it, without the component's name. */
    public String detail() {
        return detail;
    }
}
