package dev.roadsynth.cli;

import dev.roadsynth.renderer.Annotator;
import picocli.CommandLine.Option;

/** The annotation policy's options, for the commands that annotate (generate, and preview's --boxes). */
final class PolicyOptions {
    @Option(names = "--min-visible-pixels", defaultValue = "1",
            description = "COCO/KITTI: leave out objects with fewer visible pixels. Default: ${DEFAULT-VALUE}.")
    long minVisiblePixels;

    @Option(names = "--max-occlusion", defaultValue = "1.0",
            description = "COCO/KITTI: leave out objects more occluded than this fraction, 0..1. Default: ${DEFAULT-VALUE}.")
    double maxOcclusion;

    /**
     * The policy the options give (classes ignored in evaluation are left out too).
     *
     * @throws IllegalArgumentException naming the option whose value is out of range
     */
    Annotator.Policy policy() {
        // Checked here as well as in Policy, so that the message names the option the user typed.
        if (minVisiblePixels < 0) {
            throw new IllegalArgumentException("--min-visible-pixels: " + minVisiblePixels + " must be at least 0");
        }
        if (!(maxOcclusion >= 0 && maxOcclusion <= 1)) {
            throw new IllegalArgumentException("--max-occlusion: " + maxOcclusion + " is out of range 0..1");
        }
        return new Annotator.Policy(minVisiblePixels, maxOcclusion, true);
    }
}
