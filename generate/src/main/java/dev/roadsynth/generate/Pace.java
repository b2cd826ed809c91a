package dev.roadsynth.generate;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.IntToDoubleFunction;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * When a run's samples were committed, at its quarters: the rate of each quarter, so that a short benchmark run
 * shows how much of its figure the start took (the JIT compiler's warm-up: on 16 writer threads, every thread runs
 * uncompiled code until the compiler is done) and what the rate settled at; and the process's CPU time per sample
 * in each quarter, which tells the CPU a settled run needs per sample (how many samples/s the machine's cores can
 * carry) from what the start cost. Four readings of each clock, whatever the run's length. Called from one thread (the
 * committer).
 */
public final class Pace {
    private final long total;
    private final LongSupplier cpuClock;
    /** The start and the time of the commit ending each quarter (0 until then), nanoseconds. */
    private final long[] at = new long[5];
    /** The CPU clock's readings at the same moments. */
    private final long[] cpuAt = new long[5];
    private long committed;

    /** A run of {@code total} samples, starting now, with the process's CPU time as its CPU clock. */
    public Pace(long total) {
        this(total, () -> ProcessUsage.now().cpuNanos());
    }

    /** A run of {@code total} samples, starting now; {@code cpuClock} reads CPU time in nanoseconds. */
    public Pace(long total, LongSupplier cpuClock) {
        this.total = total;
        this.cpuClock = cpuClock;
        at[0] = System.nanoTime();
        cpuAt[0] = cpuClock.getAsLong();
    }

    /** One more sample committed. */
    public void committed() {
        committed++;
        for (int q = 1; q <= 4; q++) {
            if (committed == end(q)) {
                at[q] = System.nanoTime();
                cpuAt[q] = cpuClock.getAsLong();
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
    public String perQuarter() {
        return quarters(q -> (end(q) - end(q - 1)) / ((at[q] - at[q - 1]) / 1e9));
    }

    /** CPU milliseconds per sample in each quarter of the run, as {@link #perQuarter} gives rates. */
    public String cpuPerQuarter() {
        return quarters(q -> (cpuAt[q] - cpuAt[q - 1]) / 1e6 / (end(q) - end(q - 1)));
    }

    private String quarters(IntToDoubleFunction figure) {
        if (total < 4 || committed < total) {
            return null;
        }
        return Arrays.stream(new int[] {1, 2, 3, 4})
                .mapToObj(q -> String.format(Locale.ROOT, "%.1f", figure.applyAsDouble(q)))
                .collect(Collectors.joining(", "));
    }
}
