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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Cityscapes writer against the real client: torchvision's {@code datasets.Cityscapes} (Debian's
 * python3-torchvision) loads every sample, and its semantic target equals the renderer's label plane. Required in
 * CI (CI=true); elsewhere skipped, saying why, when torchvision is not installed.
 */
class TorchvisionCityscapesTest {
    /** Debian's interpreter, where apt installs python3-torchvision; another python3 on PATH may lack it. */
    private static final String PYTHON = java.nio.file.Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";

    private static boolean torchvisionAvailable() throws Exception {
        Process p = new ProcessBuilder(PYTHON, "-c", "import torchvision, numpy").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    @Test
    void torchvisionLoadsEverySampleAndItsSemanticTargetIsOurLabelPlane(@TempDir Path dir) throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        if (!torchvisionAvailable()) {
            assertThat(ci).as("python3-torchvision must be installed in CI (.ci/run installs it)").isFalse();
            Assumptions.abort("python3 with torchvision and numpy is not installed (apt-get install python3-torchvision)");
        }
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
        Process p = new ProcessBuilder(PYTHON, Path.of("src/test/python/check_cityscapes.py").toString(),
                root.toString(), planes.toString(), "val", Integer.toString(count)).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        int exit = p.waitFor();
        System.out.print(output);
        assertThat(exit).as(output).isZero();
        assertThat(output).contains(count + " passed, 0 failed");
    }
}
