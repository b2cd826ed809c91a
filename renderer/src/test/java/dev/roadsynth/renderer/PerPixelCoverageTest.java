package dev.roadsynth.renderer;

import org.junit.jupiter.api.BeforeAll;

/**
 * {@link CoverageTest}'s checks against the CPU reference again, with the coverage shader counting one atomic add
 * per pixel ({@link WithRenderer#openPerPixel}).
 */
class PerPixelCoverageTest extends CoverageTest {
    @BeforeAll
    static void openRenderer() {
        renderer = openPerPixel();
    }
}
