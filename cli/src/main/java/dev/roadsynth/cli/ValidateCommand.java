package dev.roadsynth.cli;

import dev.roadsynth.core.dataset.DatasetCheck;
import dev.roadsynth.scenes.spec.SceneSpecs;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "validate", mixinStandardHelpOptions = true,
        header = "Check scene files, augmentation pipeline files or datasets.",
        description = {"Check scene files (or with --augment, augmentation pipeline files): every",
                "problem of every file, one line each as file:line:column: field: message.",
                "A directory is checked as a dataset that generate, merge or augment wrote: no",
                "run writing into it, every sample there, every file its manifest lists",
                "with the SHA-256 it records, COCO's JSON and KITTI's ImageSets whole and listing",
                "the manifest's samples, no file the manifest does not list in its folders, and",
                "pack's WebDataset shards whole and holding its samples. It writes nothing, but",
                "where a listed file is not whole it removes the record that would let a rerun in",
                "this boot take the files for whole (.roadsynth-written). Where a rerun of the",
                "command that made the dataset mends what it finds, it says that command; for a",
                "merged dataset whose shards are still there, also the merge's, which takes lost",
                "or changed files from them again."},
        footer = {"%nExit code 0 when all files and datasets are valid, 2 otherwise.",
                "%nExamples:%n  roadsynth validate examples/*.yaml",
                "  roadsynth validate --augment examples/augment/*.yaml",
                "  roadsynth validate out      # a dataset, e.g. after copying it"})
final class ValidateCommand implements Callable<Integer> {
    @Mixin
    VerboseOption verbose;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Scene files (YAML or JSON), preset names or "
            + "dataset directories.")
    List<String> files;

    @picocli.CommandLine.Option(names = "--quiet", description = "No progress while a dataset's files are hashed.")
    boolean quiet;

    @picocli.CommandLine.Option(names = "--augment", description = "The files are augmentation pipeline files (docs/augment.md).")
    boolean augment;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        int invalid = 0;
        for (String f : files) {
            if (SpecFiles.isFolder(f)) {
                invalid += dataset(java.nio.file.Path.of(f)) ? 0 : 1;
                continue;
            }
            try {
                if (augment) {
                    dev.roadsynth.augment.Pipelines.load(java.nio.file.Path.of(f));
                } else {
                    SceneSpecs.resolve(f);
                }
                spec.commandLine().getOut().println("ok: " + f);
            } catch (dev.roadsynth.core.spec.SpecException e) {
                invalid++;
                java.nio.file.Path file = java.nio.file.Path.of(f);
                if (java.util.List.of("manifest.jsonl", "run.json").contains(String.valueOf(file.getFileName()))
                        && java.nio.file.Files.isRegularFile(file.resolveSibling("manifest.jsonl"))) {
                    // A dataset's own file, not a scene file: every key would be "unknown".
                    spec.commandLine().getErr().println(f + ": a dataset's " + file.getFileName() + ", not a scene file;"
                            + " check the dataset with 'roadsynth validate " + (file.getParent() == null ? "."
                            : file.getParent()) + "'");
                    continue;
                }
                SpecFiles.withMixUp(e, f, augment, augment ? "check it without --augment"
                        : "check it with 'roadsynth validate --augment " + f + "'")
                        .forEach(spec.commandLine().getErr()::println);
            }
        }
        spec.commandLine().getOut().flush();
        spec.commandLine().getErr().flush();
        return invalid == 0 ? Main.EXIT_OK : Main.EXIT_USAGE;
    }

    /** Checks a dataset directory; says "ok" on stdout or each problem on stderr. Whether it is whole. */
    private boolean dataset(java.nio.file.Path dir) {
        java.io.PrintWriter err = spec.commandLine().getErr();
        DatasetCheck.Report r;
        try (Progress.Counter checked = new Progress.Counter(err, quiet, "checked ", " samples of " + dir)) {
            r = DatasetCheck.check(dir, checked);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return false;
        } catch (java.io.IOException e) {
            err.println(dir + ": cannot be read (" + e.getMessage() + ")");
            return false;
        }
        if (r.whole()) {
            spec.commandLine().getOut().println("ok: " + dir + " (" + r.samples() + " samples, " + r.files()
                    + " files as its manifest records them)");
            return true;
        }
        r.problems().forEach(p -> err.println(dir + ": " + p));
        if (r.more() > 0) {
            err.println(dir + ": and " + r.more() + " more problems");
        }
        if (r.redo() != null) {
            // The command last on its line, where it is copied from.
            String made = RecordedCommand.said(dir);
            err.println(dir + ": to mend it, rerun the command that made it (" + r.redo() + ")"
                    + (made == null ? "" : ": " + made));
            // Where it was merged from shards that are still there, their files are the same bytes: taken again
            // from them, nothing is rendered (on another machine's rasterizer, the rerun above would not match).
            String merge = r.alone() > 0 ? RecordedCommand.merged(dir) : null;
            if (merge != null) {
                err.println(dir + ": or rerun the merge that joined it, which takes those files from its shards again"
                        + " and renders nothing (where the shards are as they were): " + merge);
            }
        }
        return false;
    }
}
