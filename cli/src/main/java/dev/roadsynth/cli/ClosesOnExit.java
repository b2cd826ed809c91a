package dev.roadsynth.cli;

/**
 * Closes a command's renderer when a signal (Ctrl-C, SIGTERM) stops the JVM, for commands that hold a GPU context
 * but keep nothing to resume ({@code bench}, {@code preview}; {@code generate}'s {@link StopNote} does the same
 * beside its note). The process must not exit with a context current on a live render thread: NVIDIA's EGL has
 * aborted processes that exit so (session 15). Closing the renderer ends a run under way at its next frame
 * ({@link dev.roadsynth.renderer.Renderer#close}). Closing this (the command ended) removes the hook.
 */
final class ClosesOnExit implements AutoCloseable {
    /** How long a hook waits for its resource to close before it lets the JVM exit anyway. */
    static final long CLOSE_WAIT_MILLIS = 10_000;

    private final Thread hook;

    ClosesOnExit(AutoCloseable resource) {
        hook = new Thread(() -> closeWithin(resource, CLOSE_WAIT_MILLIS), "roadsynth-exit-close");
        Runtime.getRuntime().addShutdownHook(hook);
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
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs or has run
        }
    }
}
