package dev.roadsynth.renderer;

import dev.roadsynth.scenes.Intrinsics;
import dev.roadsynth.scenes.Scene;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The GL 3.3 core fallback, with the classic [-1, 1] depth mapping instead of reversed float depth, against the
 * same CPU reference as {@link LabelExactnessTest}. The classic mapping resolves depth much more coarsely far
 * away, so two surfaces count as tied within a few of its depth steps (about 2^-23 of the window depth range,
 * converted to metres at the pixel's depth) rather than within 1e-5 relative.
 */
class Gl33FallbackTest {
    @ParameterizedTest(name = "seed {0} at {1}x{2}")
    @CsvSource({"1, 1024, 512, 300, 40", "6, 640, 481, 500, 80", "8, 800, 600, 25, 4"})
    void classicDepthPathMatchesTheCpuReference(long seed, int width, int height, int triangles, int boxes) {
        try (ThreadedRenderer r = ThreadedRenderer.open(GpuSelection.AUTO, true)) {
            org.assertj.core.api.Assertions.assertThat(r.description()).contains("classic depth");
            Scene scene = RandomScenes.of(seed, width, height, triangles, boxes);
            Intrinsics k = scene.camera().intrinsics();
            double n = k.near();
            double f = k.far();
            // dz/dd for window depth d = (f + n)/(2(f - n)) - f n/((f - n) z) + 1/2 is z^2 (f - n)/(f n).
            ReferenceRasterizer ref = ReferenceRasterizer.rasterize(scene, r.subpixelBits(),
                    z -> Math.max(ReferenceRasterizer.DEPTH_TIE_REL * z, 8 * Math.scalb(1.0, -23) * z * z * (f - n) / (f * n)));
            LabelExactnessTest.assertMatches(r.render(scene), ref, "classic depth, seed " + seed);
        }
    }
}
