package dev.roadsynth.renderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lwjgl.opengl.GL11C.GL_RGB;
import static org.lwjgl.opengl.GL11C.GL_RGBA;
import static org.lwjgl.opengl.GL30C.GL_R16UI;
import static org.lwjgl.opengl.GL30C.GL_R32UI;
import static org.lwjgl.opengl.GL30C.GL_R8UI;

import dev.roadsynth.core.Frame;
import dev.roadsynth.scenes.Scene;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The renderer's alternative paths through a driver (docs/gpu.md) give the same frames. The two ways a frame leaves the
 * GPU ({@link FrameReadback.Path}): the compute pass that packs the targets must give every byte that the four
 * {@code glReadPixels} give, for frames whose pixel count is not a multiple of 4 (the pass packs four pixels per
 * invocation), sizes changing within one run, every kind of scene, and the largest ids. The scene buffers'
 * usage hint changes where a driver keeps them, never what is drawn. And the coverage passes count the same pixels
 * with occlusion queries and with the shader's atomics ({@link CoveragePasses.Counting}).
 */
class DriverPathsTest {
    private static ThreadedRenderer pixels;
    private static ThreadedRenderer compute;
    private static ThreadedRenderer computeCopy;

    @BeforeAll
    static void open() {
        pixels = ThreadedRenderer.open(GpuSelection.AUTO, false, FrameReadback.Path.PIXELS);
        compute = ThreadedRenderer.open(GpuSelection.AUTO, false, FrameReadback.Path.COMPUTE);
        computeCopy = ThreadedRenderer.open(GpuSelection.AUTO, false, FrameReadback.Path.COMPUTE_COPY);
    }

    @AfterAll
    static void close() {
        pixels.close();
        compute.close();
        computeCopy.close();
    }

    @Test
    void theComputePassIsUsedWhereAsked() {
        // This machine's Mesa (and NVIDIA's driver) offer OpenGL 4.5: a silent fallback would leave the pass untested.
        assertThat(compute.description()).contains(", frames packed by a compute pass, colour read as RGB");
        assertThat(computeCopy.description()).contains(", frames packed by a compute pass, then copied, colour read as RGB");
        assertThat(pixels.description()).doesNotContain("compute");
        // Likewise the coverage shader's per-subgroup counting (ARB_shader_ballot), the default here and on NVIDIA.
        assertThat(pixels.coverageCounting()).isEqualTo("atomics per subgroup");
    }

    @Test
    void bothPathsGiveIdenticalFramesInOneRunOfChangingSizes() throws IOException {
        List<Scene> scenes = scenes();
        List<Frame> viaPixels = frames(pixels, scenes);
        List<Frame> viaCompute = frames(compute, scenes);
        assertSameFrames(viaPixels, viaCompute, scenes.size());
        assertSameFrames(viaPixels, frames(computeCopy, scenes), scenes.size());
        // With the coverage passes between the draw and the pack, as for COCO and KITTI.
        List<Scene> streets = List.of(TestScenes.street(3, 320, 160), TestScenes.street(4, 321, 161));
        assertSameWithCoverage(pixels, compute, streets);
        assertSameWithCoverage(pixels, computeCopy, streets);
        // Not vacuous: the frames hold the largest class id and something in every plane.
        Frame ids = viaCompute.get(5);
        assertThat(ids.semantic().get(440, 200)).isEqualTo(dev.roadsynth.core.LabelSet.MAX_ID);
        assertThat(ids.semantic().get(200, 200)).isEqualTo(40000);
        assertThat(viaCompute.get(4).instance().toArray()).containsAnyOf(1, 2, 3);
    }

    @Test
    void scenesUploadedWithTheStaticHintGiveIdenticalFrames() throws IOException {
        List<Scene> scenes = scenes();
        List<Frame> viaStream = frames(pixels, scenes);
        List<Frame> viaStatic;
        try (ThreadedRenderer hinted = WithRenderer.withProperty(GlRenderer.VERTICES_PROPERTY, "static",
                () -> ThreadedRenderer.open(GpuSelection.AUTO, false, FrameReadback.Path.PIXELS))) {
            assertThat(hinted.description()).contains(", scene buffers hinted static");
            viaStatic = frames(hinted, scenes);
            // With coverage: the passes' index buffer takes the hint too.
            assertSameWithCoverage(pixels, hinted, List.of(TestScenes.street(3, 320, 160)));
        }
        assertSameFrames(viaStream, viaStatic, scenes.size());
    }

