package dev.roadsynth.renderer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roadsynth.core.Frame;
import dev.roadsynth.core.LabelSet;
import dev.roadsynth.core.Rgb;
import dev.roadsynth.scenes.Camera;
import dev.roadsynth.scenes.Intrinsics;
import dev.roadsynth.scenes.Light;
import dev.roadsynth.scenes.Scene;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.joml.Vector3f;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The colour target comes back in the driver's own 4-byte read format (RGBA or BGRA, alpha dropped on copying) or
 * as RGB on GL 3.3 drivers; whichever, every channel lands where it belongs.
 */
class ColourReadbackTest {
    @ParameterizedTest(name = "GL 3.3 paths only: {0}")
    @ValueSource(booleans = {false, true})
    void aPlainBackgroundComesBackAsItsExactColourInEveryPixel(boolean gl33Only) {
        LabelSet labels = LabelSet.cityscapes();
        // Three different channel values: a swap of red and blue, or a stride off by the alpha byte, shows.
        Rgb colour = new Rgb(200, 90, 30);
        Intrinsics k = new Intrinsics(300, 300, 160.5, 60.5, 321, 121, 0.25, 120);
        Scene empty = new Scene(labels, List.of(), Camera.at(k, new Vector3f(0, 0, 1.5f), 0, 0, 0),
                Light.sunAt(40, 30, 0.8f, 0.3f), labels.id("sky"), colour);
        try (ThreadedRenderer r = ThreadedRenderer.open(GpuSelection.AUTO, gl33Only)) {
            if (gl33Only) {
                assertThat(r.description()).endsWith(", colour read as RGB");
            } else {
                assertThat(r.description()).containsPattern(", colour read as (RGBA|BGRA|RGB)$");
            }
            Frame f = r.render(empty);
            int expected = (200 << 16) | (90 << 8) | 30;
            for (int y = 0; y < f.height(); y++) {
                for (int x = 0; x < f.width(); x++) {
                    assertThat(f.rgb().rgb(x, y)).as("(%d, %d)", x, y).isEqualTo(expected);
                }
            }
        }
    }

    @ParameterizedTest(name = "blue first: {0}")
    @ValueSource(booleans = {false, true})
    void droppingAlphaKeepsRedGreenBlueInOrder(boolean bgra) {
        int pixels = 70_000; // more than one copy chunk
        int offset = 12;
        ByteBuffer map = ByteBuffer.allocateDirect(offset + 4 * pixels).order(ByteOrder.nativeOrder());
        for (int i = 0; i < pixels; i++) {
            byte r = (byte) i;
            byte g = (byte) (i >> 8);
            byte b = (byte) (i * 7 + 3);
            int at = offset + 4 * i;
            map.put(at, bgra ? b : r).put(at + 1, g).put(at + 2, bgra ? r : b).put(at + 3, (byte) 0x5a);
        }
        byte[] rgb = new byte[3 * pixels];
        PlaneCopy.dropAlpha(map, offset, 0, 65_536, bgra, rgb);
        PlaneCopy.dropAlpha(map, offset, 65_536, pixels - 65_536, bgra, rgb);
        for (int i = 0; i < pixels; i++) {
            assertThat(new byte[] {rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]}).as("pixel %d", i)
                    .containsExactly((byte) i, (byte) (i >> 8), (byte) (i * 7 + 3));
        }
    }
}
