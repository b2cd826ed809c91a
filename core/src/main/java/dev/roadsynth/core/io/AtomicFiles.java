package dev.roadsynth.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes files atomically: into a temporary file beside the target, then renamed over it. */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /**
     * Whether {@code file} is one of this class's temporary files ({@code .NAME.RANDOM.tmp}), which a process
     * killed while writing leaves behind; a resumed run deletes them.
     */
    public static boolean isTemporary(Path file) {
        String n = file.getFileName().toString();
        return n.startsWith(".") && n.endsWith(".tmp") && n.length() > 5;
    }

    /**
     * A name for a temporary file beside {@code target}, {@code .NAME.RANDOM.tmp} ({@link #isTemporary}): what a
     * resumed run deletes if a process left it behind.
     */
    public static Path temporaryFor(Path target) {
        return target.resolveSibling("." + target.getFileName() + "."
                + Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
    }

    /** Something that writes a file's content to a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code target} atomically: readers see either the old file or the whole new one, never a part.
     * On failure the temporary file is removed and the target is left as it was.
     *
     * @return the SHA-256 of the bytes written, as lower-case hex
     */
    public static String write(Path target, Content content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw e; // a file where a directory goes: said as such
        } catch (IOException e) {
            throw FileErrors.named(target, e);
        }
        // One open that creates the file with its final permissions (rw-r--r--, less the umask): no separate
        // create, reopen and chmod, which cost as much as the writing for small files.
        Path tmp;
        java.nio.channels.FileChannel channel;
        while (true) {
            tmp = temporaryFor(dir.resolve(target.getFileName()));
            try {
                channel = tmp.getFileSystem().supportedFileAttributeViews().contains("posix")
                        ? java.nio.channels.FileChannel.open(tmp, CREATE_NEW_WRITE, FILE_PERMISSIONS)
                        : java.nio.channels.FileChannel.open(tmp, CREATE_NEW_WRITE);
                break;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // another name
            } catch (IOException e) {
                throw FileErrors.named(target, e); // a read-only or full file system, a directory not ours
            }
        }
        boolean moved = false;
        java.security.MessageDigest sha;
        try {
            sha = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            channel.close();
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
        try {
            // Buffered, so that small writes (PNG chunks, JSON) reach the file and the digest in large blocks.
            try (OutputStream out = new ThreadBuffered(new java.security.DigestOutputStream(
                    FileErrors.naming(java.nio.channels.Channels.newOutputStream(channel), target), sha))) {
                content.writeTo(out);
            }
            try {
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw FileErrors.named(target, e); // the move's error names the temporary file, which the user never sees
            }
            moved = true;
        } finally {
            channel.close();
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
        return java.util.HexFormat.of().formatHex(sha.digest());
    }

    /**
     * A buffered stream over a 64 KiB buffer of the calling thread's own ({@link ThreadLoan}: a file written while
     * another is open on the thread gets a new one): a writer thread writes about ten files per
     * sample, and a fresh buffer for each came to 0.4 MB of garbage per sample (session 16). Closing flushes, closes
     * the stream below and gives the buffer back.
     */
    private static final class ThreadBuffered extends java.io.FilterOutputStream {
        private static final ThreadLoan<byte[]> BUFFERS = new ThreadLoan<>(() -> new byte[1 << 16]);
        private final byte[] buf = BUFFERS.borrow();
        private int count;
        private boolean closed;

        ThreadBuffered(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            if (count == buf.length) {
                drain();
            }
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len >= buf.length) {
                drain(); // a large write goes straight through, after what came before it
                out.write(b, off, len);
                return;
            }
            if (len > buf.length - count) {
                drain();
            }
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        private void drain() throws IOException {
            if (count > 0) {
                out.write(buf, 0, count);
                count = 0;
            }
        }

        @Override
        public void flush() throws IOException {
            drain();
            out.flush();
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                flush();
            } finally {
                count = 0;
                BUFFERS.giveBack(buf);
                out.close();
            }
        }
    }

    private static final java.util.Set<java.nio.file.OpenOption> CREATE_NEW_WRITE = java.util.Set.of(
            java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
    private static final java.nio.file.attribute.FileAttribute<?> FILE_PERMISSIONS =
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
}
