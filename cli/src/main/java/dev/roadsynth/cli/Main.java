package dev.roadsynth.cli;

import dev.roadsynth.core.LabelSetException;
import dev.roadsynth.renderer.RenderException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * roadsynth's command line. Exit codes: 0 done; 2 bad usage or invalid input; 3 no usable rendering
 * environment; 1 anything else. Errors print as one line; the stack trace only with {@code --verbose}.
 */
@Command(name = "roadsynth", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Synthetic, exactly labelled training data for driving perception.",
        subcommands = {GenerateCommand.class, AugmentCommand.class, PackCommand.class, ValidateCommand.class, PreviewCommand.class, MergeCommand.class, StatsCommand.class, BenchCommand.class, CompletionCommand.class, DevicesCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_NO_RENDERER = 3;
    /** The command finished but skipped inputs it could not read (each named on stderr). */
    public static final int EXIT_SKIPPED = 4;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(commandLine(), args));
    }

    /**
     * Runs {@code cl}. An Error bypasses picocli's exception handler, so a JVM out of memory on the main thread is
     * put into one line here, as every other failure is.
     */
    static int execute(CommandLine cl, String[] args) {
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            var parsed = cl.getParseResult();
            var command = parsed == null ? null : parsed.subcommand();
            report(cl.getErr(), e, java.util.Arrays.asList(args).contains("--verbose"),
                    kept(command == null ? null : command.commandSpec().userObject()));
            return EXIT_FAILURE;
        }
    }

    /** What an I/O error of {@code command} ends with ({@link Resumes#kept}; nothing for other commands). */
    private static String kept(Object command) {
        return command instanceof Resumes r ? r.kept() : "";
    }

    /** A failure as one line on {@code err} (see {@link #describe}), after its stack trace with --verbose. */
    private static void report(PrintWriter err, Throwable e, boolean verbose, String kept) {
        if (verbose) {
            e.printStackTrace(err);
        }
        err.println("roadsynth: " + describe(e, kept));
        err.flush();
    }

    /** The configured command line, for main and for tests (which set their own out and err writers). */
    public static CommandLine commandLine() {
        return commandLine(ClosesOnExit::signalled);
    }

    /**
     * As {@link #commandLine()}, told by {@code signalled} whether a signal is stopping the JVM: a command's failure
     * is then not reported (it is what the signal's hook broke under the command, such as its renderer, closed; the
     * stop note, or nothing, stays the last word, and the exit status is the signal's).
     */
    static CommandLine commandLine(java.util.function.BooleanSupplier signalled) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (signalled.getAsBoolean()) {
                return EXIT_FAILURE;
            }
            boolean verbose = parsed.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"))
                    || parsed.hasMatchedOption("--verbose");
            report(cmd.getErr(), ex, verbose, kept(cmd.getCommand()));
            return exitCode(ex);
        });
        // Picocli's own parse errors (an unknown option, a value of the wrong type, a missing one) as one line too,
        // with its suggestions for a mistyped option, instead of the message followed by the whole usage help.
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            PrintWriter err = c.getErr();
            err.println("roadsynth: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("(see '" + c.getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return EXIT_USAGE;
        });
        return cl;
    }

    /**
     * One line for a failure: file-system errors name the path and the reason, and end with {@code kept} (what a
     * command that {@link Resumes} kept, and how to go on; empty for others).
     */
    static String describe(Throwable ex, String kept) {
        for (Throwable c = ex; c != null; c = c.getCause()) {
            if (c instanceof OutOfMemoryError) {
                return "out of memory (" + c.getMessage() + "; this JVM's heap limit is "
                        + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB): give it more with -Xmx, e.g."
                        + " ROADSYNTH_JAVA_OPTS=-Xmx8g ./roadsynth ..." + kept;
            }
        }
        Throwable t = ex instanceof java.io.UncheckedIOException u && u.getCause() != null ? u.getCause() : ex;
        if (t instanceof java.nio.file.FileAlreadyExistsException f) {
            return "cannot write " + f.getFile() + ": it exists and is not a directory";
        }
        if (t instanceof dev.roadsynth.core.io.FileErrors.WriteFailedException f) {
            return "cannot write " + f.getFile() + ": " + f.getReason() + kept;
        }
        if (t instanceof java.nio.file.NoSuchFileException f) {
            return f.getFile() + ": no such file" + kept;
        }
        if (t instanceof java.nio.file.AccessDeniedException f) {
            return f.getFile() + ": permission denied" + kept;
        }
        if (t instanceof java.nio.file.FileSystemException f) {
            return f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile()) + ": "
                    + dev.roadsynth.core.io.FileErrors.reason(f) + kept;
        }
        if (t instanceof java.io.IOException) {
            return "I/O error: " + t.getMessage() + kept;
        }
        if (ex instanceof dev.roadsynth.core.dataset.RunState.RunRefused r) {
            return ex.getMessage() + recordedCommand(r.dataset());
        }
        return ex.getMessage() == null ? ex.toString() : ex.getMessage();
    }

    /**
     * "; its run.json records roadsynth generate ...": the command that made the dataset in {@code dir}, which a
     * refusal about it asks to rerun (a mistyped option on a rerun; a shard made on another machine); empty where its
     * record does not say one.
     */
    private static String recordedCommand(java.nio.file.Path dir) {
        String made = RecordedCommand.said(dir);
        return made == null ? "" : "; its run.json records " + made;
    }

    static int exitCode(Throwable ex) {
        if (ex instanceof RenderException) {
            return EXIT_NO_RENDERER;
        }
        if (ex instanceof LabelSetException || ex instanceof IllegalArgumentException
                || ex instanceof dev.roadsynth.core.spec.SpecException) {
            return EXIT_USAGE;
        }
        return EXIT_FAILURE;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"roadsynth " + version()};
        }
    }

    /** The version from the jar manifest (VERSION+COMMIT, see below), or "dev" when run from classes. */
    public static String version() {
        return version(Main.class.getPackage().getImplementationVersion());
    }

    /**
     * The version a jar manifest's Implementation-Version {@code v} says: VERSION+COMMIT (git describe, ".dirty"
     * for a tree with changes); a build outside a git checkout leaves the property unreplaced, and then only VERSION
     * is known; "dev" without a manifest.
     */
    static String version(String v) {
        if (v == null) {
            return "dev";
        }
        int unknown = v.indexOf("+${");
        return unknown < 0 ? v : v.substring(0, unknown);
    }
}
