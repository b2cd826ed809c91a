package dev.roadsynth.cli;

import dev.roadsynth.renderer.GpuSelection;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options shared by the commands that render. */
final class CommonOptions {
    @Option(names = "--gpu", paramLabel = "auto|N|software", defaultValue = "auto",
            description = "EGL device: auto (a GPU if one works, in CUDA's order and within CUDA_VISIBLE_DEVICES "
                    + "where the driver says which CUDA device each is; else Mesa's software rasterizer), a device "
                    + "index from 'roadsynth devices', or software. Default: ${DEFAULT-VALUE}.")
    String gpu;

    @Mixin
    VerboseOption verbose;

    GpuSelection gpuSelection() {
        try {
            return GpuSelection.parse(gpu);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--gpu: " + e.getMessage(), e);
        }
    }
}
