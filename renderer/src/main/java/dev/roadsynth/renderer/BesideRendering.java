package dev.roadsynth.renderer;

import org.lwjgl.system.JNI;
import org.lwjgl.system.Platform;
import org.lwjgl.system.linux.UNISTD;

/**
 * Scheduling for threads that work beside a renderer (encoders, writers): they yield the CPU to the render thread,
 * its packing and copy threads and the driver's own threads (llvmpipe's rasterizers, for one). Frames start on the
 * render thread; when every core is busy with encoding, each wake-up of the render thread (after a readback, say)
 * waits behind the encoders for a core, and the whole pipeline slows with it. Niced writer threads lose the CPU to
 * it at once, and still get every cycle it leaves: when they are the limit, the render thread blocks on its bounded
 * queue and leaves them the cores. (On the H100 box of session 8, writers reniced from outside to 4 or 5 took
 * `generate` from 145 to 151 up to 167 to 172 samples/s; docs/PERFORMANCE.md.)
 *
 * <p>Linux only, where the nice value belongs to each thread; elsewhere nothing changes.
 */
public final class BesideRendering {
    /** The nice value writer threads take by default, above the process's own: {@value}. */
    public static final int DEFAULT_NICE = 5;
    /** Overrides {@link #DEFAULT_NICE}: {@code -Droadsynth.writerNice=0} leaves writers at the process's priority. */
    public static final String NICE_PROPERTY = "roadsynth.writerNice";

    private static final int PRIO_PROCESS = 0;

    private BesideRendering() {
    }

    /** The increment {@link #yieldToRendering()} applies: the system property's, else {@link #DEFAULT_NICE}. */
    public static int niceIncrement() {
        String v = System.getProperty(NICE_PROPERTY);
        if (v == null) {
            return DEFAULT_NICE;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 0 && n <= 19) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("-D" + NICE_PROPERTY + "=" + v + ": expected a nice increment 0..19");
    }

    /**
     * Sets the calling thread's nice value to the process's (its main thread's) plus {@link #niceIncrement()}, at
     * most 19 (Linux {@code setpriority} on the thread, which any user may do to make their own threads nicer; new
     * threads it starts inherit it). Relative to the process, not to the thread, so that a thread that calls it
     * twice, or one started by a thread that did, ends at the same value.
     *
     * @return whether the calling thread's nice value changed
     */
    public static boolean yieldToRendering() {
        int increment = niceIncrement();
        if (increment == 0 || Platform.get() != Platform.LINUX) {
            return false;
        }
        if (Priority.GET == 0 || Priority.SET == 0) {
            return false;
        }
        // Linux takes "who" 0 with PRIO_PROCESS as the calling thread, and the process id as its main thread.
        int now = JNI.invokeI(PRIO_PROCESS, 0, Priority.GET);
        int process = JNI.invokeI(PRIO_PROCESS, UNISTD.getpid(), Priority.GET);
        int wanted = Math.min(19, process + increment);
        return wanted != now && JNI.invokeI(PRIO_PROCESS, 0, wanted, Priority.SET) == 0;
    }

    /** The C library's priority functions, looked up once (0 where missing). */
    private static final class Priority {
        static final long GET = Libc.function("getpriority");
        static final long SET = Libc.function("setpriority");
    }
}
