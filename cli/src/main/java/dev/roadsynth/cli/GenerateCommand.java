package dev.roadsynth.cli;

import dev.roadsynth.core.Frame;
import dev.roadsynth.core.Seeds;
import dev.roadsynth.core.io.AtomicFiles;
import dev.roadsynth.core.io.FrameFiles;
import dev.roadsynth.renderer.Renderer;
import dev.roadsynth.scenes.Scene;
import dev.roadsynth.scenes.SceneGenerator;
import dev.roadsynth.scenes.spec.SceneSpec;
import dev.roadsynth.scenes.spec.SceneSpecs;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "generate", mixinStandardHelpOptions = true, description = {
        "Render a dataset from scene files or presets (default: the urban-intersection preset).",
        "Sample i uses scene i mod (number of scenes) with seed Seeds.forSample(--seed, i)."},
        footer = {"%nOutput, per sample i (6 digits): frames/{i}_rgb.png, {i}_labelIds.png (Cityscapes ids),",
                "{i}_instanceIds.npy (uint32), {i}_depth.npy (float32 metres, 0 = none); manifest.jsonl, one line per sample.",
                "%nPresets: urban-intersection, suburban-street, highway (also as preset:NAME).",
                "%nExamples:%n  roadsynth generate --count 8 --out out --seed 1",
                "  roadsynth generate examples/rainy-junction.yaml suburban-street --count 100 --size 640x320"})
final class GenerateCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    CommonOptions common;

    @picocli.CommandLine.Parameters(paramLabel = "SCENE", arity = "0..*",
            description = "Scene files (YAML or JSON) or preset names.")
    List<String> scenes = List.of();

    @Option(names = "--count", defaultValue = "8", description = "Number of samples. Default: ${DEFAULT-VALUE}.")
    int count;

    @Option(names = "--out", defaultValue = "out", description = "Output directory. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--seed", defaultValue = "0", description = "Base seed; sample i uses Seeds.forSample(seed, i). Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--size", description = "Image size WIDTHxHEIGHT; overrides the scene files' camera size.")
    String size;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (count < 1) {
            throw new IllegalArgumentException("--count: " + count + " must be at least 1");
        }
        List<SceneSpec> specs = (scenes.isEmpty() ? List.of("urban-intersection") : scenes).stream()
                .map(SceneSpecs::resolve).toList();
        if (size != null) {
            Size s = Size.parse(size);
            specs = specs.stream().map(sp -> sp.withResolution(s.width(), s.height())).toList();
        }
        List<SceneSpec> specList = specs;
        var console = spec.commandLine().getOut();
        Path frames = out.resolve("frames");
        StringBuilder manifest = new StringBuilder();
        Map<Long, List<Map<String, Object>>> shortfalls = new java.util.concurrent.ConcurrentHashMap<>();
        long start = System.nanoTime();
        try (Renderer renderer = Renderer.open(common.gpuSelection())) {
            console.println("rendering with " + renderer.description());
            Iterator<Scene> drawn = LongStream.range(0, count).mapToObj(i -> {
                Scene sc = SceneGenerator.generate(specList.get((int) (i % specList.size())), Seeds.forSample(seed, i));
                // What the scene file asked for but did not fit, for the manifest.
                shortfalls.put(i, sc.shortfalls().stream().map(f -> Map.<String, Object>of("kind", f.kind(), "requested", f.requested(),
                        "placed", f.placed())).toList());
                return sc;
            }).iterator();
            long[] index = {0};
            renderer.renderAll(drawn, (Frame frame) -> {
                long i = index[0]++;
                String stem = String.format("%06d", i);
                List<Path> files = FrameFiles.write(frame, frames, stem);
                SceneSpec sp = specList.get((int) (i % specList.size()));
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("id", stem);
                line.put("index", i);
                line.put("seed", Seeds.forSample(seed, i));
                line.put("scene", sp.source());
                line.put("width", frame.width());
                line.put("height", frame.height());
                line.put("version", Main.version());
                line.put("shortfalls", shortfalls.get(i));
                line.put("files", files.stream().map(p -> out.relativize(p).toString()).toList());
                try {
                    manifest.append(JSON.writeValueAsString(line)).append('\n');
                } catch (JsonProcessingException e) {
                    throw new UncheckedIOException(e);
                }
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
