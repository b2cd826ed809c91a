package dev.roadsynth.cli;

import dev.roadsynth.augment.FolderRun;
import dev.roadsynth.generate.Generation;
import java.io.PrintWriter;

/**
 * What a resumable run ({@code generate}, {@code augment}) shows on stderr as it goes: the count of an earlier run's
 * outputs checked (a rerun of a large run hashes for minutes), then the progress of what it makes, and what the run
 * tells the user about the dataset (notes, inputs skipped) even when quiet; caveats about the options, only when not.
 */
final class RunProgress implements Generation.Listener, FolderRun.Listener, AutoCloseable {
    private final PrintWriter err;
    private final boolean quiet;
    private final String unit;
    private final Progress.Counter checking;
    private Progress progress;
    /** Where a process of a split says what it found done ({@code ProcessSplit.partLine}); null for other runs. */
    private PrintWriter part;

    /**
     * @param unit    what is made, plural ("samples", "inputs")
     * @param checked what checking counts, plural ("samples", "outputs")
     */
    RunProgress(PrintWriter err, boolean quiet, String unit, String checked) {
        this.err = err;
        this.quiet = quiet;
        this.unit = unit;
        this.checking = new Progress.Counter(err, quiet, "checked ", " " + checked + " an earlier run wrote");
    }

    @Override
    public void checking(long count) {
        checking.accept(count);
    }

    /** Has {@link #making} also say the counts to {@code out} as a process of a split does, for its parent. */
    RunProgress saysPartTo(PrintWriter out) {
        this.part = out;
        return this;
    }

    @Override
    public void making(long done, long toMake) {
        if (part != null) {
            part.println(dev.roadsynth.generate.ProcessSplit.partLine(done, toMake));
            part.flush();
        }
        checking.close();
        progress = new Progress(err, toMake, quiet, unit);
    }

    @Override
    public void committed() {
        progress.step();
    }

    @Override
    public void note(String sentence) {
        say("note: " + sentence);
    }

    @Override
    public void caveat(String sentence) {
        if (!quiet) {
            say("note: " + sentence);
        }
    }

    @Override
    public void skipped(String name, String why) {
        say(skippedLine(name, why));
    }

    /** The one line that reports an input left out, and why (without the "roadsynth: " that {@link #say} adds). */
    static String skippedLine(String name, String why) {
        return "skipped " + name + ": " + why;
    }

    private void say(String line) {
        err.println("roadsynth: " + line);
        err.flush();
    }

    @Override
    public void close() {
        checking.close(); // a run refused while checking still ends the count's line
    }
}
