package dev.roadsynth.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Runs tasks on a pool of its own and hands their results, in the order the tasks were submitted, to one
 * committer on the submitting thread. At most two tasks per thread are in flight, so memory stays flat however
 * many are submitted; what is committed does not depend on the number of threads. Closing cancels whatever is
 * still in flight.
 *
 * @param <T> a task's result
 */
final class InOrder<T> implements AutoCloseable {
    /** Takes one result, in submission order; may write. */
    @FunctionalInterface
    interface Commit<T> {
        void accept(T result) throws IOException;
    }

    private final ExecutorService pool;
    private final int ahead;
    private final Commit<T> commit;
    private final ArrayDeque<Future<T>> inFlight = new ArrayDeque<>();
    /** Time the submitting thread spent waiting for results while too many were in flight. */
    private long waitedNanos;

    /** @param name the pool's thread name */
    InOrder(String name, int threads, Commit<T> commit) {
        this(name, threads, false, commit);
    }

    /**
     * @param name            the pool's thread name
     * @param besideRendering whether the pool's threads yield the CPU to a renderer's ({@link Pools#named(String, int,
     *                        boolean)})
     */
    InOrder(String name, int threads, boolean besideRendering, Commit<T> commit) {
        this.pool = Pools.named(name, threads, besideRendering);
        this.ahead = 2 * threads;
        this.commit = commit;
    }

    /** Submits a task, first committing the oldest results while too many are in flight. */
    void submit(Callable<T> task) {
        inFlight.add(pool.submit(task));
        while (inFlight.size() > ahead) {
            long t0 = System.nanoTime();
            T result = Pools.await(inFlight.poll());
            waitedNanos += System.nanoTime() - t0;
            commit(result);
        }
    }

    /**
     * How long {@link #submit} has waited for the pool, in nanoseconds: near zero when the pool keeps up with the
     * submitter, most of the submitter's time when the pool is the limit.
     */
    long waitedNanos() {
        return waitedNanos;
    }

    /** Commits every result still to come. */
    void finish() {
        while (!inFlight.isEmpty()) {
            commitOldest();
        }
    }

    private void commitOldest() {
        commit(Pools.await(inFlight.poll()));
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