    /**
     * Geometry uploaded into storage orphaned at steady sizes, kept from frame to frame, or copied in from client
     * memory mapped once ({@link BufferUploads}) draws the frames of storage made for each frame's data: scenes
     * growing and shrinking (the storage kept grows past 64 KiB and again, then holds more than a frame uploads),
     * more scenes than slots, shadows, weather, the coverage passes' indices and counters (more instances, then
     * fewer), and a coverage call between runs.
     */
    @Test
    void geometryUploadedEveryWayDrawsTheSameFrames() throws IOException {
        List<Scene> scenes = scenes();
        List<Frame> expected = frames(pixels, scenes);
        List<Scene> streets = List.of(TestScenes.street(3, 320, 160), RandomScenes.of(7, 320, 160, 30, 5),
                TestScenes.street(4, 321, 161), TestScenes.street(6, 640, 320));
        for (String[] mode : new String[][] {{"orphan", "into storage orphaned at steady sizes"},
                {"sub", "into storage kept from frame to frame"}, {"mapped", "through client memory mapped once"}}) {
            try (ThreadedRenderer r = WithRenderer.withProperty(BufferUploads.PROPERTY, mode[0],
                    () -> ThreadedRenderer.open(GpuSelection.AUTO, false, FrameReadback.Path.PIXELS))) {
                assertThat(r.description()).as(mode[0]).contains(", geometry uploaded " + mode[1]);
                assertSameFrames(expected, frames(r, scenes), scenes.size());
                assertSameWithCoverage(pixels, r, streets);
                // The annotation call on its own (Renderer.coverage) between runs, through the same buffers.
                Scene street = TestScenes.street(8, 200, 100);
                assertThat(r.coverage(street)).as(mode[0]).isEqualTo(pixels.coverage(street));
                assertSameFrames(expected.subList(0, 3), frames(r, scenes.subList(0, 3)), 3);
            }
        }
        assertThat(pixels.description()).doesNotContain("geometry uploaded");
    }

    /**
     * Two frames in flight ({@code -Droadsynth.inflight=2}) give the frames of one: sizes changing (the queue drains
     * before each resize), more scenes than slots, coverage; the plain way, and the NVIDIA way with geometry through
     * the staging buffers, whose slots are then used again soonest after their fences.
     */
    @Test
    void twoFramesInFlightGiveTheSameFrames() throws IOException {
        List<Scene> scenes = scenesTwice();
        List<Frame> expected = frames(pixels, scenes);
        List<Scene> streets = List.of(TestScenes.street(3, 320, 160), TestScenes.street(4, 320, 160),
                TestScenes.street(5, 320, 160), TestScenes.street(6, 320, 160), TestScenes.street(7, 640, 320));
        try (ThreadedRenderer plain = WithRenderer.withProperty(GlRenderer.INFLIGHT_PROPERTY, "2",
                () -> ThreadedRenderer.open(GpuSelection.AUTO, false, FrameReadback.Path.PIXELS));
             ThreadedRenderer nvidia = WithRenderer.withProperty(GlRenderer.INFLIGHT_PROPERTY, "2",
                     () -> WithRenderer.withProperty(BufferUploads.PROPERTY, "mapped",
                             () -> ThreadedRenderer.open(GpuSelection.AUTO, FrameReadback.Way.NVIDIA)))) {
            assertThat(plain.description()).contains(", 2 frames in flight");
            assertThat(nvidia.description()).contains(", geometry uploaded through client memory mapped once, 2 frames in flight");
            for (ThreadedRenderer r : List.of(plain, nvidia)) {
                assertSameFrames(expected, frames(r, scenes), scenes.size());
                assertSameWithCoverage(pixels, r, streets);
            }
        }
        assertThat(pixels.description()).doesNotContain("in flight");
    }

    @Test
    void framesReadOutThroughLastingMappingsAreIdenticalThroughEveryPath() throws IOException {
        readOutIdenticallyThroughEveryPath("persistent", ", readback buffers mapped once");
        assertThat(pixels.description()).doesNotContain("mapped once");
    }

    /**
     * NVIDIA's way ({@link FrameReadback.Way#NVIDIA}: compute pass, copy into client memory mapped once) gives the plain
     * way's frames, with sizes changing, more scenes than slots and coverage; opened whatever the driver, so that Mesa
     * checks it too.
     */
    @Test
    void nvidiasWayGivesThePlainWaysFrames() throws IOException {
        List<Scene> scenes = scenesTwice();
        try (ThreadedRenderer nvidia = ThreadedRenderer.open(GpuSelection.AUTO, FrameReadback.Way.NVIDIA)) {
            assertThat(nvidia.description())
                    .contains(", frames packed by a compute pass, then copied, readback buffers mapped once (client storage)");
            assertSameFrames(frames(pixels, scenes), frames(nvidia, scenes), scenes.size());
            assertSameWithCoverage(pixels, nvidia, List.of(TestScenes.street(3, 320, 160), TestScenes.street(4, 321, 161),
                    TestScenes.street(5, 320, 160), TestScenes.street(6, 640, 320)));
        }
    }

