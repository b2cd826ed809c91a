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
        ByteBuffer buf = ByteBuffer.allocate(values.remaining() * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asIntBuffer().put(values.duplicate());
        out.write(buf.array());
    }

    /** Writes a (height, width) array of float32 values ({@code <f4}). */
    public static void writeFloat32(OutputStream out, int height, int width, java.nio.FloatBuffer values) throws IOException {
        header(out, "<f4", height, width);
        ByteBuffer buf = ByteBuffer.allocate(values.remaining() * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values.duplicate());
        out.write(buf.array());
    }

    /** Writes a (height, width, 3) array of uint8 ({@code |u1}): RGB pixels, rows top-down. */
    public static void writeRgb(OutputStream out, int height, int width, java.nio.ByteBuffer rgb) throws IOException {
        header(out, "|u1", "(" + height + ", " + width + ", 3)");
        java.nio.ByteBuffer b = rgb.duplicate();
        byte[] chunk = new byte[1 << 16];
        while (b.hasRemaining()) {
            int n = Math.min(chunk.length, b.remaining());
            b.get(chunk, 0, n);
            out.write(chunk, 0, n);
        }
    }

    /**
     * Writes a (height, width) array of unsigned ids as uint8 ({@code |u1}) when every value fits 8 bits, else
     * uint16 ({@code <u2}) when they fit 16 bits, else uint32: the smallest type that holds every value exactly.
     */
    public static void writeIds(OutputStream out, int height, int width, java.nio.IntBuffer values) throws IOException {
        long max = 0;
        for (int i = values.position(); i < values.limit(); i++) {
            max = Math.max(max, Integer.toUnsignedLong(values.get(i)));
        }
        if (max > 65535) {
            writeUint32(out, height, width, values);
            return;
        }
        int n = values.remaining();
        if (max <= 255) {
            header(out, "|u1", "(" + height + ", " + width + ")");
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++) {
                b[i] = (byte) values.get(values.position() + i);
            }
            out.write(b);
        } else {
            header(out, "<u2", "(" + height + ", " + width + ")");
            ByteBuffer buf = ByteBuffer.allocate(n * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                buf.putShort((short) values.get(values.position() + i));
            }
            out.write(buf.array());
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
}
