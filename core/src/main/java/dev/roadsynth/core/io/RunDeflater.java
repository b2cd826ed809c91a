package dev.roadsynth.core.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.Adler32;

/**
 * A zlib stream (RFC 1950) whose deflate data (RFC 1951) uses only two kinds of match: runs of one byte (distance
 * 1) and repeats of the previous pixel (distance {@code bpp}), coded with Huffman codes made for each block.
 *
 * <p>Why: rendered frames and above all their label images are long runs after PNG's UP filter. Finding only
 * those matches, eight bytes at a time, costs a fraction of zlib's level 1 (which hashes every position), and
 * per-block Huffman codes keep the output about as small. Any inflater reads the result. Deterministic: the same
 * input, added in the same pieces, always gives the same bytes.
 *
 * <p>Streaming: data is added piece by piece (a PNG encoder adds one filtered row at a time, so no whole filtered
 * image is ever held) and matches never cross a piece's end. One instance makes one stream; not thread-safe.
 */
final class RunDeflater {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int MIN_MATCH = 3;
    private static final int MAX_MATCH = 258;
    /** Tokens per block: each block gets its own codes (a header of some tens of bytes). */
    static final int BLOCK_TOKENS = 1 << 14;
    /** Bytes before a piece that {@link #add} may read: the longest match distance. */
    static final int HISTORY = 4;
    private static final int END_OF_BLOCK = 256;
    /**
     * A token is a literal byte (0..255), RUN + length for a match at distance 1, or PIXEL + length for one at
     * distance bpp: one index into a block's tables of codes, so that counting and writing tokens need no branch
     * on their kind (literals and matches alternate unpredictably in rendered frames; the branches had made each
     * token cost about 20 cycles).
     */
    private static final int RUN = 256;
    private static final int PIXEL = RUN + MAX_MATCH + 1;
    private static final int TOKEN_KINDS = PIXEL + MAX_MATCH + 1;

    /** Per match length 3..258: its length symbol (257..285), extra-bit count and extra-bit value. */
    private static final int[] LENGTH_SYMBOL = new int[MAX_MATCH + 1];
    private static final int[] LENGTH_EXTRA_BITS = new int[MAX_MATCH + 1];
    private static final int[] LENGTH_EXTRA = new int[MAX_MATCH + 1];
    /** The order in which code length code lengths are sent. */
    private static final int[] CLC_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

