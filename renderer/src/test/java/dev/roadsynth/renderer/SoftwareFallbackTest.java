package dev.roadsynth.renderer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SoftwareFallbackTest {
    /** NVIDIA GPUs are counted from the kernel driver's list, or from the device files where the list is absent. */
    @Test
    void nvidiaGpusAreCountedFromTheDriversListOrItsDeviceFiles(@TempDir Path root) throws Exception {
        assertThat(SoftwareFallback.nvidiaGpus(root)).isZero();
        Files.createDirectories(root.resolve("dev"));
        for (String f : List.of("nvidia0", "nvidia1", "nvidiactl", "nvidia-uvm", "dri")) {
            Files.createFile(root.resolve("dev").resolve(f));
        }
        assertThat(SoftwareFallback.nvidiaGpus(root)).isEqualTo(2);
        Path gpus = Files.createDirectories(root.resolve("proc/driver/nvidia/gpus"));
        Files.createDirectories(gpus.resolve("0000:1a:00.0"));
        assertThat(SoftwareFallback.nvidiaGpus(root)).as("the driver's list first").isEqualTo(1);
    }

    /**
     * Nothing to say without a GPU; otherwise the note names what went wrong: the GPUs' failures first, then
     * CUDA_VISIBLE_DEVICES hiding them, then an NVIDIA GPU that EGL does not offer at all (its library missing).
     */
    @Test
    void theNoteSaysWhyAGpuWentUnused() {
        assertThat(SoftwareFallback.note(List.of(), List.of(), 0)).isNull();
        assertThat(SoftwareFallback.note(List.of(), List.of(), 1)).startsWith("this machine has an NVIDIA GPU but EGL"
                + " offers no device on it, so rendering runs on Mesa's software rasterizer, many times slower:")
                .contains("libEGL_nvidia.so.0").contains("NVIDIA_DRIVER_CAPABILITIES must include graphics");
        assertThat(SoftwareFallback.note(List.of(), List.of(), 8)).startsWith("this machine has 8 NVIDIA GPUs");
        assertThat(SoftwareFallback.note(List.of(), List.of("EGL device 0: hidden by CUDA_VISIBLE_DEVICES=-1"), 1))
                .isEqualTo("every GPU is hidden (EGL device 0: hidden by CUDA_VISIBLE_DEVICES=-1), so rendering runs"
                        + " on Mesa's software rasterizer, many times slower");
        assertThat(SoftwareFallback.note(List.of("EGL device 0: eglInitialize failed, EGL error 0x3001"), List.of(), 1))
                .isEqualTo("no GPU gave an OpenGL context (EGL device 0: eglInitialize failed, EGL error 0x3001), so"
                        + " rendering runs on Mesa's software rasterizer, many times slower");
    }

    /**
     * Auto's context carries the note where it ended on a software rasterizer and an NVIDIA GPU is there (a machine
     * root with dev/nvidia0 stands in for one: on a machine without a GPU, EGL offers none, as when NVIDIA's EGL
     * library is missing), and none on this machine as it is, nor with --gpu software, which asks for it.
     */
    @Test
    void autoOnSoftwareBesideAnNvidiaGpuCarriesTheNote(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("dev"));
        Files.createFile(root.resolve("dev/nvidia0"));
        try (EglContext c = EglContext.create(GpuSelection.AUTO, EglContext.GL_VERSIONS, root)) {
            if (c.software()) {
                assertThat(c.softwareNote()).startsWith("this machine has an NVIDIA GPU but EGL offers no device on it");
            } else {
                assertThat(c.softwareNote()).as("a GPU renders").isNull();
            }
        }
        try (EglContext c = EglContext.create(GpuSelection.SOFTWARE, EglContext.GL_VERSIONS, root)) {
            assertThat(c.softwareNote()).isNull();
        }
        boolean nvidiaHere = SoftwareFallback.nvidiaGpus(Path.of("/")) > 0;
        try (ThreadedRenderer r = ThreadedRenderer.open(GpuSelection.AUTO)) {
            if (!(r.software() && nvidiaHere)) {
                assertThat(r.softwareNote()).isNull();
            } else {
                assertThat(r.softwareNote()).isNotNull();
            }
        }
    }
}
