package dev.roadsynth.renderer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CoverageTest}'s checks against the CPU reference again, with the coverage passes multi-drawn
 * ({@code -Droadsynth.coverageDraws=multi}): its 300 overlapping instances make ten multi-draws a pass, each pixel
 * counted once per instance through the mask image instead of the stencil.
 */
class MultiDrawCoverageTest extends CoverageTest {
    @Override
    Renderer open() {
        Renderer r = WithRenderer.openWith(CoveragePasses.Draws.PROPERTY, "multi");
        assertThat(r.description()).contains(", coverage multi-drawn");
        assertThat(((ThreadedRenderer) r).coverageCounting()).isEqualTo("atomics per subgroup, multi-drawn");
        return r;
    }
}
