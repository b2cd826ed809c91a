package dev.roadsynth.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * NumPy's {@code .npy} format, version 1.0: a header naming dtype, order and shape, then the raw little-endian
 * values in C order. {@code numpy.load} reads these files.
 */
public final class Npy {
    private Npy() {
    }

    /** Writes a (height, width) array of unsigned 32-bit values ({@code <u4}). */
    public static void writeUint32(OutputStream out, int height, int width, java.nio.IntBuffer values) throws IOException {
        header(out, "<u4", height, width);
        java.nio.IntBuffer v = values.duplicate();
        chunked(out, v.position(), v.remaining(), 4, (buf, from, n) -> {
            for (int i = 0; i < n; i++) {
                buf.putInt(v.get(from + i));
            }
        });
    }

    /** Writes a (height, width) array of float32 values ({@code <f4}). */
    public static void writeFloat32(OutputStream out, int height, int width, java.nio.FloatBuffer values) throws IOException {
        header(out, "<f4", height, width);
        java.nio.FloatBuffer v = values.duplicate();
        chunked(out, v.position(), v.remaining(), 4, (buf, from, n) -> buf.asFloatBuffer().put(0, v, from, n));
    }

    /** Writes a (height, width, 3) array of uint8 ({@code |u1}): RGB pixels, rows top-down. */
    public static void writeRgb(OutputStream out, int height, int width, java.nio.ByteBuffer rgb) throws IOException {
        header(out, "|u1", "(" + height + ", " + width + ", 3)");
        java.nio.ByteBuffer b = rgb.duplicate();
        chunked(out, b.position(), b.remaining(), 1, (buf, from, n) -> buf.put(0, b, from, n));
    }

    /**
     * Writes a (height, width) array of unsigned ids as uint8 ({@code |u1}) when every value and {@code atLeast} fit
     * 8 bits, else uint16 ({@code <u2}) when they fit 16 bits, else uint32: the smallest type that holds every value
     * exactly and {@code atLeast}, a class table's largest id (0 for none), so that every frame of a dataset has one
     * type, not uint8 where its frame happens to hold only small ids and uint16 elsewhere (arrays of two types do
     * not stack into one batch).
     */
    public static void writeIds(OutputStream out, int height, int width, java.nio.IntBuffer values, long atLeast)
            throws IOException {
        long max = atLeast;
        for (int i = values.position(); i < values.limit(); i++) {
            max = Math.max(max, Integer.toUnsignedLong(values.get(i)));
        }
        if (max > 65535) {
            writeUint32(out, height, width, values);
            return;
        }
        java.nio.IntBuffer v = values.duplicate();
        if (max <= 255) {
            header(out, "|u1", "(" + height + ", " + width + ")");
            chunked(out, v.position(), v.remaining(), 1, (buf, from, n) -> {
                for (int i = 0; i < n; i++) {
                    buf.put((byte) v.get(from + i));
                }
            });
        } else {
            header(out, "<u2", "(" + height + ", " + width + ")");
            chunked(out, v.position(), v.remaining(), 2, (buf, from, n) -> {
                for (int i = 0; i < n; i++) {
                    buf.putShort((short) v.get(from + i));
                }
            });
        }
    }

    /** Puts source values {@code from .. from + n - 1} into {@code buf}, little-endian, from its index 0. */
    @FunctionalInterface
    private interface Chunk {
        void put(ByteBuffer buf, int from, int n);
    }

