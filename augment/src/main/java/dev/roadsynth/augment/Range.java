package dev.roadsynth.augment;

import dev.roadsynth.core.spec.Dist;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A tunable augmentation parameter: applied with probability {@code probability}, and then drawn from its
 * distribution (uniform on [min, max] unless given another: a constant, a clamped normal or a weighted choice, as
 * in scene files); otherwise it takes its neutral value (no change).
 *
 * @param min          smallest value it can draw
 * @param max          largest value it can draw
 * @param probability  chance of applying, 0..1
 * @param distribution what it draws from, within [min, max]
 */
public record Range(double min, double max, double probability, Dist<Double> distribution) {
    public Range {
        if (!(min <= max) || !Double.isFinite(min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException("range [" + min + ", " + max + "] must be finite with min <= max");
        }
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability " + probability + " is out of range [0, 1]");
        }
        Objects.requireNonNull(distribution, "distribution");
        double[] b = bounds(distribution);
        if (b[0] != min || b[1] != max) {
            throw new IllegalArgumentException("range [" + min + ", " + max + "] does not match its distribution "
                    + distribution + " (bounds [" + b[0] + ", " + b[1] + "])");
        }
    }

    /** Uniform on [min, max], applied with the given probability. */
    public Range(double min, double max, double probability) {
        this(min, max, probability, new Dist.Uniform(min, max));
    }

    /** Any distribution over numbers, applied with the given probability; min and max are its bounds. */
    public static Range of(Dist<Double> distribution, double probability) {
        double[] b = bounds(distribution);
        return new Range(b[0], b[1], probability, distribution);
    }

    /** Always the neutral value. */
    public static Range off(double neutral) {
        return new Range(neutral, neutral, 0);
    }

    /** Uniform on [min, max], always applied. */
    public static Range of(double min, double max) {
        return new Range(min, max, 1);
    }

    /** The smallest and largest value a distribution over numbers can give. */
    private static double[] bounds(Dist<Double> d) {
        if (d instanceof Dist.Constant<Double> c) {
            return new double[] {c.value(), c.value()};
        }
        if (d instanceof Dist.Uniform u) {
            return new double[] {u.min(), u.max()};
        }
        if (d instanceof Dist.Normal n) {
            return new double[] {n.min(), n.max()};
        }
        if (d instanceof Dist.Choice<Double> c) {
            return new double[] {c.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                    c.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow()};
        }
        throw new IllegalArgumentException("not a distribution over numbers: " + d);
    }

    /**
     * Draws in a fixed order (apply? then value), so the same generator state gives the same value. A uniform
     * range draws exactly as it did before other distributions existed.
     */
    double sample(SplittableRandom rng, double neutral) {
        boolean apply = rng.nextDouble() < probability;
        double v = distribution.sample(rng);
        return apply ? v : neutral;
    }
}
