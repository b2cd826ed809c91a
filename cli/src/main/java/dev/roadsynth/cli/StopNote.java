package dev.roadsynth.cli;

import dev.roadsynth.core.batch.CommitGate;
import java.io.PrintWriter;

/**
 * A resumable run's last words when a signal stops it (Ctrl-C; SIGTERM, as Kubernetes and Slurm send before they
 * kill): how many of its items are done and that the same command resumes. Without them the last line of a stopped
 * job's log is a progress line, which reads as if the job had hung.
 *
 * <p>The JVM runs its shutdown hooks while the run's threads go on, so the hook first closes the run's
 * {@link #gate} (every commit passes it: a sample's manifest line is what makes it done) and only then counts: the
 * figure it prints is exactly what the manifest lists. Before the run has begun committing ({@link CommitGate#begin})
 * there is nothing to count, and the hook says nothing. Closing the note (the run ended, well or with an error that
 * says its own words) removes the hook.
 *
 * <p>A run that holds a GPU context registers its renderer with the gate ({@link CommitGate#closeOnStop}): the hook
 * closes it before the note, waiting at most {@value ClosesOnExit#CLOSE_WAIT_MILLIS} ms
 * ({@link ClosesOnExit#closeWithin}), so that the process does not exit with a context current on a live render
 * thread (NVIDIA's EGL has aborted processes that exit with contexts left open: the renderer suite's JVM ended in
 * SIGABRT in session 15 when it left four). The run stops taking new work once the gate says it is stopped, which
 * lets the render loop end, and the renderer close, within that wait.
 */
final class StopNote implements AutoCloseable {
    private final CommitGate gate = new CommitGate();
    private final PrintWriter err;
    private final boolean quiet;
    private final String unit;
    private final Thread hook;

    /** @param unit what is counted, plural ("samples", "inputs") */
    StopNote(PrintWriter err, boolean quiet, String unit) {
        this.err = err;
        this.quiet = quiet;
        this.unit = unit;
        hook = ClosesOnExit.onSignal("roadsynth-stop-note", () -> stop(this::say, ClosesOnExit.CLOSE_WAIT_MILLIS));
    }

    /** Prints the note, unless quiet or the run has not begun committing. */
    void say() {
        if (!quiet && gate.begun()) {
            say(err, gate.done(), gate.total(), unit);
        }
    }

    /** The note itself: {@code done} of {@code total} {@code unit} done, and that the same command resumes. */
    static void say(PrintWriter err, long done, long total, String unit) {
        // A progress bar on a terminal is a line without its end: the note starts on a line of its own.
        err.print((Progress.stderrIsTerminal() ? System.lineSeparator() : "") + "roadsynth: stopped with " + done
                + " of " + total + " " + unit + " done; rerun the same command to resume" + System.lineSeparator());
        err.flush();
    }

    /** The gate the run's commits pass through, which the hook closes. */
    CommitGate gate() {
        return gate;
    }

    /**
     * What the hook does (for tests, without a signal): closes the gate, closes what the run registered with it
     * (waiting at most {@code waitMillis}), then runs {@code note}, which may read the gate's count: no commit
     * changes it any more.
     */
    void stop(Runnable note, long waitMillis) {
        AutoCloseable close = gate.stop();
        if (close != null) {
            ClosesOnExit.closeWithin(close, waitMillis);
        }
        note.run();
    }

    @Override
    public void close() {
        ClosesOnExit.remove(hook);
    }
}
