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
                withMixUp(e, f, augment, augment ? "check it without --augment"
                        : "check it with 'roadsynth validate --augment " + f + "'")
                        .forEach(spec.commandLine().getErr()::println);
            }
        }
        spec.commandLine().getOut().flush();
        spec.commandLine().getErr().flush();
        return invalid == 0 ? Main.EXIT_OK : Main.EXIT_USAGE;
    }

    /**
     * Whether {@code f} is a valid augmentation pipeline file ({@code asPipeline}) or scene file: asked of a file
     * refused as the other kind, to tell a mix-up of the two.
     */
    static boolean isValid(String f, boolean asPipeline) {
        try {
            if (!asPipeline) {
                SceneSpecs.resolve(f);
            } else if (java.nio.file.Files.isRegularFile(java.nio.file.Path.of(f))) {
                dev.roadsynth.augment.Pipelines.load(java.nio.file.Path.of(f));
            } else {
                return false;
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * {@code e}'s problems with {@code f}, checked as a pipeline file ({@code checkedAsPipeline}) or scene file; or,
     * where {@code f} is a valid file of the other kind, one line saying so and then {@code otherwise} (where it goes)
     * instead of a line per key the wrong kind does not know.
     */
    static List<String> withMixUp(dev.roadsynth.core.spec.SpecException e, String f, boolean checkedAsPipeline,
                                  String otherwise) {
        if (isValid(f, !checkedAsPipeline)) {
            return List.of(f + ": " + (checkedAsPipeline ? "a scene file, not an augmentation pipeline file"
                    : "an augmentation pipeline file, not a scene file") + "; " + otherwise);
        }
        return e.problems();
    }
}
