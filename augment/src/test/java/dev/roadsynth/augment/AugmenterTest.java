package dev.roadsynth.augment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roadsynth.core.DepthPlane;
import dev.roadsynth.core.Frame;
import dev.roadsynth.core.IdPlane;
import dev.roadsynth.core.LabelSet;
import dev.roadsynth.core.RgbImage;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmenterTest {
    static final int W = 97;
    static final int H = 61;
    static final int FILL = 0;

    /** Blocks of classes and instances (some ids above 65535, to test all 32 bits), noise in colour, depth. */
    static Frame frame() {
        SplittableRandom rng = new SplittableRandom(3);
        int[] cls = new int[W * H];
        int[] inst = new int[W * H];
        float[] depth = new float[W * H];
        byte[] rgb = new byte[W * H * 3];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int i = y * W + x;
                cls[i] = 7 + ((x / 13 + y / 9) % 5) * 4;
                inst[i] = (x / 13) % 3 == 0 ? 0 : 70000 + (x / 13) * 100 + y / 9;
                depth[i] = 1 + x * 0.25f + y;
            }
        }
        rng.nextBytes(rgb);
        return new Frame(LabelSet.cityscapes(), RgbImage.copyOf(W, H, rgb), IdPlane.copyOf(W, H, cls),
                IdPlane.copyOf(W, H, inst), DepthPlane.copyOf(W, H, depth));
    }

    static Set<Integer> values(IdPlane p) {
        Set<Integer> s = new HashSet<>();
        for (int v : p.toArray()) {
            s.add(v);
        }
        return s;
    }

    @Test
    void identityParametersReturnTheInputUnchanged() {
        Frame f = frame();
        Frame g = Augmenter.apply(f, GeometryParams.IDENTITY, ColorParams.IDENTITY, FILL);
        assertThat(g.rgb()).isEqualTo(f.rgb());
        assertThat(g.semantic()).isEqualTo(f.semantic());
        assertThat(g.instance()).isEqualTo(f.instance());
        assertThat(g.depth()).isEqualTo(f.depth());
    }

    @Test
    void aFrameWithoutDepthComesOutWithoutDepthAndOtherwiseTheSame() {
        Frame f = frame();
        Frame bare = new Frame(f.labels(), f.rgb(), f.semantic(), f.instance(), null);
        GeometryParams g = new GeometryParams(17, 1.2, 0.8, 5, -3, 4, true);
        ColorParams c = new ColorParams(1.1, 0.9, 1.3, 20);
        Frame with = Augmenter.apply(f, g, c, FILL);
        Frame without = Augmenter.apply(bare, g, c, FILL);
        assertThat(with.hasDepth()).isTrue();
        assertThat(without.hasDepth()).isFalse();
        assertThat(without.rgb()).isEqualTo(with.rgb());
        assertThat(without.semantic()).isEqualTo(with.semantic());
        assertThat(without.instance()).isEqualTo(with.instance());
        assertThat(without.semantic()).isNotEqualTo(f.semantic()); // the warp moved something
    }

    @Test
    void labelIdsStayAmongTheInputsIdsAndTheFillUnderRandomTransforms() {
        Frame f = frame();
        Set<Integer> classes = values(f.semantic());
        classes.add(FILL);
        Set<Integer> instances = values(f.instance());
        instances.add(0);
        SplittableRandom rng = new SplittableRandom(11);
        for (int k = 0; k < 40; k++) {
            GeometryParams g = new GeometryParams(rng.nextDouble(-30, 30), rng.nextDouble(0.6, 1.5), rng.nextDouble(0.6, 1.5),
                    rng.nextDouble(-20, 20), rng.nextDouble(-15, 15), rng.nextDouble(-10, 10), rng.nextBoolean());
            ColorParams c = new ColorParams(rng.nextDouble(0.6, 1.4), rng.nextDouble(0.6, 1.4), rng.nextDouble(0, 2),
                    rng.nextDouble(-180, 180));
            Frame out = Augmenter.apply(f, g, c, FILL);
            assertThat(values(out.semantic())).as("%s", g).isSubsetOf(classes);
            assertThat(values(out.instance())).as("%s", g).isSubsetOf(instances);
            // Same parameters, same bytes.
            Frame again = Augmenter.apply(f, g, c, FILL);
            assertThat(again.rgb()).isEqualTo(out.rgb());
            assertThat(again.semantic()).isEqualTo(out.semantic());
        }
    }

    @Test
    void aTranslationMovesEveryLabelByWholePixels() {
        Frame f = frame();
        Frame g = Augmenter.apply(f, new GeometryParams(0, 1, 1, 0, 10, 3, false), ColorParams.IDENTITY, FILL);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int expected = x >= 10 && y >= 3 ? f.instance().get(x - 10, y - 3) : 0;
                assertThat(g.instance().get(x, y)).as("(%d, %d)", x, y).isEqualTo(expected);
                int cls = x >= 10 && y >= 3 ? f.semantic().get(x - 10, y - 3) : FILL;
                assertThat(g.semantic().get(x, y)).isEqualTo(cls);
            }
        }
    }

    @Test
    void aFlipMirrorsTheLabels() {
        Frame f = frame();
        Frame g = Augmenter.apply(f, new GeometryParams(0, 1, 1, 0, 0, 0, true), ColorParams.IDENTITY, FILL);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                assertThat(g.semantic().get(x, y)).isEqualTo(f.semantic().get(W - 1 - x, y));
                assertThat(g.depth().get(x, y)).isEqualTo(f.depth().get(W - 1 - x, y));
            }
        }
    }

    @Test
    void hueRotationByAFullTurnReturnsTheColoursWithinRounding() {
        Frame f = frame();
        Frame g = Augmenter.apply(f, GeometryParams.IDENTITY, new ColorParams(1, 1, 1, 360), FILL);
        byte[] a = f.rgb().toArray();
        byte[] b = g.rgb().toArray();
        for (int i = 0; i < a.length; i++) {
            assertThat(Math.abs((a[i] & 0xff) - (b[i] & 0xff))).as("byte %d", i).isLessThanOrEqualTo(1);
        }
        // And a half turn changes them.
        Frame half = Augmenter.apply(f, GeometryParams.IDENTITY, new ColorParams(1, 1, 1, 180), FILL);
        assertThat(half.rgb()).isNotEqualTo(f.rgb());
    }

    @Test
    void photometricEffectsChangeColoursOnlyAndReplayExactly() {
        Frame f = frame();
        AugmentSpec.Params gamma = new AugmentSpec.Params(GeometryParams.IDENTITY, ColorParams.IDENTITY,
                new PhotometricParams(2.2, 0, 0, 0));
        Frame g = Augmenter.apply(f, gamma, FILL);
        byte[] in = f.rgb().toArray();
        byte[] out = g.rgb().toArray();
        for (int i = 0; i < in.length; i++) {
            assertThat(out[i] & 0xff).isEqualTo((int) Math.round(255 * Math.pow((in[i] & 0xff) / 255.0, 2.2)));
        }
        for (PhotometricParams ph : List.of(new PhotometricParams(1, 1.5, 0, 0), new PhotometricParams(1, 0, 12, 77),
                new PhotometricParams(0.8, 0.7, 5, 78))) {
            AugmentSpec.Params p = new AugmentSpec.Params(GeometryParams.IDENTITY, ColorParams.IDENTITY, ph);
            Frame a = Augmenter.apply(f, p, FILL);
            Frame b = Augmenter.apply(f, p, FILL);
            assertThat(a.rgb()).as("%s", ph).isNotEqualTo(f.rgb()).isEqualTo(b.rgb());
            assertThat(a.semantic()).isEqualTo(f.semantic());
            assertThat(a.instance()).isEqualTo(f.instance());
            assertThat(a.depth()).isEqualTo(f.depth());
        }
        Frame otherNoise = Augmenter.apply(f, new AugmentSpec.Params(GeometryParams.IDENTITY, ColorParams.IDENTITY,
                new PhotometricParams(1, 0, 12, 78)), FILL);
        Frame noise = Augmenter.apply(f, new AugmentSpec.Params(GeometryParams.IDENTITY, ColorParams.IDENTITY,
                new PhotometricParams(1, 0, 12, 77)), FILL);
        assertThat(otherNoise.rgb()).as("another noise seed").isNotEqualTo(noise.rgb());
    }

    @Test
    void gaussianNoiseHasTheRequestedSpreadAndNoBias() {
        // Against the normal distribution itself: quantiles from the inverse CDF at known points, then the
        // sample mean and standard deviation of the noise added to a mid-grey image.
        assertThat(Warp.inverseNormal(0.5)).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(Warp.inverseNormal(0.975)).isCloseTo(1.959963985, org.assertj.core.data.Offset.offset(1e-8));
        assertThat(Warp.inverseNormal(0.001)).isCloseTo(-3.090232306, org.assertj.core.data.Offset.offset(1e-8));
        int w = 400;
        int h = 300;
        byte[] grey = new byte[w * h * 3];
        java.util.Arrays.fill(grey, (byte) 128);
        Frame f = new Frame(LabelSet.cityscapes(), RgbImage.copyOf(w, h, grey), IdPlane.copyOf(w, h, new int[w * h]),
                IdPlane.copyOf(w, h, new int[w * h]), DepthPlane.copyOf(w, h, new float[w * h]));
        Frame out = Augmenter.apply(f, new AugmentSpec.Params(GeometryParams.IDENTITY, ColorParams.IDENTITY,
                new PhotometricParams(1, 0, 12, 99)), 0);
        byte[] px = out.rgb().toArray();
        double sum = 0;
        double sq = 0;
        for (byte b : px) {
            double d = (b & 0xff) - 128;
            sum += d;
            sq += d * d;
        }
        double mean = sum / px.length;
        double std = Math.sqrt(sq / px.length - mean * mean);
        assertThat(mean).isCloseTo(0, org.assertj.core.data.Offset.offset(0.1));
        // sigma 12 plus the variance of rounding to whole steps (1/12)
        assertThat(std).isCloseTo(Math.sqrt(144 + 1.0 / 12), org.assertj.core.data.Offset.offset(0.1));
    }
}
