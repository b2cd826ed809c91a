package dev.roadsynth.core.dataset;

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
 * The exclusive lock of an output directory ({@code OUT/.roadsynth.lock}, holding the holder's process id and host
 * name as {@code PID@HOST}), so that a second job writing into it stops at once, told which process on which machine
 * holds it (an output directory on a shared file system can be locked from another machine, where the process id
 * alone would send the user looking on their own). The operating system releases it when the process ends, however
 * it ends.
 */
public final class OutputLock implements AutoCloseable {
    /** The lock file's name in the output directory. */
    public static final String FILE = ".roadsynth.lock";

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
    public static OutputLock acquire(Path out) throws IOException {
        return acquire(out, " or choose another output directory");
    }

    /** As {@link #acquire(Path)}; {@code otherwise} ends the message when another job holds it. */
    public static OutputLock acquire(Path out, String otherwise) throws IOException {
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
            String holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
            ch.close();
            throw new IllegalStateException("another roadsynth job (" + describe(holder) + ") is writing into " + out
                    + "; wait for it to finish" + otherwise);
        }
        try {
            ch.truncate(0);
            String host = host();
            ch.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + (host.isEmpty() ? "" : "@" + host))
                    .getBytes(StandardCharsets.UTF_8)), 0);
        } catch (IOException | RuntimeException e) {
            lock.release();
            ch.close();
            throw e;
        }
        return new OutputLock(ch, lock);
    }

    /**
     * The job holding {@code out}'s lock in words ("process 12 on node-3"), or null when none does (or {@code out} has
     * no lock file). Takes a shared lock for a moment, and writes nothing.
     */
    public static String holder(Path out) throws IOException {
        Path file = out.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            FileLock lock;
            try {
                lock = ch.tryLock(0, Long.MAX_VALUE, true);
            } catch (OverlappingFileLockException e) {
                lock = null; // a job in this process holds it
            }
            if (lock != null) {
                lock.release();
                return null;
            }
        }
        return "another roadsynth job (" + describe(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip())
                + ")";
    }

    /** A lock file's {@code PID@HOST} (or a bare PID, as earlier versions wrote) in words. */
    static String describe(String holder) {
        if (holder.isEmpty()) {
            return "process ?";
        }
        int at = holder.indexOf('@');
        return at < 0 ? "process " + holder : "process " + holder.substring(0, at) + " on " + holder.substring(at + 1);
    }

    /**
     * This machine's name, from the kernel (no name service asked: a lookup can hang on a cluster node), or empty
     * where it cannot be read.
     */
    static String host() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
        } catch (IOException | RuntimeException e) {
            String env = System.getenv("HOSTNAME");
            return env == null ? "" : env.strip();
        }
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
