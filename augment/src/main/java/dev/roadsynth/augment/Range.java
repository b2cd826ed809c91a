package dev.roadsynth.augment;

import java.util.SplittableRandom;

/**
 * A tunable augmentation parameter: applied with probability {@code probability}, and then drawn uniformly from
 * [min, max]; otherwise it takes its neutral value (no change).
 *
 * @param min         smallest value
 * @param max         largest value
 * @param probability chance of applying, 0..1
 */
public record Range(double min, double max, double probability) {
    public Range {
        if (!(min <= max) || !Double.isFinite(min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException("range [" + min + ", " + max + "] must be finite with min <= max");
        }
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability " + probability + " is out of range [0, 1]");
        }
    }

    /** Always the neutral value. */
    public static Range off(double neutral) {
        return new Range(neutral, neutral, 0);
    }

    /** Uniform on [min, max], always applied. */
    public static Range of(double min, double max) {
        return new Range(min, max, 1);
    }

    /** Draws in a fixed order (apply? then value), so the same generator state gives the same value. */
    double sample(SplittableRandom rng, double neutral) {
        boolean apply = rng.nextDouble() < probability;
        double v = min == max ? min : rng.nextDouble(min, max);
        return apply ? v : neutral;
    }
}
