package dev.roadsynth.cli;

import dev.roadsynth.core.Frame;
import dev.roadsynth.core.Seeds;
import dev.roadsynth.core.io.AtomicFiles;
import dev.roadsynth.generate.Augmentation;
import dev.roadsynth.core.io.ContactSheet;
import dev.roadsynth.renderer.Renderer;
import dev.roadsynth.scenes.SceneGenerator;
import dev.roadsynth.scenes.spec.SceneSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "preview", mixinStandardHelpOptions = true,
        header = "Render a few samples of a scene into one contact sheet PNG.",
        description = {"Render a few samples of a scene file into one contact sheet PNG, a row per",
                "sample: RGB, class colours, instances, depth. For looking at what a scene file",
                "makes."},
        footer = {"%nExamples:%n  roadsynth preview examples/night-rain.yaml --samples 4 --out night.png",
                "  roadsynth preview highway --augment examples/augment/train.yaml --out aug.png"})
final class PreviewCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "SCENE", arity = "0..1", defaultValue = "urban-intersection",
            description = "A scene file or preset. Default: ${DEFAULT-VALUE}, as for generate.")
    String scene;

    @Option(names = "--samples", defaultValue = "4", description = "Rows, 1..64. Default: ${DEFAULT-VALUE}.")
    int samples;

    @Option(names = "--seed", defaultValue = "0", description = "Base seed, as for generate. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--size", defaultValue = "512x256", description = "Panel size WIDTHxHEIGHT. Default: ${DEFAULT-VALUE}.")
    String size;

    @Option(names = "--out", defaultValue = "preview.png", description = "Output PNG. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--augment", paramLabel = "FILE",
            description = "Show the samples augmented by this pipeline file, with the draws generate --augment makes for them.")
    Path augment;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (samples < 1 || samples > 64) {
            throw new IllegalArgumentException("--samples: " + samples + " is out of range 1..64");
        }
        // The sheet is always PNG (label colours must stay exact); a .jpg name would hold PNG bytes.
        if (!out.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
            throw new IllegalArgumentException("--out: " + out + " does not end in .png; the contact sheet is a PNG");
        }
        Size s = Size.parse("--size", size);
        SceneSpec sceneSpec = SpecFiles.scene(scene, "give it with --augment").withResolution(s.width(), s.height());
        // Read before rendering, so that a bad pipeline file is said at once.
        var pipeline = augment == null ? null
                : SpecFiles.pipeline(augment, "give it as the SCENE argument, not with --augment");
        List<Frame> frames = new ArrayList<>();
        try (Renderer renderer = Renderer.open(common.gpuSelection()); ClosesOnExit exit = new ClosesOnExit(renderer)) {
            renderer.renderAll(LongStream.range(0, samples)
                    .mapToObj(i -> SceneGenerator.generate(sceneSpec, Seeds.forSample(seed, i))).iterator(), frames::add);
        }
        if (pipeline != null) {
            // The same draw as generate --augment for sample i.
            for (int i = 0; i < frames.size(); i++) {
                Frame f = frames.get(i);
                var rng = Augmentation.draws(Seeds.forSample(seed, i));
                frames.set(i, dev.roadsynth.augment.Augmenter.apply(f,
                        pipeline.spec().sample(rng, f.width(), f.height()), pipeline.fillClass()));
            }
        }
        var sheet = ContactSheet.of(frames);
        AtomicFiles.write(out, o -> ImageIO.write(sheet, "png", o));
        spec.commandLine().getOut().println("wrote " + out + " (" + samples + (samples == 1 ? " sample of " : " samples of ") + sceneSpec.source() + ")");
        return Main.EXIT_OK;
    }
}
