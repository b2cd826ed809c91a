package dev.roadsynth.core.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the ustar archives {@link TarWriter} writes, member by member, checking what a reader can: each header's
 * checksum, regular members only, the archive ending in its two zero blocks rather than cut short.
 */
public final class TarReader implements AutoCloseable {
    private static final int BLOCK = 512;

    private final InputStream in;

    /** One member: its name and bytes. */
    public record Member(String name, byte[] data) {
    }

    public TarReader(InputStream in) {
        this.in = in;
    }

    /**
     * The next member, or null at the archive's end (its zero block).
     *
     * @throws IOException where the archive is cut short or a header is not a ustar header of a regular file
     */
    public Member next() throws IOException {
        byte[] h = block();
        boolean zero = true;
        for (byte b : h) {
            zero &= b == 0;
        }
        if (zero) {
            block(); // the second zero block: an archive cut between them is cut short all the same
            return null;
        }
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += i >= 148 && i < 156 ? ' ' : h[i] & 0xff;
        }
        if (octal(h, 148, 8) != sum) {
            throw new IOException("a header's checksum does not match (not a tar archive, or damaged)");
        }
        if (h[156] != '0' && h[156] != 0) {
            throw new IOException("a member of type '" + (char) h[156] + "', not a regular file");
        }
        int n = 0;
        while (n < 100 && h[n] != 0) {
            n++;
        }
        String name = new String(h, 0, n, StandardCharsets.US_ASCII);
        long size = octal(h, 124, 12);
        if (size < 0 || size > Integer.MAX_VALUE - BLOCK) {
            throw new IOException(name + ": a size of " + size + " bytes");
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length < size) {
            throw new EOFException(name + ": cut short");
        }
        try {
            in.skipNBytes((size + BLOCK - 1) / BLOCK * BLOCK - size);
        } catch (EOFException e) {
            throw new EOFException(name + ": cut short in its padding");
        }
        return new Member(name, data);
    }

    private byte[] block() throws IOException {
        byte[] b = in.readNBytes(BLOCK);
        if (b.length < BLOCK) {
            throw new EOFException("cut short (no end-of-archive blocks)");
        }
        return b;
    }

    /** An octal field, digits up to the first NUL or space; -1 where it holds anything else. */
    private static long octal(byte[] h, int offset, int width) {
        long v = 0;
        int i = offset;
        while (i < offset + width && h[i] == ' ') {
            i++;
        }
        for (; i < offset + width && h[i] != 0 && h[i] != ' '; i++) {
            if (h[i] < '0' || h[i] > '7') {
                return -1;
            }
            v = v * 8 + (h[i] - '0');
        }
        return v;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
