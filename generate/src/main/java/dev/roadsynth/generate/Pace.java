package dev.roadsynth.generate;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.function.IntToDoubleFunction;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * When a run's samples were committed, at its quarters: the rate of each quarter, so that a short benchmark run
 * shows how much of its figure the start took (the JIT compiler's warm-up: on 16 writer threads, every thread runs
 * uncompiled code until the compiler is done) and what the rate settled at; the process's CPU time per sample in
 * each quarter, which tells the CPU a settled run needs per sample (how many samples/s the machine's cores can carry)
 * from what the start cost; and what the collector and the JIT compilers took in each quarter, which tells what a
 * slow start is made of. Four readings of each clock, whatever the run's length. Called from one thread (the
 * committer).
 */
public final class Pace {
    private final long total;
    private final Supplier<ProcessUsage> usage;
    /** The start and the time of the commit ending each quarter (0 until then), nanoseconds. */
    private final long[] at = new long[5];
    /** The process's usage at the same moments. */
    private final ProcessUsage[] usageAt = new ProcessUsage[5];
    private long committed;

    /** A run of {@code total} samples, starting now, reading the process's usage. */
    public Pace(long total) {
        this(total, ProcessUsage::now);
    }

    /** A run of {@code total} samples, starting now; {@code usage} reads the process's CPU, collector and JIT time. */
    public Pace(long total, Supplier<ProcessUsage> usage) {
        this.total = total;
        this.usage = usage;
        at[0] = System.nanoTime();
        usageAt[0] = usage.get();
    }

    /** One more sample committed. */
    public void committed() {
        committed++;
        for (int q = 1; q <= 4; q++) {
            if (committed == end(q)) {
                at[q] = System.nanoTime();
                usageAt[q] = usage.get();
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
        return quarters(q -> String.format(Locale.ROOT, "%.1f", (end(q) - end(q - 1)) / ((at[q] - at[q - 1]) / 1e9)));
    }

    /** CPU milliseconds per sample in each quarter of the run, as {@link #perQuarter} gives rates. */
    public String cpuPerQuarter() {
        return perSampleEachQuarter(q -> quarter(q).cpuNanos() / 1e6);
    }

    /**
     * Collections and their milliseconds, then the JIT compilers' milliseconds, in each quarter of the run:
     * "collections 12 (140 ms), 5 (40 ms), ...; compiling 3400, 500, ... ms"; null as {@link #perQuarter}.
     */
    public String collectorAndCompilerPerQuarter() {
        String gc = quarters(q -> quarter(q).collections() + " (" + quarter(q).gcMillis() + " ms)");
        String jit = quarters(q -> Long.toString(quarter(q).compileMillis()));
        return gc == null ? null : "collections " + gc + "; compiling " + jit + " ms";
    }

    /** The process's usage in quarter {@code q}. */
    private ProcessUsage quarter(int q) {
        return usageAt[q].minus(usageAt[q - 1]);
    }

    private String perSampleEachQuarter(IntToDoubleFunction figure) {
        return quarters(q -> String.format(Locale.ROOT, "%.1f", figure.applyAsDouble(q) / (end(q) - end(q - 1))));
    }

    private String quarters(IntFunction<String> figure) {
        if (total < 4 || committed < total) {
            return null;
        }
        return Arrays.stream(new int[] {1, 2, 3, 4}).mapToObj(figure).collect(Collectors.joining(", "));
    }
}
