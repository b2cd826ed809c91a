package dev.roadsynth.cli;

import java.io.PrintWriter;

/**
 * Progress of a run for people: on a terminal a bar redrawn in place with throughput and time left; otherwise a
 * plain line every {@code period} seconds; nothing when quiet. Commands write it to stderr, as tqdm does, so that
 * their stdout (the summary; {@code stats}' table) can be redirected without it.
 */
final class Progress {
    private final PrintWriter out;
    private final boolean terminal;
    private final boolean quiet;
    private final long total;
    private final long start = System.nanoTime();
    private long lastPrint;
    private long done;
    private final String unit;

    Progress(PrintWriter out, long total, boolean quiet) {
        this(out, total, quiet, "samples");
    }

    /** @param unit what is counted, plural ("samples", "inputs") */
    Progress(PrintWriter out, long total, boolean quiet, String unit) {
        this.unit = unit;
        this.out = out;
        this.total = total;
        this.quiet = quiet;
        this.terminal = stderrIsTerminal();
    }

    /**
     * Whether stderr, where commands write progress, is a terminal: a bar redrawn five times a second belongs on a
     * screen, not in a file that only stderr was redirected to. Linux tells through /proc; elsewhere Java's
     * console (stdin and stdout) has to answer.
     */
    static boolean stderrIsTerminal() {
        try {
            String target = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    /** Nanoseconds between progress lines: redrawn five times a second on a terminal, a line every 10 s elsewhere. */
    private static long period(boolean terminal) {
        return terminal ? 200_000_000L : 10_000_000_000L;
    }

    synchronized void step() {
        done++;
        long now = System.nanoTime();
        if (quiet || (now - lastPrint < period(terminal) && done < total)) {
            return;
        }
        lastPrint = now;
        double secs = (now - start) / 1e9;
        double rate = done / Math.max(secs, 1e-9);
        long left = Math.round((total - done) / Math.max(rate, 1e-9));
        String eta = String.format("%d:%02d:%02d", left / 3600, (left / 60) % 60, left % 60);
        if (terminal) {
            int width = 30;
            int filled = (int) (width * done / Math.max(1, total));
            out.printf("\r[%s%s] %d/%d  %.1f %s/s  %s left ", "#".repeat(filled), " ".repeat(width - filled),
                    done, total, rate, unit, eta);
            if (done >= total) {
                out.println();
            }
        } else {
            out.printf("%d/%d %s, %.1f %s/s, %s left%n", done, total, unit, rate, unit, eta);
        }
        out.flush();
    }

    /**
     * Progress of work whose amount is not known ahead, such as checking the samples an earlier run wrote before a
     * rerun goes on (hashing every file: minutes for a large run): {@link #accept} takes the count so far, and after
     * the first second a line says it ("checked 40960 samples an earlier run wrote"), redrawn on a terminal, every
     * 10 s otherwise, never when quiet. {@link #close} ends the line with the final count, if one was shown.
     */
    static final class Counter implements java.util.function.LongConsumer, AutoCloseable {
        private final PrintWriter out;
        private final boolean quiet;
        private final boolean terminal = stderrIsTerminal();
        private final String before;
        private final String after;
        private final long start = System.nanoTime();
        private long lastPrint;
        private long count;
        private boolean shown;
        private long shownCount;

        /** Lines read {@code before + count + after}. */
        Counter(PrintWriter out, boolean quiet, String before, String after) {
            this.out = out;
            this.quiet = quiet;
            this.before = before;
            this.after = after;
        }

        @Override
        public synchronized void accept(long countSoFar) {
            count = countSoFar;
            long now = System.nanoTime();
            if (quiet || now - start < 1_000_000_000L || now - lastPrint < period(terminal)) {
                return;
            }
            lastPrint = now;
            shown = true;
            shownCount = count;
            out.print((terminal ? "\r" : "") + before + count + after + (terminal ? " " : System.lineSeparator()));
            out.flush();
        }

        @Override
        public synchronized void close() {
            // On a terminal the line is ended; elsewhere the final count is added unless it is the last line shown.
            if (shown && (terminal || count != shownCount)) {
                out.print((terminal ? "\r" : "") + before + count + after + System.lineSeparator());
                out.flush();
            }
        }
    }
}
