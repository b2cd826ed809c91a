package dev.roadsynth.renderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.roadsynth.core.Box2;
import dev.roadsynth.core.Frame;
import dev.roadsynth.core.LabelSet;
import dev.roadsynth.core.ObjectAnnotation;
import dev.roadsynth.core.Rgb;
import dev.roadsynth.scenes.Camera;
import dev.roadsynth.scenes.Environment;
import dev.roadsynth.scenes.Instance;
import dev.roadsynth.scenes.Intrinsics;
import dev.roadsynth.scenes.Light;
import dev.roadsynth.scenes.Material;
import dev.roadsynth.scenes.Mesh;
import dev.roadsynth.scenes.Scene;
import dev.roadsynth.scenes.SceneObject;
import java.util.ArrayList;
import java.util.List;
import org.joml.Matrix4f;
import org.joml.Vector3f;
import org.junit.jupiter.api.Test;

/** Annotations against analytic scenes whose answers are known exactly, and against the label planes. */
class AnnotatorTest extends WithRenderer {
    static final Intrinsics K = new Intrinsics(500, 500, 320, 240, 640, 480, 0.1, 100);
    private static final int CAR = 26;

    /** A camera-facing rectangle covering exactly pixel columns [u0, u1) and rows [v0, v1) at depth z. */
    static SceneObject rect(int instance, double u0, double v0, double u1, double v1, double z) {
        float[] p = new float[12];
        double[][] corners = {{u0, v0}, {u1, v0}, {u1, v1}, {u0, v1}};
        for (int i = 0; i < 4; i++) {
            p[3 * i] = (float) ((corners[i][0] - K.cx()) / K.fx() * z);
            p[3 * i + 1] = (float) ((corners[i][1] - K.cy()) / K.fy() * z);
            p[3 * i + 2] = (float) z;
        }
        Mesh quad = new Mesh(p, new float[] {0, 0, -1, 0, 0, -1, 0, 0, -1, 0, 0, -1}, new int[] {0, 1, 2, 0, 2, 3});
        return new SceneObject("car", CAR, instance, quad, Material.of(200, 50, 50), new Matrix4f());
    }

    /** The world frame is the camera frame here (identity pose). */
    static Scene scene(SceneObject... objects) {
        return new Scene(LabelSet.cityscapes(), List.of(objects), new Camera(K, new Matrix4f()),
                Light.sunAt(45, 0, 0.7f, 0.3f), 23, Environment.uniformSky(new Rgb(100, 150, 200)), List.of(), List.of());
    }

    private static ObjectAnnotation annotate(Scene scene, int instance) {
        Frame frame = renderer.render(scene);
        var result = Annotator.annotate(scene, frame, renderer.coverage(scene), new Annotator.Policy(0, 1, false));
        return result.kept().stream().filter(a -> a.instanceId() == instance).findFirst().orElseThrow();
    }

    @Test
    void anUnoccludedObjectIsFullyVisibleAndUntruncated() {
        ObjectAnnotation a = annotate(scene(rect(1, 100, 100, 300, 200, 10)), 1);
        assertThat(a.visiblePixels()).isEqualTo(200 * 100);
        assertThat(a.amodalPixels()).isEqualTo(200 * 100);
        assertThat(a.visibleFraction()).isEqualTo(1.0);
        assertThat(a.truncation()).isEqualTo(0.0);
        assertThat(a.visibleBox()).isEqualTo(new Box2(100, 100, 300, 200));
        assertThat(a.amodalBox()).isEqualTo(a.visibleBox());
        assertThat(a.amodalBoxUnclipped()).isEqualTo(a.visibleBox());
    }

    @Test
    void anObjectHalfHiddenBehindAnotherIsHalfVisible() {
        // The occluder, nearer, covers columns [200, 400): the right half of the target's [100, 300).
        ObjectAnnotation a = annotate(scene(rect(1, 100, 100, 300, 200, 10), rect(2, 200, 50, 400, 250, 5)), 1);
        assertThat(a.visiblePixels()).isEqualTo(100 * 100);
        assertThat(a.amodalPixels()).isEqualTo(200 * 100);
        assertThat(a.visibleFraction()).isEqualTo(0.5);
        assertThat(a.truncation()).isEqualTo(0.0);
        assertThat(a.visibleBox()).isEqualTo(new Box2(100, 100, 200, 200));
        assertThat(a.amodalBox()).isEqualTo(new Box2(100, 100, 300, 200));
    }