    /**
     * Where the way chosen for the driver fails to set up (NVIDIA's compute pass not compiling on some driver), the
     * renderer reads frames out the plain way on the same device, and its description says why, instead of leaving
     * the GPU for llvmpipe; where it sets up, nothing is said.
     */
    @Test
    void theDriversWayFallsBackToThePlainWayWhereItFailsToSetUp() throws IOException {
        List<Scene> scenes = scenes().subList(0, 5);
        String before = FrameReadback.packDefines;
        FrameReadback.packDefines = before + "#error as a driver that fails the pass\n";
        try (ThreadedRenderer r = ThreadedRenderer.openOrPlain(GpuSelection.AUTO, FrameReadback.Way.NVIDIA)) {
            assertThat(r.description()).doesNotContain("compute pass").contains(", read out by glReadPixels since the"
                    + " driver's way (-Droadsynth.readback=compute-copy -Droadsynth.readout=persistent"
                    + " -Droadsynth.clientStorage=true) failed here (shader compilation of pack.comp failed: ");
            assertThat(r.software()).isEqualTo(pixels.software());
            assertSameFrames(frames(pixels, scenes), frames(r, scenes), scenes.size());
        } finally {
            FrameReadback.packDefines = before;
        }
        try (ThreadedRenderer r = ThreadedRenderer.openOrPlain(GpuSelection.AUTO, FrameReadback.Way.NVIDIA)) {
            assertThat(r.description()).contains(", frames packed by a compute pass, then copied").doesNotContain("since");
        }
    }

    /**
     * Frames read out with {@code -Droadsynth.readout=readout} equal the default's, with sizes changing within the
     * run (a slot's memory grows), more scenes than slots (a slot is reused only after its copy), coverage between
     * draw and readback, and all three ways into the readback buffer.
     */
    private void readOutIdenticallyThroughEveryPath(String readout, String described) throws IOException {
        List<Scene> scenes = scenesTwice();
        List<Frame> expected = frames(pixels, scenes);
        List<Scene> streets = List.of(TestScenes.street(3, 320, 160), TestScenes.street(4, 321, 161),
                TestScenes.street(5, 320, 160), TestScenes.street(6, 640, 320));
        for (FrameReadback.Path path : FrameReadback.Path.values()) {
            try (ThreadedRenderer r = WithRenderer.withProperty(FrameReadback.Readout.PROPERTY, readout,
                    () -> ThreadedRenderer.open(GpuSelection.AUTO, false, path))) {
                assertThat(r.description()).as(path.name()).contains(described);
                assertSameFrames(expected, frames(r, scenes), scenes.size());
                assertSameWithCoverage(pixels, r, streets);
            }
        }
    }

    /**
     * Ids drawn and read back as narrow as a scene's ids allow ({@code -Droadsynth.idBytes=fit}) equal ids at full
     * width (the default): on every kind of scene, and on scenes whose ids lie
     * at the edges of the narrow widths (class 255 and instance 65,535 in 1 and 2 bytes; 256 and 65,536 not; a
     * background class of 256 behind objects of class 3), the targets' widths changing from frame to frame; and the
     * driver's id targets have those widths.
     */
    @Test
    void idsReadAsNarrowAsTheyFitEqualIdsReadAtFullWidth() throws IOException {
        Scene random = RandomScenes.of(2, 333, 217, 40, 4); // sparse: background between the objects
        int visible = java.util.Arrays.stream(pixels.render(random).instance().toArray()).filter(i -> i != 0)
                .findFirst().orElseThrow();
        List<Scene> scenes = new ArrayList<>(scenes());
        scenes.add(withIds(random, 254, 255, visible, 65_535));
        scenes.add(withIds(random, 255, 256, visible, 65_536));
        scenes.add(withIds(random, 256, 3, visible, 9));
        List<Frame> fit;
        try (ThreadedRenderer narrow = WithRenderer.withProperty(FrameReadback.ID_BYTES_PROPERTY, "fit",
                () -> ThreadedRenderer.open(GpuSelection.AUTO, false, FrameReadback.Path.PIXELS))) {
            assertThat(narrow.description()).contains(", ids drawn and read as narrow as they fit");
            fit = frames(narrow, scenes);
            assertSameFrames(frames(pixels, scenes), fit, scenes.size());
            assertSameWithCoverage(pixels, narrow, List.of(TestScenes.street(3, 320, 160), scenes.get(scenes.size() - 3)));
            int[][] widths = {{GL_R8UI, GL_R16UI}, {GL_R16UI, GL_R32UI}, {GL_R16UI, GL_R16UI}};
            for (int i = 0; i < widths.length; i++) {
                Scene edge = scenes.get(scenes.size() - 3 + i);
                frames(narrow, List.of(edge));
                assertThat(narrow.idTargetFormats()).as("edge scene %d", i).containsExactly(widths[i]);
            }
        }
        assertThat(pixels.description()).doesNotContain("narrow");
        assertThat(pixels.idTargetFormats()).containsExactly(GL_R16UI, GL_R32UI);
        // Not vacuous: the edge values are there, whole.
        int n = scenes.size();
        assertThat(fit.get(n - 3).semantic().toArray()).contains(254, 255);
        assertThat(fit.get(n - 3).instance().toArray()).contains(65_535);
        assertThat(fit.get(n - 2).semantic().toArray()).contains(255, 256);
        assertThat(fit.get(n - 2).instance().toArray()).contains(65_536);
        assertThat(fit.get(n - 1).semantic().toArray()).contains(256, 3);
    }

