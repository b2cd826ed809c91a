package dev.roadsynth.renderer;

/**
 * {@link CoverageTest}'s checks against the CPU reference again, with the coverage shader counting one atomic add
 * per pixel ({@link WithRenderer#openPerPixel}).
 */
class PerPixelCoverageTest extends CoverageTest {
    @Override
    Renderer open() {
        return openPerPixel();
    }
}
