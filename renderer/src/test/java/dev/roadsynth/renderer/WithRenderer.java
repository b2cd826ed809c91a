package dev.roadsynth.renderer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Test classes that share one renderer, opened before their first test and closed after their last. A subclass that
 * runs the same tests through another path of the renderer overrides {@link #open}, not the lifecycle methods: a
 * static {@code @BeforeAll} of the same name in a subclass ran beside this one's, and the renderer this one had
 * opened was never closed (four contexts left open at the end of the suite; {@link ClosesItsContexts} now fails such
 * a class).
 * One test instance per class, so that the lifecycle methods can call the overridable {@link #open}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WithRenderer {
    protected static Renderer renderer;

    /** The renderer this class's tests use. */
    Renderer open() {
        return Renderer.open(GpuSelection.AUTO);
    }

    @BeforeAll
    void openRenderer() {
        renderer = open();
    }

    @AfterAll
    void closeRenderer() {
        renderer.close();
        renderer = null;
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
     * A renderer whose coverage passes count pixels by occlusion queries instead of the shader's atomics
     * ({@code -Droadsynth.coverage=queries}).
     */
    static Renderer openCountingByQueries() {
        Renderer r = openWith(CoveragePasses.Counting.PROPERTY, "queries");
        org.assertj.core.api.Assertions.assertThat(r.description()).contains(", coverage counted by occlusion queries");
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
