package dev.roadsynth.cli;

import dev.roadsynth.core.io.FileErrors;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The exclusive lock of an output directory ({@code OUT/.roadsynth.lock}, holding the holder's process id), so
 * that a second job writing into it stops at once, told which process holds it. The operating system releases it
 * when the process ends, however it ends.
 */
final class OutputLock implements AutoCloseable {
    /** The lock file's name in the output directory. */
    static final String FILE = ".roadsynth.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates {@code out} if need be and locks it.
     *
     * @throws IllegalStateException when another job holds it, naming that job's process id
     */
    static OutputLock acquire(Path out) throws IOException {
        return acquire(out, " or choose another output directory");
    }

    /** As {@link #acquire(Path)}; {@code otherwise} ends the message when another job holds it. */
    static OutputLock acquire(Path out, String otherwise) throws IOException {
        Path file = out.resolve(FILE);
        FileChannel ch;
        try {
            Files.createDirectories(out);
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw e; // out is a file: said as such
        } catch (IOException e) {
            throw FileErrors.named(out, e);
        }
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            ch.close();
            throw FileErrors.named(file, e); // a file system without locks (some NFS mounts): "No locks available"
        } catch (RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            String pid = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).strip();
            ch.close();
            throw new IllegalStateException("another roadsynth job (process " + (pid.isEmpty() ? "?" : pid)
                    + ") is writing into " + out + "; wait for it to finish" + otherwise);
        }
        try {
            ch.truncate(0);
            ch.write(java.nio.ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid())
                    .getBytes(StandardCharsets.US_ASCII)), 0);
        } catch (IOException | RuntimeException e) {
            lock.release();
            ch.close();
            throw e;
        }
        return new OutputLock(ch, lock);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