    /**
     * Frames rendered without depth (for formats that do not read it) have no depth plane and every other plane the
     * same, coverage included, through every path, NVIDIA's way and with ids read narrow (the compute pass packs no
     * depth plane then); and a renderer asked for depth again gives it whole (its depth target is drawn into again).
     */
    @Test
    void framesWithoutDepthAreTheSameButForIt() throws IOException {
        List<Scene> scenes = scenes();
        int n = scenes.size();
        List<Frame> expected = frames(pixels, scenes);
        List<Frame> stripped = expected.stream().map(f -> new Frame(f.labels(), f.rgb(), f.semantic(), f.instance(), null))
                .toList();
        List<Scene> streets = List.of(TestScenes.street(3, 320, 160), TestScenes.street(4, 321, 161));
        List<Rendered> withCoverage = new ArrayList<>();
        pixels.renderEach(streets.iterator(), Outputs.FRAMES.withCoverage(true), withCoverage::add, new RenderTimes());
        try (ThreadedRenderer narrow = WithRenderer.withProperty(FrameReadback.ID_BYTES_PROPERTY, "fit",
                () -> ThreadedRenderer.open(GpuSelection.AUTO, false, FrameReadback.Path.PIXELS));
             ThreadedRenderer nvidia = ThreadedRenderer.open(GpuSelection.AUTO, FrameReadback.Way.NVIDIA)) {
            for (ThreadedRenderer r : List.of(pixels, compute, computeCopy, narrow, nvidia)) {
                String what = r.description();
                List<Rendered> without = new ArrayList<>();
                r.renderEach(scenes.iterator(), new Outputs(false, false), without::add, new RenderTimes());
                assertThat(without).as(what).allSatisfy(got -> assertThat(got.frame().hasDepth()).isFalse());
                assertSameFrames(stripped, without.stream().map(Rendered::frame).toList(), n);
                if (r == nvidia) {
                    // Its buffers made for these frames only: the pass packed them without a depth plane.
                    long most = scenes.stream().mapToLong(s -> ReadbackLayout.PACKED.withoutDepth()
                            .bytes(s.camera().intrinsics().width() * s.camera().intrinsics().height())).max().orElseThrow();
                    assertThat(r.largestReadbackBuffer()).as(what).isEqualTo(most);
                }
                // Depth again at the size just drawn without it (a change of size would set the targets anew).
                assertSameFrames(expected.subList(n - 1, n), frames(r, scenes.subList(n - 1, n)), 1);
                assertSameFrames(expected, frames(r, scenes), n);
                List<Rendered> covered = new ArrayList<>();
                r.renderEach(streets.iterator(), new Outputs(false, true), covered::add, new RenderTimes());
                for (int i = 0; i < streets.size(); i++) {
                    assertThat(covered.get(i).coverage()).as(what).isNotEmpty().isEqualTo(withCoverage.get(i).coverage());
                    assertThat(covered.get(i).frame().hasDepth()).isFalse();
                }
            }
        }
        // Not vacuous: the depth left out is there when asked for.
        float[] depth = expected.get(4).depth().toArray();
        assertThat(depth).isNotEqualTo(new float[depth.length]);
    }

    /**
     * Readback buffers made with another usage hint ({@code -Droadsynth.packUsage}) or invalidated once read
     * ({@code -Droadsynth.packInvalidate}) give the same frames: more scenes than slots, sizes changing, coverage.
     */
    @Test
    void readbackBuffersHintedOtherwiseOrInvalidatedGiveIdenticalFrames() throws IOException {
        List<Scene> scenes = scenesTwice();
        List<Frame> expected = frames(pixels, scenes);
        List<Scene> streets = List.of(TestScenes.street(3, 320, 160), TestScenes.street(4, 321, 161),
                TestScenes.street(5, 320, 160), TestScenes.street(6, 640, 320));
        String[][] switches = {
                {FrameReadback.PACK_USAGE_PROPERTY, "dynamic", ", readback buffers hinted dynamic"},
                {FrameReadback.PACK_USAGE_PROPERTY, "static", ", readback buffers hinted static"},
                {FrameReadback.INVALIDATE_PROPERTY, "true", ", readback buffers invalidated after reading"}};
        for (String[] sw : switches) {
            try (ThreadedRenderer r = WithRenderer.withProperty(sw[0], sw[1],
                    () -> ThreadedRenderer.open(GpuSelection.AUTO, false, FrameReadback.Path.PIXELS))) {
                assertThat(r.description()).contains(sw[2]);
                assertSameFrames(expected, frames(r, scenes), scenes.size());
                assertSameWithCoverage(pixels, r, streets);
            }
        }
        assertThat(pixels.description()).doesNotContain("hinted").doesNotContain("invalidated");
    }

