package dev.roadsynth.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.zip.Adler32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/** The run deflater's streams read back exactly through the JDK's zlib inflater (a real, independent reader). */
class RunDeflaterTest {

    private static byte[] inflate(byte[] z, int expectedLength) throws DataFormatException {
        Inflater inf = new Inflater();
        try {
            inf.setInput(z);
            byte[] out = new byte[expectedLength + 1];
            int n = 0;
            while (!inf.finished() && n < out.length) {
                int k = inf.inflate(out, n, out.length - n);
                if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
                n += k;
            }
            assertThat(inf.finished()).as("stream ends (checksum read and matched)").isTrue();
            assertThat(inf.getRemaining()).as("no bytes after the stream").isZero();
            return java.util.Arrays.copyOf(out, n);
        } finally {
            inf.end();
        }
    }

    private static void roundTrips(byte[] data, int bpp, String what) throws Exception {
        byte[] z = RunDeflater.compress(data, data.length, bpp);
        assertThat(inflate(z, data.length)).as(what).isEqualTo(data);
        Adler32 a = new Adler32();
        a.update(data);
        long trailer = ((z[z.length - 4] & 0xffL) << 24) | ((z[z.length - 3] & 0xff) << 16)
                | ((z[z.length - 2] & 0xff) << 8) | (z[z.length - 1] & 0xff);
        assertThat(trailer).as(what + ": Adler-32 trailer").isEqualTo(a.getValue());
        assertThat(RunDeflater.compress(data, data.length, bpp)).as(what + ": deterministic").isEqualTo(z);
    }

    @Test
    void randomRunsAndNoiseRoundTripForEveryPixelSize() throws Exception {
        SplittableRandom rng = new SplittableRandom(7);
        for (int trial = 0; trial < 60; trial++) {
            int bpp = 1 + trial % 4;
            int n = trial < 4 ? trial : rng.nextInt(1, 20_000);
            byte[] data = new byte[n];
            for (int i = 0; i < n; i++) {
                // Runs of bytes, repeated pixels and noise, switching at random.
                int mode = rng.nextInt(10);
                data[i] = i == 0 || mode < 2 ? (byte) rng.nextInt(256)
                        : mode < 6 ? data[i - 1] : i >= bpp ? data[i - bpp] : (byte) rng.nextInt(3);
            }
            roundTrips(data, bpp, "trial " + trial + " (" + n + " bytes, bpp " + bpp + ")");
        }
    }

    /**
     * Every match is as long as it can be: the match length against a byte-by-byte count, for every length limit up
     * to 258 and every distance, matches ending anywhere (at the limit, before it, at the buffer's end). Round trips
     * alone would pass with shorter matches, which change the bytes of a version's output.
     */
    @Test
    void matchesAreTheLongestTheLimitAllows() {
        SplittableRandom rng = new SplittableRandom(13);
        for (int trial = 0; trial < 20_000; trial++) {
            int distance = 1 + rng.nextInt(4);
            int max = rng.nextInt(0, 259);
            byte[] b = new byte[distance + max + rng.nextInt(0, 3)];
            // A run repeated from distance back, broken (or not) at a random place.
            for (int i = 0; i < b.length; i++) {
                b[i] = i < distance ? (byte) rng.nextInt(4) : b[i - distance];
            }
            int breakAt = distance + rng.nextInt(0, max + 2);
            if (breakAt < b.length) {
                b[breakAt] ^= (byte) (1 + rng.nextInt(255));
            }
            int expected = 0;
            while (expected < max && b[distance + expected] == b[expected]) {
                expected++;
            }
            assertThat(RunDeflater.matchLength(b, distance, distance, max))
                    .as("trial %d: distance %d, limit %d, broken at %d", trial, distance, max, breakAt - distance)
                    .isEqualTo(expected);
        }
    }

