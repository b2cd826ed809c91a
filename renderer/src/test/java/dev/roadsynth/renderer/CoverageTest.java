package dev.roadsynth.renderer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roadsynth.core.Rgb;
import dev.roadsynth.scenes.Scene;
import dev.roadsynth.scenes.SceneObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The coverage passes against {@link ReferenceRasterizer} drawing each instance alone: an instance's pixels inside
 * the image are counted once each, however its own faces overlap; over frames in a row, so that the stencil values
 * that keep a pixel from counting twice run out and are reused.
 */
class CoverageTest extends WithRenderer {

    @Test
    void anInstanceOfOverlappingBoxesCountsEachPixelOnceFrameAfterFrame() {
        int bits = ((ThreadedRenderer) renderer).subpixelBits();
        // 300 instances, three frames: stencil values run out within frames and between them (the next test makes
        // the reuse bite). Each instance is two overlapping boxes, as a car is a body and a cabin: their front faces overlap on
        // screen, and only the stencil keeps a pixel from counting twice.
        Scene boxes = RandomScenes.of(11, 160, 120, 0, 300);
        List<SceneObject> objects = new java.util.ArrayList<>();
        for (SceneObject o : boxes.objects()) {
            objects.add(o);
            objects.add(new SceneObject(o.kind(), o.classId(), o.instanceId(), o.mesh(), o.material(),
                    new org.joml.Matrix4f(o.modelToWorld()).translate(0.3f, 0.2f, 0.25f)));
        }
        Scene scene = new Scene(boxes.labels(), objects, boxes.camera(), boxes.light(), boxes.backgroundClassId(),
                new Rgb(0, 0, 0));
        java.util.Map<Integer, long[]> reference = new java.util.HashMap<>();
        for (SceneObject o : boxes.objects()) {
            Scene alone = new Scene(scene.labels(), objects.stream().filter(x -> x.instanceId() == o.instanceId())
                    .toList(), scene.camera(), scene.light(), scene.backgroundClassId(), new Rgb(0, 0, 0));
            ReferenceRasterizer ref = ReferenceRasterizer.rasterize(alone, bits);
            long count = 0;
            long close = 0;
            for (int i = 0; i < ref.inst.length; i++) {
                count += ref.inst[i] == o.instanceId() ? 1 : 0;
                close += ref.ambiguous(i) ? 1 : 0;
            }
            reference.put(o.instanceId(), new long[] {count, close});
        }
        int instances = 0;
        long covered = 0;
        for (int frame = 0; frame < 3; frame++) {
            for (Coverage c : renderer.coverage(scene)) {
                long[] ref = reference.get(c.instanceId());
                assertThat(c.imagePixels()).as("frame " + frame + " instance " + c.instanceId() + ": " + ref[1]
                        + " pixels too close to call").isBetween(ref[0] - ref[1], ref[0] + ref[1]);
                instances++;
                covered += ref[0];
            }
        }
        assertThat(instances).as("instances drawn, so that stencil values were reused").isEqualTo(3 * 300);
        assertThat(covered).as("pixels covered").isGreaterThan(10_000);
    }

    /**
     * Instance i a 20 x 20 pixel square in cell i mod 255 of a grid, so that instance i + 255, drawn with the
     * stencil value instance i used, covers exactly the pixels that still hold it: unless the stencil was cleared
     * when values ran out, none of them would count. Counts are known exactly: 400 pixels each.
     */
    @Test
    void aSquareDrawnWithAReusedStencilValueStillCountsEveryPixel() {
        List<SceneObject> squares = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int u = 10 + 36 * (i % 255 % 17);
            int v = 10 + 30 * (i % 255 / 17);
            squares.add(AnnotatorTest.rect(i + 1, u, v, u + 20, v + 20, 5 + i * 0.01));
        }
        Scene scene = AnnotatorTest.scene(squares.toArray(SceneObject[]::new));
        for (int frame = 0; frame < 2; frame++) {
            List<Coverage> coverage = renderer.coverage(scene);
            assertThat(coverage).hasSize(300);
            for (Coverage c : coverage) {
                assertThat(c.imagePixels()).as("frame " + frame + " instance " + c.instanceId()).isEqualTo(400);
            }
        }
    }

    /**
     * A group's coverage is the union of its members' (each pixel once), against the reference rasterizing the
     * members alone together. Each group is a box and a shifted copy of it, so the members overlap on screen and
     * the sum of their coverages would be more than the union for most groups; the canvas pass's count lies between
     * the larger member's and the sum.
     */
    @Test
    void aGroupCoversTheUnionOfItsMembers() {
        int bits = ((ThreadedRenderer) renderer).subpixelBits();
        Scene boxes = RandomScenes.of(12, 160, 120, 0, 100);
        List<SceneObject> objects = new java.util.ArrayList<>();
        List<dev.roadsynth.scenes.Group> groups = new java.util.ArrayList<>();
        for (SceneObject o : boxes.objects()) {
            int copy = o.instanceId() + 1000;
            objects.add(o);
            objects.add(new SceneObject(o.kind(), o.classId(), copy, o.mesh(), o.material(),
                    new org.joml.Matrix4f(o.modelToWorld()).translate(0.3f, 0.2f, 0.25f)));
            groups.add(new dev.roadsynth.scenes.Group(new dev.roadsynth.scenes.Instance(o.instanceId() + 2000, "pair",
                    o.classId(), new org.joml.Vector3f(), 1, 1, 1, 0), List.of(o.instanceId(), copy)));
        }
        Scene scene = new Scene(boxes.labels(), objects, boxes.camera(), boxes.light(), boxes.backgroundClassId(),
                dev.roadsynth.scenes.Environment.uniformSky(new Rgb(0, 0, 0)), List.of(), List.of(), groups);
        java.util.Map<Integer, Coverage> byId = new java.util.HashMap<>();
        List<Coverage> coverage = renderer.coverage(scene);
        coverage.forEach(c -> byId.put(c.instanceId(), c));
        assertThat(coverage).hasSize(300);
        int sumWouldFail = 0;
        long covered = 0;
        for (dev.roadsynth.scenes.Group g : groups) {
            Scene alone = new Scene(scene.labels(), objects.stream().filter(x -> g.members().contains(x.instanceId()))
                    .toList(), scene.camera(), scene.light(), scene.backgroundClassId(), new Rgb(0, 0, 0));
            ReferenceRasterizer ref = ReferenceRasterizer.rasterize(alone, bits);
            long count = 0;
            long close = 0;
            for (int i = 0; i < ref.inst.length; i++) {
                count += ref.inst[i] != 0 ? 1 : 0;
                close += ref.ambiguous(i) ? 1 : 0;
            }
            Coverage c = byId.get(g.id());
            Coverage a = byId.get(g.members().get(0));
            Coverage b = byId.get(g.members().get(1));
            assertThat(c.imagePixels()).as("group " + g.id() + ": " + close + " pixels too close to call")
                    .isBetween(count - close, count + close);
            assertThat(c.canvasPixels()).as("group " + g.id() + " on the canvas")
                    .isBetween(Math.max(a.canvasPixels(), b.canvasPixels()), a.canvasPixels() + b.canvasPixels());
            sumWouldFail += a.imagePixels() + b.imagePixels() > count + close ? 1 : 0;
            covered += count;
        }
        assertThat(sumWouldFail).as("groups whose members overlap by more than the pixels too close to call")
                .isGreaterThan(20);
        assertThat(covered).as("pixels covered").isGreaterThan(5_000);
    }
}
