package dev.roadsynth.renderer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Makes processes of one user on one host load LWJGL's natives one after another.
 *
 * <p>Why: LWJGL extracts its natives from the jar into one folder per user under {@code java.io.tmpdir} (its
 * {@code SharedLibraryLoader}) by writing the file in place. Processes that start at once on a machine that has not
 * run roadsynth yet (the shards of a Slurm array on one node, two {@code generate} processes on one GPU) see each
 * other's half-written file, write it again beneath a process that is already loading it, and that process dies
 * in the dynamic loader with SIGBUS (5 of 40 JVMs, started eight at a time, did here); its check for a writable
 * folder races too, and a loser extracts into {@code .lwjgl/} in its working directory. Holding an exclusive lock
 * on one file while loading means each process finds either no file or a whole one.
 *
 * <p>The lock is {@code roadsynth-lwjgl-USER.lock} in {@code java.io.tmpdir}; the operating system releases it when
 * its holder exits, killed or not. Where it cannot be taken (a read-only temporary folder, a file system without
 * locks) loading goes ahead unlocked, as LWJGL alone would.
 */
final class NativesLock {
    private NativesLock() {
    }

    /** Runs {@code load} while holding the lock, or without it where it cannot be taken. */
    static void holding(Runnable load) {
        FileChannel channel = take(file());
        try {
            load.run();
        } finally {
            if (channel != null) {
                try {
                    channel.close(); // releases the lock
                } catch (IOException ignored) {
                    // the lock goes with the channel either way
                }
            }
        }
    }

    /** The lock's file: per user, since another user's file in a shared /tmp could not be opened for writing. */
    static Path file() {
        String user = System.getProperty("user.name", "").replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of(System.getProperty("java.io.tmpdir"), "roadsynth-lwjgl-" + user + ".lock");
    }

    private static FileChannel take(Path file) {
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            channel.lock(); // blocks while another process loads
            return channel;
        } catch (IOException | OverlappingFileLockException | UnsupportedOperationException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // nothing held
                }
            }
            return null;
        }
    }
}
