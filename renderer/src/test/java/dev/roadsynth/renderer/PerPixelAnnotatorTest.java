package dev.roadsynth.renderer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link AnnotatorTest}'s analytic scenes (truncation by a half and a quarter among them) again, with the coverage
 * shader counting one atomic add per pixel, as on drivers without ARB_shader_ballot.
 */
class PerPixelAnnotatorTest extends AnnotatorTest {
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
