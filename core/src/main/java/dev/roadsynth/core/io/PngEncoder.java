package dev.roadsynth.core.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A PNG encoder for the three kinds of image a dataset holds: 8-bit RGB (colour type 2), 8-bit grey and 16-bit
 * grey (colour type 0; 16-bit samples big-endian, as PNG requires). Exact: every sample is stored as given, never
 * reduced. Faster than ImageIO's writer because it compresses with a filter and a deflater chosen for synthetic
 * images, and reads straight from the caller's arrays, or row by row from a {@link ByteRows} or {@link IntRows}
 * source, so that an image derived from others (a colour image from class ids) need never exist whole.
 *
 * <p>Immutable and thread-safe; each call uses its own deflater. Encode different images on different threads to
 * use all cores.
 *
 * @param level   zlib's deflate level, 0 (store) .. 9 (smallest); used by {@link Deflate#ZLIB} only
 * @param filter  the row filter
 * @param deflate how the filtered rows are compressed
 */
public record PngEncoder(int level, Filter filter, Deflate deflate) {

    /** PNG row filters (filter method 0). ADAPTIVE picks per row the one with the smallest sum of magnitudes. */
    public enum Filter { NONE, SUB, UP, PAETH, ADAPTIVE }

    /** The compressor of the image data; both write standard zlib streams that every PNG reader inflates. */
    public enum Deflate {
        /** java.util.zip's zlib at {@link #level()}. */
        ZLIB,
        /**
         * Matches only at distances of one byte and one pixel, found eight bytes at a time, with Huffman codes made
         * per block: rendered frames and their label images are long runs after the UP filter, and this compresses
         * them smaller than zlib's level 1 in half its time or less (docs/PERFORMANCE.md).
         */
        RUNS
    }

    /**
     * Run matching with the UP filter: the fastest choice on rendered frames, and smaller than zlib's level 1 on
     * them (docs/PERFORMANCE.md), for images produced in bulk.
     */
    public static final PngEncoder FAST = new PngEncoder(1, Filter.UP, Deflate.RUNS);

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final int IDAT_CHUNK = 1 << 16;

    public PngEncoder {
        if (level < 0 || level > 9) {
            throw new IllegalArgumentException("PNG deflate level " + level + " is out of range 0..9");
        }
        java.util.Objects.requireNonNull(filter, "filter");
        java.util.Objects.requireNonNull(deflate, "deflate");
    }

    /** zlib at {@code level} with {@code filter}. */
    public PngEncoder(int level, Filter filter) {
        this(level, filter, Deflate.ZLIB);
    }

    /**
     * An image's rows, produced on request so that no whole image needs to exist: {@link #fill} is called once per
     * row, top-down, and must fill all of {@code row} (width values, or width x 3 bytes for RGB) for row {@code y}.
     * The array is the encoder's and is reused for the next row.
     */
    @FunctionalInterface
    public interface ByteRows {
        void fill(int y, byte[] row);
    }

    /** As {@link ByteRows}, for grey images given as ints (one per pixel, range-checked by the encoder). */
    @FunctionalInterface
    public interface IntRows {
        void fill(int y, int[] row);
    }

    /** Writes an 8-bit RGB image: {@code rgb} holds width*height*3 bytes, rows top-down. */
    public void writeRgb(OutputStream out, int width, int height, byte[] rgb) throws IOException {
        check(width, height, rgb.length, 3L);
        writeRgb(out, width, height, (y, row) -> System.arraycopy(rgb, y * width * 3, row, 0, width * 3));
    }

    /** Writes an 8-bit RGB image whose rows (width*3 bytes each, R, G, B per pixel) {@code rows} produces. */
    public void writeRgb(OutputStream out, int width, int height, ByteRows rows) throws IOException {
        check(width, height);
        write(out, width, height, 8, 2, 3, rows);
    }

    /** Writes an 8-bit grey image: {@code grey} holds width*height bytes. */
    public void writeGray8(OutputStream out, int width, int height, byte[] grey) throws IOException {
        check(width, height, grey.length, 1L);
        write(out, width, height, 8, 0, 1, (y, dst) -> System.arraycopy(grey, y * width, dst, 0, width));
    }

    /**
     * Writes an 8-bit grey image from ints, each of which must lie in 0..255 (checked: nothing is truncated).
     */
    public void writeGray8(OutputStream out, int width, int height, int[] values) throws IOException {
        check(width, height, values.length, 1L);
        writeGray8(out, width, height, (y, row) -> System.arraycopy(values, y * width, row, 0, width));
    }

    /** As {@link #writeGray8(OutputStream, int, int, int[])}, with the values' rows produced by {@code rows}. */
    public void writeGray8(OutputStream out, int width, int height, IntRows rows) throws IOException {
        writeGray(out, width, height, 8, rows);
    }

    /** Writes a 16-bit grey image from ints, each of which must lie in 0..65535 (checked). */
    public void writeGray16(OutputStream out, int width, int height, int[] values) throws IOException {
        check(width, height, values.length, 1L);
        writeGray16(out, width, height, (y, row) -> System.arraycopy(values, y * width, row, 0, width));
    }

