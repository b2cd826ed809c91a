package dev.roadsynth.renderer;

/**
 * {@link CoverageTest}'s checks against the CPU reference again, with the pixels counted by occlusion queries
 * instead of the coverage shader's atomics ({@code -Droadsynth.coverage=queries}).
 */
class QueryCoverageTest extends CoverageTest {
    @Override
    Renderer open() {
        return openCountingByQueries();
    }
}
