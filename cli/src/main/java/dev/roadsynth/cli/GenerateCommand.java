package dev.roadsynth.cli;

import dev.roadsynth.core.Frame;
import dev.roadsynth.core.Seeds;
import dev.roadsynth.core.io.AtomicFiles;
import dev.roadsynth.core.io.FrameFiles;
import dev.roadsynth.renderer.Renderer;
import dev.roadsynth.scenes.Scene;
import dev.roadsynth.scenes.StarterScene;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "generate", mixinStandardHelpOptions = true, description = "Render a dataset from the built-in default scene (a street built from boxes).",
        footer = {"%nOutput, per sample i (6 digits): frames/{i}_rgb.png, {i}_labelIds.png (Cityscapes ids),",
                "{i}_instanceIds.npy (uint32), {i}_depth.npy (float32 metres, 0 = none); manifest.jsonl, one line per sample.",
                "%nExample:%n  roadsynth generate --count 8 --out out --seed 1"})
final class GenerateCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--count", defaultValue = "8", description = "Number of samples. Default: ${DEFAULT-VALUE}.")
    int count;

    @Option(names = "--out", defaultValue = "out", description = "Output directory. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--seed", defaultValue = "0", description = "Base seed; sample i uses Seeds.forSample(seed, i). Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--size", defaultValue = "1024x512", description = "Image size WIDTHxHEIGHT. Default: ${DEFAULT-VALUE}.")
    String size;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (count < 1) {
            throw new IllegalArgumentException("--count: " + count + " must be at least 1");
        }
        Size s = Size.parse(size);
        var console = spec.commandLine().getOut();
        Path frames = out.resolve("frames");
        StringBuilder manifest = new StringBuilder();
        long start = System.nanoTime();
        try (Renderer renderer = Renderer.open(common.gpuSelection())) {
            console.println("rendering with " + renderer.description());
            Iterator<Scene> scenes = LongStream.range(0, count)
                    .mapToObj(i -> StarterScene.generate(Seeds.forSample(seed, i), s.width(), s.height())).iterator();
            long[] index = {0};
            renderer.renderAll(scenes, (Frame frame) -> {
                long i = index[0]++;
                String stem = String.format("%06d", i);
                List<Path> files = FrameFiles.write(frame, frames, stem);
                manifest.append(String.format("{\"id\": \"%s\", \"index\": %d, \"seed\": %d, \"scene\": \"builtin:starter\", "
                                + "\"width\": %d, \"height\": %d, \"version\": \"%s\", \"files\": [%s]}%n",
                        stem, i, Seeds.forSample(seed, i), s.width(), s.height(), Main.version(),
                        String.join(", ", files.stream().map(p -> "\"" + out.relativize(p) + "\"").toList())));
            });
        }
        try {
            AtomicFiles.write(out.resolve("manifest.jsonl"), o -> o.write(manifest.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        double secs = (System.nanoTime() - start) / 1e9;
        console.printf("wrote %d samples to %s in %.1f s (%.1f samples/s)%n", count, out, secs, count / secs);
        return Main.EXIT_OK;
    }
}
