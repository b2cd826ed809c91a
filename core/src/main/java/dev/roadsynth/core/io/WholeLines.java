package dev.roadsynth.core.io;

import java.io.IOException;

/**
 * The lines of a stream that end in a newline, without it, read as bytes (a manifest of gigabytes, lines of any
 * bytes); a last line cut short is not one, and {@link #rest} has it.
 */
public final class WholeLines implements AutoCloseable {
    private final java.io.InputStream in;
    private final byte[] buf = new byte[1 << 16];
    private int at;
    private int end;
    private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

    public WholeLines(java.io.InputStream in) {
        this.in = in;
    }

    /** The next whole line, or null at the end (a line without its newline is left unread). */
    public byte[] next() throws IOException {
        while (true) {
            for (int i = at; i < end; i++) {
                if (buf[i] == '\n') {
                    line.write(buf, at, i - at);
                    at = i + 1;
                    byte[] out = line.toByteArray();
                    line.reset();
                    return out;
                }
            }
            line.write(buf, at, end - at);
            at = 0;
            end = in.read(buf);
            if (end < 0) {
                end = 0;
                return null;
            }
        }
    }

    /**
     * After {@link #next} said the end: the bytes after the last newline, a last line cut short (or a file's last
     * line written without its newline); empty when the stream ended in a newline.
     */
    public byte[] rest() {
        return line.toByteArray();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
