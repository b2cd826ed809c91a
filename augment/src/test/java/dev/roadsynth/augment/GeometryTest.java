package dev.roadsynth.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roadsynth.core.Box2;
import dev.roadsynth.core.Frame;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Perspective tilt and output sizes (crop, pad, resize). The references are index arithmetic on the input planes,
 * not the warp's own output.
 */
class GeometryTest {
    static final int W = AugmenterTest.W;
    static final int H = AugmenterTest.H;
    static final int FILL = 255;

    @Test
    void aCentredCropCutsEveryPlaneExactly() {
        Frame f = AugmenterTest.frame();
        // 97x61 -> 77x51 about the centre: output (x, y) is input (x + 10, y + 5).
        Frame out = Augmenter.apply(f, new GeometryParams(0, 1, 1, 0, 0, 0, false, 0, 0, 77, 51), ColorParams.IDENTITY, FILL);
        assertThat(out.width()).isEqualTo(77);
        assertThat(out.height()).isEqualTo(51);
        for (int y = 0; y < 51; y++) {
            for (int x = 0; x < 77; x++) {
                assertThat(out.semantic().get(x, y)).isEqualTo(f.semantic().get(x + 10, y + 5));
                assertThat(out.instance().get(x, y)).isEqualTo(f.instance().get(x + 10, y + 5));
                assertThat(out.depth().get(x, y)).isEqualTo(f.depth().get(x + 10, y + 5));
                assertThat(out.rgb().rgb(x, y)).isEqualTo(f.rgb().rgb(x + 10, y + 5));
            }
        }
    }

    @Test
    void padKeepsTheInputAndFillsTheBorderWithTheIgnoreClassInstanceZeroAndNoDepth() {
        Frame f = AugmenterTest.frame();
        // 97x61 -> 117x71, content shifted to the top-left corner by a translation of (-10, -5).
        Frame out = Augmenter.apply(f, new GeometryParams(0, 1, 1, 0, -10, -5, false, 0, 0, 117, 71),
                ColorParams.IDENTITY, FILL);
        for (int y = 0; y < 71; y++) {
            for (int x = 0; x < 117; x++) {
                if (x < W && y < H) {
                    assertThat(out.semantic().get(x, y)).isEqualTo(f.semantic().get(x, y));
                    assertThat(out.instance().get(x, y)).isEqualTo(f.instance().get(x, y));
                    assertThat(out.depth().get(x, y)).isEqualTo(f.depth().get(x, y));
                    assertThat(out.rgb().rgb(x, y)).isEqualTo(f.rgb().rgb(x, y));
                } else {
                    assertThat(out.semantic().get(x, y)).as("(%d, %d)", x, y).isEqualTo(FILL);
                    assertThat(out.instance().get(x, y)).isZero();
                    assertThat(out.depth().get(x, y)).isZero();
                    assertThat(out.rgb().rgb(x, y)).isZero();
                }
            }
        }
    }

    @Test
    void resizingByTwoRepeatsEachLabelInATwoByTwoBlock() {
        Frame f = AugmenterTest.frame();
        Frame out = Augmenter.apply(f, new GeometryParams(0, 2, 2, 0, 0, 0, false, 0, 0, 2 * W, 2 * H),
                ColorParams.IDENTITY, FILL);
        for (int y = 0; y < 2 * H; y++) {
            for (int x = 0; x < 2 * W; x++) {
                assertThat(out.semantic().get(x, y)).as("(%d, %d)", x, y).isEqualTo(f.semantic().get(x / 2, y / 2));
                assertThat(out.instance().get(x, y)).isEqualTo(f.instance().get(x / 2, y / 2));
                assertThat(out.depth().get(x, y)).isEqualTo(f.depth().get(x / 2, y / 2));
            }
        }
    }