    @Test
    void idsAreReadInTheNarrowestWidthsTheyFit() {
        assertThat(ReadbackLayout.fitting(GL_RGBA, 255, 65_535)).isEqualTo(new ReadbackLayout(2, 1, GL_RGBA));
        assertThat(ReadbackLayout.fitting(GL_RGBA, 256, 65_536)).isEqualTo(new ReadbackLayout(4, 2, GL_RGBA));
        assertThat(ReadbackLayout.fitting(GL_RGB, 0, 0)).isEqualTo(new ReadbackLayout(2, 1, GL_RGB));
        // Ids are unsigned: a negative int is above every 16-bit value.
        assertThat(ReadbackLayout.fitting(GL_RGB, -1, -1)).isEqualTo(new ReadbackLayout(4, 2, GL_RGB));
        // The planes follow one another at multiples of 4 bytes, and the layout's size is their sum.
        ReadbackLayout narrow = new ReadbackLayout(2, 1, GL_RGBA);
        assertThat(narrow.bytes(35)).isEqualTo(36 * (2 + 4 + 1 + 4));
        assertThat(List.of(narrow.depthAt(36), narrow.classesAt(36), narrow.colourAt(36))).containsExactly(72, 216, 252);
        assertThat(ReadbackLayout.PACKED.bytes(35)).isEqualTo(36 * 13);
        // Without depth its plane's 4 bytes go, and the planes after it move up.
        ReadbackLayout bare = narrow.withoutDepth();
        assertThat(bare.bytes(35)).isEqualTo(36 * (2 + 1 + 4));
        assertThat(List.of(bare.classesAt(36), bare.colourAt(36), bare.tailAt(36))).containsExactly(72, 108, 252);
        assertThat(bare.withTail(8).bytes(35)).isEqualTo(36 * 7 + 8);
    }

    /**
     * {@code base} with its objects of class {@code objectClass}, its background of class {@code background}, and
     * instance {@code renamed} (a visible one, below {@code maxInstance} as all of them are) renamed
     * {@code maxInstance}.
     */
    private static Scene withIds(Scene base, int background, int objectClass, int renamed, int maxInstance) {
        dev.roadsynth.core.LabelSet labels = dev.roadsynth.core.LabelSet.of(List.of(
                new dev.roadsynth.core.Label("back", background, 255, "void", false, false, new dev.roadsynth.core.Rgb(1, 2, 3)),
                new dev.roadsynth.core.Label("thing", objectClass, 1, "object", true, false, new dev.roadsynth.core.Rgb(4, 5, 6))));
        List<dev.roadsynth.scenes.SceneObject> objects = base.objects().stream()
                .map(o -> new dev.roadsynth.scenes.SceneObject(o.kind(), objectClass,
                        o.instanceId() == renamed ? maxInstance : o.instanceId(), o.mesh(), o.material(), o.modelToWorld()))
                .toList();
        return new Scene(labels, objects, base.camera(), base.light(), background, new dev.roadsynth.core.Rgb(100, 150, 200));
    }

    @Test
    void coverageCountedByQueriesEqualsCoverageCountedByAtomics() throws IOException {
        List<Scene> scenes = new ArrayList<>();
        // Streets (cars and people cut by the image's edges), random boxes running past the edges, a size change, and
        // every preset and example file. (Not RandomScenes.of(1, 1024, 512, ...): llvmpipe's queries glitch there,
        // see the next test.)
        scenes.add(TestScenes.street(3, 320, 160));
        scenes.add(TestScenes.street(4, 321, 161));
        scenes.add(RandomScenes.of(2, 333, 217, 200, 30));
        scenes.addAll(TestScenes.firstOfEveryKind());
        try (ThreadedRenderer queries = WithRenderer.withProperty(CoveragePasses.Counting.PROPERTY, "queries",
                () -> ThreadedRenderer.open(GpuSelection.AUTO, false, FrameReadback.Path.PIXELS))) {
            assertThat(queries.description()).contains(", coverage counted by occlusion queries");
            assertThat(queries.coverageCounting()).isEqualTo("queries");
            List<Rendered> a = assertSameWithCoverage(pixels, queries, scenes);
            // Not vacuous: some instances run past the image's edges, so the canvas pass's split counts.
            assertThat(a.stream().flatMap(r -> r.coverage().stream()).filter(c -> c.canvasPixels() > c.canvasInside()))
                    .hasSizeGreaterThan(10);
        }
        assertThat(pixels.description()).doesNotContain("queries");
    }

