package dev.roadsynth.generate;

import dev.roadsynth.augment.Pipeline;
import dev.roadsynth.core.Seeds;
import java.util.SplittableRandom;

/**
 * Augmentation at generation time: the pipeline, and the file it came from with its hash (a changed file is
 * a different dataset, so a resume with it is refused).
 */
public record Augmentation(Pipeline pipeline, String file, String sha256) {
    /** Sample i's augmentation draws come from this stream of its seed, apart from the scene's draws. */
    private static final long STREAM = 0x61756720L; // "aug "

    /** The generator a sample with this seed draws its augmentation from (generate and preview alike). */
    public static SplittableRandom draws(long sampleSeed) {
        return new SplittableRandom(Seeds.forSample(sampleSeed, STREAM));
    }
}