    @Test
    void longRunsSpanManyMaximalMatchesAndManyBlocks() throws Exception {
        roundTrips(new byte[3_000_000], 3, "zeros");
        byte[] pattern = new byte[1_000_003];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (byte) (i % 3 == 0 ? 17 : i % 3 == 1 ? 200 : 5);
        }
        roundTrips(pattern, 3, "one repeated RGB pixel");
        // Every byte a literal: many times the tokens of one block, so many blocks with their own codes.
        byte[] noise = new byte[400_000];
        new SplittableRandom(3).nextBytes(noise);
        roundTrips(noise, 2, "noise");
        // Skewed literals give deep Huffman trees, which must be cut to 15 bits.
        SplittableRandom rng = new SplittableRandom(4);
        byte[] skewed = new byte[300_000];
        for (int i = 0; i < skewed.length; i++) {
            skewed[i] = (byte) Math.min(255, Long.numberOfTrailingZeros(rng.nextLong()) * 9 + rng.nextInt(2));
        }
        roundTrips(skewed, 1, "skewed literals");
        // Rare runs among noise, the longer the rarer: the longest lengths get the longest length codes of a block,
        // and with their 5 extra bits and a distance code the longest tokens the block writer puts at once (20 bits
        // here, checked with a throw-away counter; a distance code is at most 2 bits with two distances).
        java.io.ByteArrayOutputStream runs = new java.io.ByteArrayOutputStream();
        int last = -1;
        while (runs.size() < 2_000_000) {
            if (rng.nextInt(8) == 0) {
                int length = 3 + Math.min(255, Long.numberOfTrailingZeros(rng.nextLong() | 1L << 31) * 8 + rng.nextInt(8));
                for (int k = 0; k < length; k++) {
                    runs.write(last);
                }
            }
            int v;
            do {
                v = rng.nextInt(256);
            } while (v == last);
            runs.write(v);
            last = v;
        }
        roundTrips(runs.toByteArray(), 2, "skewed run lengths");
    }

    @Test
    void dataAddedPieceByPieceInflatesToItsConcatenation() throws Exception {
        SplittableRandom rng = new SplittableRandom(9);
        for (int trial = 0; trial < 30; trial++) {
            int bpp = 1 + trial % 4;
            byte[] all = new byte[rng.nextInt(1, 60_000)];
            for (int i = 0; i < all.length; i++) {
                int mode = rng.nextInt(10);
                all[i] = i == 0 || mode < 2 ? (byte) rng.nextInt(256) : mode < 7 ? all[i - 1] : all[Math.max(0, i - bpp)];
            }
            // Pieces of random sizes (some empty, some shorter than the history), each copied into its own buffer
            // behind the bytes before it, as the PNG encoder does with rows.
            RunDeflater d = new RunDeflater(bpp);
            int at = 0;
            while (at < all.length) {
                int len = Math.min(all.length - at, rng.nextInt(0, 3000));
                int h = Math.min(RunDeflater.HISTORY, at);
                byte[] piece = new byte[h + len + rng.nextInt(0, 5)];
                System.arraycopy(all, at - h, piece, 0, h + len);
                d.add(piece, h, h + len);
                at += len;
            }
            assertThat(inflate(d.finish(), all.length)).as("trial %d", trial).isEqualTo(all);
        }
        RunDeflater d = new RunDeflater(3);
        d.add(new byte[10], 0, 10);
        assertThatThrownBy(() -> d.add(new byte[10], 2, 10)).hasMessageContaining("history");
        d.finish();
        assertThatThrownBy(() -> d.add(new byte[10], 4, 10)).hasMessageContaining("finished");
    }

    @Test
    void streamsSharingAThreadsScratchGiveTheBytesOfStreamsAlone() throws Exception {
        // Interleaved on one thread (the second gets scratch of its own), one abandoned halfway, one larger than a
        // kept buffer (8 MB of noise), then small ones again: each stream equals the one made alone on a fresh thread.
        SplittableRandom rng = new SplittableRandom(11);
        byte[] a = new byte[70_000];
        byte[] b = new byte[50_000];
        for (int i = 0; i < a.length; i++) {
            a[i] = i % 97 < 60 ? 7 : (byte) rng.nextInt(256);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i / 300);
        }
        byte[] noise = new byte[8 << 20];
        rng.nextBytes(noise);
        byte[][] alone = new byte[3][];
        // Pieces as below: a stream's bytes depend on where its pieces end (no match crosses one).
        Thread fresh = new Thread(() -> {
            alone[0] = twoPieces(a, 30_000, 3);
            alone[1] = twoPieces(b, 20_000, 1);
            alone[2] = RunDeflater.compress(noise, noise.length, 4);
        });
        fresh.start();
        fresh.join();
        RunDeflater first = new RunDeflater(3);
        RunDeflater second = new RunDeflater(1);
        first.add(a, 0, 30_000);
        second.add(b, 0, 20_000);
        first.add(a, 30_000, a.length);
        second.add(b, 20_000, b.length);
        assertThat(second.finish()).isEqualTo(alone[1]);
        assertThat(first.finish()).isEqualTo(alone[0]);
        RunDeflater abandoned = new RunDeflater(3);
        abandoned.add(b, 0, 1000);
        abandoned.release();
        assertThatThrownBy(() -> abandoned.add(b, 1000, 2000)).hasMessageContaining("finished");
        assertThat(RunDeflater.compress(noise, noise.length, 4)).isEqualTo(alone[2]);
        assertThat(twoPieces(a, 30_000, 3)).isEqualTo(alone[0]);
        assertThat(inflate(alone[0], a.length)).isEqualTo(a);
        assertThat(inflate(alone[1], b.length)).isEqualTo(b);
    }

    @Test
    void aStreamReleasedTwiceDoesNotGiveBackScratchAnotherStreamHolds() throws Exception {
        // A finishes (its scratch goes back), B borrows that scratch, A is released again (as the PNG encoder's
        // finally does), then C starts while B is open: C must not get B's scratch.
        byte[] data = new byte[40_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 251 < 120 ? 3 : i * 7);
        }
        byte[][] alone = new byte[1][];
        Thread fresh = new Thread(() -> alone[0] = twoPieces(data, 15_000, 2));
        fresh.start();
        fresh.join();
        RunDeflater a = new RunDeflater(1);
        a.add(data, 0, 100);
        a.finish();
        RunDeflater b = new RunDeflater(2);
        b.add(data, 0, 15_000);
        a.release();
        RunDeflater c = new RunDeflater(3);
        c.add(new byte[30_000], 0, 30_000);
        b.add(data, 15_000, data.length);
        assertThat(b.finish()).isEqualTo(alone[0]);
        assertThat(inflate(c.finish(), 30_000)).isEqualTo(new byte[30_000]);
    }

    private static byte[] twoPieces(byte[] data, int cut, int bpp) {
        RunDeflater d = new RunDeflater(bpp);
        d.add(data, 0, cut);
        d.add(data, cut, data.length);
        return d.finish();
    }

    @Test
    void huffmanLengthsAreLimitedAndFormCompleteCodes() {
        // Fibonacci frequencies give the deepest optimal tree: 30 symbols would need 29 bits.
        int[] freq = new int[30];
        freq[0] = 1;
        freq[1] = 1;
        for (int i = 2; i < freq.length; i++) {
            freq[i] = freq[i - 1] + freq[i - 2];
        }
        for (int limit : new int[] {7, 15}) {
            int[] lengths = RunDeflater.Huffman.lengths(freq, limit);
            double kraft = 0;
            for (int l : lengths) {
                assertThat(l).isBetween(1, limit);
                kraft += Math.pow(2, -l);
            }
            assertThat(kraft).as("limit %d: a complete prefix code", limit).isEqualTo(1.0);
        }
        int[] unlimited = RunDeflater.Huffman.lengths(new int[] {5, 0, 1, 1, 2}, 15);
        assertThat(unlimited).containsExactly(1, 0, 3, 3, 2);
    }

    @Test
    void refusesPixelSizesItHasNoDistanceCodeFor() {
        assertThatThrownBy(() -> RunDeflater.compress(new byte[4], 4, 5)).hasMessageContaining("1..4");
        assertThatThrownBy(() -> RunDeflater.compress(new byte[4], 5, 1)).hasMessageContaining("outside the buffer");
    }
}
