package dev.roadsynth.renderer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roadsynth.core.DepthPlane;
import dev.roadsynth.core.Frame;
import dev.roadsynth.scenes.Scene;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The renderer's label planes against {@link ReferenceRasterizer}, an independent CPU rasterization of the same
 * triangles. Every pixel must agree except those the rules leave too close to call (a centre within 1e-3 px of an
 * edge, or two differently labelled surfaces at the same depth); those are counted, reported and bounded. Depth
 * must lie within {@value #DEPTH_REL} relative of the reference surface's depth interpolated at the exact or at
 * the snapped vertex positions (see {@link ReferenceRasterizer#depthSnapped}).
 */
class LabelExactnessTest {
    /** Relative depth tolerance against the double-precision reference. */
    private static final double DEPTH_REL = 1e-4;
    /** Ambiguous pixels must stay a tiny fraction of the image. */
    private static final double MAX_AMBIGUOUS_FRACTION = 0.005;

    private static ThreadedRenderer renderer;
    private static int subpixelBits;

    @BeforeAll
    static void open() {
        renderer = (ThreadedRenderer) Renderer.open(GpuSelection.AUTO);
        subpixelBits = renderer.subpixelBits();
        System.out.println("renderer: " + renderer.description() + ", GL_SUBPIXEL_BITS " + subpixelBits);
    }

    @AfterAll
    static void close() {
        renderer.close();
    }

    @ParameterizedTest(name = "seed {0} at {1}x{2}, {3} triangles, {4} boxes")
    @CsvSource({
            "1, 1024, 512, 300, 40",
            "2, 333, 217, 200, 30",
            "3, 2048, 1024, 400, 60",
            "4, 1001, 999, 300, 40",
            "5, 7, 5, 20, 5",
            "6, 640, 481, 500, 80",
            "7, 1024, 512, 0, 120",
            "8, 800, 600, 25, 4"})
    void labelPlanesEqualTheCpuReference(long seed, int width, int height, int triangles, int boxes) {
        Scene scene = RandomScenes.of(seed, width, height, triangles, boxes);
        Frame frame = renderer.render(scene);
        assertMatches(frame, ReferenceRasterizer.rasterize(scene, subpixelBits), "seed " + seed);
    }

    /** Compares every pixel with the reference; reports and bounds the pixels too close to call. */
    static void assertMatches(Frame frame, ReferenceRasterizer ref, String what) {
        int width = frame.width();
        int height = frame.height();
        int pixels = width * height;
        int ambiguous = 0;
        int covered = 0;
        List<String> mismatches = new ArrayList<>();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                if (ref.ambiguous(i)) {
                    ambiguous++;
                    continue;
                }
                boolean hit = ref.depth[i] != Double.POSITIVE_INFINITY;
                covered += hit ? 1 : 0;
                float depth = frame.depth().get(x, y);
                double lo = Math.min(ref.depth[i], ref.depthSnapped[i]);
                double hi = Math.max(ref.depth[i], ref.depthSnapped[i]);
                boolean depthOk = hit ? depth >= lo * (1 - DEPTH_REL) - ref.depthSlack[i]
                        && depth <= hi * (1 + DEPTH_REL) + ref.depthSlack[i]
                        : depth == DepthPlane.NO_DEPTH;
                if (frame.semantic().get(x, y) != ref.cls[i] || frame.instance().get(x, y) != ref.inst[i] || !depthOk) {
                    if (mismatches.size() < 20) {
                        mismatches.add("(" + x + ", " + y + "): class " + frame.semantic().get(x, y) + " vs " + ref.cls[i]
                                + ", instance " + frame.instance().get(x, y) + " vs " + ref.inst[i]
                                + ", depth " + depth + " vs " + ref.depth[i] + " (snapped " + ref.depthSnapped[i] + ")");
                    } else {
                        mismatches.add("");
                    }
                }
            }
        }
        System.out.printf("%s %dx%d: %d pixels, %d covered, %d ambiguous (%.4f%%), %d mismatches%n",
                what, width, height, pixels, covered, ambiguous, 100.0 * ambiguous / pixels, mismatches.size());
        assertThat(covered).as("the scene covers part of the image").isPositive();
        assertThat(mismatches).as("pixels that differ from the CPU reference").isEmpty();
        assertThat((double) ambiguous / pixels).as("fraction of pixels too close to call").isLessThan(MAX_AMBIGUOUS_FRACTION);
    }

    @Test
    void everyPixelHoldsAClassOfTheLabelSet() {
        Scene scene = RandomScenes.of(11, 512, 256, 300, 40);
        Frame frame = renderer.render(scene);
        for (int y = 0; y < frame.height(); y++) {
            for (int x = 0; x < frame.width(); x++) {
                assertThat(frame.labels().contains(frame.semantic().get(x, y))).as("class at (%d, %d)", x, y).isTrue();
            }
        }
    }
}
