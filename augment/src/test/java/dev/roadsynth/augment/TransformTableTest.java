package dev.roadsynth.augment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roadsynth.core.Box2;
import dev.roadsynth.core.Frame;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every transform, one row each (and all of them together): the invariants the labels rely on. Ids after
 * augmentation are the input's plus the fill; each instance's pixels stay inside its transformed box; the
 * transform at its neutral value returns the input byte for byte; one seed gives one result; parameters recorded
 * as JSON replay to the same bytes. (Hue by 360 degrees: {@code AugmenterTest} and {@code ExactHsvTest}.)
 */
class TransformTableTest {
    private static final int FILL = 250;

    /** A transform: how to vary it, and the same transform at its neutral value. */
    record Row(String name, UnaryOperator<AugmentSpec.Builder> vary, UnaryOperator<AugmentSpec.Builder> neutral) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> table() {
        int w = AugmenterTest.W;
        int h = AugmenterTest.H;
        return Stream.of(
                new Row("rotation", b -> b.rotation(-30, 30), b -> b.rotation(0, 0)),
                new Row("scaleX (stretch)", b -> b.scaleX(0.6, 1.6), b -> b.scaleX(1, 1)),
                new Row("scaleY", b -> b.scaleY(0.6, 1.6), b -> b.scaleY(1, 1)),
                new Row("scale (both)", b -> b.scaleX(0.7, 0.7).scaleY(0.7, 0.7), b -> b.scaleX(1, 1).scaleY(1, 1)),
                new Row("shear", b -> b.shear(-20, 20), b -> b.shear(0, 0)),
                new Row("translateX", b -> b.translateX(-0.3, 0.3), b -> b.translateX(0, 0)),
                new Row("translateY", b -> b.translateY(-0.3, 0.3), b -> b.translateY(0, 0)),
                new Row("flip", b -> b.flip(1), b -> b.flip(0)),
                new Row("perspective tilt", b -> b.tilt(-0.3, 0.3), b -> b.tilt(0, 0)),
                new Row("crop", b -> b.outputSize(w - 30, h - 20).translateX(-0.1, 0.1), b -> b.outputSize(w, h)),
                new Row("pad", b -> b.outputSize(w + 30, h + 20), b -> b.outputSize(w, h)),
                new Row("resize", b -> b.scaleX(2, 2).scaleY(2, 2).outputSize(2 * w, 2 * h), b -> b.outputSize(0, 0)),
                new Row("brightness", b -> b.brightness(0.5, 1.5), b -> b.brightness(1, 1)),
                new Row("contrast", b -> b.contrast(0.5, 1.5), b -> b.contrast(1, 1)),
                new Row("saturation", b -> b.saturation(0, 2), b -> b.saturation(1, 1)),
                new Row("hue", b -> b.hue(-90, 90), b -> b.hue(0, 0)),
                new Row("hue (exact HSV)", b -> b.hue(-90, 90).exactHsv(true), b -> b.hue(0, 0).exactHsv(true)),
                new Row("gamma", b -> b.gamma(0.5, 2), b -> b.gamma(1, 1)),
                new Row("Gaussian blur", b -> b.blur(0.5, 2), b -> b.blur(0, 0)),
                new Row("Gaussian noise", b -> b.noise(2, 10), b -> b.noise(0, 0)),
                new Row("all together", b -> b.rotation(-10, 10).scaleX(0.8, 1.2).scaleY(0.9, 1.1).shear(-5, 5)
                        .translateX(-0.1, 0.1).translateY(-0.1, 0.1).flip(0.5).tilt(-0.2, 0.2)
                        .outputSize(w - 10, h + 6).brightness(0.8, 1.2).contrast(0.8, 1.2).saturation(0.5, 1.5)
                        .hue(-20, 20).gamma(0.8, 1.2).blur(0, 1).noise(0, 5),
                        b -> b));
    }

    private static Set<Integer> ids(int[] plane) {
        Set<Integer> s = new HashSet<>();
        for (int v : plane) {
            s.add(v);
        }
        return s;
    }

    private static void assertSameBytes(Frame a, Frame b) {
        assertThat(a.rgb()).isEqualTo(b.rgb());
        assertThat(a.semantic()).isEqualTo(b.semantic());
        assertThat(a.instance()).isEqualTo(b.instance());
        assertThat(a.depth()).isEqualTo(b.depth());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void labelIdsStayTheInputsPlusTheFill(Row row) {
        Frame in = AugmenterTest.frame();
        AugmentSpec spec = row.vary().apply(AugmentSpec.builder()).build();
        Set<Integer> classes = ids(in.semantic().toArray());
        classes.add(FILL);
        Set<Integer> instances = ids(in.instance().toArray());
        instances.add(0);
        for (int k = 0; k < 8; k++) {
            Frame out = Augmenter.apply(in, spec.sample(new SplittableRandom(k), in.width(), in.height()), FILL);
            assertThat(ids(out.semantic().toArray())).as("draw %d", k).isSubsetOf(classes);
            assertThat(ids(out.instance().toArray())).as("draw %d", k).isSubsetOf(instances);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void everyInstancesPixelsStayInsideItsTransformedBox(Row row) {
        Frame in = AugmenterTest.frame();
        AugmentSpec spec = row.vary().apply(AugmentSpec.builder()).build();
        Map<Integer, Box2> before = Boxes.exact(in.instance());
        for (int k = 0; k < 8; k++) {
            AugmentSpec.Params p = spec.sample(new SplittableRandom(k), in.width(), in.height());
            Frame out = Augmenter.apply(in, p, FILL);
            Map<Integer, Box2> after = Boxes.exact(out.instance());
            for (var e : after.entrySet()) {
                Box2 box = Boxes.transform(before.get(e.getKey()), p.geometry(), in.width(), in.height());
                Box2 tight = e.getValue();
                assertThat(box).as("draw %d instance %d", k, e.getKey()).isNotNull();
                assertThat(tight.x0() >= box.x0() && tight.y0() >= box.y0() && tight.x1() <= box.x1()
                        && tight.y1() <= box.y1()).as("draw %d instance %d: %s inside %s", k, e.getKey(), tight, box)
                        .isTrue();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void theNeutralValueReturnsTheInputUnchanged(Row row) {
        Frame in = AugmenterTest.frame();
        AugmentSpec spec = row.neutral().apply(AugmentSpec.builder()).build();
        Frame out = Augmenter.apply(in, spec.sample(new SplittableRandom(1), in.width(), in.height()), FILL);
        assertSameBytes(out, in);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void oneSeedGivesOneResultAndRecordedParametersReplayIt(Row row) {
        Frame in = AugmenterTest.frame();
        AugmentSpec spec = row.vary().apply(AugmentSpec.builder()).build();
        AugmentSpec.Params p = spec.sample(new SplittableRandom(77), in.width(), in.height());
        Frame a = Augmenter.apply(in, p, FILL);
        Frame b = Augmenter.apply(in, spec.sample(new SplittableRandom(77), in.width(), in.height()), FILL);
        Frame replay = Augmenter.apply(in, AugmentSpec.Params.fromJson(p.toJson()), FILL);
        assertSameBytes(b, a);
        assertSameBytes(replay, a);
    }
}