    @Test
    void anObjectHalfOutsideTheImageIsHalfTruncated() {
        ObjectAnnotation a = annotate(scene(rect(1, -100, 100, 100, 200, 10)), 1);
        assertThat(a.truncation()).isEqualTo(0.5);
        assertThat(a.visibleFraction()).isEqualTo(1.0);
        assertThat(a.amodalBox()).isEqualTo(new Box2(0, 100, 100, 200));
        assertThat(a.amodalBoxUnclipped()).isEqualTo(new Box2(-100, 100, 100, 200));
        assertThat(a.visibleBox()).isEqualTo(new Box2(0, 100, 100, 200));
    }

    @Test
    void anObjectAQuarterOutsideTheImageIsAQuarterTruncated() {
        // Columns [-50, 150): 50 of its 200 columns lie left of the image.
        ObjectAnnotation a = annotate(scene(rect(1, -50, 100, 150, 200, 10)), 1);
        assertThat(a.truncation()).isEqualTo(0.25);
        assertThat(a.visiblePixels()).isEqualTo(150 * 100);
        assertThat(a.amodalPixels()).isEqualTo(150 * 100);
        assertThat(a.amodalBoxUnclipped()).isEqualTo(new Box2(-50, 100, 150, 200));
    }

    /**
     * A rider and its bicycle as one group: the rider nearer, overlapping the bicycle's left end, an occluder hiding
     * the bicycle's right end. The group's amodal pixels are the union of the two rectangles (the overlap once),
     * its visible pixels the sum of theirs, its boxes the unions, and the policy judges it as one object.
     */
    @Test
    void aGroupIsAnnotatedAsTheUnionOfItsMembers() {
        // Rider columns [100, 200) rows [100, 300); bicycle [150, 300) x [200, 260) behind it; occluder [250, 400).
        SceneObject rider = rect(1, 100, 100, 200, 300, 10);
        SceneObject bicycle = rect(2, 150, 200, 300, 260, 10.5);
        SceneObject occluder = rect(3, 250, 0, 400, 480, 5);
        Instance together = new Instance(10, "cyclist", 25, new Vector3f(0, 0, 10), 1.8f, 0.6f, 1.7f, 0);
        Scene s = new Scene(LabelSet.cityscapes(), List.of(rider, bicycle, occluder), new Camera(K, new Matrix4f()),
                Light.sunAt(45, 0, 0.7f, 0.3f), 23, Environment.uniformSky(new Rgb(100, 150, 200)), List.of(),
                List.of(), List.of(new dev.roadsynth.scenes.Group(together, List.of(1, 2))));
        Frame frame = renderer.render(s);
        var result = Annotator.annotate(s, frame, renderer.coverage(s), new Annotator.Policy(0, 0.1, false));
        assertThat(result.kept()).extracting(ObjectAnnotation::instanceId).containsExactly(1, 3);
        assertThat(result.dropped()).extracting(d -> d.object().instanceId()).containsExactly(2);
        assertThat(result.groups()).hasSize(1);
        var g = result.groups().get(0);
        ObjectAnnotation a = g.object();
        assertThat(g.members()).containsExactly(1, 2);
        assertThat(a.instanceId()).isEqualTo(10);
        assertThat(a.classId()).isEqualTo(25);
        assertThat(a.kind()).isEqualTo("cyclist");
        assertThat(a.visiblePixels()).isEqualTo(100 * 200 + 50 * 60);
        assertThat(a.amodalPixels()).isEqualTo(100 * 200 + 150 * 60 - 50 * 60);
        assertThat(a.visibleFraction()).isEqualTo(23000.0 / 26000);
        assertThat(a.visibleBox()).isEqualTo(new Box2(100, 100, 250, 300));
        assertThat(a.amodalBox()).isEqualTo(new Box2(100, 100, 300, 300));
        assertThat(a.truncation()).isEqualTo(0.0);
        assertThat(a.box3d().length()).isEqualTo(1.8f);
        // 3000 of 26000 pixels hidden: more than the policy's 0.1, though the rider alone is not occluded at all.
        assertThat(g.kept()).isFalse();
        assertThat(g.dropped()).isEqualTo("0.115 occluded, more than 0.100");
    }

