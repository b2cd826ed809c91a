package dev.roadsynth.cli;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * A resumable run's last words when a signal stops it (Ctrl-C; SIGTERM, as Kubernetes and Slurm send before they
 * kill): how many of its items are done and that the same command resumes. Without them the last line of a stopped
 * job's log is a progress line, which reads as if the job had hung.
 *
 * <p>The JVM runs its shutdown hooks while the run's threads go on, so the hook first closes the gate every commit
 * passes through ({@link #commit}: a sample's manifest line is what makes it done) and only then counts: the figure
 * it prints is exactly what the manifest lists. A commit refused after that leaves its files unlisted, and the rerun
 * redoes that item, as after {@code kill -9}. Closing the note (the run ended, well or with an error that says
 * its own words) removes the hook.
 *
 * <p>A run that holds a GPU context registers its renderer with {@link #closeOnStop}: the hook closes it before the
 * note, waiting at most {@value ClosesOnExit#CLOSE_WAIT_MILLIS} ms ({@link ClosesOnExit#closeWithin}), so that the
 * process does not exit with a context current on a live render thread (NVIDIA's EGL has aborted processes that
 * exit with contexts left open: the renderer suite's JVM ended in SIGABRT in session 15 when it left four). The run
 * stops taking new work once {@link #stopped} says so, which lets the render loop end, and the renderer close, within
 * that wait.
 */
final class StopNote implements AutoCloseable {
    /** One commit: the writes that make items done; returns how many (an input skipped as unreadable is not). */
    interface Commit {
        int run() throws IOException;
    }

    private final Thread hook;
    private long done;
    private volatile boolean stopped;
    private AutoCloseable onStop;

    /**
     * @param done  items done before this run (an earlier run's), counted in {@code total}
     * @param total items the whole run makes
     * @param unit  what is counted, plural ("samples", "inputs")
     */
    StopNote(PrintWriter err, boolean quiet, long done, long total, String unit) {
        this.done = done;
        // A progress bar on a terminal is a line without its end: the note starts on a line of its own.
        String before = Progress.stderrIsTerminal() ? System.lineSeparator() : "";
        hook = ClosesOnExit.onSignal("roadsynth-stop-note", () -> stop(() -> {
            if (!quiet) {
                err.print(before + "roadsynth: stopped with " + done() + " of " + total + " " + unit
                        + " done; rerun the same command to resume" + System.lineSeparator());
                err.flush();
            }
        }, ClosesOnExit.CLOSE_WAIT_MILLIS));
    }

    /**
     * What the hook does (for tests, without a signal): refuses further commits, closes what {@link #closeOnStop}
     * registered (waiting at most {@code waitMillis}), then runs {@code note}, which may read {@link #done}: no
     * commit changes it any more.
     */
    void stop(Runnable note, long waitMillis) {
        AutoCloseable close;
        synchronized (this) {
            stopped = true;
            close = onStop;
        }
        if (close != null) {
            ClosesOnExit.closeWithin(close, waitMillis);
        }
        note.run();
    }

    /** Items done so far, this run's and earlier ones'; fixed once {@link #stopped}. */
    synchronized long done() {
        return done;
    }

    /** Whether the JVM is stopping: the run should take no new work, and nothing it commits counts any more. */
    boolean stopped() {
        return stopped;
    }

    /** Has the hook close {@code resource} (idempotently, on any thread) before the note; see the class comment. */
    synchronized void closeOnStop(AutoCloseable resource) {
        onStop = resource;
    }

    /** Runs {@code commit} and counts what it made done, unless the JVM is stopping: then it does nothing. */
    synchronized void commit(Commit commit) throws IOException {
        if (!stopped) {
            done += commit.run();
        }
    }

    @Override
    public void close() {
        ClosesOnExit.remove(hook);
    }
}
