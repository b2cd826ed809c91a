package dev.roadsynth.generate;

import java.lang.management.ManagementFactory;

/**
 * The process's CPU time (all its threads, the JVM's and the drivers' included) and its garbage collectors' counts
 * and times: cumulative, or a difference of two ({@link #minus}). For the summaries of {@code bench} and
 * {@code generate}, which tell a machine whose cores are all busy from one whose threads wait.
 */
public record ProcessUsage(long cpuNanos, long collections, long gcMillis) {
    /** The process's usage so far. */
    public static ProcessUsage now() {
        long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        long n = 0;
        long ms = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
            ms += Math.max(0, gc.getCollectionTime());
        }
        return new ProcessUsage(cpu, n, ms);
    }

    /** The usage between {@code earlier} and this reading. */
    public ProcessUsage minus(ProcessUsage earlier) {
        return new ProcessUsage(cpuNanos - earlier.cpuNanos, collections - earlier.collections,
                gcMillis - earlier.gcMillis);
    }
}
