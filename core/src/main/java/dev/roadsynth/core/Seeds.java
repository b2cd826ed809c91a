package dev.roadsynth.core;

/**
 * Derives the seed of sample {@code i} from the job's base seed, so that any sample can be regenerated alone and
 * shards of one job never share a seed stream.
 *
 * <p>Scheme (stable across versions; changing it changes every dataset): {@code mix(mix(base) + i)}, where
 * {@code mix} is SplitMix64's finaliser ({@code z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
 * z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL; z ^ (z >>> 31)}) applied to {@code z + 0x9E3779B97F4A7C15L}.
 */
public final class Seeds {
    private Seeds() {
    }

    /** The seed of sample {@code index} (0-based) of a job with base seed {@code base}. */
    public static long forSample(long base, long index) {
        if (index < 0) {
            throw new IllegalArgumentException("sample index " + index + " is negative");
        }
        return mix(mix(base) + index);
    }

    static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
