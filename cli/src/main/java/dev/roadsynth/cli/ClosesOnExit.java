package dev.roadsynth.cli;

/**
 * Closes a command's renderer when a signal (Ctrl-C, SIGTERM) stops the JVM, for commands that hold a GPU context
 * but keep nothing to resume ({@code bench}, {@code preview}, {@code devices}; {@code generate}'s {@link StopNote}
 * does the same beside its note, through the same {@link #onSignal} hooks). The process must not exit with a context
 * current on a live render thread: NVIDIA's EGL has aborted processes that exit so (session 15). Closing the renderer
 * ends a run under way at its next frame ({@link dev.roadsynth.renderer.Renderer#close}). Closing this (the command
 * ended) removes the hook.
 */
final class ClosesOnExit implements AutoCloseable {
    /** How long a hook waits for its resource to close before it lets the JVM exit anyway. */
    static final long CLOSE_WAIT_MILLIS = 10_000;

    /** Set by an {@link #onSignal} hook as it starts (see {@link #signalled}). */
    private static volatile boolean signalled;

    private final Thread hook;

    ClosesOnExit(AutoCloseable resource) {
        hook = onSignal("roadsynth-exit-close", () -> closeWithin(resource, CLOSE_WAIT_MILLIS));
    }

    /**
     * Registers a shutdown hook, a thread named {@code name}, that first records that the JVM is stopping on a signal
     * ({@link #signalled}), then runs {@code action}; {@link #remove} takes it away when the command ends.
     */
    static Thread onSignal(String name, Runnable action) {
        Thread hook = new Thread(() -> {
            signalled = true;
            action.run();
        }, name);
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /** Removes a hook made by {@link #onSignal}; nothing if it runs or has run (the JVM is stopping). */
    static void remove(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs or has run
        }
    }

    /**
     * Whether a signal is stopping the JVM (one of the hooks has started). The command's own thread then fails
     * where the hook closed its renderer under it ("the renderer was closed while rendering"); {@link Main} says
     * nothing of that, so that the stop note (or nothing) stays the last word, and the exit status is the signal's.
     */
    static boolean signalled() {
        return signalled;
    }

    /**
     * Closes {@code resource} on a thread of its own and waits for it at most {@code waitMillis}: a hook must not hold
     * the JVM's exit for good. What the close throws is dropped: the process is ending, and no one is left to tell.
     */
    static void closeWithin(AutoCloseable resource, long waitMillis) {
        Thread closer = new Thread(() -> {
            try {
                resource.close();
            } catch (Exception | Error e) {
                // see above
            }
        }, "roadsynth-exit-closer");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(waitMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        remove(hook);
    }
}