    /**
     * Writes {@code count} source values of {@code size} bytes each from index {@code first}, through one 64 KiB
     * buffer: no copy of the whole array is made (a 1024x512 float plane would be a 2 MB one).
     */
    private static void chunked(OutputStream out, int first, int count, int size, Chunk chunk) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        int per = buf.capacity() / size;
        for (int done = 0; done < count; done += per) {
            int n = Math.min(per, count - done);
            buf.clear();
            chunk.put(buf, first + done, n);
            out.write(buf.array(), 0, n * size);
        }
    }

    private static void header(OutputStream out, String dtype, int height, int width) throws IOException {
        header(out, dtype, "(" + height + ", " + width + ")");
    }

    private static void header(OutputStream out, String dtype, String shape) throws IOException {
        String dict = "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': " + shape + ", }";
        // Magic (6) + version (2) + header length (2) + dict + padding + '\n', a multiple of 64 bytes in all.
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String h = dict + " ".repeat(pad) + "\n";
        out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.write(h.length() & 0xff);
        out.write(h.length() >>> 8);
        out.write(h.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * A .npy array as read: its dtype ({@code |u1}, {@code <u2}, {@code <u4}, {@code <f4}, ...), its shape, and its
     * data in little-endian order.
     */
    public record Array(String dtype, int[] shape, ByteBuffer data) {
    }

    /**
     * Reads a .npy file (format 1.0 or 2.0, C order, little-endian or single-byte dtypes).
     *
     * @throws IOException naming the file when it is not such an array
     */
    public static Array read(java.nio.file.Path file) throws IOException {
        return read(java.nio.file.Files.readAllBytes(file), file.toString());
    }

    /**
     * Reads a .npy file's bytes {@code b} as {@link #read(java.nio.file.Path)} does; {@code file} names them in errors.
     */
    public static Array read(byte[] b, String file) throws IOException {
        if (b.length < 10 || (b[0] & 0xff) != 0x93 || b[1] != 'N' || b[2] != 'U' || b[3] != 'M' || b[4] != 'P' || b[5] != 'Y') {
            throw new IOException(file + ": not a .npy file");
        }
        int major = b[6];
        int headerLength;
        int start;
        if (major == 1) {
            headerLength = (b[8] & 0xff) | (b[9] & 0xff) << 8;
            start = 10;
        } else if (major == 2 || major == 3) {
            headerLength = ByteBuffer.wrap(b, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            start = 12;
        } else {
            throw new IOException(file + ": .npy format version " + major + " is not supported");
        }
        if (start + headerLength > b.length) {
            throw new IOException(file + ": .npy header runs past the end of the file");
        }
        String header = new String(b, start, headerLength, StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher descr = java.util.regex.Pattern.compile("'descr':\\s*'([^']*)'").matcher(header);
        java.util.regex.Matcher order = java.util.regex.Pattern.compile("'fortran_order':\\s*(True|False)").matcher(header);
        java.util.regex.Matcher shape = java.util.regex.Pattern.compile("'shape':\\s*\\(([^)]*)\\)").matcher(header);
        if (!descr.find() || !order.find() || !shape.find()) {
            throw new IOException(file + ": unreadable .npy header " + header.strip());
        }
        if (order.group(1).equals("True")) {
            throw new IOException(file + ": Fortran-order arrays are not supported; save it in C order");
        }
        String dtype = descr.group(1);
        if (dtype.startsWith(">")) {
            throw new IOException(file + ": big-endian dtype " + dtype + " is not supported");
        }
        String[] dims = shape.group(1).split(",");
        java.util.List<Integer> sh = new java.util.ArrayList<>();
        long count = 1;
        for (String d : dims) {
            if (!d.isBlank()) {
                int v = Integer.parseInt(d.strip());
                sh.add(v);
                count *= v;
            }
        }
        int itemSize = Integer.parseInt(dtype.replaceAll("[^0-9]", ""));
        long bytes = count * itemSize;
        if (start + headerLength + bytes != b.length) {
            throw new IOException(file + ": holds " + (b.length - start - headerLength) + " data bytes; shape "
                    + sh + " of " + dtype + " needs " + bytes);
        }
        return new Array(dtype, sh.stream().mapToInt(Integer::intValue).toArray(),
                ByteBuffer.wrap(b, start + headerLength, (int) bytes).slice().order(ByteOrder.LITTLE_ENDIAN));
    }
}
