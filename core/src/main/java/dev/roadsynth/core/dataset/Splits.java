package dev.roadsynth.core.dataset;

import dev.roadsynth.core.Seeds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named fractions of a dataset ("train=0.8,val=0.2"). Sample i goes to a split by a hash of (base seed, i), so
 * the assignment is the same whenever and wherever sample i is made, and any subset of indices (a shard) gets the
 * same splits as in the whole run.
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

    /** The split of sample {@code index} in a job with base seed {@code seed}. */
    public String of(long seed, long index) {
        // A second derivation, so the split is independent of the scene drawn from Seeds.forSample(seed, index).
        double u = (Seeds.forSample(~seed, index) >>> 11) * 0x1.0p-53;
        for (int i = 0; i < cumulative.length; i++) {
            if (u < cumulative[i]) {
                return names.get(i);
            }
        }
        return names.get(names.size() - 1);
    }
}
