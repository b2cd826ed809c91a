package dev.roadsynth.cli;

import dev.roadsynth.core.batch.RunListener;
import dev.roadsynth.generate.Plan;
import dev.roadsynth.generate.ProcessSplit;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;

/**
 * {@code generate --processes P} as a command: starts the processes of a {@link ProcessSplit}, each this JVM's
 * {@code generate} with the options it was given but the split's own, and reports on them as one run: progress,
 * their lines once each, a signal's stop note, the failing process and its exit code, the summary.
 */
final class SplitRun {
    private final ProcessSplit split;
    private final Plan plan;
    private final int processes;
    private final boolean quiet;
    private final CommandLine commandLine;

    /** @param commandLine {@code generate}'s, parsed: its options are the processes', its writers this run's */
    SplitRun(ProcessSplit split, Plan plan, int processes, boolean quiet, CommandLine commandLine) {
        this.split = split;
        this.plan = plan;
        this.processes = processes;
        this.quiet = quiet;
        this.commandLine = commandLine;
    }

    /**
     * Runs the split, each process a {@code roadsynth generate} of this command's options but the split's own,
     * quiet, with {@code each} writer threads; what they print passes through, each line once (the device each
     * renders with; errors and notes), progress and the summary are this process's. Returns the exit code.
     */
    int run(int each) throws IOException {
        var console = commandLine.getOut();
        var err = commandLine.getErr();
        List<String> jvm = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
        long start = System.nanoTime();
        long[] total = {-1}; // the run's samples, once the processes make them (-1 before: nothing to say)
        ProcessSplit.Outcome outcome;
        Thread hook = ClosesOnExit.onSignal("roadsynth-stop-processes", () -> {
            try {
                long done = split.stopAndWait();
                if (!quiet && total[0] >= 0) { // as one process, which says nothing before it begins committing
                    StopNote.say(err, done, total[0], "samples");
                }
            } catch (IOException e) {
                // the processes were told to stop; the rerun counts what they left
            }
        });
        // The processes are quiet: what one process would say before it starts is said here, and what they say
        // anyway (errors, notes about the machine) once for them all.
        Set<String> said = new java.util.HashSet<>();
        try (RunProgress shown = new RunProgress(err, quiet, "samples", "samples")) {
            plan.caveats().forEach(shown::caveat);
            ProcessJvmOptions.of(jvm, 0).notes().forEach(shown::caveat);
            outcome = split.run(new ProcessSplit.Command() {
                @Override
                public List<String> of(int process, Path part, String shard) {
                    List<String> cmd = childCommand(ProcessJvmOptions.of(jvm, process).options());
                    cmd.addAll(List.of("--out", part.toString(), "--shard", shard, "--threads", Integer.toString(each),
                            "--quiet", "--parent-pid", Long.toString(ProcessHandle.current().pid())));
                    return cmd;
                }

                @Override
                public Set<String> unset() {
                    return ProcessJvmOptions.VARIABLES; // their options are among jvm, made each process's own
                }
            }, new RunListener() {
                @Override
                public void making(long done, long toMake) {
                    total[0] = done + toMake;
                    shown.making(done, toMake);
                }

                @Override
                public void committed() {
                    shown.committed();
                }
            }, line -> {
                if (!quiet) { // what device each renders with
                    once(said, line, console);
                }
            }, line -> once(said, line, err));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the processes ran", e);
        } finally {
            ClosesOnExit.remove(hook);
        }
        if (outcome.failedProcess() >= 0) {
            // Its own error line came through above; the others stopped after their samples in flight.
            err.println("roadsynth: process " + outcome.failedProcess() + " of " + processes + " (" + split.part(
                    outcome.failedProcess()) + ") exited with code " + outcome.exitCode() + "; the others stopped;"
                    + " samples completed so far are intact, rerun the same command to resume");
            err.flush();
            return outcome.exitCode() == Main.EXIT_USAGE || outcome.exitCode() == Main.EXIT_NO_RENDERER
                    ? outcome.exitCode() : Main.EXIT_FAILURE;
        }
        if (outcome.stopped()) {
            return Main.EXIT_FAILURE; // a signal's: the JVM exits with the signal's status
        }
        double secs = (System.nanoTime() - start) / 1e9;
        if (!quiet) {
            console.printf("wrote %d %s to %s in %.1f s (%.1f samples/s) with %d processes%s%n", outcome.made(),
                    outcome.made() == 1 ? "sample" : "samples", plan.out(), secs, outcome.made() / secs, processes,
                    GenerateCommand.doneBefore(outcome.doneBefore()));
        }
        return Main.EXIT_OK;
    }

    /** Prints {@code line} to {@code to} unless a process of the split has said it already. */
    private static void once(Set<String> said, String line, java.io.PrintWriter to) {
        synchronized (said) {
            if (said.add(line)) {
                to.println(line);
                to.flush();
            }
        }
    }

    /**
     * The command that makes this run in another JVM: the same Java and class path, the JVM options {@code jvm}
     * (this JVM's for that process: {@link ProcessJvmOptions}), and this command's options as given, but those a
     * split sets for each process.
     */
    private List<String> childCommand(List<String> jvm) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvm);
        if (jvm.stream().noneMatch(a -> a.startsWith("--enable-native-access"))) {
            // What the jar's manifest grants a `java -jar` (LWJGL loads its natives), which a class path does not:
            // without it Java 24 and later warn, four lines a process.
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "generate"));
        Set<String> own = Set.of("--processes", "--out", "--shard", "--threads", "--quiet", "--timings", "--parent-pid");
        var parsed = commandLine.getParseResult();
        for (var option : parsed.matchedOptions()) {
            if (own.contains(option.longestName())) {
                continue;
            }
            if (option.arity().max() == 0) {
                cmd.add(option.longestName());
            } else {
                for (String v : option.originalStringValues()) {
                    cmd.add(option.longestName());
                    cmd.add(v);
                }
            }
        }
        for (var positional : parsed.matchedPositionals()) {
            cmd.addAll(positional.originalStringValues());
        }
        return cmd;
    }

}
