package dev.roadsynth.renderer;

/**
 * Which EGL device renders: {@code auto} (the first hardware device that gives a context, tried in CUDA's order and
 * within {@code CUDA_VISIBLE_DEVICES} where NVIDIA's driver says which CUDA device each is; else Mesa's software
 * rasterizer), a device index as listed by EGL's device enumeration, or {@code software} (Mesa's llvmpipe).
 *
 * @param mode  how to choose
 * @param index the device index when {@code mode == INDEX}, else -1
 */
public record GpuSelection(Mode mode, int index) {
    public enum Mode { AUTO, INDEX, SOFTWARE }

    public static final GpuSelection AUTO = new GpuSelection(Mode.AUTO, -1);
    public static final GpuSelection SOFTWARE = new GpuSelection(Mode.SOFTWARE, -1);

    public GpuSelection {
        if ((mode == Mode.INDEX) != (index >= 0)) {
            throw new IllegalArgumentException("gpu selection: mode " + mode + " with index " + index);
        }
    }

    /**
     * Parses {@code auto}, {@code software} or a device index {@code N >= 0}.
     *
     * @throws IllegalArgumentException naming the value and what is allowed
     */
    public static GpuSelection parse(String s) {
        String v = s.trim().toLowerCase(java.util.Locale.ROOT);
        if (v.equals("auto")) {
            return AUTO;
        }
        if (v.equals("software") || v.equals("cpu")) {
            return SOFTWARE;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 0) {
                return new GpuSelection(Mode.INDEX, n);
            }
        } catch (NumberFormatException ignored) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("'" + s + "' is not valid; allowed: auto, software, or a device index 0, 1,"
                + " ...");
    }

    @Override
    public String toString() {
        return mode == Mode.INDEX ? Integer.toString(index) : mode.name().toLowerCase(java.util.Locale.ROOT);
    }
}
