package dev.roadsynth.generate;

import java.lang.management.ManagementFactory;

/**
 * The process's CPU time (all its threads, the JVM's and the drivers' included), its garbage collectors' counts and
 * times, and the time its JIT compilers spent compiling (summed over their threads; 0 where the JVM does not say):
 * cumulative, or a difference of two ({@link #minus}). For the summaries of {@code bench} and {@code generate}, which
 * tell a machine whose cores are all busy from one whose threads wait, and a run's warm-up from its settled pace.
 */
public record ProcessUsage(long cpuNanos, long collections, long gcMillis, long compileMillis) {
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
        var jit = ManagementFactory.getCompilationMXBean();
        long compiling = jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
        return new ProcessUsage(cpu, n, ms, compiling);
    }

    /** The usage between {@code earlier} and this reading. */
    public ProcessUsage minus(ProcessUsage earlier) {
        return new ProcessUsage(cpuNanos - earlier.cpuNanos, collections - earlier.collections,
                gcMillis - earlier.gcMillis, compileMillis - earlier.compileMillis);
    }
}
