package dev.roadsynth.renderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roadsynth.core.DepthPlane;
import dev.roadsynth.core.Frame;
import dev.roadsynth.scenes.Scene;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RendererTest extends WithRenderer {

    @Test
    void closingOnAnotherThreadEndsARunUnderWayAtItsNextFrameAndFreesTheContext() throws Exception {
        int before = EglContext.openContexts();
        Renderer r = Renderer.open(GpuSelection.AUTO);
        Scene small = RandomScenes.of(3, 64, 48, 20, 4);
        java.util.concurrent.atomic.AtomicInteger frames = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(3);
        // Scenes without end, as a bench's or a preview's long run that a signal's shutdown hook closes.
        java.util.Iterator<Scene> endless = java.util.stream.Stream.generate(() -> small).iterator();
        java.util.concurrent.CompletableFuture<Throwable> run = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                r.renderAll(endless, f -> {
                    frames.incrementAndGet();
                    started.countDown();
                });
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        assertThat(started.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        // Closed on a thread of its own, as by a shutdown hook; bounded, so that a close that waited for the end of
        // the run fails here instead of hanging.
        java.util.concurrent.CompletableFuture.runAsync(r::close).get(30, java.util.concurrent.TimeUnit.SECONDS);
        Throwable ended = run.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(ended).isInstanceOf(RenderException.class).hasMessage("the renderer was closed while rendering");
        assertThat(EglContext.openContexts()).isEqualTo(before);
        int after = frames.get();
        Thread.sleep(200);
        assertThat(frames.get()).isEqualTo(after); // nothing handed on after the run ended
        assertThatThrownBy(() -> r.render(small)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void renderTimesAccountForTheRenderThreadsTimeFrameByFrame() {
        List<Scene> scenes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            scenes.add(TestScenes.street(60 + i, 160, 80));
        }
        RenderTimes times = new RenderTimes();
        List<Rendered> got = new ArrayList<>();
        long t0 = System.nanoTime();
        renderer.renderEach(scenes.iterator(), Outputs.FRAMES.withCoverage(true), got::add, times);
        long wall = System.nanoTime() - t0;
        assertThat(got).hasSize(4);
        assertThat(times.frames()).isEqualTo(4);
        long sum = 0;
        for (RenderTimes.Phase p : RenderTimes.Phase.values()) {
            assertThat(times.nanos(p)).as(p.label()).isNotNegative();
            sum += times.nanos(p);
        }
        // Consecutive stretches of the render thread's run, so together within the call's wall time.
        assertThat(sum).isPositive().isLessThanOrEqualTo(wall);
        assertThat(times.nanos(RenderTimes.Phase.DRAW)).isPositive();
        assertThat(times.nanos(RenderTimes.Phase.COPY)).isPositive();
        assertThat(times.summary()).matches("\\d+\\.\\d\\d ms per frame: \\d+\\.\\d\\d waiting for scenes, .*handing on; a copy took \\d+\\.\\d\\d ms, after \\d+\\.\\d\\d ms waiting for a copy thread");
        // The GPU's timeline between the frame's timestamps: every stretch ordered, and some time in all.
        long gpu = 0;
        for (RenderTimes.GpuPhase p : RenderTimes.GpuPhase.values()) {
            assertThat(times.gpuNanos(p)).as(p.label()).isNotNegative();
            gpu += times.gpuNanos(p);
        }
        assertThat(gpu).isPositive();
        assertThat(times.gpuSummary()).matches("\\d+\\.\\d\\d ms per frame: \\d+\\.\\d\\d upload, \\d+\\.\\d\\d shadow pass, "
                + "\\d+\\.\\d\\d drawing, \\d+\\.\\d\\d coverage passes, \\d+\\.\\d\\d readback");
        // Street scenes have shadows and coverage: the GPU spends time in those stretches too.
        assertThat(times.gpuNanos(RenderTimes.GpuPhase.SHADOW)).isPositive();
        assertThat(times.gpuNanos(RenderTimes.GpuPhase.COVERAGE)).isPositive();
    }

    @Test
    void classIdsUpToTheLabelSetsLargestComeBackExactly() {
        Frame f = renderer.render(largestClassIds());
        assertThat(f.semantic().get(200, 200)).isEqualTo(40000);
        assertThat(f.semantic().get(440, 200)).isEqualTo(dev.roadsynth.core.LabelSet.MAX_ID);
        assertThat(f.semantic().get(320, 50)).isEqualTo(256);
        assertThat(f.instance().get(440, 200)).isEqualTo(8);
    }

    /**
     * Two squares of class ids 40000 and LabelSet.MAX_ID (instances 7 and 8) before a sky of class 256: the class
     * target keeps 16 bits, so every id a label set may hold comes back, the largest included.
     */
    static Scene largestClassIds() {
        var labels = dev.roadsynth.core.LabelSet.of(List.of(
                new dev.roadsynth.core.Label("sky", 256, 255, "sky", false, false, new dev.roadsynth.core.Rgb(70, 130, 180)),
                new dev.roadsynth.core.Label("left", 40000, 1, "object", true, false, new dev.roadsynth.core.Rgb(200, 0, 0)),
                new dev.roadsynth.core.Label("right", dev.roadsynth.core.LabelSet.MAX_ID, 2, "object", true, false,
                        new dev.roadsynth.core.Rgb(0, 200, 0))));
        var left = AnnotatorTest.rect(7, 100, 100, 300, 300, 10);
        var right = AnnotatorTest.rect(8, 340, 100, 540, 300, 10);
        return new Scene(labels, List.of(
                new dev.roadsynth.scenes.SceneObject("car", 40000, 7, left.mesh(), left.material(), new org.joml.Matrix4f()),
                new dev.roadsynth.scenes.SceneObject("car", dev.roadsynth.core.LabelSet.MAX_ID, 8, right.mesh(), right.material(),
                        new org.joml.Matrix4f())),
                new dev.roadsynth.scenes.Camera(AnnotatorTest.K, new org.joml.Matrix4f()),
                dev.roadsynth.scenes.Light.sunAt(45, 0, 0.7f, 0.3f), 256,
                dev.roadsynth.scenes.Environment.uniformSky(new dev.roadsynth.core.Rgb(100, 150, 200)), List.of(), List.of());
    }

    @Test
    void twoRendersOfOneSceneAreByteIdentical() {
        Scene scene = TestScenes.street(42, 640, 320);
        Frame a = renderer.render(scene);
        renderer.render(TestScenes.street(7, 320, 200)); // something else in between
        Frame b = renderer.render(scene);
        assertThat(b.rgb()).isEqualTo(a.rgb());
        assertThat(b.semantic()).isEqualTo(a.semantic());
        assertThat(b.instance()).isEqualTo(a.instance());
        assertThat(b.depth()).isEqualTo(a.depth());
    }

    @Test
    void pipelinedRenderingGivesTheSameFramesInOrder() {
        List<Scene> scenes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // Sizes change mid-sequence, which forces the ring to drain.
            scenes.add(i == 3 ? TestScenes.street(i, 300, 151) : TestScenes.street(i, 400, 200));
        }
        List<Frame> piped = new ArrayList<>();
        renderer.renderAll(scenes.iterator(), piped::add);
        assertThat(piped).hasSize(scenes.size());
        for (int i = 0; i < scenes.size(); i++) {
            Frame single = renderer.render(scenes.get(i));
            assertThat(piped.get(i).semantic()).as("frame %d", i).isEqualTo(single.semantic());
            assertThat(piped.get(i).instance()).as("frame %d", i).isEqualTo(single.instance());
            assertThat(piped.get(i).depth()).as("frame %d", i).isEqualTo(single.depth());
            assertThat(piped.get(i).rgb()).as("frame %d", i).isEqualTo(single.rgb());
        }
    }

    @Test
    void starterSceneShowsSkyAboveRoadBelowAndInstancesOnlyOnThings() {
        Frame f = renderer.render(TestScenes.street(3, 1024, 512));
        var labels = f.labels();
        // Rows are top-down: the top row centre looks up into the sky, the bottom row centre at the road.
        assertThat(f.semantic().get(512, 0)).isIn(labels.id("sky"), labels.id("building"));
        assertThat(f.semantic().get(512, 511)).isEqualTo(labels.id("road"));
        int instancePixels = 0;
        for (int y = 0; y < f.height(); y++) {
            for (int x = 0; x < f.width(); x++) {
                int cls = f.semantic().get(x, y);
                int inst = f.instance().get(x, y);
                if (inst != 0) {
                    instancePixels++;
                    assertThat(labels.byId(cls).hasInstances()).as("class %d at (%d, %d)", cls, x, y).isTrue();
                }
                if (cls == labels.id("sky")) {
                    assertThat(f.depth().get(x, y)).isEqualTo(DepthPlane.NO_DEPTH);
                } else {
                    assertThat(f.depth().get(x, y)).isGreaterThan(0f);
                }
            }
        }
        assertThat(instancePixels).as("cars and pedestrians are visible").isGreaterThan(1000);
    }

    @Test
    void unknownDeviceIndexNamesTheDevicesThatExist() {
        assertThatThrownBy(() -> Renderer.open(GpuSelection.parse("99")))
                .isInstanceOf(RenderException.class)
                .hasMessageContaining("device 99")
                .hasMessageContaining("device(s)");
    }

    @Test
    void closedRendererRefusesWork() {
        Renderer r = Renderer.open(GpuSelection.SOFTWARE);
        r.close();
        assertThatThrownBy(() -> r.render(TestScenes.street(1, 64, 32))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFailingSinkStopsRenderingAndTheRendererStaysUsable() {
        List<Scene> scenes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            scenes.add(TestScenes.street(i, 200, 100));
        }
        int[] seen = {0};
        assertThatThrownBy(() -> renderer.renderAll(scenes.iterator(), f -> {
            if (++seen[0] == 2) {
                throw new IllegalStateException("sink failed");
            }
        })).isInstanceOf(IllegalStateException.class).hasMessage("sink failed");
        assertThat(seen[0]).isEqualTo(2);
        assertThat(renderer.render(scenes.get(0)).semantic()).isEqualTo(renderer.render(scenes.get(0)).semantic());
    }

    @Test
    void stoppingAtAnyFrameLeavesEveryReadbackBufferUnmappedAndTheRendererExact() {
        // Frames are copied out of mapped pixel buffers on copy threads; a run that stops at frame k must still wait
        // for those copies and unmap every buffer, or the next run's readback into it fails (or reads freed memory).
        List<Scene> scenes = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            scenes.add(TestScenes.street(80 + i, 160, 80));
        }
        List<Frame> expected = new ArrayList<>();
        renderer.renderAll(scenes.iterator(), expected::add);
        assertThat(((ThreadedRenderer) renderer).mappedBuffers()).isZero();
        for (int stopAt = 1; stopAt <= 6; stopAt++) {
            int[] seen = {0};
            int k = stopAt;
            assertThatThrownBy(() -> renderer.renderAll(scenes.iterator(), f -> {
                if (++seen[0] == k) {
                    throw new IllegalStateException("stop at " + k);
                }
            })).hasMessage("stop at " + k);
            assertThat(((ThreadedRenderer) renderer).mappedBuffers()).as("stop at %d", k).isZero();
            List<Frame> again = new ArrayList<>();
            renderer.renderAll(scenes.iterator(), again::add);
            assertThat(again).hasSize(scenes.size());
            for (int i = 0; i < scenes.size(); i++) {
                assertThat(again.get(i).semantic()).as("stop at %d, frame %d", k, i).isEqualTo(expected.get(i).semantic());
                assertThat(again.get(i).depth()).as("stop at %d, frame %d", k, i).isEqualTo(expected.get(i).depth());
            }
        }
    }

    @Test
    void aFailingSceneSourceFailsTheRenderWithItsOwnExceptionAndTheRendererStaysUsable() {
        // Scenes are drawn from the iterator and packed on a thread of their own; its failure must surface here.
        int[] drawn = {0};
        java.util.Iterator<Scene> failing = new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Scene next() {
                if (++drawn[0] == 4) {
                    throw new IllegalArgumentException("scene 3 is bad");
                }
                return TestScenes.street(drawn[0], 160, 80);
            }
        };
        List<Frame> got = new ArrayList<>();
        assertThatThrownBy(() -> renderer.renderAll(failing, got::add))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("scene 3 is bad");
        assertThat(got.size()).isBetween(1, 3);
        Scene scene = TestScenes.street(1, 160, 80);
        assertThat(got.get(0).semantic()).isEqualTo(renderer.render(scene).semantic());
    }

    @Test
    void objectsOutsideTheViewAreLeftOutOfTheMainPassButNotOutOfShadowsOrCoverage() {
        Scene scene = dev.roadsynth.scenes.SceneGenerator.generate(
                dev.roadsynth.scenes.spec.SceneSpecs.preset("urban-intersection").withResolution(320, 160), 3);
        try (PackedScene packed = PackedScene.pack(scene)) {
            long all = 3 * scene.triangleCount();
            // Urban scenes put about half their triangles around and behind the camera.
            assertThat(packed.indexCount()).isGreaterThan(0).isLessThan((int) (0.8 * all));
            long groups = java.util.Arrays.stream(packed.instanceGroups(scene).counts()).asLongStream().sum();
            long instanceIndices = scene.objects().stream().filter(o -> o.instanceId() != 0)
                    .mapToLong(o -> 3L * o.mesh().triangleCount()).sum();
            // And each group's (a rider and its two-wheeler) its members' again.
            java.util.Set<Integer> members = new java.util.HashSet<>();
            scene.groups().forEach(g -> members.addAll(g.members()));
            long groupIndices = scene.objects().stream().filter(o -> members.contains(o.instanceId()))
                    .mapToLong(o -> 3L * o.mesh().triangleCount()).sum();
            assertThat(scene.groups()).isNotEmpty();
            assertThat(groups).as("coverage keeps every instance's and group's triangles")
                    .isEqualTo(instanceIndices + groupIndices);
        }
        // What is drawn is unchanged: the exactness tests compare frames with a CPU rasterization of every
        // triangle, culled or not.
    }

    @Test
    void pipelinedCoverageEqualsCoverageComputedAloneForEveryFrame() {
        // In a pipelined run the counters of frame n are read back while frame n+1 renders (one buffer per slot).
        List<Scene> scenes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            scenes.add(i == 2 ? TestScenes.street(40 + i, 300, 151) : TestScenes.street(40 + i, 320, 160));
        }
        List<Rendered> piped = new ArrayList<>();
        renderer.renderEach(scenes.iterator(), Outputs.FRAMES.withCoverage(true), piped::add);
        assertThat(piped).hasSize(scenes.size());
        for (int i = 0; i < scenes.size(); i++) {
            List<Coverage> alone = renderer.coverage(scenes.get(i));
            assertThat(alone).as("scene %d has instances", i).isNotEmpty();
            assertThat(piped.get(i).coverage()).as("frame %d", i).isEqualTo(alone);
            assertThat(piped.get(i).scene()).isSameAs(scenes.get(i));
        }
    }

    @Test
    void twoLiveRenderersUsedFromSeveralThreadsAgree() throws Exception {
        Scene scene = TestScenes.street(12, 320, 160);
        Frame expected = renderer.render(scene);
        try (Renderer second = Renderer.open(GpuSelection.AUTO)) {
            List<Thread> threads = new ArrayList<>();
            List<Frame> results = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < 4; t++) {
                Renderer r = t % 2 == 0 ? renderer : second;
                Thread th = new Thread(() -> results.add(r.render(scene)));
                threads.add(th);
                th.start();
            }
            for (Thread th : threads) {
                th.join();
            }
            assertThat(results).hasSize(4);
            for (Frame f : results) {
                assertThat(f.semantic()).isEqualTo(expected.semantic());
                assertThat(f.instance()).isEqualTo(expected.instance());
                assertThat(f.depth()).isEqualTo(expected.depth());
            }
        }
    }
}
