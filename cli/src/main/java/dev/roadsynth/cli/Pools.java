package dev.roadsynth.cli;

import dev.roadsynth.renderer.BesideRendering;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The worker pools of the batch commands: named daemon threads, and results taken back with their own errors. */
final class Pools {
    private Pools() {
    }

    /**
     * The worker count a {@code --threads} option asks for: all cores when it is not given.
     *
     * @throws IllegalArgumentException naming the option when the count is outside 1..256
     */
    static int threads(Integer requested) {
        int t = requested == null ? Runtime.getRuntime().availableProcessors() : requested;
        if (t < 1 || t > 256) {
            throw new IllegalArgumentException("--threads: " + t + " is out of range 1..256");
        }
        return t;
    }

    /** A fixed pool of daemon threads called {@code name} (so a failed job never hangs the JVM on exit). */
    static ExecutorService named(String name, int threads) {
        return named(name, threads, false);
    }

    /**
     * As {@link #named(String, int)}; with {@code besideRendering} its threads yield the CPU to a renderer's threads
     * ({@link BesideRendering}: a higher nice value, on Linux).
     */
    static ExecutorService named(String name, int threads, boolean besideRendering) {
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(besideRendering ? () -> {
                try {
                    BesideRendering.yieldToRendering();
                } catch (RuntimeException | LinkageError e) {
                    // the thread keeps the process's priority: slower beside a busy renderer, never wrong
                }
                r.run();
            } : r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The task's result; what the task threw comes out as itself (an unchecked exception), or as an
     * {@link UncheckedIOException} for an I/O error, so the CLI reports it as the task would have.
     */
    static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            if (e.getCause() instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