    @Test
    void tiltShrinksOneSideAndKeepsIdsAmongTheInputsAndTheFill() {
        Frame f = AugmenterTest.frame();
        Set<Integer> classes = AugmenterTest.values(f.semantic());
        classes.add(FILL);
        Set<Integer> instances = AugmenterTest.values(f.instance());
        instances.add(0);
        SplittableRandom rng = new SplittableRandom(5);
        for (int k = 0; k < 20; k++) {
            GeometryParams g = new GeometryParams(rng.nextDouble(-10, 10), rng.nextDouble(0.8, 1.2), 1, 0, 0, 0, false,
                    rng.nextDouble(-0.4, 0.4), rng.nextDouble(-0.4, 0.4), 80 + rng.nextInt(40), 50 + rng.nextInt(30));
            Frame out = Augmenter.apply(f, g, ColorParams.IDENTITY, FILL);
            assertThat(AugmenterTest.values(out.semantic())).as("%s", g).isSubsetOf(classes);
            assertThat(AugmenterTest.values(out.instance())).as("%s", g).isSubsetOf(instances);
        }
        // tiltX > 0: the right edge shrinks by 1 / (1 + tilt), so the right border of the output is fill and the
        // left edge grows past the output.
        Frame tilted = Augmenter.apply(f, new GeometryParams(0, 1, 1, 0, 0, 0, false, 0.3, 0, 0, 0),
                ColorParams.IDENTITY, FILL);
        assertThat(tilted.semantic().get(W - 1, H / 2)).isEqualTo(FILL);
        assertThat(tilted.semantic().get(0, 0)).isNotEqualTo(FILL);
        assertThat(tilted.semantic().get(0, H - 1)).isNotEqualTo(FILL);
        double[] right = Boxes.transform(W, H / 2.0, new GeometryParams(0, 1, 1, 0, -1, 0, false, 0.3, 0, 0, 0), W, H);
        assertThat(right[0]).isCloseTo(W / 2.0 + (W / 2.0) / 1.3 - 1, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void boxesAndKeypointsFollowCropsResizesAndTilts() {
        GeometryParams crop = new GeometryParams(0, 1, 1, 0, 0, 0, false, 0, 0, 77, 51);
        assertThat(Boxes.transform(20.5, 10.5, crop, W, H)).containsExactly(10.5, 5.5);
        assertThat(Boxes.transform(5.5, 10.5, crop, W, H)).isNull();
        assertThat(Boxes.transform(new Box2(12, 6, 30, 20), crop, W, H)).isEqualTo(new Box2(2, 1, 20, 15));
        GeometryParams twice = new GeometryParams(0, 2, 2, 0, 0, 0, false, 0, 0, 2 * W, 2 * H);
        assertThat(Boxes.transform(new Box2(12, 6, 30, 20), twice, W, H)).isEqualTo(new Box2(24, 12, 60, 40));
        // Under tilt, every instance pixel still lies in its transformed box.
        Frame f = AugmenterTest.frame();
        SplittableRandom rng = new SplittableRandom(21);
        for (int k = 0; k < 10; k++) {
            GeometryParams g = new GeometryParams(rng.nextDouble(-10, 10), 1, 1, 0, rng.nextDouble(-5, 5), 0, false,
                    rng.nextDouble(-0.4, 0.4), rng.nextDouble(-0.4, 0.4), 90, 55);
            Frame out = Augmenter.apply(f, g, ColorParams.IDENTITY, FILL);
            for (int id : AugmenterTest.values(f.instance())) {
                if (id == 0) {
                    continue;
                }
                Box2 box = Boxes.transform(bounds(f, id), g, W, H);
                for (int y = 0; y < out.height(); y++) {
                    for (int x = 0; x < out.width(); x++) {
                        if (out.instance().get(x, y) == id) {
                            assertThat(box).as("instance %d under %s", id, g).isNotNull();
                            assertThat(x + 0.5 >= box.x0() && x + 0.5 <= box.x1() && y + 0.5 >= box.y0()
                                    && y + 0.5 <= box.y1()).as("pixel (%d, %d) of %d in %s under %s", x, y, id, box, g)
                                    .isTrue();
                        }
                    }
                }
            }
        }
    }

    @Test
    void specsDrawTiltAndCarryTheOutputSizeAndRejectBadValues() {
        AugmentSpec spec = new AugmentSpec(Range.off(0), Range.off(1), Range.off(1), Range.off(0), Range.of(-0.1, 0.1),
                Range.off(0), 0, Range.off(1), Range.off(1), Range.off(1), Range.off(0), Range.off(1), Range.off(0),
                Range.off(0), Range.of(-0.2, 0.2), 64, 48);
        var p = spec.sample(new SplittableRandom(1), W, H);
        assertThat(p.geometry().width(W)).isEqualTo(64);
        assertThat(p.geometry().height(H)).isEqualTo(48);
        assertThat(p.geometry().tiltX()).isBetween(-0.2, 0.2).isNotZero();
        assertThat(p).isEqualTo(spec.sample(new SplittableRandom(1), W, H));
        Frame out = Augmenter.apply(AugmenterTest.frame(), p, FILL);
        assertThat(out.width()).isEqualTo(64);
        assertThat(out.height()).isEqualTo(48);
        assertThatThrownBy(() -> new AugmentSpec(Range.off(0), Range.off(1), Range.off(1), Range.off(0), Range.off(0),
                Range.off(0), 0, Range.off(1), Range.off(1), Range.off(1), Range.off(0), Range.off(1), Range.off(0),
                Range.off(0), Range.of(-0.7, 0.2), 0, 0)).hasMessageContaining("tilt").hasMessageContaining("0.5");
        assertThatThrownBy(() -> new GeometryParams(0, 1, 1, 0, 0, 0, false, 0, 0, -3, 10))
                .hasMessageContaining("-3x10");
    }

    @Test
    void exactBoxesAreTheTightBoundsOfTheWarpedInstancesAndLieInsideTheCornerBoxes() {
        Frame f = AugmenterTest.frame();
        // Before any warp: instance (x / 13, y / 9) blocks of 13 x 9 pixels, known by arithmetic.
        var before = Boxes.exact(f.instance());
        assertThat(before.get(70000 + 100 + 2)).isEqualTo(new Box2(13, 18, 26, 27));
        assertThat(before).doesNotContainKey(0);
        // After a crop of 10 x 5 off the left and top, the same block moves by exactly that.
        GeometryParams crop = new GeometryParams(0, 1, 1, 0, 0, 0, false, 0, 0, 77, 51);
        var cropped = Boxes.exact(Augmenter.apply(f, crop, ColorParams.IDENTITY, FILL).instance());
        assertThat(cropped.get(70000 + 100 + 2)).isEqualTo(new Box2(3, 13, 16, 22));
        SplittableRandom rng = new SplittableRandom(8);
        for (int k = 0; k < 10; k++) {
            GeometryParams g = new GeometryParams(rng.nextDouble(-20, 20), rng.nextDouble(0.8, 1.2), 1, 0, 0, 0, false,
                    rng.nextDouble(-0.3, 0.3), 0, 0, 0);
            Frame out = Augmenter.apply(f, g, ColorParams.IDENTITY, FILL);
            var exact = Boxes.exact(out.instance());
            exact.forEach((id, box) -> {
                assertThat(box).isEqualTo(bounds(out, id));
                Box2 loose = Boxes.transform(bounds(f, id), g, W, H);
                assertThat(box.x0() >= loose.x0() && box.y0() >= loose.y0() && box.x1() <= loose.x1()
                        && box.y1() <= loose.y1()).as("%s inside %s for %d under %s", box, loose, id, g).isTrue();
            });
        }
    }

    @Test
    void keypointsThatLeaveAreFlaggedNotDroppedByMap() {
        GeometryParams shift = new GeometryParams(0, 1, 1, 0, 10, 0, false);
        assertThat(Boxes.map(5.5, 7.5, shift, 100, 50)).isEqualTo(new Boxes.Point(15.5, 7.5, true));
        assertThat(Boxes.map(95.5, 7.5, shift, 100, 50)).isEqualTo(new Boxes.Point(105.5, 7.5, false));
    }

    static Box2 bounds(Frame f, int id) {
        int x0 = Integer.MAX_VALUE, y0 = Integer.MAX_VALUE, x1 = -1, y1 = -1;
        for (int y = 0; y < f.height(); y++) {
            for (int x = 0; x < f.width(); x++) {
                if (f.instance().get(x, y) == id) {
                    x0 = Math.min(x0, x);
                    y0 = Math.min(y0, y);
                    x1 = Math.max(x1, x);
                    y1 = Math.max(y1, y);
                }
            }
        }
        return new Box2(x0, y0, x1 + 1, y1 + 1);
    }
}