    /**
     * Coverage multi-drawn ({@code -Droadsynth.coverageDraws=multi}) against a draw per instance with the stencil, in
     * pipelined runs: streets, random triangles and boxes running past the edges (261 instances in the largest scene,
     * nine multi-draws in its image pass), sizes changing, every preset and example file; also with the NVIDIA way
     * out, as it would run there; counting per subgroup and per pixel.
     */
    @Test
    void coverageMultiDrawnEqualsCoverageDrawnPerInstance() throws IOException {
        List<Scene> scenes = new ArrayList<>();
        scenes.add(TestScenes.street(3, 320, 160));
        scenes.add(RandomScenes.of(2, 333, 217, 200, 30));
        scenes.add(TestScenes.street(4, 321, 161));
        scenes.add(RandomScenes.of(1, 1024, 512, 300, 40));
        scenes.addAll(TestScenes.firstOfEveryKind());
        // The plain and NVIDIA ways counting per subgroup, and the plain way counting per pixel.
        for (int run = 0; run < 3; run++) {
            FrameReadback.Way way = run == 1 ? FrameReadback.Way.NVIDIA : FrameReadback.Way.PLAIN;
            CoveragePasses.allowBallot = run < 2;
            try (ThreadedRenderer multi = WithRenderer.withProperty(CoveragePasses.Draws.PROPERTY, "multi",
                    () -> ThreadedRenderer.open(GpuSelection.AUTO, way))) {
                assertThat(multi.description()).as(way.toString()).contains(", coverage multi-drawn");
                assertThat(multi.coverageCounting())
                        .isEqualTo(run < 2 ? "atomics per subgroup, multi-drawn" : "atomics per pixel, multi-drawn");
                List<Rendered> a = assertSameWithCoverage(pixels, multi, scenes);
                // Not vacuous: instances past the image's edges (the canvas pass), and more than a multi-draw's worth.
                assertThat(a.stream().flatMap(r -> r.coverage().stream()).filter(c -> c.canvasPixels() > c.canvasInside()))
                        .hasSizeGreaterThan(CoveragePasses.MULTI_BATCH);
                assertThat(a.stream().mapToInt(r -> r.coverage().size()).max().orElse(0))
                        .isGreaterThan(8 * CoveragePasses.MULTI_BATCH);
            } finally {
                CoveragePasses.allowBallot = true;
            }
        }
    }

    @Test
    void aDriverThatCannotCompileTheMultiDrawShaderDrawsPerInstance() {
        Scene street = TestScenes.street(3, 320, 160);
        List<Coverage> perInstance = pixels.coverage(street);
        String before = CoveragePasses.multiDefines;
        CoveragePasses.multiDefines = before + "#error as a driver that names the extension but fails it\n";
        try (ThreadedRenderer r = WithRenderer.withProperty(CoveragePasses.Draws.PROPERTY, "multi",
                () -> ThreadedRenderer.open(GpuSelection.AUTO, false, FrameReadback.Path.PIXELS))) {
            assertThat(r.coverageCounting()).isEqualTo("atomics per subgroup");
            assertThat(r.description()).contains(", coverage drawn per instance (the driver failed the multi-draw"
                    + " shader)").doesNotContain("multi-drawn");
            assertThat(r.coverage(street)).isNotEmpty().isEqualTo(perInstance);
        } finally {
            CoveragePasses.multiDefines = before;
        }
    }

    @Test
    void aDriverThatCannotCompileThePerSubgroupShaderCountsPerPixel() {
        Scene street = TestScenes.street(3, 320, 160);
        List<Coverage> perSubgroup = pixels.coverage(street); // before the change below: its passes are made now
        String before = CoveragePasses.ballotDefines;
        CoveragePasses.ballotDefines = before + "#error as a driver that names the extensions but fails them\n";
        try (ThreadedRenderer r = ThreadedRenderer.open(GpuSelection.AUTO, false, FrameReadback.Path.PIXELS);
             ThreadedRenderer multi = WithRenderer.withProperty(CoveragePasses.Draws.PROPERTY, "multi",
                     () -> ThreadedRenderer.open(GpuSelection.AUTO, false, FrameReadback.Path.PIXELS))) {
            assertThat(r.coverageCounting()).isEqualTo("atomics per pixel");
            assertThat(r.coverage(street)).isNotEmpty().isEqualTo(perSubgroup);
            // Multi-drawn, the same fallback: per pixel, still multi-drawn.
            assertThat(multi.coverageCounting()).isEqualTo("atomics per pixel, multi-drawn");
            assertThat(multi.coverage(street)).isEqualTo(perSubgroup);
        } finally {
            CoveragePasses.ballotDefines = before;
        }
    }

    /**
     * A scene of random triangles, many running far past the image and some nearly edge-on, rendered twice in a row
     * with coverage, as {@code generate} does: an instance's canvas count inside the image is its image count, give or
     * take a pixel or two where the canvas's rasterization ties differently, never more than its canvas count. With
     * llvmpipe's occlusion queries ({@code -Droadsynth.coverage=queries}) this failed: a box wholly above the image had
     * 402,109 pixels "inside" it in the first frame and 4,274,004 in the second.
     */
    @Test
    void aPipelinedRunOfRandomTrianglesCountsConsistently() {
        Scene scene = RandomScenes.of(1, 1024, 512, 300, 40);
        List<Rendered> out = new ArrayList<>();
        pixels.renderEach(List.of(scene, scene).iterator(), Outputs.FRAMES.withCoverage(true), out::add, new RenderTimes());
        int truncated = 0;
        for (Rendered r : out) {
            for (Coverage c : r.coverage()) {
                String what = c.toString();
                assertThat(c.canvasInside()).as(what).isLessThanOrEqualTo(c.canvasPixels());
                assertThat(Math.abs(c.canvasInside() - c.imagePixels())).as(what)
                        .isLessThanOrEqualTo(2 + c.imagePixels() / 100);
                truncated += c.canvasPixels() > c.canvasInside() ? 1 : 0;
            }
        }
        assertThat(truncated).as("instances running past the image").isGreaterThan(20);
        assertThat(out.get(0).coverage()).isEqualTo(out.get(1).coverage());
    }

