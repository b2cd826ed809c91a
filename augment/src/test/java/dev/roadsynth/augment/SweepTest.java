package dev.roadsynth.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roadsynth.core.Frame;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SweepTest {
    @Test
    void aGridFixesOneParameterPerVariantAndLeavesTheRestNeutral() {
        Frame f = AugmenterTest.frame();
        List<Sweep.Variant> v = Sweep.grid(f, "rotation", new double[] {0, 7, -7}, 0);
        assertThat(v).extracting(Sweep.Variant::label).containsExactly("rotation = 0.0", "rotation = 7.0", "rotation = -7.0");
        assertThat(v.get(1).params().geometry()).isEqualTo(new GeometryParams(7, 1, 1, 0, 0, 0, false));
        assertThat(v.get(1).params().colour()).isEqualTo(ColorParams.IDENTITY);
        assertThat(v.get(0).frame().semantic()).isEqualTo(f.semantic());
        assertThat(v.get(1).frame().semantic())
                .isEqualTo(Augmenter.apply(f, new GeometryParams(7, 1, 1, 0, 0, 0, false), ColorParams.IDENTITY, 0).semantic());
        List<Sweep.Variant> hue = Sweep.grid(f, "hue", new double[] {90}, 0);
        assertThat(hue.get(0).params().colour()).isEqualTo(new ColorParams(1, 1, 1, 90));
        assertThat(hue.get(0).frame().semantic()).isEqualTo(f.semantic());
        assertThatThrownBy(() -> Sweep.grid(f, "rotaton", new double[] {1}, 0))
                .hasMessageContaining("unknown augmentation parameter 'rotaton'").hasMessageContaining("rotation, scaleX");
    }

    @Test
    void randomDrawsAreSeededPerVariantAndTheSheetHasOneRowEach() {
        Frame f = AugmenterTest.frame();
        List<Sweep.Variant> a = Sweep.random(f, SpecAndBoxesTest.SPEC, 3, 5, 0);
        List<Sweep.Variant> b = Sweep.random(f, SpecAndBoxesTest.SPEC, 3, 5, 0);
        assertThat(a).extracting(Sweep.Variant::params).isEqualTo(b.stream().map(Sweep.Variant::params).toList());
        assertThat(a.get(2).params())
                .isEqualTo(SpecAndBoxesTest.SPEC.sample(new SplittableRandom(dev.roadsynth.core.Seeds.forSample(5, 2)), f.width(), f.height()));
        BufferedImage sheet = Sweep.contactSheet(a);
        assertThat(sheet.getHeight()).isEqualTo(3 * f.height() + 2 * 4);
        assertThat(sheet.getWidth()).isEqualTo(4 * f.width() + 3 * 4);
        // Row 1's image panel is variant 1's image.
        assertThat(sheet.getRGB(10, f.height() + 4 + 10) & 0xffffff).isEqualTo(a.get(1).frame().rgb().rgb(10, 10));
    }
}
