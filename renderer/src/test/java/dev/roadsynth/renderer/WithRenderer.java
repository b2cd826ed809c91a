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
    }
}
