package dev.roadsynth.cli;

import dev.roadsynth.scenes.spec.SceneSpecs;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "validate", mixinStandardHelpOptions = true,
        header = "Check scene files or augmentation pipeline files.",
        description = {"Check scene files (or with --augment, augmentation pipeline files): every",
                "problem of every file, one line each as file:line:column: field: message."},
        footer = {"%nExit code 0 when all files are valid, 2 otherwise.",
                "%nExamples:%n  roadsynth validate examples/*.yaml",
                "  roadsynth validate --augment examples/augment/*.yaml"})
final class ValidateCommand implements Callable<Integer> {
    @Mixin
    VerboseOption verbose;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Scene files (YAML or JSON) or preset names.")
    List<String> files;

    @picocli.CommandLine.Option(names = "--augment", description = "The files are augmentation pipeline files (docs/augment.md).")
    boolean augment;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        int invalid = 0;
        for (String f : files) {
            try {
                if (augment) {
                    dev.roadsynth.augment.Pipelines.load(java.nio.file.Path.of(f));
                } else {
                    SceneSpecs.resolve(f);
                }
                spec.commandLine().getOut().println("ok: " + f);
            } catch (dev.roadsynth.core.spec.SpecException e) {
                invalid++;
                SpecFiles.withMixUp(e, f, augment, augment ? "check it without --augment"
                        : "check it with 'roadsynth validate --augment " + f + "'")
                        .forEach(spec.commandLine().getErr()::println);
            }
        }
        spec.commandLine().getOut().flush();
        spec.commandLine().getErr().flush();
        return invalid == 0 ? Main.EXIT_OK : Main.EXIT_USAGE;
    }
}