    /** As {@link #writeGray16(OutputStream, int, int, int[])}, with the values' rows produced by {@code rows}. */
    public void writeGray16(OutputStream out, int width, int height, IntRows rows) throws IOException {
        writeGray(out, width, height, 16, rows);
    }

    /** A grey image of {@code bits} (8 or 16) per sample from int rows, each value range-checked. */
    private void writeGray(OutputStream out, int width, int height, int bits, IntRows rows) throws IOException {
        check(width, height);
        int[] values = new int[width];
        write(out, width, height, bits, 0, bits / 8, (y, dst) -> {
            rows.fill(y, values);
            // The range check rides along the conversion: a value fits iff it has no bit outside max's (negative
            // ones have the sign bit), so one OR over the row tells; only a row that fails is looked at again.
            int max = (1 << bits) - 1;
            int any = 0;
            if (bits == 8) {
                for (int x = 0; x < width; x++) {
                    int v = values[x];
                    any |= v;
                    dst[x] = (byte) v;
                }
            } else {
                for (int x = 0; x < width; x++) {
                    int v = values[x];
                    any |= v;
                    dst[2 * x] = (byte) (v >>> 8); // big-endian, as PNG requires
                    dst[2 * x + 1] = (byte) v;
                }
            }
            if ((any & ~max) != 0) {
                checkRange(values, y, max);
            }
        });
    }

    /** The encoded bytes of an RGB image, for callers that want them in memory. */
    public byte[] encodeRgb(int width, int height, byte[] rgb) {
        return inMemory(out -> writeRgb(out, width, height, rgb));
    }

    /** The encoded bytes of an RGB image whose rows {@code rows} produces (see {@link ByteRows}). */
    public byte[] encodeRgb(int width, int height, ByteRows rows) {
        return inMemory(out -> writeRgb(out, width, height, rows));
    }

