package dev.roadsynth.core.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                JsonNode m;
                try {
                    m = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    continue; // a line cut short
                }
                if (m != null && m.isObject()) {
                    action.accept(m);
                }
            }
        }
    }
}
