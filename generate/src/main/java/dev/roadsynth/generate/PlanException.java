package dev.roadsynth.generate;

/**
 * A {@link Plan} that breaks a rule of generation: it names the plan's component at fault
 * ({@link #component}: {@code "count"}, {@code "only"}, {@code "formats"}, {@code "specs"}, {@code "shard"},
 * {@code "augment"}, {@code "split"}) and says what is wrong and what is allowed ({@link #detail}), so that a
 * command can name its own option instead ({@code --format: ...}). The message is {@code component + ": " + detail}.
 */
public final class PlanException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String component;
    private final String detail;

    PlanException(String component, String detail) {
        this(component, detail, null);
    }

    PlanException(String component, String detail, Throwable cause) {
        super(component + ": " + detail, cause);
        this.component = component;
        this.detail = detail;
    }

    /** The name of the plan's component at fault, as {@link Plan} spells it. */
    public String component() {
        return component;
    }

    /** What is wrong with it, without the component's name. */
    public String detail() {
        return detail;
    }
}
