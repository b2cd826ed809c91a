package dev.roadsynth.renderer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Why {@code --gpu auto} ended on Mesa's software rasterizer on a machine that has a GPU: a sentence for the user,
 * since such a run is many times slower and otherwise says so only in its "rendering with" line. The usual cause
 * on a GPU box is NVIDIA's EGL library missing while the GPU and its kernel driver are there: a container started
 * without the "graphics" driver capability (the NVIDIA container toolkit mounts libEGL_nvidia only with it), or a
 * driver installed for CUDA alone. Nothing to say on a machine without a GPU.
 */
final class SoftwareFallback {
    private SoftwareFallback() {
    }

    /**
     * The note, or null when there is nothing to say.
     *
     * @param hardwareFailures why each hardware device EGL lists failed to give a context ("name: reason")
     * @param hidden           the hardware devices CUDA_VISIBLE_DEVICES hides from auto ({@link EglDevices#hidden})
     * @param nvidiaGpus       NVIDIA GPUs the kernel driver shows ({@link #nvidiaGpus})
     */
    static String note(List<String> hardwareFailures, List<String> hidden, int nvidiaGpus) {
        String software = "so rendering runs on Mesa's software rasterizer, many times slower";
        if (!hardwareFailures.isEmpty()) {
            return "no GPU gave an OpenGL context (" + String.join("; ", hardwareFailures) + "), " + software;
        }
        if (!hidden.isEmpty()) {
            return "every GPU is hidden (" + String.join("; ", hidden) + "), " + software;
        }
        if (nvidiaGpus > 0) {
            return "this machine has " + (nvidiaGpus == 1 ? "an NVIDIA GPU" : nvidiaGpus + " NVIDIA GPUs")
                    + " but EGL offers no device on it, " + software + ": NVIDIA's EGL library (libEGL_nvidia.so.0,"
                    + " in the driver's GL package, e.g. libnvidia-gl-VERSION) is missing; in a container,"
                    + " NVIDIA_DRIVER_CAPABILITIES must include graphics (or be all). 'roadsynth devices' lists what EGL"
                    + " offers; --gpu software says software rendering is meant";
        }
        return null;
    }

    /**
     * The NVIDIA GPUs the kernel driver shows under {@code root} ("/" on a real machine): the entries of
     * proc/driver/nvidia/gpus, or where that is absent (some containers), the device files dev/nvidia0, dev/nvidia1...
     */
    static int nvidiaGpus(Path root) {
        Path gpus = root.resolve("proc/driver/nvidia/gpus");
        try {
            if (Files.isDirectory(gpus)) {
                try (Stream<Path> s = Files.list(gpus)) {
                    return (int) s.count();
                }
            }
            Path dev = root.resolve("dev");
            if (Files.isDirectory(dev)) {
                try (Stream<Path> s = Files.list(dev)) {
                    return (int) s.filter(p -> p.getFileName().toString().matches("nvidia[0-9]+")).count();
                }
            }
        } catch (IOException | SecurityException e) {
            return 0; // unreadable: say nothing rather than guess
        }
        return 0;
    }
}
