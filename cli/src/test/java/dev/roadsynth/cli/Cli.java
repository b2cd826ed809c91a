package dev.roadsynth.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Runs the command line in-process, as a user would, capturing what it prints; or gives the command for another JVM. */
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

    /**
     * The command that runs roadsynth with {@code args} in another JVM: this JVM's java, {@code jvmOptions}, the class
     * path the tests run with.
     */
    static List<String> inAnotherJvm(List<String> jvmOptions, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        return cmd;
    }

    /** Copies the tree under {@code from} to {@code to}, as {@code cp -r} does: new files, new inodes. */
    static void copyTree(java.nio.file.Path from, java.nio.file.Path to) throws java.io.IOException {
        try (var files = java.nio.file.Files.walk(from)) {
            for (java.nio.file.Path f : files.toList()) {
                java.nio.file.Path target = to.resolve(from.relativize(f).toString());
                if (java.nio.file.Files.isDirectory(f)) {
                    java.nio.file.Files.createDirectories(target);
                } else {
                    java.nio.file.Files.copy(f, target);
                }
            }
        }
    }
}
