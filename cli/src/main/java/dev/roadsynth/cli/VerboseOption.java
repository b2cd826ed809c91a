package dev.roadsynth.cli;

import picocli.CommandLine.Option;

/** {@code --verbose}, for every command that can fail with an error: {@link Main} prints stack traces with it. */
final class VerboseOption {
    @Option(names = "--verbose", description = "Print stack traces with errors.")
    boolean verbose;
}
