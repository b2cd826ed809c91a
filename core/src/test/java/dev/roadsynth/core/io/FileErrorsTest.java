package dev.roadsynth.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FileErrorsTest {
    private static final Path TARGET = Path.of("out/depth/train/000412.npy");

    @Test
    void aWriteErrorNamesItsTargetAndSaysWhyInWords() {
        // A stream's error: a message, no file.
        IOException full = FileErrors.named(TARGET, new IOException("No space left on device"));
        assertThat(full).isInstanceOf(FileErrors.WriteFailedException.class).hasCauseInstanceOf(IOException.class);
        assertThat(((FileSystemException) full).getFile()).isEqualTo(TARGET.toString());
        assertThat(((FileSystemException) full).getReason()).isEqualTo("No space left on device");
        // A rename's errors name the temporary file and often carry no reason: not the words a user should see.
        String tmp = "out/depth/train/.000412.npy.k3j.tmp";
        assertThat(((FileSystemException) FileErrors.named(TARGET, new NoSuchFileException(tmp))).getReason())
                .isEqualTo("No such file or directory");
        assertThat(((FileSystemException) FileErrors.named(TARGET, new AccessDeniedException(tmp))).getReason())
                .isEqualTo("Permission denied");
        assertThat(((FileSystemException) FileErrors.named(TARGET, new FileSystemException(tmp, TARGET.toString(),
                "Is a directory"))).getMessage()).isEqualTo(TARGET + ": Is a directory");
        // Named once: naming it again changes nothing.
        assertThat(FileErrors.named(Path.of("elsewhere"), full)).isSameAs(full);
    }
}
