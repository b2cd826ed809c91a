package dev.roadsynth.core.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roadsynth.core.Seeds;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SplitsTest {
    private static final List<String> FRACTIONS = List.of("train=0.8,val=0.2", "train=0.5,val=0.5", "train=0.9,val=0.1",
            "train=0.7,val=0.2,test=0.1", "a=0.6,b=0.2,c=0.2", "x=0.98,y=0.01,z=0.01");

    /**
     * The class comment's formula computed apart: the golden ratio's step from 2^64 / phi in decimal, the sum modulo
     * 2^64 in BigInteger, the top 53 bits as u.
     */
    private static String reference(Splits splits, List<Double> fractions, long seed, long index) {
        MathContext mc = new MathContext(60);
        BigDecimal phi = BigDecimal.ONE.add(BigDecimal.valueOf(5).sqrt(mc)).divide(BigDecimal.valueOf(2), mc);
        BigInteger twoTo64 = BigInteger.ONE.shiftLeft(64);
        BigInteger step = new BigDecimal(twoTo64).divide(phi, mc).toBigInteger();
        BigInteger start = new BigInteger(Long.toUnsignedString(Seeds.forSample(~seed, 0)));
        BigInteger x = start.add(step.multiply(BigInteger.valueOf(index))).mod(twoTo64);
        double u = x.shiftRight(11).doubleValue() / 0x1.0p53;
        double cumulative = 0;
        for (int i = 0; i < fractions.size(); i++) {
            cumulative += fractions.get(i);
            if (u < cumulative) {
                return splits.names().get(i);
            }
        }
        return splits.names().get(fractions.size() - 1);
    }

    @Test
    void samplesGoToTheSplitTheFormulaGives() {
        Splits splits = Splits.parse("train=0.7,val=0.2,test=0.1");
        List<Double> fractions = List.of(0.7, 0.2, 0.1);
        for (long seed : new long[] {0, 7, -1, Long.MIN_VALUE}) {
            for (long base : new long[] {0, 1L << 40, Long.MAX_VALUE - 300}) {
                for (long i = base; i < base + 300 && i >= 0; i++) {
                    assertThat(splits.of(seed, i)).as("seed %d, sample %d", seed, i)
                            .isEqualTo(reference(splits, fractions, seed, i));
                }
            }
        }
        assertThatThrownBy(() -> splits.of(0, -1)).hasMessage("sample index -1 is negative");
    }

    /**
     * Among the first n samples, and among any n consecutive ones, each split holds its fraction of n within 4
     * samples, for n up to 20,000 (a hash per sample scatters by about the square root of n: 28 samples at 0.8 over
     * 20,000 is one standard deviation).
     */
    @Test
    void everyRunOfSamplesHoldsEachSplitsFraction() {
        for (String text : FRACTIONS) {
            for (long seed = 0; seed < 10; seed++) {
                for (long start : new long[] {0, 123_457, 1L << 40}) {
                    assertEveryPrefixHolds(text, seed, LongStream.range(start, start + 20_000), 4,
                            "samples from " + start);
                }
            }
        }
    }

    /** Each shard of up to 16 (and so each scene file, sample i using file i mod k) holds the fractions within 15. */
    @Test
    void everyShardHoldsEachSplitsFractionNearly() {
        for (String text : FRACTIONS) {
            for (long seed = 0; seed < 4; seed++) {
                for (int shards = 2; shards <= 16; shards++) {
                    for (int shard = 0; shard < shards; shard++) {
                        int k = shards;
                        assertEveryPrefixHolds(text, seed, LongStream.iterate(shard, i -> i < 20_000, i -> i + k), 15,
                                "shard " + shard + "/" + shards);
                    }
                }
            }
        }
    }

    /**
     * Among the first n of {@code indices}, for every n, each split of {@code text} holds its fraction of n within
     * {@code bound} samples.
     */
    private static void assertEveryPrefixHolds(String text, long seed, LongStream indices, double bound, String which) {
        Splits splits = Splits.parse(text);
        double[] f = fractions(text);
        int[] count = new int[f.length];
        int[] n = {0};
        indices.forEach(i -> {
            count[splits.names().indexOf(splits.of(seed, i))]++;
            n[0]++;
            for (int k = 0; k < f.length; k++) {
                if (Math.abs(count[k] - n[0] * f[k]) > bound) {
                    throw new AssertionError(text + ", seed " + seed + ", " + which + ", the first " + n[0] + " (to "
                            + i + "): " + count[k] + " in " + splits.names().get(k) + " against " + n[0] * f[k]
                            + ", more than " + bound + " off");
                }
            }
        });
    }

    /** The seed moves the sequence's start: ten seeds, ten different assignments of the first 100 samples. */
    @Test
    void theSeedMovesTheAssignment() {
        Splits splits = Splits.parse("train=0.5,val=0.5");
        java.util.Set<List<String>> assignments = new java.util.HashSet<>();
        for (long seed = 0; seed < 10; seed++) {
            long s = seed;
            assignments.add(java.util.stream.LongStream.range(0, 100).mapToObj(i -> splits.of(s, i)).toList());
        }
        assertThat(assignments).hasSize(10);
    }

    @Test
    void badSplitsAreRefusedSayingWhy() {
        assertThatThrownBy(() -> Splits.parse("train=0.8,val=0.1")).hasMessageContaining("add up to 0.9, not 1");
        assertThatThrownBy(() -> Splits.parse("train=0.7,val=0.2")).hasMessageContaining("add up to 0.9, not 1");
        assertThatThrownBy(() -> Splits.parse("train")).hasMessageContaining("not name=fraction");
        assertThatThrownBy(() -> Splits.parse("train=0,val=1")).hasMessage("train=0: a fraction must lie in (0, 1]");
        assertThatThrownBy(() -> Splits.parse("train=1.5")).hasMessage("train=1.5: a fraction must lie in (0, 1]");
        assertThatThrownBy(() -> Splits.parse("train=0.5,train=0.5")).hasMessage("train is given twice");
    }

    private static double[] fractions(String text) {
        return java.util.Arrays.stream(text.split(",")).mapToDouble(p -> Double.parseDouble(p.split("=")[1])).toArray();
    }
}
