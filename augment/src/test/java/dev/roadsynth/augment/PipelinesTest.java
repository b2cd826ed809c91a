package dev.roadsynth.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roadsynth.core.Box2;
import dev.roadsynth.core.Frame;
import dev.roadsynth.core.ObjectAnnotation;
import dev.roadsynth.core.ObjectGroup;
import dev.roadsynth.core.dataset.Sample;
import dev.roadsynth.core.spec.Dist;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PipelinesTest {
    private static Pipeline parse(String yaml) {
        return Pipelines.parse(new StringReader(yaml), "aug.yaml");
    }

    @Test
    void aFileWithUniformRangesMakesTheSameSpecAsTheBuilder() {
        Pipeline p = parse("""
                version: 1
                rotation: {uniform: [-7, 7]}
                scaleX: {uniform: [0.8, 1.2]}
                scaleY: {uniform: [0.9, 1.1], probability: 0.5}
                translateX: [-0.1, 0.1]
                """.replace("translateX: [-0.1, 0.1]", "translateX: {uniform: [-0.1, 0.1]}") + """
                hue: {uniform: [-20, 20], probability: 0.3}
                flip: 0.5
                output: {width: 64, height: 32}
                exactHsv: true
                fill: 255
                boxes: corners
                outside: keep
                """);
        AugmentSpec expected = AugmentSpec.builder().rotation(-7, 7).scaleX(0.8, 1.2).scaleY(0.9, 1.1, 0.5)
                .translateX(-0.1, 0.1).hue(-20, 20, 0.3).flip(0.5).outputSize(64, 32).exactHsv(true).build();
        assertThat(p.spec()).isEqualTo(expected);
        assertThat(p.fillClass()).isEqualTo(255);
        assertThat(p.boxes()).isEqualTo(Pipeline.BoxMode.CORNERS);
        assertThat(p.keepOutside()).isTrue();
        assertThat(parse("{}")).isEqualTo(Pipeline.of(AugmentSpec.NONE));
        // The same pipeline built fluently in Java; each step returns a new immutable pipeline.
        Pipeline base = Pipeline.of(expected);
        Pipeline built = base.withFill(255).withBoxes(Pipeline.BoxMode.CORNERS).withKeepOutside(true);
        assertThat(built).isEqualTo(p);
        assertThat(base).isEqualTo(Pipeline.of(expected));
    }

    @Test
    void normalChoiceAndConstantDrawWithinTheirBoundsAndReplayFromTheSeed() {
        Pipeline p = parse("""
                hue: {normal: {mean: 0, std: 8, min: -20, max: 20}}
                gamma: {choice: [0.8, 1.0, 1.25], weights: [1, 0, 1]}
                rotation: 3
                """);
        assertThat(p.spec().hue().distribution()).isEqualTo(new Dist.Normal(0, 8, -20, 20));
        assertThat(p.spec().hue().min()).isEqualTo(-20);
        assertThat(p.spec().gamma().max()).isEqualTo(1.25);
        int sawLow = 0;
        for (int k = 0; k < 200; k++) {
            AugmentSpec.Params a = p.spec().sample(new SplittableRandom(k), 100, 50);
            AugmentSpec.Params b = p.spec().sample(new SplittableRandom(k), 100, 50);
            assertThat(a).isEqualTo(b);
            assertThat(a.colour().hue()).isBetween(-20.0, 20.0);
            assertThat(a.photometric().gamma()).isIn(0.8, 1.25); // weight 0: 1.0 is never drawn
            assertThat(a.geometry().rotation()).isEqualTo(3.0);
            sawLow += a.photometric().gamma() == 0.8 ? 1 : 0;
        }
        assertThat(sawLow).isBetween(60, 140);
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsLineFieldAndWhatIsAllowed() {
        assertThatThrownBy(() -> parse("""
                rotaton: 5
                scaleX: {uniform: [0, 2]}
                hue: {uniform: [-5, 5], probability: 2}
                boxes: tight
                output: {width: 64}
                blur: {probability: 0.5}
                """))
                .isInstanceOf(AugmentSpecException.class)
                .satisfies(e -> assertThat(((AugmentSpecException) e).problems()).containsExactlyInAnyOrder(
                        "aug.yaml:1:1: rotaton: unknown key; did you mean 'rotation'?; allowed here: version, rotation, "
                                + "scaleX, scaleY, shear, translateX, translateY, tilt, brightness, contrast, saturation, "
                                + "hue, gamma, blur, noise, flip, output, exactHsv, fill, boxes, outside",
                        "aug.yaml:2:20: scaleX.uniform: 0 is out of range [0.01, 100]",
                        "aug.yaml:3:38: hue.probability: 2 is out of range [0, 1]",
                        "aug.yaml:4:8: boxes: 'tight' is not one of [exact, corners]",
                        "aug.yaml:5:9: output: give both width and height, or neither (the input's size)",
                        "aug.yaml:6:7: blur: probability needs a value beside it, e.g. {uniform: [a, b], probability: 0.5}"));
    }

    @Test
    void aMisspeltProbabilityIsSuggested() {
        assertThatThrownBy(() -> parse("hue: {uniform: [-5, 5], probabilty: 0.5}\n"))
                .isInstanceOf(AugmentSpecException.class)
                .satisfies(e -> assertThat(((AugmentSpecException) e).problems()).containsExactly(
                        "aug.yaml:1:25: hue.probabilty: unknown key; did you mean 'probability'?; expected a distribution"
                                + " with an optional probability, e.g. {uniform: [a, b], probability: 0.5}"));
    }

    @Test
    void anOutputSizeIsOneTo16384EachAndAWrongOneIsOneProblem() {
        // 0 had passed as "the input's size" (it is what an absent output means inside), against the docs' 1..16384;
        // and a width out of range also drew "give both width and height", though both were given.
        assertThatThrownBy(() -> parse("output: {width: 0, height: 256}\n"))
                .isInstanceOf(AugmentSpecException.class)
                .satisfies(e -> assertThat(((AugmentSpecException) e).problems()).containsExactly(
                        "aug.yaml:1:17: output.width: 0 is out of range 1..16384"));
        assertThat(parse("output: {width: 1, height: 16384}\n").spec()).isNotEqualTo(AugmentSpec.NONE);
    }

    @Test
    void theExamplePipelineFilesAreValid() throws Exception {
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("..", "examples", "augment"))) {
            List<java.nio.file.Path> list = files.filter(f -> f.toString().endsWith(".yaml")).toList();
            assertThat(list).isNotEmpty();
            for (java.nio.file.Path f : list) {
                Pipeline p = Pipelines.load(f);
                assertThat(p.spec()).as(f.toString()).isNotEqualTo(AugmentSpec.NONE);
            }
        }
    }

    @Test
    void notYamlAndWrongRootAreNamed() {
        assertThatThrownBy(() -> parse("- rotation")).isInstanceOf(AugmentSpecException.class)
                .hasMessage("aug.yaml:1:1: expected a mapping of augmentation parameters, found a list");
        assertThatThrownBy(() -> parse("rotation: [1, 2")).isInstanceOf(AugmentSpecException.class)
                .hasMessageStartingWith("aug.yaml:");
    }

    /** {@code s} moved one full width to the right, out of view, with the given box mode and keeping or not. */
    private static Sample pushedOutOfView(Sample s, Pipeline.BoxMode boxes, boolean keepOutside) {
        AugmentSpec away = AugmentSpec.builder().translateX(1, 1).build();
        return new Pipeline(away, 0, boxes, keepOutside).apply(s, new SplittableRandom(1));
    }

    private static Sample sample() {
        Frame f = AugmenterTest.frame();
        List<ObjectAnnotation> objects = new ArrayList<>();
        for (var e : Boxes.exact(f.instance()).entrySet()) {
            Box2 b = e.getValue();
            long pixels = (long) b.width() * b.height(); // the test frame's instances are solid blocks
            objects.add(new ObjectAnnotation(e.getKey(), f.semantic().get(b.x0(), b.y0()), "car", pixels, b, pixels,
                    b, b, 1.0, 0.0, null, 0, 10));
        }
        return new Sample(3, 99, "train", f, objects, new double[] {50, 50, 48, 30}, Map.of("scene", "t"));
    }

    @Test
    void appliedToASampleTheAnnotationsFollowTheWarpedInstancePlane() {
        Sample s = sample();
        Pipeline p = new Pipeline(AugmentSpec.builder().rotation(-20, 20).scaleX(0.8, 1.3).translateX(-0.2, 0.2)
                .build(), 0, Pipeline.BoxMode.EXACT, false);
        for (int k = 0; k < 10; k++) {
            Sample out = p.apply(s, new SplittableRandom(k));
            AugmentSpec.Params params = p.spec().sample(new SplittableRandom(k), s.frame().width(), s.frame().height());
            assertThat(out.metadata()).containsEntry("augment", params).containsEntry("scene", "t");
            assertThat(out.frame().instance()).isEqualTo(Augmenter.apply(s.frame(), params, 0).instance());
            Map<Integer, Box2> exact = Boxes.exact(out.frame().instance());
            assertThat(out.objects()).extracting(ObjectAnnotation::instanceId)
                    .containsExactlyElementsOf(exact.keySet()); // objects with nothing left are dropped
            for (ObjectAnnotation a : out.objects()) {
                assertThat(a.visibleBox()).isEqualTo(exact.get(a.instanceId()));
                long n = java.util.Arrays.stream(out.frame().instance().toArray()).filter(v -> v == a.instanceId()).count();
                assertThat(a.visiblePixels()).isEqualTo(n);
                assertThat(a.amodalBoxUnclipped().x0()).isLessThanOrEqualTo(a.visibleBox().x0());
                assertThat(a.amodalBoxUnclipped().x1()).isGreaterThanOrEqualTo(a.visibleBox().x1());
                assertThat(a.truncation()).isBetween(0.0, 1.0);
            }
        }
    }

    @Test
    void objectsLeftOutFollowTheWarpAndLeaveWhenNothingOfThemIsInView() {
        Sample s = sample();
        assertThat(s.objects()).hasSizeGreaterThan(2);
        // All but the first object as left out by a policy (in view, so KITTI marks them DontCare).
        Sample split = new Sample(s.index(), s.seed(), s.split(), s.frame(), s.objects().subList(0, 1),
                s.objects().subList(1, s.objects().size()), s.intrinsics(), s.metadata());
        Pipeline p = new Pipeline(AugmentSpec.builder().rotation(-20, 20).scaleX(0.8, 1.3).translateX(-0.3, 0.3)
                .build(), 0, Pipeline.BoxMode.EXACT, true);
        for (int k = 0; k < 10; k++) {
            Sample whole = p.apply(s, new SplittableRandom(k));
            Sample out = p.apply(split, new SplittableRandom(k));
            assertThat(out.frame()).isEqualTo(whole.frame());
            // Warped exactly as they would be if kept; then only those with pixels still in view stay.
            assertThat(out.ignored()).isEqualTo(whole.objects().subList(1, whole.objects().size()).stream()
                    .filter(a -> a.visiblePixels() > 0).toList());
            assertThat(out.objects()).isEqualTo(whole.objects().subList(0, 1));
        }
        assertThat(pushedOutOfView(split, Pipeline.BoxMode.EXACT, true).ignored()).isEmpty();
    }

    /**
     * A group of the sample's first two objects (a rider and its bicycle) follows the warp: its visible pixels are
     * its members' in the warped instance plane, counted here, its visible box the box around them, its amodal box
     * moved as an object's is; its members and whether the policy kept it stay. Pushed out of view, it leaves.
     */
    @Test
    void aGroupFollowsTheWarpAsTheUnionOfItsMembers() {
        Sample s = sample();
        ObjectAnnotation a0 = s.objects().get(0);
        ObjectAnnotation b0 = s.objects().get(1);
        Box2 union = a0.visibleBox().union(b0.visibleBox());
        int id = 1000;
        ObjectAnnotation together = new ObjectAnnotation(id, a0.classId(), "cyclist",
                a0.visiblePixels() + b0.visiblePixels(), union, a0.visiblePixels() + b0.visiblePixels(), union, union,
                1.0, 0.0, null, 0, 10);
        List<Integer> members = List.of(a0.instanceId(), b0.instanceId());
        Sample grouped = new Sample(s.index(), s.seed(), s.split(), s.frame(), s.objects(), List.of(),
                List.of(new ObjectGroup(together, members, "too small")), s.intrinsics(), s.metadata());
        Pipeline p = new Pipeline(AugmentSpec.builder().rotation(-20, 20).scaleX(0.8, 1.3).translateX(-0.2, 0.2)
                .build(), 0, Pipeline.BoxMode.EXACT, false);
        int seen = 0;
        for (int k = 0; k < 10; k++) {
            Sample out = p.apply(grouped, new SplittableRandom(k));
            assertThat(out.objects()).isEqualTo(p.apply(s, new SplittableRandom(k)).objects());
            int[] ids = out.frame().instance().toArray();
            long n = java.util.Arrays.stream(ids).filter(members::contains).count();
            if (n == 0) {
                assertThat(out.groups()).isEmpty();
                continue;
            }
            seen++;
            ObjectGroup g = out.groups().get(0);
            assertThat(g.members()).isEqualTo(members);
            assertThat(g.dropped()).isEqualTo("too small");
            assertThat(g.object().visiblePixels()).isEqualTo(n);
            int w = out.frame().width();
            int x0 = Integer.MAX_VALUE, y0 = Integer.MAX_VALUE, x1 = -1, y1 = -1;
            for (int i = 0; i < ids.length; i++) {
                if (members.contains(ids[i])) {
                    x0 = Math.min(x0, i % w);
                    y0 = Math.min(y0, i / w);
                    x1 = Math.max(x1, i % w);
                    y1 = Math.max(y1, i / w);
                }
            }
            assertThat(g.object().visibleBox()).isEqualTo(new Box2(x0, y0, x1 + 1, y1 + 1));
            AugmentSpec.Params params = p.spec().sample(new SplittableRandom(k), s.frame().width(), s.frame().height());
            assertThat(g.object().amodalBoxUnclipped())
                    .isEqualTo(Boxes.bounds(union, params.geometry(), s.frame().width(), s.frame().height()));
        }
        assertThat(seen).isGreaterThan(5);
        assertThat(pushedOutOfView(grouped, Pipeline.BoxMode.EXACT, false).groups()).isEmpty();
    }

    @Test
    void objectsPushedOutOfTheImageAreDroppedOrKeptWithoutAVisibleBox() {
        Sample s = sample();
        assertThat(pushedOutOfView(s, Pipeline.BoxMode.EXACT, false).objects()).isEmpty();
        List<ObjectAnnotation> kept = pushedOutOfView(s, Pipeline.BoxMode.CORNERS, true).objects();
        assertThat(kept).hasSameSizeAs(s.objects());
        assertThat(kept).allSatisfy(a -> {
            assertThat(a.visiblePixels()).isZero();
            assertThat(a.visibleBox()).isNull();
            assertThat(a.amodalBox()).isNull();
            assertThat(a.truncation()).isEqualTo(1.0);
        });
    }
}