    private static List<Frame> frames(ThreadedRenderer r, List<Scene> scenes) {
        List<Frame> out = new ArrayList<>();
        r.renderAll(scenes.iterator(), out::add);
        return out;
    }

    /**
     * The scenes through both renderers with their coverage: the same coverage (not none) and the same frames.
     *
     * @return what {@code expected} rendered
     */
    private static List<Rendered> assertSameWithCoverage(ThreadedRenderer expected, ThreadedRenderer actual, List<Scene> scenes) {
        List<Rendered> a = new ArrayList<>();
        List<Rendered> b = new ArrayList<>();
        expected.renderEach(scenes.iterator(), Outputs.FRAMES.withCoverage(true), a::add, new RenderTimes());
        actual.renderEach(scenes.iterator(), Outputs.FRAMES.withCoverage(true), b::add, new RenderTimes());
        for (int i = 0; i < scenes.size(); i++) {
            assertThat(b.get(i).coverage()).isNotEmpty().isEqualTo(a.get(i).coverage());
        }
        assertSameFrames(a.stream().map(Rendered::frame).toList(), b.stream().map(Rendered::frame).toList(), scenes.size());
        return a;
    }

    /** {@link #scenes} twice over: more scenes than the ring has slots, each slot used again at other sizes. */
    private static List<Scene> scenesTwice() throws IOException {
        List<Scene> scenes = new ArrayList<>(scenes());
        scenes.addAll(scenes());
        return scenes;
    }

    private static List<Scene> scenes() throws IOException {
        List<Scene> scenes = new ArrayList<>();
        scenes.add(RandomScenes.of(2, 333, 217, 200, 30)); // 72,261 pixels: 1 past a multiple of 4
        scenes.add(RandomScenes.of(5, 7, 5, 20, 5)); // 35: 3 past
        scenes.add(RandomScenes.of(9, 101, 3, 20, 5)); // 303: 3 past, rows narrower than a work group's pixels
        scenes.add(RandomScenes.of(4, 1001, 999, 300, 40)); // 999,999
        scenes.add(RandomScenes.of(1, 1024, 512, 300, 40));
        scenes.add(RendererTest.largestClassIds());
        scenes.addAll(TestScenes.firstOfEveryKind()); // presets and example files: shadows, lamps, wet roads, fog, rain, snow
        return scenes;
    }

    private static void assertSameFrames(List<Frame> expected, List<Frame> actual, int count) {
        assertThat(expected).hasSize(count);
        assertThat(actual).hasSize(count);
        for (int i = 0; i < count; i++) {
            Frame a = expected.get(i);
            Frame b = actual.get(i);
            String what = "scene " + i + " at " + a.width() + "x" + a.height();
            assertThat(b.width() + "x" + b.height()).as(what).isEqualTo(a.width() + "x" + a.height());
            int w = a.width();
            int n = w * a.height();
            if (!b.semantic().equals(a.semantic())) {
                failAt(what + ": class ids", w, n, (x, y) -> a.semantic().get(x, y), (x, y) -> b.semantic().get(x, y));
            }
            if (!b.instance().equals(a.instance())) {
                failAt(what + ": instance ids", w, n, (x, y) -> a.instance().get(x, y), (x, y) -> b.instance().get(x, y));
            }
            assertThat(b.hasDepth()).as(what + ": has depth").isEqualTo(a.hasDepth());
            if (a.hasDepth() && !b.depth().equals(a.depth())) {
                failAt(what + ": depth", w, n, (x, y) -> a.depth().get(x, y), (x, y) -> b.depth().get(x, y));
            }
            if (!b.rgb().equals(a.rgb())) {
                failAt(what + ": colour", w, n, (x, y) -> a.rgb().rgb(x, y), (x, y) -> b.rgb().rgb(x, y));
            }
        }
    }

    /** A plane's value at (x, y), as a number: an id, metres or packed RGB. */
    private interface Plane {
        Number at(int x, int y);
    }

