package dev.roadsynth.renderer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;

/**
 * {@link CoverageTest}'s checks against the CPU reference again, with the pixels counted by occlusion queries
 * instead of the coverage shader's atomics ({@code -Droadsynth.coverage=queries}).
 */
class QueryCoverageTest extends CoverageTest {
    @BeforeAll
    static void openRenderer() {
        renderer = openWith(CoveragePasses.Counting.PROPERTY, "queries");
        assertThat(renderer.description()).contains(", coverage counted by occlusion queries");
    }

}
