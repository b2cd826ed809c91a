package dev.roadsynth.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PaceTest {
    @Test
    void eachQuarterHasItsOwnRate() throws Exception {
        Pace pace = new Pace(8);
        for (int i = 0; i < 8; i++) {
            // The first quarter (two samples) slow, the rest quick: as a run whose start pays for the JIT.
            Thread.sleep(i < 2 ? 100 : 10);
            pace.committed();
        }
        double[] rates = Arrays.stream(pace.perQuarter().split(", ")).mapToDouble(Double::parseDouble).toArray();
        assertThat(rates).hasSize(4);
        // Two samples in at least 0.2 s: at most 10 samples/s; the others at least 0.02 s each way, well above.
        assertThat(rates[0]).isPositive().isLessThanOrEqualTo(10.0);
        for (int q = 1; q < 4; q++) {
            assertThat(rates[q]).as("quarter %d", q + 1).isGreaterThan(2 * rates[0]);
        }
    }

    @Test
    void eachQuarterHasItsOwnCpuPerSampleCollectionsAndCompiling() {
        long[] cpu = {0};
        long[] collections = {0};
        long[] gcMillis = {0};
        long[] compileMillis = {0};
        Pace pace = new Pace(8, () -> new ProcessUsage(cpu[0], collections[0], gcMillis[0], compileMillis[0]));
        // CPU milliseconds taken by each sample: the first quarter's two 30 and 10, then 6 each, the last two 4 and 5;
        // a collection of 7 ms with every third sample, 100 ms of compiling with the first, 10 with the fifth.
        long[] ms = {30, 10, 6, 6, 6, 6, 4, 5};
        for (int i = 0; i < ms.length; i++) {
            cpu[0] += ms[i] * 1_000_000;
            collections[0] += i % 3 == 0 ? 1 : 0;
            gcMillis[0] += i % 3 == 0 ? 7 : 0;
            compileMillis[0] += i == 0 ? 100 : i == 4 ? 10 : 0;
            pace.committed();
        }
        assertThat(pace.cpuPerQuarter()).isEqualTo("20.0, 6.0, 6.0, 4.5");
        assertThat(pace.collectorAndCompilerPerQuarter())
                .isEqualTo("collections 1 (7 ms), 1 (7 ms), 0 (0 ms), 1 (7 ms); compiling 100, 0, 10, 0 ms");
    }

    @Test
    void shortOrUnfinishedRunsHaveNoQuarters() {
        Pace three = new Pace(3);
        for (int i = 0; i < 3; i++) {
            three.committed();
        }
        assertThat(three.perQuarter()).isNull();
        assertThat(three.cpuPerQuarter()).isNull();
        assertThat(three.collectorAndCompilerPerQuarter()).isNull();
        Pace stopped = new Pace(10);
        for (int i = 0; i < 9; i++) {
            stopped.committed();
        }
        assertThat(stopped.perQuarter()).isNull();
        stopped.committed();
        assertThat(stopped.perQuarter()).matches("[0-9.]+, [0-9.]+, [0-9.]+, [0-9.]+");
    }
}
