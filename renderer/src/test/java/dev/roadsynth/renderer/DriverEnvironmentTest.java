package dev.roadsynth.renderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code -Droadsynth.glYield}: the variable reaches native code before the driver loads, a value the user set is
 * kept, the description says which, and a bad value is refused by name. Each case in a JVM of its own, since
 * the libraries load once per process and the environment is the process's.
 */
class DriverEnvironmentTest {

    /** Opens a context (software, to be quick) as a renderer does, then prints what the driver sees and the description. */
    public static final class Open {
        public static void main(String[] args) {
            try (EglContext c = EglContext.create(GpuSelection.SOFTWARE)) {
                System.out.println("native " + DriverEnvironment.YIELD_VARIABLE + "="
                        + DriverEnvironment.getenv(DriverEnvironment.YIELD_VARIABLE));
                System.out.println("description: " + c.description());
            } catch (RenderException e) {
                System.out.println("refused: " + e.getMessage());
            }
        }
    }

    private static String run(String property, String inherited) throws Exception {
        String java = ChildJvm.java();
        List<String> cmd = new ArrayList<>(List.of(java));
        if (property != null) {
            cmd.add("-D" + DriverEnvironment.YIELD_PROPERTY + "=" + property);
        }
        cmd.addAll(List.of("-cp", ChildJvm.classPath(), Open.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove(DriverEnvironment.YIELD_VARIABLE);
        if (inherited != null) {
            pb.environment().put(DriverEnvironment.YIELD_VARIABLE, inherited);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    @Test
    void theSwitchSetsTheVariableForNativeCodeAndSaysSo() throws Exception {
        String out = run("nothing", null);
        assertThat(out).contains("native __GL_YIELD=NOTHING")
                .contains("description: ").contains(", the driver told __GL_YIELD=NOTHING");
    }

    @Test
    void aValueFromTheEnvironmentIsKept() throws Exception {
        String out = run("NOTHING", "USLEEP");
        assertThat(out).contains("native __GL_YIELD=USLEEP").contains(", the driver's __GL_YIELD=USLEEP from the environment");
    }

    @Test
    void unsetNothingIsSetOrSaid() throws Exception {
        String out = run(null, null);
        assertThat(out).contains("native __GL_YIELD=null").doesNotContain("__GL_YIELD=N").doesNotContain("driver told");
    }

    @Test
    void aBadValueIsRefusedByName() throws Exception {
        String out = run("sometimes", null);
        assertThat(out).contains("refused: system property roadsynth.glYield is 'sometimes'; allowed: default, NOTHING, USLEEP")
                .doesNotContain("cannot load the EGL library");
    }

    @Test
    void setenvKeepsAValueAlreadySet() {
        String name = "ROADSYNTH_TEST_" + System.nanoTime();
        assertThat(DriverEnvironment.getenv(name)).isNull();
        DriverEnvironment.setenv(name, "first");
        DriverEnvironment.setenv(name, "second");
        assertThat(DriverEnvironment.getenv(name)).isEqualTo("first");
    }

    @Test
    void theSwitchIsCheckedInProcessToo() {
        String had = System.getProperty(DriverEnvironment.YIELD_PROPERTY);
        System.setProperty(DriverEnvironment.YIELD_PROPERTY, "always");
        try {
            assertThatThrownBy(DriverEnvironment::yieldSetting).isInstanceOf(RenderException.class)
                    .hasMessageContaining("roadsynth.glYield");
        } finally {
            WithRenderer.restore(DriverEnvironment.YIELD_PROPERTY, had);
        }
    }
}
