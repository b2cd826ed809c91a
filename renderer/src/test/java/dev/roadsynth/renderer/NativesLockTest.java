package dev.roadsynth.renderer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Processes started at once on a machine where LWJGL's natives were never extracted: each must load them (without the
 * lock, 5 of 40 JVMs started eight at a time died of SIGBUS in the dynamic loader here, and losers of LWJGL's
 * writable-folder check extracted into {@code .lwjgl/} in their working directory).
 */
class NativesLockTest {
    private static final int PROCESSES = 8;
    private static final int ROUNDS = 3;

    /** Loads the natives as a renderer does, then says so; run by {@link #processesStartedAtOnceAllLoadTheNatives}. */
    public static final class Load {
        public static void main(String[] args) {
            EglContext.loadLibraries();
            System.out.println("loaded");
        }
    }

    @Test
    void processesStartedAtOnceAllLoadTheNatives(@TempDir Path dir) throws Exception {
        String java = ChildJvm.java();
        for (int round = 0; round < ROUNDS; round++) {
            Path tmp = Files.createDirectories(dir.resolve("tmp-" + round)); // nothing extracted there yet
            Path work = Files.createDirectories(dir.resolve("work-" + round));
            List<Process> started = new ArrayList<>();
            for (int i = 0; i < PROCESSES; i++) {
                List<String> cmd = new ArrayList<>(List.of(java, "-Djava.io.tmpdir=" + tmp,
                        "-cp", ChildJvm.classPath(), Load.class.getName()));
                started.add(new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                        .redirectOutput(work.resolve("out-" + i).toFile()).start());
            }
            for (int i = 0; i < PROCESSES; i++) {
                int code = started.get(i).waitFor();
                String said = Files.readString(work.resolve("out-" + i));
                assertThat(code).as("round %d, process %d: %s", round, i, said).isZero();
                assertThat(said).as("round %d, process %d", round, i).contains("loaded");
            }
            assertThat(names(work)).as("round %d: the working directory", round)
                    .allMatch(n -> n.startsWith("out-")); // no .lwjgl/, no hs_err_pid*.log
            assertThat(tmp.resolve(NativesLock.file().getFileName())).exists();
        }
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> all = Files.list(folder)) {
            return all.map(p -> p.getFileName().toString()).toList();
        }
    }
}
