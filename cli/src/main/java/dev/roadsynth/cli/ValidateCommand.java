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
                e.problems().forEach(spec.commandLine().getErr()::println);
                if (isValid(f, !augment)) {
                    spec.commandLine().getErr().println(f + ": but it is a valid " + (augment
                            ? "scene file; check it as one without --augment" : "augmentation pipeline file; check it as"
                            + " one with 'roadsynth validate --augment " + f + "'"));
                }
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

    /** {@code e}'s problems, with a last line saying that {@code f} is a valid file of the other kind, if it is. */
    static List<String> withMixUp(dev.roadsynth.core.spec.SpecException e, String f, boolean checkedAsPipeline,
                                  String otherwise) {
        List<String> problems = new java.util.ArrayList<>(e.problems());
        if (isValid(f, !checkedAsPipeline)) {
            problems.add(f + ": but it is a valid " + (checkedAsPipeline ? "scene file" : "augmentation pipeline file")
                    + "; " + otherwise);
        }
        return problems;
    }
}
