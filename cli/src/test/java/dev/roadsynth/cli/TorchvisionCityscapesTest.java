package dev.roadsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roadsynth.core.dataset.CityscapesWriter;
import dev.roadsynth.core.dataset.Sample;
import dev.roadsynth.core.io.AtomicFiles;
import dev.roadsynth.core.io.Npy;
import dev.roadsynth.core.io.PngEncoder;
import dev.roadsynth.renderer.GpuSelection;
import dev.roadsynth.renderer.Renderer;
import dev.roadsynth.scenes.SceneGenerator;
import dev.roadsynth.scenes.spec.SceneSpecs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Cityscapes writer against the real client: torchvision's {@code datasets.Cityscapes} (Debian's
 * python3-torchvision) loads every sample, and its semantic target equals the renderer's label plane. Required in
 * CI (CI=true); elsewhere skipped, saying why, when torchvision is not installed.
 */
class TorchvisionCityscapesTest {
    @Test
    void torchvisionLoadsEverySampleAndItsSemanticTargetIsOurLabelPlane(@TempDir Path dir) throws Exception {
        Python.require("python3-torchvision", "torchvision", "numpy");
        Path root = dir.resolve("cityscapes");
        Path planes = dir.resolve("planes");
        CityscapesWriter writer = new CityscapesWriter(root, "roadsynth", 0, PngEncoder.FAST);
        int count = 3;
        try (Renderer r = Renderer.open(GpuSelection.AUTO)) {
            for (int i = 0; i < count; i++) {
                var spec = SceneSpecs.preset(i == 1 ? "suburban-street" : "urban-intersection").withResolution(320, 160);
                var scene = SceneGenerator.generate(spec, 100 + i);
                var frame = r.render(scene);
                writer.write(new Sample(i, 100 + i, "val", frame, List.of(), new double[] {1, 1, 0, 0}, Map.of()));
                String id = String.format("%06d", i);
                AtomicFiles.write(planes.resolve(id + "_semantic.npy"), o -> Npy.writeUint32(o, 160, 320, frame.semantic().ids()));
                AtomicFiles.write(planes.resolve(id + "_instance.npy"), o -> Npy.writeUint32(o, 160, 320, frame.instance().ids()));
            }
        }
        // train is declared too, with no sample in it: finishing makes its folders, so the loader finds an empty
        // split rather than failing on a missing one.
        writer.finish(List.of("train", "val"));
        String output = Python.run("check_cityscapes.py", root.toString(), planes.toString(), "val", Integer.toString(count));
        System.out.print(output);
        assertThat(output).contains(count + " passed, 0 failed");
        String empty = Python.run("check_cityscapes.py", root.toString(), planes.toString(), "train", "0");
        assertThat(empty).contains("0 passed, 0 failed");
    }
}
