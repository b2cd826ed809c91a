package dev.roadsynth.core.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Line-delimited JSON files (manifests), read leniently where a reader only looks things up in them. */
public final class JsonLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonLines() {
    }

    /**
     * The lines of {@code file} that are JSON objects, in order; empty when there is no such file. A line that is
     * not one (cut short when a run was interrupted: its sample is not done) is passed over.
     */
    public static List<JsonNode> objects(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            try {
                JsonNode m = JSON.readTree(line);
                if (m != null && m.isObject()) {
                    out.add(m);
                }
            } catch (JsonProcessingException e) {
                // a line cut short
            }
        }
        return out;
    }
}
