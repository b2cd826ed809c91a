package dev.roadsynth.cli;

import dev.roadsynth.core.dataset.ShardMerge;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "merge", mixinStandardHelpOptions = true,
        header = "Join the outputs of the shards of one run into one dataset.",
        description = {"Join the outputs of all shards of one run (generate --shard K/N) into one",
                "dataset, identical to what the unsharded run writes: files, manifest (in",
                "sample order) and COCO JSON. Every shard must be complete and whole (each",
                "file its manifest lists there; hashed where the shard was copied in or",
                "made before a reboot); a merge that stopped halfway continues when rerun."},
        footer = {"%nExamples:%n  roadsynth merge --out dataset shard-0 shard-1 shard-2 shard-3",
                "  roadsynth merge --link --out /data/dataset /data/shard-*"})
final class MergeCommand implements Callable<Integer>, Resumes {
    @Mixin
    VerboseOption verbose;

    @Option(names = "--out", required = true, description = "The merged dataset's directory (new or empty).")
    Path out;

    @Parameters(paramLabel = "SHARD", arity = "1..*", description = "The shards' output directories.")
    List<Path> shards;

    @Option(names = "--link", description = {"Hard-link the shards' files into OUT instead of copying them (one file "
            + "system; the merged dataset then takes no more space). roadsynth never writes a file in place, so "
            + "neither the shards nor the merged dataset change the other."})
    boolean link;

    @Option(names = "--quiet", description = "No progress and no summary.")
    boolean quiet;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** A merge that stopped has changed no shard, and its output records what it merges (ShardMerge). */
    @Override
    public String kept() {
        return "; the shards are as they were, and the same merge, rerun, continues";
    }

    @Override
    public Integer call() throws IOException {
        ShardMerge merge = ShardMerge.of(shards);
        long start = System.nanoTime();
        ShardMerge.Outcome outcome;
        // Shards of a large run hold millions of files: say how far the copying got (stderr, as progress), or on a
        // rerun after it finished, the check of the merged files (one counter or the other is told).
        var err = spec.commandLine().getErr();
        try (Progress.Counter files = new Progress.Counter(err, quiet, link ? "linked " : "copied ", " files");
             Progress.Counter checked = new Progress.Counter(err, quiet, "checked the files of ", " samples")) {
            outcome = merge.into(out, link ? ShardMerge.Transfer.LINK : ShardMerge.Transfer.COPY, files, checked);
        } catch (ShardMerge.OutputInUse e) {
            throw new IllegalArgumentException("--out " + e.getMessage(), e);
        } catch (ShardMerge.CannotLink e) {
            throw new IllegalArgumentException("--link: " + e.getMessage() + " (without --link)", e);
        }
        if (outcome.alreadyMerged()) {
            long r = outcome.restored();
            spec.commandLine().getOut().println(out + " already holds this run, merged; " + (r == 0 ? "nothing to do"
                    : "restored " + r + (r == 1 ? " file" : " files") + " lost or changed since from the shards"));
            return Main.EXIT_OK;
        }
        noteRasterizers(outcome.drawnBy());
        if (!quiet) {
            spec.commandLine().getOut().printf("merged %d %s into %s%s in %.1f s%n", shards.size(),
                    shards.size() == 1 ? "shard" : "shards", out, link ? " (files linked)" : "",
                    (System.nanoTime() - start) / 1e9);
        }
        return Main.EXIT_OK;
    }

    /**
     * Says on stderr (even with --quiet: it bears on what the dataset is) when the shards' samples were drawn by
     * more than one rasterizer (manifest {@code renderer}; lines of versions before it name none): the merged
     * dataset is then not byte for byte what the unsharded run on any one of them gives (docs/formats.md).
     */
    private void noteRasterizers(Map<String, ShardMerge.Drawn> drawnBy) {
        if (drawnBy.size() > 1) {
            List<String> each = new ArrayList<>();
            drawnBy.forEach((renderer, d) -> each.add(renderer + " (" + d.samples() + (d.samples() == 1 ? " sample" : " samples")
                    + " in " + String.join(", ", d.shards()) + ")"));
            var err = spec.commandLine().getErr();
            err.println("roadsynth: note: the shards' samples were drawn by " + drawnBy.size() + " rasterizers: "
                    + String.join("; ", each) + "; where two surfaces lie too close to call, their labels may differ from"
                    + " what one run on any of them gives");
            err.flush();
        }
    }
}
