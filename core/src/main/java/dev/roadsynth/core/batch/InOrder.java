package dev.roadsynth.core.batch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs tasks on a pool of its own and hands their results, in the order the tasks were submitted, to one
 * committer on the submitting thread. At most two tasks per thread are in flight, so memory stays flat however
 * many are submitted; what is committed does not depend on the number of threads. The pool's threads are daemons
 * (a failed job never holds the JVM's exit), and what a task throws reaches the submitter as itself (an unchecked
 * exception or error), or as an {@link UncheckedIOException} for an I/O error. Closing cancels whatever is still in
 * flight.
 *
 * @param <T> a task's result
 */
public final class InOrder<T> implements AutoCloseable {
    /** Takes one result, in submission order; may write. */
    @FunctionalInterface
    public interface Commit<T> {
        void accept(T result) throws IOException;
    }

    private final ExecutorService pool;
    private final int ahead;
    private final Commit<T> commit;
    private final ArrayDeque<Future<T>> inFlight = new ArrayDeque<>();
    /** Time the submitting thread spent waiting for results while too many were in flight. */
    private long waitedNanos;

    /** @param name the pool's thread name */
    public InOrder(String name, int threads, Commit<T> commit) {
        this(name, threads, () -> { }, commit);
    }

    /**
     * @param name    the pool's thread name
     * @param onStart run first on each of the pool's threads (e.g. to lower its priority beside a renderer's)
     */
    public InOrder(String name, int threads, Runnable onStart, Commit<T> commit) {
        requireThreads(threads);
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(() -> {
                onStart.run();
                r.run();
            }, name);
            t.setDaemon(true);
            return t;
        });
        this.ahead = 2 * threads;
        this.commit = commit;
    }

    /**
     * Refuses a thread count below 1, naming it.
     *
     * @throws IllegalArgumentException {@code threads: N must be at least 1}
     */
    public static void requireThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads: " + threads + " must be at least 1");
        }
    }

    /** Submits a task, first committing the oldest results while too many are in flight. */
    public void submit(Callable<T> task) {
        inFlight.add(pool.submit(task));
        while (inFlight.size() > ahead) {
            long t0 = System.nanoTime();
            T result = await(inFlight.poll());
            waitedNanos += System.nanoTime() - t0;
            commit(result);
        }
    }

    /**
     * How long {@link #submit} has waited for the pool, in nanoseconds: near zero when the pool keeps up with the
     * submitter, most of the submitter's time when the pool is the limit.
     */
    public long waitedNanos() {
        return waitedNanos;
    }

    /** Commits every result still to come. */
    public void finish() {
        while (!inFlight.isEmpty()) {
            commitOldest();
        }
    }

    private void commitOldest() {
        commit(await(inFlight.poll()));
    }

    private static <T> T await(Future<T> future) {
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

    private void commit(T result) {
        try {
            commit.accept(result);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        inFlight.forEach(f -> f.cancel(true));
        pool.shutdownNow();
    }
}
