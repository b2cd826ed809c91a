package dev.roadsynth.cli;

import dev.roadsynth.core.dataset.OutputLock;
import dev.roadsynth.core.dataset.RunState;
import dev.roadsynth.core.dataset.WebDatasetPacker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "pack", mixinStandardHelpOptions = true,
        header = "Pack a raw dataset into WebDataset-style tar shards.", description = {
        "Pack a finished dataset's raw arrays into WebDataset-style tar shards,",
        "DIR/webdataset/SPLIT-NNNNNN.tar: per sample ID.rgb.npy, ID.labelIds.npy,",
        "ID.instanceIds.npy, ID.depth.npy and ID.json (its manifest line). Needs the raw",
        "format among the dataset's formats; checks every array against the manifest.",
        "Run it after generate (or merge); packing again gives the same bytes."},
        footer = {"%nExample:%n  roadsynth generate --count 10000 --format raw,coco --out data",
                "  roadsynth pack data --samples-per-shard 1000"})
final class PackCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "A dataset written by generate or merge.")
    Path dir;

    @Option(names = "--samples-per-shard", defaultValue = "1000", description = "Samples per shard. Default: ${DEFAULT-VALUE}.")
    int samplesPerShard;

    @Option(names = "--quiet", description = "No progress and no summary.")
    boolean quiet;

    @Mixin
    VerboseOption verbose;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (samplesPerShard < 1 || samplesPerShard > 1_000_000) {
            throw new IllegalArgumentException("--samples-per-shard: " + samplesPerShard + " is out of range 1..1000000");
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + ": " + (Files.exists(dir) ? "not a directory" : "no such directory"));
        }
        List<WebDatasetPacker.Shard> shards;
        // The dataset's lock: a generate still writing into it would leave shards that lack its last samples.
        try (OutputLock lock = OutputLock.acquire(dir, " before packing")) {
            RunState.requireFinished(dir, "pack");
            try (Progress.Counter packed = new Progress.Counter(spec.commandLine().getErr(), quiet, "packed ",
                    " samples")) {
                shards = WebDatasetPacker.pack(dir, samplesPerShard, packed);
            }
        }
        long samples = shards.stream().mapToLong(WebDatasetPacker.Shard::samples).sum();
        if (!quiet) {
            spec.commandLine().getOut().println("wrote " + shards.size() + " shard(s) with " + samples + " samples to "
                    + dir.resolve("webdataset"));
            spec.commandLine().getOut().flush();
        }
        return Main.EXIT_OK;
    }
}
