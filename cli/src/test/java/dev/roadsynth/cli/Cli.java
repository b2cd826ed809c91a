package dev.roadsynth.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the command line in-process, as a user would, capturing what it prints. */
final class Cli {
    private Cli() {
    }

    /** An exit code and everything printed on stdout and stderr. */
    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        return run(Main.commandLine(), args);
    }

    /** As {@link #run(String...)} on {@code cl}, a command line made by one of {@link Main}'s factories. */
    static Result run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
