package dev.roadsynth.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void replacesTheTargetAndReturnsTheHashOfWhatItWrote(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("a/b.txt");
        AtomicFiles.write(target, out -> out.write("old".getBytes(StandardCharsets.UTF_8)));
        byte[] bytes = new byte[200_000]; // more than the 64 KiB buffer: large writes bypass it
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        String sha = AtomicFiles.write(target, out -> {
            out.write(bytes, 0, 10);
            out.write(bytes[10]);
            out.write(bytes, 11, bytes.length - 11);
        });
        assertThat(Files.readAllBytes(target)).isEqualTo(bytes);
        assertThat(sha).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        assertThat(names(target.getParent())).containsExactly("b.txt");
    }

    @Test
    void writesOfEverySizeAndFilesWrittenWithinFilesKeepTheirBytes(@TempDir Path dir) throws Exception {
        // Writes of random sizes around the thread's 64 KiB buffer, a second file written while the first is open
        // (it gets a buffer of its own), and a file whose content fails halfway before them.
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        byte[] bytes = new byte[400_000];
        rng.nextBytes(bytes);
        assertThatThrownBy(() -> AtomicFiles.write(dir.resolve("failed"), out -> {
            out.write(bytes, 0, 1000);
            throw new IOException("content failed");
        })).hasMessage("content failed");
        byte[] inner = "written while the outer file is open".getBytes(StandardCharsets.UTF_8);
        String innerSha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(inner));
        String sha = AtomicFiles.write(dir.resolve("outer"), out -> {
            int at = 0;
            boolean nested = false;
            while (at < bytes.length) {
                int len = Math.min(bytes.length - at, rng.nextInt(4) == 0 ? rng.nextInt(60_000, 140_000) : rng.nextInt(0, 3000));
                if (len == 1) {
                    out.write(bytes[at]);
                } else {
                    out.write(bytes, at, len);
                }
                at += len;
                if (!nested && at > 100_000) {
                    nested = true;
                    assertThat(AtomicFiles.write(dir.resolve("inner"), o -> o.write(inner))).isEqualTo(innerSha);
                }
            }
        });
        assertThat(Files.readAllBytes(dir.resolve("outer"))).isEqualTo(bytes);
        assertThat(sha).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        assertThat(Files.readAllBytes(dir.resolve("inner"))).isEqualTo(inner);
        assertThat(names(dir)).containsExactly("inner", "outer");
    }

    @Test
    void aTargetThatCannotBeReplacedIsNamedInTheErrorAndNoTemporaryFileIsLeft(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("000002.png");
        Files.createDirectories(target);
        Files.writeString(target.resolve("keep"), "x");
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> out.write(1)))
                .isInstanceOf(FileSystemException.class)
                .satisfies(e -> assertThat(((FileSystemException) e).getFile()).isEqualTo(target.toString()))
                .hasMessageContaining("Is a directory");
        assertThat(names(dir)).containsExactly("000002.png");
        assertThat(names(target)).containsExactly("keep");
    }

    @Test
    void theContentsOwnErrorsPassThroughUnchangedAndLeaveTheOldFile(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("t.json");
        Files.writeString(target, "before");
        NoSuchFileException source = new NoSuchFileException("/elsewhere/part.jsonl");
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write(new byte[100_000]);
            throw source;
        })).isSameAs(source);
        assertThat(Files.readString(target)).isEqualTo("before");
        assertThat(names(dir)).containsExactly("t.json");
    }
}
