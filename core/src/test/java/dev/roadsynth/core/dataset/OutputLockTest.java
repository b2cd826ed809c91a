package dev.roadsynth.core.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputLockTest {
    @Test
    void aHeldDirectoryRefusesASecondLockUntilReleased(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        long pid = ProcessHandle.current().pid();
        try (OutputLock held = OutputLock.acquire(out)) {
            assertThat(Files.readString(out.resolve(OutputLock.FILE))).isEqualTo(pid + "@" + host);
            assertThatThrownBy(() -> OutputLock.acquire(out, " before packing"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("another roadsynth job (process " + pid + " on " + host + ") is writing into " + out
                            + "; wait for it to finish before packing");
        }
        try (OutputLock again = OutputLock.acquire(out)) {
            assertThat(Files.readString(out.resolve(OutputLock.FILE))).isEqualTo(pid + "@" + host);
        }
    }

    @Test
    void lockFilesOfEarlierVersionsHoldTheProcessIdAlone() {
        assertThat(OutputLock.describe("41731")).isEqualTo("process 41731");
        assertThat(OutputLock.describe("41731@node-7")).isEqualTo("process 41731 on node-7");
        assertThat(OutputLock.describe("")).isEqualTo("process ?");
    }
}