    private static byte[] inMemory(AtomicFiles.Content content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(IDAT_CHUNK); // rendered frames compress >10:1
        try {
            content.writeTo(out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    private static void check(int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("PNG size " + width + "x" + height + " must be positive");
        }
    }

    private static void check(int width, int height, int length, long channels) {
        check(width, height);
        if ((long) width * height * channels != length) {
            throw new IllegalArgumentException("PNG " + width + "x" + height + " needs " + (long) width * height * channels
                    + " values, got " + length);
        }
    }

    /** Checks row {@code y}'s values; the index in the message is the pixel's in the whole image, row-major. */
    private static void checkRange(int[] values, int y, int max) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] > max) {
                throw new IllegalArgumentException("value " + Integer.toUnsignedString(values[i]) + " at index "
                        + ((long) y * values.length + i)
                        + " does not fit a " + (max == 255 ? 8 : 16) + "-bit PNG sample (0.." + max + ")");
            }
        }
    }

    private void write(OutputStream out, int width, int height, int bitDepth, int colourType, int bytesPerPixel,
                       ByteRows rows) throws IOException {
        out.write(SIGNATURE);
        byte[] ihdr = new byte[13];
        putInt(ihdr, 0, width);
        putInt(ihdr, 4, height);
        ihdr[8] = (byte) bitDepth;
        ihdr[9] = (byte) colourType;
        // compression 0, filter method 0, no interlace
        chunk(out, "IHDR", ihdr, 0, ihdr.length);

        int rowBytes = width * bytesPerPixel;
        byte[] prev = new byte[rowBytes];
        byte[] cur = new byte[rowBytes];
        byte[] scratch = new byte[rowBytes];
        byte[][] candidates = filter == Filter.ADAPTIVE ? new byte[5][rowBytes + 1] : null;
        // Each row is filtered into work after the last bytes of the rows before it (which the run deflater's
        // matches at its start may repeat) and handed to the deflater as it is made: no filtered image is held.
        int h = RunDeflater.HISTORY;
        int len = rowBytes + 1;
        byte[] work = new byte[h + len];
        RunDeflater runs = deflate == Deflate.RUNS ? new RunDeflater(bytesPerPixel) : null;
        Deflater zlib = runs == null ? new Deflater(level) : null;
        try {
            byte[] buffer = zlib == null ? null : new byte[IDAT_CHUNK];
            ByteArrayOutputStream idat = zlib == null ? null : new ByteArrayOutputStream(IDAT_CHUNK);
            for (int y = 0; y < height; y++) {
                rows.fill(y, cur);
                filterRow(work, h, cur, prev, bytesPerPixel, candidates, scratch);
                if (runs != null) {
                    runs.add(work, h, h + len);
                    System.arraycopy(work, len, work, 0, h); // the last h bytes so far, for the next row
                } else {
                    zlib.setInput(work, h, len);
                    drain(zlib, buffer, idat, out);
                }
                byte[] t = prev;
                prev = cur;
                cur = t;
            }
            if (runs != null) {
                runs.finish((z, off, length) -> {
                    for (int at = 0; at < length; at += IDAT_CHUNK) {
                        chunk(out, "IDAT", z, off + at, Math.min(IDAT_CHUNK, length - at));
                    }
                });
            } else {
                zlib.finish();
                while (!zlib.finished()) {
                    int n = zlib.deflate(buffer);
                    idat.write(buffer, 0, n);
                    flushIdat(idat, out, false);
                }
                flushIdat(idat, out, true);
            }
        } finally {
            if (zlib != null) {
                zlib.end();
            }
            if (runs != null) {
                runs.release(); // after an error (the row source's, the stream's) too: the thread's scratch comes back
            }
        }
        chunk(out, "IEND", new byte[0], 0, 0);
    }

    private static void drain(Deflater deflater, byte[] buffer, ByteArrayOutputStream idat, OutputStream out)
            throws IOException {
        while (!deflater.needsInput()) {
            int n = deflater.deflate(buffer);
            idat.write(buffer, 0, n);
            flushIdat(idat, out, false);
        }
    }

    private static void flushIdat(ByteArrayOutputStream idat, OutputStream out, boolean all) throws IOException {
        if (idat.size() >= IDAT_CHUNK || (all && idat.size() > 0)) {
            byte[] data = idat.toByteArray();
            chunk(out, "IDAT", data, 0, data.length);
            idat.reset();
        }
    }

    /**
     * Filters row {@code cur} (after {@code prev}) into {@code dst} from {@code at}: the filter type, then the row.
     * ADAPTIVE tries each filter in {@code candidates} and keeps the one with the smallest sum of magnitudes.
     */
    private void filterRow(byte[] dst, int at, byte[] cur, byte[] prev, int bpp, byte[][] candidates, byte[] scratch) {
        switch (filter) {
            case NONE -> fill(dst, at, 0, cur, prev, bpp, scratch);
            case SUB -> fill(dst, at, 1, cur, prev, bpp, scratch);
            case UP -> fill(dst, at, 2, cur, prev, bpp, scratch);
            case PAETH -> fill(dst, at, 4, cur, prev, bpp, scratch);
            default -> {
                byte[] best = null;
                long bestSum = Long.MAX_VALUE;
                for (int type : new int[] {0, 1, 2, 4}) {
                    byte[] f = candidates[type];
                    fill(f, 0, type, cur, prev, bpp, scratch);
                    long sum = 0;
                    for (int i = 1; i < f.length; i++) {
                        sum += Math.abs(f[i]);
                    }
                    if (sum < bestSum) {
                        bestSum = sum;
                        best = f;
                    }
                }
                System.arraycopy(best, 0, dst, at, best.length);
            }
        }
    }

    /**
     * Writes the filter type at {@code dst[at]} and the filtered row after it. SUB and UP are computed into
     * {@code scratch} (a row's length) at the rows' own indices, then copied: with the store at {@code at + 1 + i}
     * HotSpot's C2 on Java 17 cannot rule out that {@code dst} overlaps the rows and leaves the loop scalar
     * (4.7 against 32 GB/s for UP in a microbenchmark on the development machine).
     */
    private static void fill(byte[] dst, int at, int type, byte[] cur, byte[] prev, int bpp, byte[] scratch) {
        dst[at] = (byte) type;
        int n = cur.length;
        int o = at + 1;
        switch (type) {
            case 0 -> System.arraycopy(cur, 0, dst, o, n);
            case 1 -> {
                int first = Math.min(bpp, n);
                System.arraycopy(cur, 0, scratch, 0, first);
                for (int i = first; i < n; i++) {
                    scratch[i] = (byte) (cur[i] - cur[i - bpp]);
                }
                System.arraycopy(scratch, 0, dst, o, n);
            }
            case 2 -> {
                for (int i = 0; i < n; i++) {
                    scratch[i] = (byte) (cur[i] - prev[i]);
                }
                System.arraycopy(scratch, 0, dst, o, n);
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    int a = i >= bpp ? cur[i - bpp] & 0xff : 0;
                    int b = prev[i] & 0xff;
                    int c = i >= bpp ? prev[i - bpp] & 0xff : 0;
                    dst[o + i] = (byte) (cur[i] - paeth(a, b, c));
                }
            }
        }
    }

    private static int paeth(int a, int b, int c) {
        int p = a + b - c;
        int pa = Math.abs(p - a);
        int pb = Math.abs(p - b);
        int pc = Math.abs(p - c);
        if (pa <= pb && pa <= pc) {
            return a;
        }
        return pb <= pc ? b : c;
    }

    private static void chunk(OutputStream out, String type, byte[] data, int offset, int length) throws IOException {
        byte[] header = new byte[8];
        putInt(header, 0, length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(t, 0, header, 4, 4);
        out.write(header);
        out.write(data, offset, length);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data, offset, length);
        byte[] c = new byte[4];
        putInt(c, 0, (int) crc.getValue());
        out.write(c);
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