    @Test
    void threeDBoxFollowsKittiConventions() {
        // A z-up world: camera at the origin looking along world +x. A box centred 10 m ahead, 2 m to the right.
        Camera cam = Camera.at(K, new Vector3f(0, 0, 0), 0, 0, 0);
        SceneObject part = rect(1, 300, 200, 340, 260, 10);
        Instance box = new Instance(1, "car", CAR, new Vector3f(10, -2, 0.75f), 4, 1.8f, 1.5f, 0);
        Scene s = new Scene(LabelSet.cityscapes(), List.of(new SceneObject("car", CAR, 1, part.mesh(), part.material(),
                new Matrix4f(cam.worldToCamera()).invertAffine())), cam, Light.sunAt(45, 0, 0.7f, 0.3f), 23,
                Environment.uniformSky(new Rgb(100, 150, 200)), List.of(box), List.of());
        ObjectAnnotation a = annotate(s, 1);
        assertThat(a.box3d().x()).isCloseTo(2, within(1e-5));
        assertThat(a.box3d().y()).isCloseTo(0, within(1e-5));     // bottom face on the ground, camera at ground level
        assertThat(a.box3d().z()).isCloseTo(10, within(1e-5));
        assertThat(a.box3d().height()).isEqualTo(1.5);
        assertThat(a.box3d().length()).isEqualTo(4);
        assertThat(a.box3d().rotationY()).isCloseTo(-Math.PI / 2, within(1e-6)); // heading along the viewing axis
        assertThat(a.alpha()).isCloseTo(-Math.PI / 2 - Math.atan2(2, 10), within(1e-6));
        assertThat(a.distance()).isCloseTo(Math.sqrt(4 + 0.75 * 0.75 + 100), within(1e-5));
    }

    @Test
    void onAStreetVisibleBoxesAreTheExtentsOfTheMasksAndLieInsideTheAmodalOnes() {
        Scene scene = TestScenes.street(5, 512, 256);
        Frame frame = renderer.render(scene);
        List<Coverage> coverage = renderer.coverage(scene);
        var result = Annotator.annotate(scene, frame, coverage, new Annotator.Policy(0, 1, false));
        assertThat(result.kept()).hasSizeGreaterThan(5);
        List<String> checked = new ArrayList<>();
        for (ObjectAnnotation a : result.kept()) {
            // Extents of the mask, computed here from the instance plane.
            int x0 = Integer.MAX_VALUE, y0 = Integer.MAX_VALUE, x1 = -1, y1 = -1;
            long n = 0;
            for (int y = 0; y < frame.height(); y++) {
                for (int x = 0; x < frame.width(); x++) {
                    if (frame.instance().get(x, y) == a.instanceId()) {
                        n++;
                        x0 = Math.min(x0, x);
                        y0 = Math.min(y0, y);
                        x1 = Math.max(x1, x);
                        y1 = Math.max(y1, y);
                    }
                }
            }
            assertThat(a.visiblePixels()).isEqualTo(n);
            assertThat(a.visiblePixels()).isLessThanOrEqualTo(a.amodalPixels());
            if (n > 0) {
                assertThat(a.visibleBox()).isEqualTo(new Box2(x0, y0, x1 + 1, y1 + 1));
                Box2 am = a.amodalBox();
                assertThat(am.x0() <= x0 && am.y0() <= y0 && am.x1() >= x1 + 1 && am.y1() >= y1 + 1).as("%s", a).isTrue();
                checked.add(a.kind());
            }
            assertThat(a.visibleFraction()).isBetween(0.0, 1.0);
            assertThat(a.truncation()).isBetween(0.0, 1.0);
        }
        assertThat(checked).contains("car");
    }

    @Test
    void thePolicyDropsWhatItShouldAndSaysWhy() {
        Scene s = scene(rect(1, 100, 100, 300, 200, 10), rect(2, 120, 110, 290, 190, 5), rect(3, 500, 300, 502, 302, 10));
        Frame frame = renderer.render(s);
        var result = Annotator.annotate(s, frame, renderer.coverage(s), new Annotator.Policy(10, 0.5, true));
        assertThat(result.kept()).extracting(ObjectAnnotation::instanceId).containsExactly(2);
        assertThat(result.dropped()).extracting(d -> d.object().instanceId()).containsExactly(1, 3);
        assertThat(result.dropped().get(0).reason()).contains("occluded, more than 0.500");
        assertThat(result.dropped().get(1).reason()).isEqualTo("4 visible pixels, fewer than 10");
    }
}
