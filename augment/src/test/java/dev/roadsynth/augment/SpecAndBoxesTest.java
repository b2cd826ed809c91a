package dev.roadsynth.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roadsynth.core.Box2;
import dev.roadsynth.core.Frame;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SpecAndBoxesTest {
    static final AugmentSpec SPEC = new AugmentSpec(Range.of(-7, 7), Range.of(0.8, 1.2), new Range(0.9, 1.1, 0.5),
            Range.of(-5, 5), Range.of(-0.1, 0.1), Range.of(-0.05, 0.05), 0.5, Range.of(0.8, 1.2), Range.of(0.8, 1.2),
            Range.of(0.5, 1.5), new Range(-20, 20, 0.3), new Range(0.7, 1.4, 0.5), new Range(0, 1.2, 0.3),
            new Range(0, 8, 0.5));

    @Test
    void theSameSeedDrawsTheSameParametersAndReplaysToTheSameBytes() {
        var a = SPEC.sample(new SplittableRandom(5), 97, 61);
        var b = SPEC.sample(new SplittableRandom(5), 97, 61);
        assertThat(b).isEqualTo(a);
        assertThat(SPEC.sample(new SplittableRandom(6), 97, 61)).isNotEqualTo(a);
        Frame f = AugmenterTest.frame();
        Frame once = Augmenter.apply(f, a, 0);
        Frame replay = Augmenter.apply(f, b, 0);
        assertThat(replay.rgb()).isEqualTo(once.rgb());
        assertThat(replay.instance()).isEqualTo(once.instance());
        assertThat(AugmentSpec.NONE.sample(new SplittableRandom(1), 10, 10))
                .isEqualTo(new AugmentSpec.Params(GeometryParams.IDENTITY, ColorParams.IDENTITY));
    }

    @Test
    void outOfRangeParametersFailWhenTheSpecIsBuiltNamingThem() {
        assertThatThrownBy(() -> new AugmentSpec(Range.of(0, 1), Range.of(0, 1), Range.off(1), Range.off(0), Range.off(0),
                Range.off(0), 0, Range.off(1), Range.off(1), Range.off(1), Range.off(0))).hasMessageContaining("scaleX");
        assertThatThrownBy(() -> new Range(2, 1, 1)).hasMessageContaining("min <= max");
        assertThatThrownBy(() -> new Range(0, 1, 1.5)).hasMessageContaining("probability 1.5");
    }

    @Test
    void boxesContainTheirInstancesPixelsAfterEveryTransform() {
        Frame f = AugmenterTest.frame();
        SplittableRandom rng = new SplittableRandom(9);
        for (int k = 0; k < 30; k++) {
            var p = SPEC.sample(rng, f.width(), f.height());
            Frame out = Augmenter.apply(f, p, 0);
            for (int id : AugmenterTest.values(f.instance())) {
                if (id == 0) {
                    continue;
                }
                Box2 box = Boxes.transform(GeometryTest.bounds(f, id), p.geometry(), f.width(), f.height());
                for (int y = 0; y < out.height(); y++) {
                    for (int x = 0; x < out.width(); x++) {
                        if (out.instance().get(x, y) == id) {
                            assertThat(box).as("instance %d under %s", id, p).isNotNull();
                            assertThat(x >= box.x0() && x < box.x1() && y >= box.y0() && y < box.y1())
                                    .as("pixel (%d, %d) of %d inside %s under %s", x, y, id, box, p).isTrue();
                        }
                    }
                }
            }
        }
    }

    @Test
    void keypointsFollowTheTransformOrLeave() {
        GeometryParams shift = new GeometryParams(0, 1, 1, 0, 10, 0, false);
        assertThat(Boxes.transform(5.5, 7.5, shift, 100, 50)).containsExactly(15.5, 7.5);
        assertThat(Boxes.transform(95.5, 7.5, shift, 100, 50)).isNull();
        assertThat(Boxes.transform(new Box2(95, 0, 100, 10), shift, 100, 50)).isNull();
    }

    @Test
    void drawnParametersRoundTripThroughJsonAndReplayToTheSameBytes() {
        Frame f = AugmenterTest.frame();
        AugmentSpec spec = new AugmentSpec(Range.of(-7, 7), Range.of(0.8, 1.2), Range.of(0.9, 1.1), Range.of(-5, 5),
                Range.of(-0.1, 0.1), Range.of(-0.1, 0.1), 0.5, Range.of(0.8, 1.2), Range.of(0.8, 1.2),
                Range.of(0.5, 1.5), Range.of(-20, 20), Range.of(0.7, 1.4), Range.of(0, 1.2), Range.of(0, 8),
                Range.of(-0.2, 0.2), 80, 50, true);
        SplittableRandom rng = new SplittableRandom(13);
        for (int k = 0; k < 10; k++) {
            var p = spec.sample(rng, f.width(), f.height());
            String json = p.toJson();
            assertThat(json).contains("\"rotation\":").contains("\"noiseSeed\":").doesNotContain("\n");
            var back = AugmentSpec.Params.fromJson(json);
            assertThat(back).isEqualTo(p);
            Frame a = Augmenter.apply(f, p, 0);
            Frame b = Augmenter.apply(f, back, 0);
            assertThat(b.rgb()).isEqualTo(a.rgb());
            assertThat(b.semantic()).isEqualTo(a.semantic());
        }
        String bad = spec.sample(new SplittableRandom(1), 97, 61).toJson().replaceFirst("\"scaleX\":[0-9.E-]+", "\"scaleX\":-2");
        assertThatThrownBy(() -> AugmentSpec.Params.fromJson(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scale -2.0");
    }

    @Test
    void theBuilderMakesTheSameSpecAsTheRecordAndNamesBadParameters() {
        AugmentSpec built = AugmentSpec.builder().rotation(-7, 7).scaleX(0.8, 1.2).scaleY(0.9, 1.1, 0.5).shear(-5, 5)
                .translateX(-0.1, 0.1).translateY(-0.05, 0.05).flip(0.5).brightness(0.8, 1.2).contrast(0.8, 1.2)
                .saturation(0.5, 1.5).hue(-20, 20, 0.3).gamma(0.7, 1.4, 0.5).blur(0, 1.2, 0.3).noise(0, 8, 0.5)
                .build();
        assertThat(built).isEqualTo(SPEC);
        assertThat(AugmentSpec.builder().build()).isEqualTo(AugmentSpec.NONE);
        assertThat(AugmentSpec.builder().tilt(-0.1, 0.1).outputSize(64, 32).exactHsv(true).build())
                .satisfies(s -> {
                    assertThat(s.tilt()).isEqualTo(Range.of(-0.1, 0.1));
                    assertThat(s.outputWidth()).isEqualTo(64);
                    assertThat(s.exactHsv()).isTrue();
                });
        assertThatThrownBy(() -> AugmentSpec.builder().rotation(10, -10)).hasMessageStartingWith("rotation: range [10.0, -10.0]");
        assertThatThrownBy(() -> AugmentSpec.builder().hue(0, 10, 1.5)).hasMessageStartingWith("hue: probability 1.5");
        assertThatThrownBy(() -> AugmentSpec.builder().flip(2)).hasMessageStartingWith("flip: probability 2.0");
        assertThatThrownBy(() -> AugmentSpec.builder().tilt(-0.6, 0).build()).hasMessageContaining("tilt");
        assertThatThrownBy(() -> AugmentSpec.builder().scaleX(0, 1).build()).hasMessageContaining("scaleX");
    }
}
