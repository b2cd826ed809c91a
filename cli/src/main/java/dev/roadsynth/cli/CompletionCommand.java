package dev.roadsynth.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

@Command(name = "completion", mixinStandardHelpOptions = true,
        header = "Print a bash/zsh completion script for roadsynth.",
        description = {"Sourced in bash or zsh (the script loads zsh's bashcompinit itself), it",
                "completes commands, options and option values."},
        footer = {"%nExample:%n  source <(./roadsynth completion)"})
final class CompletionCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(AutoComplete.bash("roadsynth", spec.parent().commandLine()));
        spec.commandLine().getOut().flush();
        return Main.EXIT_OK;
    }
}
