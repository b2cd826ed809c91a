package dev.roadsynth.core.batch;

import java.io.IOException;

/**
 * The gate every commit of a resumable run passes through (a commit writes what makes an item done: for a generated
 * sample, its manifest line), and that a stop closes: once {@link #stop} has run, no commit is made or counted, so
 * that {@link #done} is exactly what the manifest lists from then on, and the run takes no new work
 * ({@link #stopped}). A command closes it from a signal's shutdown hook while the run's threads go on; a commit
 * refused then leaves its files unlisted, and the rerun redoes that item, as after {@code kill -9}.
 *
 * <p>The run says how many items it makes ({@link #begin}), and registers the resource that must be closed before
 * the process exits ({@link #closeOnStop}: a renderer's GPU context), which {@link #stop} hands to the stopper.
 * Safe from any thread.
 */
public final class CommitGate {
    /** One commit: the writes that make items done; returns how many (an input skipped as unreadable is not). */
    @FunctionalInterface
    public interface Commit {
        int run() throws IOException;
    }

    private long done;
    private long total = -1;
    private volatile boolean stopped;
    private AutoCloseable onStop;

    /**
     * The run starts committing: {@code done} items were done before it (an earlier run's), of {@code total} that
     * the whole run makes.
     */
    public synchronized void begin(long done, long total) {
        this.done = done;
        this.total = total;
    }

    /** Whether {@link #begin} has been called: until then there is no count to tell. */
    public synchronized boolean begun() {
        return total >= 0;
    }

    /** Items done so far, the earlier runs' included; fixed once {@link #stopped}. */
    public synchronized long done() {
        return done;
    }

    /** Items the whole run makes, as {@link #begin} said; -1 before it. */
    public synchronized long total() {
        return total;
    }

    /** Whether the gate is closed: the run should take no new work, and nothing it commits counts any more. */
    public boolean stopped() {
        return stopped;
    }

    /** Registers {@code resource} for {@link #stop} to hand over (the latest registration wins). */
    public synchronized void closeOnStop(AutoCloseable resource) {
        onStop = resource;
    }

    /** Runs {@code commit} and counts what it made done, unless the gate is closed: then it does nothing. */
    public synchronized void commit(Commit commit) throws IOException {
        if (!stopped) {
            done += commit.run();
        }
    }

    /**
     * Closes the gate: no later commit runs. Waits for a commit under way to end (they hold the gate's lock).
     *
     * @return what {@link #closeOnStop} registered, for the caller to close (it may block: a renderer ends its
     *         frame first), or null
     */
    public synchronized AutoCloseable stop() {
        stopped = true;
        return onStop;
    }
}
