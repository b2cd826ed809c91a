package dev.roadsynth.renderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roadsynth.renderer.FrameReadback.Path;
import dev.roadsynth.renderer.FrameReadback.Readout;
import dev.roadsynth.renderer.FrameReadback.Way;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which way frames leave the GPU ({@link Way#chosen}): NVIDIA's driver gets its measured way unless a switch is set,
 * every other driver the plain one; any switch set decides alone, the unset ones at the plain way's choices. No GL.
 */
class FrameReadbackWayTest {
    private static final String[] SWITCHES = {Path.PROPERTY, Readout.PROPERTY, Way.CLIENT_STORAGE_PROPERTY};
    private final Map<String, String> before = new HashMap<>();

    @BeforeEach
    void clearSwitches() {
        // The GPU machine's scripts may pass switches to the test JVM; this test sets its own.
        for (String p : SWITCHES) {
            before.put(p, System.getProperty(p));
            System.clearProperty(p);
        }
    }

    @AfterEach
    void restoreSwitches() {
        before.forEach(WithRenderer::restore);
    }

    @Test
    void withoutSwitchesNvidiasDriverGetsItsWayAndEveryOtherThePlainOne() {
        assertThat(Way.chosen("NVIDIA Corporation")).isEqualTo(Way.NVIDIA)
                .isEqualTo(new Way(Path.COMPUTE_COPY, Readout.PERSISTENT, true));
        for (String vendor : new String[] {"Mesa", "AMD", "Intel", "Mesa/X.org", "nvidia-like", ""}) {
            assertThat(Way.chosen(vendor)).as(vendor).isEqualTo(Way.PLAIN)
                    .isEqualTo(new Way(Path.PIXELS, Readout.MAP, false));
        }
        assertThat(Way.chosen(null)).isEqualTo(Way.PLAIN);
    }

    @Test
    void anySwitchDecidesAloneWithTheOthersAtThePlainWays() {
        System.setProperty(Path.PROPERTY, "pixels");
        assertThat(Way.chosen("NVIDIA Corporation")).isEqualTo(Way.PLAIN);
        System.clearProperty(Path.PROPERTY);
        System.setProperty(Readout.PROPERTY, "persistent");
        assertThat(Way.chosen("NVIDIA Corporation")).isEqualTo(new Way(Path.PIXELS, Readout.PERSISTENT, false));
        System.setProperty(Way.CLIENT_STORAGE_PROPERTY, "true");
        System.setProperty(Path.PROPERTY, "compute");
        assertThat(Way.chosen("Mesa")).isEqualTo(new Way(Path.COMPUTE, Readout.PERSISTENT, true));
        System.setProperty(Way.CLIENT_STORAGE_PROPERTY, "false");
        assertThat(Way.chosen("NVIDIA Corporation")).isEqualTo(new Way(Path.COMPUTE, Readout.PERSISTENT, false));
        System.setProperty(Way.CLIENT_STORAGE_PROPERTY, "yes");
        assertThatThrownBy(() -> Way.chosen("Mesa")).isInstanceOf(RenderException.class)
                .hasMessage("system property roadsynth.clientStorage is 'yes'; allowed: false, true");
        // Refused as the renderer opens, before the driver is asked for anything.
        assertThatThrownBy(() -> ThreadedRenderer.open(GpuSelection.AUTO).close()).isInstanceOf(RenderException.class)
                .hasMessage("system property roadsynth.clientStorage is 'yes'; allowed: false, true");
    }

    @Test
    void aContextWithoutTheNeededVersionsGetsWhatItOffers() {
        assertThat(Way.NVIDIA.within(true, true)).isEqualTo(Way.NVIDIA);
        assertThat(Way.NVIDIA.within(false, true)).isEqualTo(new Way(Path.PIXELS, Readout.PERSISTENT, true));
        // Client memory is a property of buffers mapped once only.
        assertThat(Way.NVIDIA.within(true, false)).isEqualTo(new Way(Path.COMPUTE_COPY, Readout.MAP, false));
        assertThat(Way.NVIDIA.within(false, false)).isEqualTo(Way.PLAIN);
    }
}
