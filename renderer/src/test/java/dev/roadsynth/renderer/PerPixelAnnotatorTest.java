package dev.roadsynth.renderer;

/**
 * {@link AnnotatorTest}'s analytic scenes (truncation by a half and a quarter among them) again, with the coverage
 * shader counting one atomic add per pixel ({@link WithRenderer#openPerPixel}).
 */
class PerPixelAnnotatorTest extends AnnotatorTest {
    @Override
    Renderer open() {
        return openPerPixel();
    }
}
