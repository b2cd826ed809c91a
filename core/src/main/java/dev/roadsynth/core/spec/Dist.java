package dev.roadsynth.core.spec;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A scene file's value that may vary per scene: a constant or a distribution, drawn from the scene's seeded
 * generator. In a file:
 * <pre>
 * 3.5                                   # constant
 * {uniform: [3.0, 3.7]}                 # uniform on [a, b] (integers: a..b inclusive)
 * {normal: {mean: 1.7, std: 0.1, min: 1.4, max: 2.0}}   # normal, clamped to [min, max]
 * {choice: [1, 2, 3], weights: [1, 2, 1]}               # one of the values, weights optional
 * </pre>
 */
public sealed interface Dist<T> permits Dist.Constant, Dist.Uniform, Dist.UniformInt, Dist.Normal, Dist.Choice {

    T sample(SplittableRandom rng);

    /** Whether every draw is {@code value} (numbers compared by value: -0.0 is 0). */
    boolean always(T value);

    /** Equal as {@link #always} compares: numbers by value, anything else by {@code equals}. */
    private static boolean same(Object a, Object b) {
        return a instanceof Number x && b instanceof Number y ? x.doubleValue() == y.doubleValue() : Objects.equals(a, b);
    }

    record Constant<T>(T value) implements Dist<T> {
        @Override
        public T sample(SplittableRandom rng) {
            return value;
        }

        @Override
        public boolean always(T v) {
            return same(value, v);
        }
    }

    record Uniform(double min, double max) implements Dist<Double> {
        @Override
        public Double sample(SplittableRandom rng) {
            return min == max ? min : rng.nextDouble(min, max);
        }

        @Override
        public boolean always(Double v) {
            return min == max && min == v;
        }
    }

    record UniformInt(long min, long max) implements Dist<Long> {
        @Override
        public Long sample(SplittableRandom rng) {
            return min == max ? min : rng.nextLong(min, max + 1);
        }

        @Override
        public boolean always(Long v) {
            return min == max && min == v;
        }
    }

    /** Normal with the given mean and standard deviation, clamped to [min, max]. */
    record Normal(double mean, double std, double min, double max) implements Dist<Double> {
        @Override
        public Double sample(SplittableRandom rng) {
            // Box-Muller from the scene's own generator: no shared or global state.
            double u1 = 1.0 - rng.nextDouble();
            double u2 = rng.nextDouble();
            double z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
            return Math.max(min, Math.min(max, mean + std * z));
        }

        @Override
        public boolean always(Double v) {
            return min == max ? min == v : std == 0 && Math.max(min, Math.min(max, mean)) == v;
        }
    }

    record Choice<T>(List<T> values, List<Double> weights) implements Dist<T> {
        public Choice {
            values = List.copyOf(values);
            weights = List.copyOf(weights);
        }

        @Override
        public T sample(SplittableRandom rng) {
            double total = 0;
            for (double w : weights) {
                total += w;
            }
            double r = rng.nextDouble() * total;
            for (int i = 0; i < values.size(); i++) {
                r -= weights.get(i);
                if (r < 0) {
                    return values.get(i);
                }
            }
            return values.get(values.size() - 1);
        }

        @Override
        public boolean always(T v) {
            return values.stream().allMatch(x -> same(x, v));
        }
    }

    /** A constant. */
    static <T> Dist<T> of(T value) {
        return new Constant<>(value);
    }
}
