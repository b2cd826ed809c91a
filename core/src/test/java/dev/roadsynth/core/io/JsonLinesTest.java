package dev.roadsynth.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A manifest with a line of bytes that are not UTF-8 (a disk's garbage), as readers of manifests meet it. */
class JsonLinesTest {
    /** Lines 1 and 3 objects, line 2 garbage, line 4 an object without its newline; the first line over 64 KiB. */
    private static Path manifest(Path dir) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("{\"i\":1,\"pad\":\"" + "x".repeat(70_000) + "\"}\n").getBytes(StandardCharsets.UTF_8));
        b.writeBytes(new byte[] {(byte) 0xff, (byte) 0xfe, '{', '\n'});
        b.writeBytes("[3]\n{\"i\":3}\n\n{\"i\":4}".getBytes(StandardCharsets.UTF_8));
        return Files.write(dir.resolve("manifest.jsonl"), b.toByteArray());
    }

    @Test
    void forEachPassesOverLinesThatAreNotUtf8JsonObjects(@TempDir Path dir) throws Exception {
        List<Integer> seen = new ArrayList<>();
        JsonLines.forEach(manifest(dir), m -> seen.add(m.get("i").asInt()));
        assertThat(seen).containsExactly(1, 3, 4);
        JsonLines.forEach(dir.resolve("none.jsonl"), m -> seen.add(0));
        assertThat(seen).hasSize(3);
    }

    @Test
    void aReaderNamesTheFileWhereALineIsNotUtf8(@TempDir Path dir) throws Exception {
        Path file = manifest(dir);
        // The decoder reads ahead: the error may come with a line before the damaged one.
        try (BufferedReader r = JsonLines.reader(file)) {
            assertThatThrownBy(() -> {
                while (r.readLine() != null) {
                    continue;
                }
            }).isInstanceOf(IOException.class).hasMessage(file + ": a line is not UTF-8 text (damaged?)");
        }
        Files.writeString(file, "{\"i\":1}\n\u00e9\n");
        try (BufferedReader r = JsonLines.reader(file)) {
            assertThat(r.readLine()).isEqualTo("{\"i\":1}");
            assertThat(r.readLine()).isEqualTo("\u00e9");
            assertThat(r.readLine()).isNull();
        }
    }
}
