package dev.roadsynth.core.io;

import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Write errors that name their file. A stream's own errors name none (a full disk is just "No space left on
 * device"), and a rename's name the temporary file; a user needs to know which file, and so which disk, failed.
 */
public final class FileErrors {
    private FileErrors() {
    }

    /** Writing a file failed: {@link #getFile} is the file, {@link #getReason} why, the cause the original error. */
    public static final class WriteFailedException extends FileSystemException {
        private static final long serialVersionUID = 1L;

        WriteFailedException(Path file, IOException cause) {
            super(file.toString(), null, reason(cause));
            initCause(cause);
        }
    }

    /** Why, in words: file-system exceptions often carry no reason, only their type and a path. */
    public static String reason(IOException e) {
        if (e instanceof java.nio.charset.CharacterCodingException) {
            return "not UTF-8 text";
        }
        if (e instanceof FileSystemException f) {
            if (f.getReason() != null) {
                return f.getReason();
            }
            if (e instanceof java.nio.file.NoSuchFileException) {
                return "No such file or directory";
            }
            if (e instanceof java.nio.file.AccessDeniedException) {
                return "Permission denied";
            }
            if (e instanceof java.nio.file.DirectoryNotEmptyException) {
                return "Directory not empty";
            }
            return e.getClass().getSimpleName();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** The error of writing {@code file}, as a {@link WriteFailedException} naming it (unchanged if it is one). */
    public static IOException named(Path file, IOException e) {
        return e instanceof WriteFailedException ? e : new WriteFailedException(file, e);
    }

    /** {@code out}, whose errors name {@code file}. */
    public static OutputStream naming(OutputStream out, Path file) {
        return new Naming(out, file);
    }

    /** A UTF-8 writer appending to {@code file} (created if missing), whose errors name it. */
    public static BufferedWriter appending(Path file) throws IOException {
        OutputStream out;
        try {
            out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw named(file, e);
        }
        return new BufferedWriter(new OutputStreamWriter(naming(out, file), StandardCharsets.UTF_8));
    }

    private static final class Naming extends FilterOutputStream {
        private final Path file;

        Naming(OutputStream out, Path file) {
            super(out);
            this.file = file;
        }

        /** One step on the wrapped stream. */
        @FunctionalInterface
        private interface Step {
            void run() throws IOException;
        }

        /** Runs {@code step}, its error naming the file. */
        private void naming(Step step) throws IOException {
            try {
                step.run();
            } catch (IOException e) {
                throw named(file, e);
            }
        }

        @Override
        public void write(int b) throws IOException {
            naming(() -> out.write(b));
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            naming(() -> out.write(b, off, len));
        }

        @Override
        public void flush() throws IOException {
            naming(out::flush);
        }

        @Override
        public void close() throws IOException {
            naming(out::close);
        }
    }
}