    static {
        int[] base = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
                163, 195, 227, 258};
        int[] extra = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
        for (int s = 0; s < base.length; s++) {
            int end = s + 1 < base.length ? base[s + 1] : MAX_MATCH + 1;
            for (int length = base[s]; length < end; length++) {
                LENGTH_SYMBOL[length] = 257 + s;
                LENGTH_EXTRA_BITS[length] = extra[s];
                LENGTH_EXTRA[length] = length - base[s];
            }
        }
    }

    /**
     * A thread's token table and output buffer, lent to one stream at a time: a writer thread encodes several PNGs
     * per sample, and fresh ones for each came to about a megabyte of garbage per 1024x512 sample (session 16).
     */
    private static final class Scratch {
        final int[] tokens = new int[BLOCK_TOKENS];
        final Bits out = new Bits(1 << 14);
    }

    private static final ThreadLoan<Scratch> SCRATCH = new ThreadLoan<>(Scratch::new);
    /** Output buffers above this size are not kept for the thread's next stream (a noise image's, say). */
    private static final int KEEP_BYTES = 4 << 20;

    private final int bpp;
    private final Scratch scratch;
    private final Bits out;
    private final Adler32 adler = new Adler32();
    private final int[] tokens;
    private int n;
    private long total;
    private boolean finished;
    private boolean released;

    /** @param bpp bytes per pixel, 1 to 4: the second match distance */
    RunDeflater(int bpp) {
        if (bpp < 1 || bpp > 4) {
            throw new IllegalArgumentException("bytes per pixel " + bpp + " is out of range 1..4");
        }
        this.bpp = bpp;
        this.scratch = SCRATCH.borrow(); // after the check: a refused stream borrows nothing
        this.out = scratch.out;
        this.tokens = scratch.tokens;
        out.reset();
        out.put(0x0178, 16); // zlib header: deflate with a 32 KiB window, "fastest" (bytes 0x78 0x01)
    }

    /** The stream's bytes, as {@link #finish(Sink)} hands them on. */
    @FunctionalInterface
    interface Sink {
        void accept(byte[] b, int off, int len) throws java.io.IOException;
    }

    /**
     * Gives the stream's scratch back for the thread's next stream (done by {@link #finish}; call it where a stream
     * is abandoned), unless its output buffer grew past {@link #KEEP_BYTES}. Once per stream: later calls do nothing,
     * so that a scratch that another stream on the thread has borrowed since is not given back under it. The
     * stream cannot be used after.
     */
    void release() {
        finished = true;
        if (!released) {
            released = true;
            if (out.capacity() <= KEEP_BYTES) {
                SCRATCH.giveBack(scratch);
            }
        }
    }

    /** The zlib stream of {@code data[0, length)}, added as one piece. */
    static byte[] compress(byte[] data, int length, int bpp) {
        if (length < 0 || length > data.length) {
            throw new IllegalArgumentException("length " + length + " is outside the buffer (" + data.length + ")");
        }
        RunDeflater d = new RunDeflater(bpp);
        d.add(data, 0, length);
        return d.finish();
    }

    /**
     * Adds {@code b[from, to)}. Unless this is the stream's first data, {@code b[from - HISTORY, from)} must hold
     * the last {@value #HISTORY} bytes added before (as many as there are), which matches at the start may repeat.
     */
    void add(byte[] b, int from, int to) {
        if (finished) {
            throw new IllegalStateException("the stream is finished");
        }
        long history = Math.min(HISTORY, total);
        if (to < from || to > b.length) {
            throw new IllegalArgumentException("piece [" + from + ", " + to + ") is not inside a " + b.length
                    + "-byte buffer");
        }
        if (from < history) {
            throw new IllegalArgumentException("piece [" + from + ", " + to + ") leaves no room for the " + history
                    + " bytes of history before it");
        }
        adler.update(b, from, to - from);
        total += to - from;
        int first = (int) (from - history); // the earliest index a match may read
        int i = from;
        while (i < to) {
            int max = Math.min(MAX_MATCH, to - i);
            int run = i - 1 >= first ? matchLength(b, i, 1, max) : 0;
            int pixel = bpp > 1 && i - bpp >= first && run < max ? matchLength(b, i, bpp, max) : 0;
            int token;
            if (run >= MIN_MATCH && run >= pixel) {
                token = RUN + run;
                i += run;
            } else if (pixel >= MIN_MATCH) {
                token = PIXEL + pixel;
                i += pixel;
            } else {
                token = b[i++] & 0xff;
            }
            tokens[n++] = token;
            if (n == tokens.length) {
                writeBlock(out, tokens, n, bpp, false);
                n = 0;
            }
        }
    }

    /** Ends the stream (last block, Adler-32 of everything added) and returns all its bytes. */
    byte[] finish() {
        end();
        try {
            return Arrays.copyOf(out.buffer(), out.size());
        } finally {
            release();
        }
    }

    /**
     * Ends the stream (last block, Adler-32 of everything added) and hands all its bytes to {@code sink} as one
     * slice of a buffer that is valid only during the call; then releases the stream's scratch.
     */
    void finish(Sink sink) throws java.io.IOException {
        end();
        try {
            sink.accept(out.buffer(), 0, out.size());
        } finally {
            release();
        }
    }

    /** Writes the last block and the Adler-32 trailer. */
    private void end() {
        if (finished) {
            throw new IllegalStateException("the stream is finished");
        }
        finished = true;
        try {
            writeBlock(out, tokens, n, bpp, true);
            out.alignToByte();
            out.put(Integer.reverseBytes((int) adler.getValue()) & 0xffffffffL, 32); // big-endian
        } catch (RuntimeException | Error e) {
            release();
            throw e;
        }
    }

    /**
     * How many bytes from {@code i} (at most {@code max}) equal those {@code distance} before them. The first eight
     * bytes are compared here as one long, which settles most calls in rendered frames (a literal, or a short
     * match); past them, {@link Arrays#mismatch} compares many bytes per step (the JIT's vectorised intrinsic). Long
     * runs are most of a label image after the UP filter: compared eight bytes at a time, matching took 16% of a
     * writer thread's time (session 16); this way a 1024x512 labelIds image deflates in 0.14 ms instead of 0.20,
     * an RGB frame in 0.81 instead of 1.03 (session 17).
     */
    static int matchLength(byte[] b, int i, int distance, int max) {
        if (max < 8) {
            int k = 0;
            while (k < max && b[i + k] == b[i + k - distance]) {
                k++;
            }
            return k;
        }
        long x = (long) LONGS.get(b, i) ^ (long) LONGS.get(b, i - distance);
        if (x != 0) {
            return Long.numberOfTrailingZeros(x) >>> 3;
        }
        int m = Arrays.mismatch(b, i + 8, i + max, b, i + 8 - distance, i + max - distance);
        return m < 0 ? max : 8 + m;
    }

    /** One block with dynamic Huffman codes (BTYPE 2). */
    private static void writeBlock(Bits out, int[] tokens, int n, int bpp, boolean last) {
        int[] tokenFreq = new int[TOKEN_KINDS];
        for (int k = 0; k < n; k++) {
            tokenFreq[tokens[k]]++;
        }
        int[] litFreq = new int[286];
        int[] distFreq = new int[30];
        System.arraycopy(tokenFreq, 0, litFreq, 0, 256);
        for (int len = MIN_MATCH; len <= MAX_MATCH; len++) {
            litFreq[LENGTH_SYMBOL[len]] += tokenFreq[RUN + len] + tokenFreq[PIXEL + len];
            distFreq[0] += tokenFreq[RUN + len];
            distFreq[bpp - 1] += tokenFreq[PIXEL + len];
        }
        litFreq[END_OF_BLOCK]++;
        // At least two codes in each alphabet, so that both are complete prefix codes for every inflater.
        if (litFreq[0] == 0) {
            litFreq[0] = 1;
        }
        distFreq[0] = Math.max(distFreq[0], 1);
        distFreq[1] = Math.max(distFreq[1], 1);
        int[] litLen = Huffman.lengths(litFreq, 15);
        int[] distLen = Huffman.lengths(distFreq, 15);
        int hlit = 286;
        while (hlit > 257 && litLen[hlit - 1] == 0) {
            hlit--;
        }
        int hdist = 30;
        while (hdist > 1 && distLen[hdist - 1] == 0) {
            hdist--;
        }
        // The code lengths of both alphabets as one sequence, run-length coded with symbols 16, 17 and 18.
        int[] all = new int[hlit + hdist];
        System.arraycopy(litLen, 0, all, 0, hlit);
        System.arraycopy(distLen, 0, all, hlit, hdist);
        int[] rle = new int[all.length]; // symbol | extra value << 8
        int m = 0;
        int[] clFreq = new int[19];
        for (int k = 0; k < all.length; ) {
            int v = all[k];
            int r = 1;
            while (k + r < all.length && all[k + r] == v) {
                r++;
            }
            if (v == 0 && r >= 3) {
                int take = Math.min(r, 138);
                rle[m++] = take >= 11 ? 18 | (take - 11) << 8 : 17 | (take - 3) << 8;
                k += take;
            } else if (v != 0 && r >= 4) {
                rle[m++] = v;
                int take = Math.min(r - 1, 6);
                rle[m++] = 16 | (take - 3) << 8;
                k += take + 1;
            } else {
                rle[m++] = v;
                k++;
            }
            clFreq[rle[m - 1] & 0xff]++;
            if (m >= 2 && (rle[m - 1] & 0xff) == 16) {
                clFreq[rle[m - 2] & 0xff]++;
            }
        }
        int[] clLen = Huffman.lengths(clFreq, 7);
        int hclen = 19;
        while (hclen > 4 && clLen[CLC_ORDER[hclen - 1]] == 0) {
            hclen--;
        }
        int[] litCode = Huffman.codes(litLen);
        int[] distCode = Huffman.codes(distLen);
        int[] clCode = Huffman.codes(clLen);

        out.put(last ? 1 : 0, 1);
        out.put(2, 2);
        out.put(hlit - 257, 5);
        out.put(hdist - 1, 5);
        out.put(hclen - 4, 4);
        for (int k = 0; k < hclen; k++) {
            out.put(clLen[CLC_ORDER[k]], 3);
        }
        for (int k = 0; k < m; k++) {
            int sym = rle[k] & 0xff;
            out.put(clCode[sym], clLen[sym]);
            if (sym == 16) {
                out.put(rle[k] >>> 8, 2);
            } else if (sym == 17) {
                out.put(rle[k] >>> 8, 3);
            } else if (sym == 18) {
                out.put(rle[k] >>> 8, 7);
            }
        }
        // Each kind of token's bits (code, extra bits, distance code; at most 15 + 5 + 15) and their count, in one
        // table. Distances 1..4 have no extra bits.
        long[] bits = new long[TOKEN_KINDS];
        int[] length = new int[TOKEN_KINDS];
        for (int b = 0; b < 256; b++) {
            bits[b] = litCode[b];
            length[b] = litLen[b];
        }
        for (int len = MIN_MATCH; len <= MAX_MATCH; len++) {
            int sym = LENGTH_SYMBOL[len];
            int head = litLen[sym] + LENGTH_EXTRA_BITS[len];
            long lengthBits = litCode[sym] | (long) LENGTH_EXTRA[len] << litLen[sym];
            bits[RUN + len] = lengthBits | (long) distCode[0] << head;
            length[RUN + len] = head + distLen[0];
            bits[PIXEL + len] = lengthBits | (long) distCode[bpp - 1] << head;
            length[PIXEL + len] = head + distLen[bpp - 1];
        }
        out.reserve((35 * n + 7) / 8);
        for (int k = 0; k < n; k++) {
            int t = tokens[k];
            out.putReserved(bits[t], length[t]);
        }
        out.put(litCode[END_OF_BLOCK], litLen[END_OF_BLOCK]);
    }

    /** Length-limited Huffman code lengths and canonical codes (RFC 1951, 3.2.2). */
    static final class Huffman {
        private Huffman() {
        }

        /**
         * Code lengths for symbol frequencies, none longer than {@code maxBits}; 0 for symbols of frequency 0.
         * When the optimal code is too deep, the frequencies are flattened (halved, kept non-zero) and the code
         * rebuilt, which converges because equal frequencies give a balanced tree.
         */
        static int[] lengths(int[] freq, int maxBits) {
            int[] f = freq.clone();
            while (true) {
                int[] lengths = optimal(f);
                int deepest = 0;
                for (int l : lengths) {
                    deepest = Math.max(deepest, l);
                }
                if (deepest <= maxBits) {
                    return lengths;
                }
                for (int s = 0; s < f.length; s++) {
                    if (f[s] > 0) {
                        f[s] = (f[s] >>> 1) | 1;
                    }
                }
            }
        }

        private static int[] optimal(int[] freq) {
            int[] lengths = new int[freq.length];
            int n = 0;
            long[] leaves = new long[freq.length];
            for (int s = 0; s < freq.length; s++) {
                if (freq[s] > 0) {
                    leaves[n++] = (long) freq[s] << 32 | s; // sorted by frequency, then symbol
                }
            }
            if (n == 0) {
                return lengths;
            }
            if (n == 1) {
                lengths[(int) leaves[0]] = 1;
                return lengths;
            }
            Arrays.sort(leaves, 0, n);
            long[] weight = new long[2 * n - 1];
            int[] parent = new int[2 * n - 1];
            for (int k = 0; k < n; k++) {
                weight[k] = leaves[k] >>> 32;
            }
            // Two queues: the sorted leaves and the internal nodes, which are made in ascending weight order.
            int leaf = 0;
            int inner = n;
            for (int next = n; next < 2 * n - 1; next++) {
                int a = leaf < n && (inner >= next || weight[leaf] <= weight[inner]) ? leaf++ : inner++;
                int b = leaf < n && (inner >= next || weight[leaf] <= weight[inner]) ? leaf++ : inner++;
                weight[next] = weight[a] + weight[b];
                parent[a] = next;
                parent[b] = next;
            }
            int[] depth = new int[2 * n - 1];
            for (int node = 2 * n - 3; node >= 0; node--) {
                depth[node] = depth[parent[node]] + 1;
            }
            for (int k = 0; k < n; k++) {
                lengths[(int) leaves[k]] = depth[k];
            }
            return lengths;
        }

        /** Canonical codes for code lengths, bit-reversed for deflate's LSB-first bit order. */
        static int[] codes(int[] lengths) {
            int[] count = new int[16];
            for (int l : lengths) {
                count[l]++;
            }
            count[0] = 0;
            int[] next = new int[16];
            int code = 0;
            for (int bits = 1; bits < 16; bits++) {
                code = (code + count[bits - 1]) << 1;
                next[bits] = code;
            }
            int[] codes = new int[lengths.length];
            for (int s = 0; s < lengths.length; s++) {
                int l = lengths[s];
                if (l > 0) {
                    codes[s] = Integer.reverse(next[l]++) >>> (32 - l);
                }
            }
            return codes;
        }
    }

    /**
     * An LSB-first bit writer into a growing byte array. Each put stores the whole 64-bit accumulator and moves on by
     * the whole bytes in it, so that a put has no branch; the bytes stored past the end are overwritten by the next.
     */
    private static final class Bits {
        private static final VarHandle STORE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
        private byte[] buf;
        private int pos;
        /** The bits not yet counted into {@code pos}: always fewer than 8 between puts. */
        private long acc;
        private int count;

        Bits(int capacity) {
            buf = new byte[Math.max(capacity, 16)];
        }

        /** Makes room for {@code bytes} more bytes of puts (and the accumulator's store past them). */
        void reserve(int bytes) {
            if (pos + bytes + 16 > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + bytes + 16));
            }
        }

        /** Appends the low {@code n} (at most 56) bits of {@code bits}, which has no bits above them. */
        void put(long bits, int n) {
            reserve(8);
            putReserved(bits, n);
        }

        /** As {@link #put}, within room made by {@link #reserve}. */
        void putReserved(long bits, int n) {
            acc |= bits << count;
            count += n;
            STORE.set(buf, pos, acc);
            pos += count >>> 3;
            acc >>>= count & ~7; // at most 56: count was below 8 and n at most 56
            count &= 7;
        }

        void alignToByte() {
            if (count > 0) {
                put(0, 8 - count);
            }
        }

        /** Empties the writer for a new stream, keeping its buffer. */
        void reset() {
            pos = 0;
            acc = 0;
            count = 0;
        }

        int capacity() {
            return buf.length;
        }

        /** The buffer; its first {@link #size} bytes are the whole bytes written (after {@link #alignToByte}). */
        byte[] buffer() {
            return buf;
        }

        int size() {
            return pos;
        }
    }
}