    /**
     * Fails with how many of the {@code n} pixels of two unequal planes differ and the first few (where a GPU
     * machine's log is all there is to go on: a wrong row stride, a stale frame and a conversion look different).
     */
    private static void failAt(String what, int w, int n, Plane expected, Plane actual) {
        int differ = 0;
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < n; i++) {
            Number e = expected.at(i % w, i / w);
            Number a = actual.at(i % w, i / w);
            if (!e.equals(a)) {
                if (differ++ < 5) {
                    first.append(String.format(java.util.Locale.ROOT, " (%d, %d): %s, not %s;", i % w, i / w, a, e));
                }
            }
        }
        assertThat(differ).as("%s: %d of %d pixels differ, first:%s", what, differ, n, first).isZero();
        throw new AssertionError(what + ": the planes differ, yet no pixel does"); // e.g. in size: not reached
    }

    @Test
    void aFrameOfMoreWorkGroupsThanOneGridRowHoldsIsPackedWhole() {
        // 4352 x 3860 = 16,798,720 pixels: 65,620 work groups of 64 invocations (4 pixels each), past the 65,535 a
        // grid row may hold, so the pass is dispatched as two rows; a fault there loses the frame's last rows.
        Scene scene = RandomScenes.of(11, 4352, 3860, 60, 10);
        Frame a = pixels.render(scene);
        assertSameFrames(List.of(a), List.of(compute.render(scene)), 1);
        assertSameFrames(List.of(a), List.of(computeCopy.render(scene)), 1);
    }

    @Test
    void theComputePathMatchesTheCpuReference() {
        Scene scene = RandomScenes.of(6, 640, 481, 500, 80);
        LabelExactnessTest.assertMatches(compute.render(scene),
                ReferenceRasterizer.rasterize(scene, compute.subpixelBits()), "compute readback, seed 6");
    }

    @Test
    void gl33OnlyFallsBackToReadPixels() {
        try (ThreadedRenderer r = ThreadedRenderer.open(GpuSelection.AUTO, true, FrameReadback.Path.COMPUTE)) {
            assertThat(r.description()).doesNotContain("compute").endsWith(", colour read as RGB");
            Frame f = r.render(RandomScenes.of(5, 7, 5, 20, 5));
            assertThat(f.width()).isEqualTo(7);
        }
    }

    @Test
    void anUnknownChoiceNamesTheProperty() {
        String before = System.getProperty(FrameReadback.Path.PROPERTY);
        String vertices = System.getProperty(GlRenderer.VERTICES_PROPERTY);
        String coverage = System.getProperty(CoveragePasses.Counting.PROPERTY);
        String readout = System.getProperty(FrameReadback.Readout.PROPERTY);
        try {
            System.setProperty(GlRenderer.VERTICES_PROPERTY, "dynamic");
            assertThatThrownBy(() -> ThreadedRenderer.open(GpuSelection.AUTO, false, FrameReadback.Path.PIXELS))
                    .isInstanceOf(RenderException.class)
                    .hasMessage("system property roadsynth.vertices is 'dynamic'; allowed: stream, static");
            System.clearProperty(GlRenderer.VERTICES_PROPERTY);
            for (String[] bad : new String[][] {
                    {FrameReadback.PACK_USAGE_PROPERTY, "fast", "stream, dynamic, static"},
                    {FrameReadback.ID_BYTES_PROPERTY, "half", "full, fit"},
                    {BufferUploads.PROPERTY, "map", "data, orphan, sub, mapped"},
                    {CoveragePasses.Draws.PROPERTY, "all", "each, multi"},
                    {GlRenderer.INFLIGHT_PROPERTY, "3", "1, 2"}}) {
                assertThatThrownBy(() -> WithRenderer.withProperty(bad[0], bad[1],
                        () -> ThreadedRenderer.open(GpuSelection.AUTO, false, FrameReadback.Path.PIXELS)))
                        .isInstanceOf(RenderException.class)
                        .hasMessage("system property " + bad[0] + " is '" + bad[1] + "'; allowed: " + bad[2]);
            }
            System.setProperty(FrameReadback.Path.PROPERTY, "dma");
            assertThatThrownBy(FrameReadback.Path::fromProperty).isInstanceOf(RenderException.class)
                    .hasMessage("system property roadsynth.readback is 'dma'; allowed: pixels, compute, compute-copy");
            System.setProperty(FrameReadback.Path.PROPERTY, "compute-copy");
            assertThat(FrameReadback.Path.fromProperty()).isEqualTo(FrameReadback.Path.COMPUTE_COPY);
            System.setProperty(FrameReadback.Path.PROPERTY, "Compute");
            assertThat(FrameReadback.Path.fromProperty()).isEqualTo(FrameReadback.Path.COMPUTE);
            System.clearProperty(FrameReadback.Path.PROPERTY);
            assertThat(FrameReadback.Path.fromProperty()).isEqualTo(FrameReadback.Path.PIXELS);
            System.setProperty(FrameReadback.Readout.PROPERTY, "copy");
            assertThatThrownBy(FrameReadback.Readout::fromProperty).isInstanceOf(RenderException.class)
                    .hasMessage("system property roadsynth.readout is 'copy'; allowed: map, persistent");
            System.setProperty(FrameReadback.Readout.PROPERTY, "PERSISTENT");
            assertThat(FrameReadback.Readout.fromProperty()).isEqualTo(FrameReadback.Readout.PERSISTENT);
            System.clearProperty(FrameReadback.Readout.PROPERTY);
            assertThat(FrameReadback.Readout.fromProperty()).isEqualTo(FrameReadback.Readout.MAP);
            System.setProperty(CoveragePasses.Counting.PROPERTY, "shader");
            assertThatThrownBy(CoveragePasses.Counting::fromProperty).isInstanceOf(RenderException.class)
                    .hasMessage("system property roadsynth.coverage is 'shader'; allowed: atomics, queries");
        } finally {
            WithRenderer.restore(CoveragePasses.Counting.PROPERTY, coverage);
            WithRenderer.restore(FrameReadback.Path.PROPERTY, before);
            WithRenderer.restore(GlRenderer.VERTICES_PROPERTY, vertices);
            WithRenderer.restore(FrameReadback.Readout.PROPERTY, readout);
        }
    }
}
