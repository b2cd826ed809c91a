package dev.roadsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The command lines the documentation shows still parse: every {@code ./roadsynth ...} line in a code block of
 * the README and docs/, and every example line in a command's {@code --help}, continued lines joined. Parsing checks the options' names,
 * arities and values (sizes, formats, splits, shards) without running anything, so an option renamed or a value
 * syntax changed fails here rather than in a user's shell.
 */
class DocCommandsTest {
    @Test
    void everyCommandTheDocsShowParses() throws Exception {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> docs = Files.list(Path.of("..", "docs"))) {
            for (Path f : Stream.concat(Stream.of(Path.of("..", "README.md")),
                    docs.filter(p -> p.toString().endsWith(".md")).sorted()).toList()) {
                boolean code = false;
                List<String> text = Files.readAllLines(f);
                for (int i = 0; i < text.size(); i++) {
                    String t = text.get(i).trim();
                    if (t.startsWith("```")) {
                        code = !code;
                    } else if (code && t.startsWith("./roadsynth ")) {
                        int first = i;
                        while (t.endsWith("\\") && i + 1 < text.size()) {
                            t = t.substring(0, t.length() - 1) + " " + text.get(++i).trim(); // a continued line
                        }
                        lines.add(f.getFileName() + ":" + (first + 1) + ": " + t);
                    }
                }
            }
        }
        List<String> failures = new ArrayList<>();
        int parsed = 0;
        for (String where : lines) {
            String line = where.substring(where.indexOf(": ") + 2);
            String command = commandOf(line.substring("./roadsynth ".length()));
            if (command == null) {
                continue; // shell around it: a variable, a pipe, a loop
            }
            parsed++;
            String problem = parseProblem(command);
            if (problem != null) {
                failures.add(where + " -> " + problem);
            }
        }
        assertThat(failures).isEmpty();
        assertThat(parsed).as("command lines found in README.md and docs/").isGreaterThan(20);
    }

    @Test
    void everyExampleInTheHelpParses() {
        List<String> failures = new ArrayList<>();
        int parsed = 0;
        for (CommandLine sub : Main.commandLine().getSubcommands().values()) {
            StringWriter help = new StringWriter();
            sub.usage(new PrintWriter(help), CommandLine.Help.Ansi.OFF);
            String[] text = help.toString().split("\n");
            for (int i = 0; i < text.length; i++) {
                String t = text[i].trim();
                while (t.endsWith("\\") && i + 1 < text.length) {
                    t = t.substring(0, t.length() - 1) + " " + text[++i].trim(); // a continued line
                }
                if (!t.startsWith("roadsynth " + sub.getCommandName())) {
                    continue;
                }
                String command = commandOf(t.substring("roadsynth ".length()));
                if (command == null || t.contains("...") || t.matches(".*\\b[A-Z]{2,}\\b.*")) {
                    continue; // a synopsis with placeholders (IN OUT, FILE...), not an example
                }
                parsed++;
                String problem = parseProblem(command);
                if (problem != null) {
                    failures.add(sub.getCommandName() + " --help: " + t + " -> " + problem);
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(parsed).as("examples found in the commands' help").isGreaterThan(5);
    }

    /** The arguments of a one-line command, its trailing comment removed; null where the shell does more. */
    private static String commandOf(String line) {
        int comment = line.indexOf(" #");
        String c = (comment < 0 ? line : line.substring(0, comment)).trim();
        if (c.contains("$") || c.contains("|") || c.contains(";") || c.contains(")")) {
            return null;
        }
        return c;
    }

    private static String parseProblem(String command) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(new StringWriter()));
        try {
            cl.parseArgs(Arrays.stream(command.split("\\s+")).map(DocCommandsTest::unquoted).toArray(String[]::new));
            return null;
        } catch (CommandLine.ParameterException e) {
            return e.getMessage();
        }
    }

    private static String unquoted(String arg) {
        return arg.length() > 1 && (arg.startsWith("'") && arg.endsWith("'") || arg.startsWith("\"") && arg.endsWith("\""))
                ? arg.substring(1, arg.length() - 1) : arg;
    }
}
