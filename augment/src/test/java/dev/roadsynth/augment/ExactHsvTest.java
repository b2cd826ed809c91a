package dev.roadsynth.augment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roadsynth.core.Frame;
import org.junit.jupiter.api.Test;

/** The exact-HSV colour mode, checked against arithmetic on the input colours rather than against itself. */
class ExactHsvTest {
    static final int FILL = 0;

    static Frame jitter(Frame f, ColorParams c) {
        return Augmenter.apply(f, GeometryParams.IDENTITY, c, FILL);
    }

    @Test
    void aFullHueTurnWithUnchangedSaturationReturnsTheInputExactly() {
        Frame f = AugmenterTest.frame();
        assertThat(jitter(f, new ColorParams(1, 1, 1, 360, true)).rgb()).isEqualTo(f.rgb());
    }

    @Test
    void zeroSaturationGivesGreyWithTheMaximumChannelAsValue() {
        Frame f = AugmenterTest.frame();
        byte[] in = f.rgb().toArray();
        byte[] out = jitter(f, new ColorParams(1, 1, 0, 0, true)).rgb().toArray();
        for (int i = 0; i < in.length; i += 3) {
            // HSV's value is max(R, G, B); with no saturation every channel becomes it.
            int v = Math.max(in[i] & 0xff, Math.max(in[i + 1] & 0xff, in[i + 2] & 0xff));
            assertThat(new int[] {out[i] & 0xff, out[i + 1] & 0xff, out[i + 2] & 0xff}).as("pixel %d", i / 3)
                    .containsExactly(v, v, v);
        }
    }

    @Test
    void aHueShiftChangesColoursButKeepsEachPixelsValueAndLeavesLabelsAlone() {
        Frame f = AugmenterTest.frame();
        Frame g = jitter(f, new ColorParams(1, 1, 1, 90, true));
        assertThat(g.rgb()).isNotEqualTo(f.rgb());
        assertThat(g.semantic()).isEqualTo(f.semantic());
        assertThat(g.instance()).isEqualTo(f.instance());
        byte[] in = f.rgb().toArray();
        byte[] out = g.rgb().toArray();
        for (int i = 0; i < in.length; i += 3) {
            int v = Math.max(in[i] & 0xff, Math.max(in[i + 1] & 0xff, in[i + 2] & 0xff));
            int w = Math.max(out[i] & 0xff, Math.max(out[i + 1] & 0xff, out[i + 2] & 0xff));
            assertThat(w).as("value of pixel %d", i / 3).isEqualTo(v);
        }
    }

    @Test
    void brightnessAndContrastAloneAgreeWithTheMatrixModeWithinOneLevel() {
        Frame f = AugmenterTest.frame();
        byte[] exact = jitter(f, new ColorParams(1.2, 0.8, 1, 0, true)).rgb().toArray();
        byte[] matrix = jitter(f, new ColorParams(1.2, 0.8, 1, 0)).rgb().toArray();
        byte[] in = f.rgb().toArray();
        for (int i = 0; i < in.length; i++) {
            double expected = Math.max(0, Math.min(255, 1.2 * (0.8 * ((in[i] & 0xff) - 128) + 128)));
            assertThat((double) (exact[i] & 0xff)).as("byte %d", i).isCloseTo(expected, org.assertj.core.data.Offset.offset(0.51));
            assertThat(Math.abs((exact[i] & 0xff) - (matrix[i] & 0xff))).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void aSpecCarriesTheModeIntoEveryDraw() {
        AugmentSpec spec = new AugmentSpec(Range.off(0), Range.off(1), Range.off(1), Range.off(0), Range.off(0),
                Range.off(0), 0, Range.of(0.8, 1.2), Range.off(1), Range.of(0.5, 1.5), Range.of(-30, 30), Range.off(1),
                Range.off(0), Range.off(0), Range.off(0), 0, 0, true);
        var p = spec.sample(new java.util.SplittableRandom(2), 97, 61);
        assertThat(p.colour().exactHsv()).isTrue();
        Frame f = AugmenterTest.frame();
        assertThat(Augmenter.apply(f, p, FILL).rgb()).isEqualTo(Augmenter.apply(f, p, FILL).rgb())
                .isNotEqualTo(f.rgb());
    }

    @Test
    void photometricEffectsApplyToTheJitteredColoursNotTheWarpedOnes() {
        Frame f = AugmenterTest.frame();
        ColorParams grey = new ColorParams(1, 1, 0, 0, true);
        PhotometricParams gamma = new PhotometricParams(0.5, 0, 0, 0);
        byte[] both = Augmenter.apply(f, new AugmentSpec.Params(GeometryParams.IDENTITY, grey, gamma), FILL).rgb().toArray();
        byte[] greyOnly = jitter(f, grey).rgb().toArray();
        for (int i = 0; i < both.length; i++) {
            // Gamma 0.5 of the grey value, as the gamma table computes it: still grey, and brightened.
            int expected = (int) Math.round(255 * Math.pow((greyOnly[i] & 0xff) / 255.0, 0.5));
            assertThat(both[i] & 0xff).as("byte %d", i).isEqualTo(expected);
        }
    }
}
