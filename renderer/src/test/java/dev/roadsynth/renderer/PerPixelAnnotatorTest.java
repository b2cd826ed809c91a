package dev.roadsynth.renderer;

import org.junit.jupiter.api.BeforeAll;

/**
 * {@link AnnotatorTest}'s analytic scenes (truncation by a half and a quarter among them) again, with the coverage
 * shader counting one atomic add per pixel ({@link WithRenderer#openPerPixel}).
 */
class PerPixelAnnotatorTest extends AnnotatorTest {
    @BeforeAll
    static void openRenderer() {
        renderer = openPerPixel();
    }
}
