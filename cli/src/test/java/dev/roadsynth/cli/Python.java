package dev.roadsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Python for the tests that read our output with real clients (torchvision, numpy): required in CI (CI=true, where
 * .ci/run installs the apt packages), elsewhere the test is skipped, saying what to install.
 */
final class Python {
    /** Debian's interpreter, where apt installs the modules; another python3 on PATH may lack them. */
    static final String EXE = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";

    private Python() {
    }

    /**
     * Returns when python3 imports every module; otherwise fails in CI and skips elsewhere.
     *
     * @param packages the apt packages that provide the modules, for the messages
     */
    static void require(String packages, String... modules) throws Exception {
        Process p = new ProcessBuilder(EXE, "-c", "import " + String.join(", ", modules)).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) {
            assertThat(System.getenv("CI")).as(packages + " must be installed in CI (.ci/run installs it)").isNotEqualTo("true");
            Assumptions.abort("python3 with " + String.join(" and ", modules) + " is not installed (apt-get install "
                    + packages + ")");
        }
    }

    /** Runs {@code src/test/python/SCRIPT ARGS...} and returns what it printed, once it has exited with 0. */
    static String run(String script, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(EXE, Path.of("src/test/python", script).toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(output).isZero();
        return output;
    }
}
