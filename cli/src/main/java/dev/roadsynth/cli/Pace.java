package dev.roadsynth.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * When a run's samples were committed, at its quarters: the rate of each quarter, so that a short benchmark run
 * shows how much of its figure the start took (the JIT compiler's warm-up: on 16 writer threads, every thread runs
 * uncompiled code until the compiler is done) and what the rate settled at. Four clock readings, whatever the run's
 * length. Called from one thread (the committer).
 */
final class Pace {
    private final long total;
    /** The start and the time of the commit ending each quarter (0 until then), nanoseconds. */
    private final long[] at = new long[5];
    private long committed;

    /** A run of {@code total} samples, starting now. */
    Pace(long total) {
        this.total = total;
        at[0] = System.nanoTime();
    }

    /** One more sample committed. */
    void committed() {
        committed++;
        for (int q = 1; q <= 4; q++) {
            if (committed == end(q)) {
                at[q] = System.nanoTime();
            }
        }
    }

    /** The number of samples committed by the end of quarter {@code q} (1 to 4). */
    private long end(int q) {
        return total * q / 4;
    }

    /**
     * Samples per second in each quarter of the run as "a, b, c, d", or null when the run was too short to have
     * four quarters or did not finish.
     */
    String perQuarter() {
        if (total < 4 || committed < total) {
            return null;
        }
        return Arrays.stream(new int[] {1, 2, 3, 4})
                .mapToObj(q -> String.format(Locale.ROOT, "%.1f", (end(q) - end(q - 1)) / ((at[q] - at[q - 1]) / 1e9)))
                .collect(Collectors.joining(", "));
    }
}
