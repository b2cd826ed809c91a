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
 */
final class StopNote implements AutoCloseable {
    /** One commit: the writes that make items done; returns how many (an input skipped as unreadable is not). */
    interface Commit {
        int run() throws IOException;
    }

    private final Thread hook;
    private long done;
    private boolean stopped;

    /**
     * @param done  items done before this run (an earlier run's), counted in {@code total}
     * @param total items the whole run makes
     * @param unit  what is counted, plural ("samples", "inputs")
     */
    StopNote(PrintWriter err, boolean quiet, long done, long total, String unit) {
        this.done = done;
        // A progress bar on a terminal is a line without its end: the note starts on a line of its own.
        String before = Progress.stderrIsTerminal() ? System.lineSeparator() : "";
        hook = new Thread(() -> {
            long at;
            synchronized (this) {
                stopped = true;
                at = this.done;
            }
            if (!quiet) {
                err.print(before + "roadsynth: stopped with " + at + " of " + total + " " + unit
                        + " done; rerun the same command to resume" + System.lineSeparator());
                err.flush();
            }
        }, "roadsynth-stop-note");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Runs {@code commit} and counts what it made done, unless the JVM is stopping: then it does nothing. */
    synchronized void commit(Commit commit) throws IOException {
        if (!stopped) {
            done += commit.run();
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
