package dev.roadsynth.core.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Line-delimited JSON files (manifests), read leniently where a reader only looks things up in them. */
public final class JsonLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonLines() {
    }

    /** What to do with each object; may throw what reading does. */
    @FunctionalInterface
    public interface ObjectAction {
        void accept(JsonNode object) throws IOException;
    }

    /**
     * Hands each line of {@code file} that is a JSON object to {@code action}, in order, one line at a time (a
     * million-sample manifest is gigabytes, and parsed into trees at once it would need several times that); nothing
     * when there is no such file. A line that is not one (cut short when a run was interrupted: its sample is not
     * done) is passed over.
     */
    public static void forEach(Path file, ObjectAction action) throws IOException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        // Lines as bytes, each parsed by Jackson, which decodes UTF-8 itself: a line of bytes that are not UTF-8 (a
        // disk's garbage after a power loss) is passed over as one cut short, where a reader decoding the file as
        // text would stop at it.
        try (WholeLines lines = new WholeLines(Files.newInputStream(file))) {
            for (byte[] line = lines.next(); line != null; line = lines.next()) {
                handle(line, action);
            }
            handle(lines.rest(), action); // a last line without its newline
        }
    }

    private static void handle(byte[] line, ObjectAction action) throws IOException {
        if (line.length == 0) {
            return;
        }
        JsonNode m;
        try {
            m = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return; // a line cut short, or not UTF-8
        }
        if (m != null && m.isObject()) {
            action.accept(m);
        }
    }

    /**
     * A reader of {@code file}'s lines as UTF-8 text whose errors name the file: a line of bytes that are not UTF-8
     * (a disk's garbage) is "FILE: a line is not UTF-8 text", where Java's own message says "Input length = 1".
     */
    public static java.io.BufferedReader reader(Path file) throws IOException {
        return new java.io.BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file),
                java.nio.charset.StandardCharsets.UTF_8.newDecoder())) {
            @Override
            public String readLine() throws IOException {
                try {
                    return super.readLine();
                } catch (java.nio.charset.CharacterCodingException e) {
                    throw new IOException(file + ": a line is not UTF-8 text (damaged?)", e);
                }
            }
        };
    }
}
