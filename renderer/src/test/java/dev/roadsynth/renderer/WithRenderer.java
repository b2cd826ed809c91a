package dev.roadsynth.renderer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Test classes that share one renderer, opened before their first test and closed after their last. */
abstract class WithRenderer {
    protected static Renderer renderer;

    @BeforeAll
    static void openRenderer() {
        renderer = Renderer.open(GpuSelection.AUTO);
    }

    @AfterAll
    static void closeRenderer() {
        renderer.close();
        CoveragePasses.allowBallot = true; // as openPerPixel found it
    }

    /**
     * A renderer whose coverage shader counts one atomic add per pixel, as on drivers without ARB_shader_ballot (this
     * machine's llvmpipe counts per subgroup by default); {@link #closeRenderer} allows per-subgroup counting again.
     */
    static Renderer openPerPixel() {
        CoveragePasses.allowBallot = false;
        Renderer r = Renderer.open(GpuSelection.AUTO);
        org.assertj.core.api.Assertions.assertThat(((ThreadedRenderer) r).coverageCounting()).isEqualTo("atomics per pixel");
        return r;
    }

    /**
     * A renderer opened with system property {@code property} set to {@code value} (restored afterwards): for the
     * subclasses that run a test class's tests again through one of the renderer's alternative paths (docs/gpu.md).
     */
    static Renderer openWith(String property, String value) {
        return withProperty(property, value, () -> Renderer.open(GpuSelection.AUTO));
    }

    /**
     * What {@code open} returns, run with system property {@code property} set to {@code value} and then restored: the
     * renderer's switches are read when it is opened.
     */
    static <T> T withProperty(String property, String value, java.util.function.Supplier<T> open) {
        String before = System.getProperty(property);
        System.setProperty(property, value);
        try {
            return open.get();
        } finally {
            restore(property, before);
        }
    }

    /** Sets system property {@code property} back to {@code value}, or clears it where {@code value} is null. */
    static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }
}
