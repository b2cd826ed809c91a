package dev.roadsynth.renderer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CoverageTest}'s checks against the CPU reference again, with the pixels counted by occlusion queries
 * instead of the coverage shader's atomics ({@code -Droadsynth.coverage=queries}).
 */
class QueryCoverageTest extends CoverageTest {
    @Override
    Renderer open() {
        Renderer r = openWith(CoveragePasses.Counting.PROPERTY, "queries");
        assertThat(r.description()).contains(", coverage counted by occlusion queries");
        return r;
    }
}
