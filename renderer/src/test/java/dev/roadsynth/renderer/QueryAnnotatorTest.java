package dev.roadsynth.renderer;

/**
 * {@link AnnotatorTest}'s analytic scenes again (occlusion, truncation by a half and a quarter, boxes), with the
 * coverage passes counting pixels by occlusion queries instead of the shader's atomics
 * ({@code -Droadsynth.coverage=queries}): the canvas pass then draws each instance twice, first scissored to the
 * image, and two queries count the pixels inside and outside it.
 */
class QueryAnnotatorTest extends AnnotatorTest {
    @Override
    Renderer open() {
        return openCountingByQueries();
    }
}
