package dev.roadsynth.core.dataset;

import dev.roadsynth.core.Seeds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named fractions of a dataset ("train=0.8,val=0.2"). Sample i goes to a split by its place in the golden ratio's
 * Weyl sequence, started at a point drawn from the base seed: {@code u = frac(offset + i / phi)}, in 64-bit fixed
 * point ({@code offset + i * 0x9E3779B97F4A7C15}, wrapping, of which the top 53 bits are taken as {@code u} in
 * [0, 1); {@code offset = Seeds.forSample(~seed, 0)}), and the splits' fractions, in the order given, cover [0, 1).
 * So the assignment is a function of (seed, i): the same whenever and wherever sample i is made, and any subset of
 * indices (a shard) gets the same splits as in the whole run.
 *
 * <p>Why this sequence and not a hash of (seed, i): a hash gives each sample its split independently, so a split's
 * count scatters like a coin's (train=0.8,val=0.2 over 100 samples gave anything from 71 to 84 in train over eight
 * seeds; now 79 to 82 over 10,000). The golden ratio's sequence is among the most evenly spread there are (the
 * golden ratio is the number worst approximated by fractions, so the sequence never falls into a short cycle):
 * among the first n samples (or any n consecutive ones) each split holds its fraction of n within about 4
 * samples however large n is (over 20,000 samples, 50 seeds and six sets of fractions: at most 3.2 off), and every
 * shard of up to 16 (and so every scene file of up to 16, sample i using file i mod k) within about 15 (at most
 * 14.5). Which samples fall in which split still depends on nothing but their index and the seed, never on what
 * the sample shows.
 */
public final class Splits {
    private final List<String> names;
    private final double[] cumulative;

    private Splits(Map<String, Double> fractions) {
        this.names = new ArrayList<>(fractions.keySet());
        this.cumulative = new double[names.size()];
        double sum = 0;
        for (int i = 0; i < names.size(); i++) {
            sum += fractions.get(names.get(i));
            cumulative[i] = sum;
        }
    }

    /**
     * Parses {@code name=fraction,...}; fractions must be positive and add up to 1 (within 1e-9).
     *
     * @throws IllegalArgumentException naming what is wrong (not where it came from: the caller says that)
     */
    public static Splits parse(String text) {
        Map<String, Double> fractions = new LinkedHashMap<>();
        // The sum in decimal, so that a message says 0.9 for train=0.7,val=0.2 (not 0.8999999999999999).
        java.math.BigDecimal typed = java.math.BigDecimal.ZERO;
        for (String part : text.split(",")) {
            String[] kv = part.trim().split("=");
            if (kv.length != 2 || !kv[0].trim().matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException("'" + part.trim() + "' is not name=fraction (e.g. train=0.8)");
            }
            double f;
            try {
                f = Double.parseDouble(kv[1].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + kv[1].trim() + "' is not a number");
            }
            if (!(f > 0 && f <= 1)) {
                throw new IllegalArgumentException("" + kv[0].trim() + "=" + kv[1].trim()
                        + ": a fraction must lie in (0, 1]");
            }
            if (fractions.put(kv[0].trim(), f) != null) {
                throw new IllegalArgumentException("" + kv[0].trim() + " is given twice");
            }
            typed = typed.add(java.math.BigDecimal.valueOf(f)); // the shortest decimal of each fraction
        }
        double sum = fractions.values().stream().mapToDouble(Double::doubleValue).sum();
        if (Math.abs(sum - 1) > 1e-9) {
            throw new IllegalArgumentException("fractions add up to " + typed.stripTrailingZeros().toPlainString()
                    + ", not 1");
        }
        return new Splits(fractions);
    }

    /** The split names, in the order given. */
    public List<String> names() {
        return List.copyOf(names);
    }

    /** 2^64 / phi rounded down: the golden ratio's step in 64-bit fixed point (odd, so no value recurs before 2^64 steps). */
    private static final long GOLDEN_STEP = 0x9E3779B97F4A7C15L;

    /** The split of sample {@code index} in a job with base seed {@code seed} (see the class comment). */
    public String of(long seed, long index) {
        if (index < 0) {
            throw new IllegalArgumentException("sample index " + index + " is negative");
        }
        // The start comes from ~seed, a derivation unrelated to the scenes' seeds (Seeds.forSample(seed, i)).
        double u = ((Seeds.forSample(~seed, 0) + index * GOLDEN_STEP) >>> 11) * 0x1.0p-53;
        for (int i = 0; i < cumulative.length; i++) {
            if (u < cumulative[i]) {
                return names.get(i);
            }
        }
        return names.get(names.size() - 1);
    }
}
