package dev.roadsynth.generate;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The writer threads' CPU time by step of a sample (annotating, each writer, the manifest line), added up over a
 * benchmark's samples, so that an encode-only floor says where its CPU per sample goes on the machine it ran on.
 * Steps are named up front; {@link #lap} is safe from any thread.
 */
public final class StepTimes {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final Map<String, LongAdder> nanos = new LinkedHashMap<>();

    public StepTimes(Iterable<String> steps) {
        for (String s : steps) {
            nanos.put(s, new LongAdder());
        }
    }

    /** This thread's CPU time so far, in nanoseconds. */
    public static long threadCpu() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /**
     * Adds this thread's CPU time since {@code since} (a {@link #threadCpu} reading) to step {@code step} (one of
     * those named when made) and returns the reading now, the start of the next step.
     */
    public long lap(String step, long since) {
        long now = threadCpu();
        nanos.get(step).add(now - since);
        return now;
    }

    /** All steps' CPU per sample over {@code samples}, in milliseconds. */
    public double totalPerSample(long samples) {
        return nanos.values().stream().mapToLong(LongAdder::sum).sum() / 1e6 / samples;
    }

    /** Each step's CPU per sample over {@code samples}, in milliseconds, as "name 1.23" joined by ", ". */
    public String perSample(long samples) {
        StringBuilder b = new StringBuilder();
        nanos.forEach((step, n) -> b.append(b.length() == 0 ? "" : ", ")
                .append(String.format(java.util.Locale.ROOT, "%s %.2f", step, n.sum() / 1e6 / samples)));
        return b.toString();
    }
}
