package dev.roadsynth.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a POSIX ustar archive to a stream, reproducibly: every member a regular file with mode 0644, owner 0/0,
 * no user or group names and modification time 0, so the same members in the same order give the same bytes.
 * Member names are ASCII, at most 100 bytes; sizes below 8 GiB. {@link #finish} writes the two zero blocks that
 * end an archive.
 */
public final class TarWriter {
    private static final int BLOCK = 512;

    private final OutputStream out;

    public TarWriter(OutputStream out) {
        this.out = out;
    }

    /** Adds a member with the given bytes. */
    public void add(String name, byte[] data) throws IOException {
        header(name, data.length);
        out.write(data);
        pad(data.length);
    }

    /** Ends the archive (two zero blocks); the stream stays open. */
    public void finish() throws IOException {
        out.write(new byte[2 * BLOCK]);
        out.flush();
    }

    private void header(String name, long size) throws IOException {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        if (n.length == 0 || n.length > 100 || !name.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new IllegalArgumentException("tar member name '" + name + "' must be 1..100 printable ASCII characters");
        }
        if (size < 0 || size >= 8L << 30) {
            throw new IllegalArgumentException("tar member " + name + ": size " + size + " is out of range 0..8 GiB");
        }
        byte[] h = new byte[BLOCK];
        System.arraycopy(n, 0, h, 0, n.length);
        octal(h, 100, 8, 0644);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, 0);
        h[156] = '0';
        System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
        h[263] = '0';
        h[264] = '0';
        // The checksum is taken with its own field as eight spaces.
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        String c = String.format("%06o", sum);
        System.arraycopy(c.getBytes(StandardCharsets.US_ASCII), 0, h, 148, 6);
        h[154] = 0;
        h[155] = ' ';
        out.write(h);
    }

    /** {@code value} in octal, zero-padded to width - 1 digits, then NUL. */
    private static void octal(byte[] h, int offset, int width, long value) {
        String s = Long.toOctalString(value);
        s = "0".repeat(width - 1 - s.length()) + s;
        System.arraycopy(s.getBytes(StandardCharsets.US_ASCII), 0, h, offset, width - 1);
        h[offset + width - 1] = 0;
    }

    private void pad(long size) throws IOException {
        int rest = (int) (size % BLOCK);
        if (rest != 0) {
            out.write(new byte[BLOCK - rest]);
        }
    }
}
