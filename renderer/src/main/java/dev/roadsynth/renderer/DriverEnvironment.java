package dev.roadsynth.renderer;

import static org.lwjgl.system.MemoryUtil.memAddress;
import static org.lwjgl.system.MemoryUtil.memUTF8;

import org.lwjgl.system.JNI;
import org.lwjgl.system.MemoryStack;

/**
 * Environment variables for the GPU driver, set inside this process before the driver is loaded (drivers read their
 * settings from the process's environment, which Java cannot change: here libc's {@code setenv} is called).
 *
 * <p>{@code -Droadsynth.glYield=NOTHING|USLEEP} sets {@code __GL_YIELD}, how NVIDIA's driver gives up the CPU while
 * it waits (for the GPU, for its own threads): by default with {@code sched_yield()}, after which a scheduler that has
 * the machine's other cores busy with writers may run another thread on the render thread's core for a slice
 * (milliseconds); {@code NOTHING} waits without yielding, {@code USLEEP} yields by {@code usleep(0)}. Session 25
 * found the render thread spending about 2 ms a frame in the driver beside the writers, against about 1 ms without
 * them. Unset, nothing is set; a value in the environment already (set by the user) is kept. Other drivers ignore the
 * variable.
 */
final class DriverEnvironment {
    static final String YIELD_PROPERTY = "roadsynth.glYield";
    static final String YIELD_VARIABLE = "__GL_YIELD";

    private DriverEnvironment() {
    }

    /**
     * The switch's value: "default" where it is unset, else NOTHING or USLEEP.
     *
     * @throws RenderException for any other value
     */
    static String yieldSetting() {
        return Gl.choice(YIELD_PROPERTY, "default", "NOTHING", "USLEEP");
    }

    /**
     * Sets the switches' variables where the environment does not already hold them; call before EGL loads the
     * driver. Returns how the description should say so ("" when nothing was asked for).
     */
    static String apply() {
        String yield = yieldSetting();
        if (yield.equals("default")) {
            return "";
        }
        String had = System.getenv(YIELD_VARIABLE);
        if (had != null) {
            return ", the driver's " + YIELD_VARIABLE + "=" + had + " from the environment";
        }
        setenv(YIELD_VARIABLE, yield);
        return ", the driver told " + YIELD_VARIABLE + "=" + yield;
    }

    /**
     * libc's {@code setenv(name, value, 0)}: sets the variable for native code in this process unless it is set
     * already ({@link System#getenv} keeps its own copy and does not see it).
     */
    static void setenv(String name, String value) {
        long setenv = Libc.function("setenv");
        if (setenv == 0L) {
            throw new RenderException("cannot find libc's setenv to set " + name + " for the driver");
        }
        try (MemoryStack stack = MemoryStack.stackPush()) {
            if (JNI.invokePPI(memAddress(stack.UTF8(name)), memAddress(stack.UTF8(value)), 0, setenv) != 0) {
                throw new RenderException("setenv(" + name + ", " + value + ") failed");
            }
        }
    }

    /** libc's {@code getenv}: what native code in this process sees (for tests), or null. */
    static String getenv(String name) {
        long getenv = Libc.function("getenv");
        try (MemoryStack stack = MemoryStack.stackPush()) {
            long v = JNI.invokePP(memAddress(stack.UTF8(name)), getenv);
            return v == 0L ? null : memUTF8(v);
        }
    }
}
