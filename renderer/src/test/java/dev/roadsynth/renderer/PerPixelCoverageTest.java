package dev.roadsynth.renderer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link CoverageTest}'s checks against the CPU reference again, with the coverage shader counting one atomic add
 * per pixel, as on drivers without ARB_shader_ballot (this machine's llvmpipe counts per subgroup by default).
 */
class PerPixelCoverageTest extends CoverageTest {
    @BeforeAll
    static void openRenderer() {
        CoveragePasses.allowBallot = false;
        renderer = Renderer.open(GpuSelection.AUTO);
        assertThat(((ThreadedRenderer) renderer).coverageCounting()).isEqualTo("atomics per pixel");
    }

    @AfterAll
    static void allowBallotAgain() {
        CoveragePasses.allowBallot = true;
    }
}
