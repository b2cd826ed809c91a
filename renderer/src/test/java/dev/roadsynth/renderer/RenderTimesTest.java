package dev.roadsynth.renderer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The render thread's phases by quarter of a run: each quarter's own frames, per frame. */
class RenderTimesTest {
    @Test
    void eachQuarterSaysItsOwnFramesPhases() throws Exception {
        RenderTimes times = new RenderTimes(8);
        times.start();
        for (int i = 0; i < 8; i++) {
            // The first quarter's two frames wait 30 ms each for scenes, the others 2 ms; every frame draws 1 ms.
            Thread.sleep(i < 2 ? 30 : 2);
            times.end(RenderTimes.Phase.SCENES);
            Thread.sleep(1);
            times.end(RenderTimes.Phase.DRAW);
            times.frameDone();
        }
        List<String> quarters = times.quarterSummaries();
        assertThat(quarters).hasSize(4);
        double[] waiting = new double[4];
        for (int q = 0; q < 4; q++) {
            assertThat(quarters.get(q)).startsWith("Q" + (q + 1) + " ").contains(" ms per frame: ");
            waiting[q] = Double.parseDouble(quarters.get(q).replaceAll(".*: ([0-9.]+) waiting for scenes.*", "$1"));
        }
        assertThat(waiting[0]).isGreaterThanOrEqualTo(30.0);
        for (int q = 1; q < 4; q++) {
            assertThat(waiting[q]).as("quarter %d", q + 1).isLessThan(waiting[0] / 2);
        }
        // Unknown length, or a run that did not hand on every frame it was to: no quarters.
        assertThat(new RenderTimes().quarterSummaries()).isEmpty();
        RenderTimes cut = new RenderTimes(8);
        cut.start();
        for (int i = 0; i < 7; i++) {
            cut.frameDone();
        }
        assertThat(cut.quarterSummaries()).isEmpty();
    }
}
