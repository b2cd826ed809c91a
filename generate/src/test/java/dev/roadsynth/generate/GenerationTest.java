package dev.roadsynth.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roadsynth.core.Frame;
import dev.roadsynth.core.batch.CommitGate;
import dev.roadsynth.core.batch.RecordingRunListener;
import dev.roadsynth.renderer.Coverage;
import dev.roadsynth.renderer.GpuSelection;
import dev.roadsynth.renderer.Outputs;
import dev.roadsynth.renderer.RenderTimes;
import dev.roadsynth.renderer.Rendered;
import dev.roadsynth.renderer.Renderer;
import dev.roadsynth.scenes.Scene;
import dev.roadsynth.scenes.spec.SceneSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run hands every frame back to the renderer for reuse, once, and only after the sample's files hold it; tells its
 * listener the counts; needs no renderer to finish a run whose samples are done; and stops at its gate.
 */
class GenerationTest {
    /** A real renderer that notes the frames it hands out and the ones handed back. */
    private static final class Watching implements Renderer {
        final Renderer real = Renderer.open(GpuSelection.AUTO);
        final Map<Frame, Long> indexOf = Collections.synchronizedMap(new IdentityHashMap<>());
        final List<String> problems = Collections.synchronizedList(new ArrayList<>());
        final List<Long> recycled = Collections.synchronizedList(new ArrayList<>());
        final List<Outputs> asked = new ArrayList<>();
        final List<Boolean> withDepth = Collections.synchronizedList(new ArrayList<>());
        Path out;

        @Override
        public void renderEach(Iterator<? extends Scene> scenes, Outputs outputs, Consumer<? super Rendered> sink,
                               RenderTimes times) {
            long[] next = {0};
            asked.add(outputs);
            real.renderEach(scenes, outputs, r -> {
                withDepth.add(r.frame().hasDepth());
                indexOf.put(r.frame(), next[0]++);
                sink.accept(r);
            }, times);
        }

        @Override
        public void recycle(Frame frame) {
            Long i = indexOf.remove(frame);
            if (i == null) {
                problems.add("a frame handed back twice, or one never handed out");
                return;
            }
            try {
                // The sample's RGB array on disk holds this frame's pixels: written before being handed back.
                byte[] npy = Files.readAllBytes(out.resolve("frames").resolve(String.format("%06d_rgb.npy", i)));
                byte[] rgb = frame.rgb().toArray();
                if (!Arrays.equals(Arrays.copyOfRange(npy, npy.length - rgb.length, npy.length), rgb)) {
                    problems.add("sample " + i + " handed back with pixels its file does not hold");
                }
            } catch (java.io.IOException e) {
                problems.add("sample " + i + " handed back before its file was written: " + e);
            }
            recycled.add(i);
            real.recycle(frame);
        }

        @Override
        public Frame render(Scene scene) {
            return real.render(scene);
        }

        @Override
        public void renderAll(Iterator<? extends Scene> scenes, Consumer<? super Frame> sink) {
            real.renderAll(scenes, sink);
        }

        @Override
        public List<Coverage> coverage(Scene scene) {
            return real.coverage(scene);
        }

        @Override
        public String description() {
            return real.description();
        }

        @Override
        public String identity() {
            return real.identity();
        }

        @Override
        public boolean software() {
            return real.software();
        }

        @Override
        public void close() {
            real.close();
        }
    }

    @Test
    void everyFrameIsHandedBackOnceAfterItsFilesAreWritten(@TempDir Path dir) throws Exception {
        var spec = SceneSpecs.preset("suburban-street").withResolution(96, 48);
        var plan = Plan.builder(List.of(spec), 12, dir).formats(List.of("raw", "coco")).version("test")
                .build();
        try (Watching renderer = new Watching()) {
            renderer.out = dir;
            var outcome = Generation.run(plan, () -> renderer, 3, new CommitGate(), new Generation.Listener() { });
            assertThat(outcome.written()).isEqualTo(12);
            assertThat(renderer.problems).isEmpty();
            assertThat(renderer.recycled).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
            assertThat(renderer.indexOf).isEmpty();
        }
    }

    /** Depth is drawn and read back only where a format reads it; coverage only where annotations are made. */
    @Test
    void framesComeWithDepthOnlyWhereAFormatReadsIt(@TempDir Path dir) throws Exception {
        var spec = SceneSpecs.preset("highway").withResolution(64, 32);
        String[][] cases = {{"cityscapes,coco", "false", "true"}, {"cityscapes", "false", "false"},
                {"raw", "true", "false"}, {"kitti,depth-png", "true", "true"}, {"depth", "true", "false"}};
        for (String[] c : cases) {
            Path out = dir.resolve(c[0].replace(',', '_'));
            var plan = Plan.builder(List.of(spec), 3, out).formats(List.of(c[0].split(","))).version("test").build();
            try (Watching renderer = new Watching()) {
                renderer.out = out;
                assertThat(Generation.run(plan, () -> renderer, 2, new CommitGate(), new Generation.Listener() { })
                        .written()).isEqualTo(3);
                boolean depth = Boolean.parseBoolean(c[1]);
                assertThat(renderer.asked).as(c[0]).containsExactly(new Outputs(depth, Boolean.parseBoolean(c[2])));
                assertThat(Generation.outputs(plan)).isEqualTo(renderer.asked.get(0));
                assertThat(renderer.withDepth).as(c[0]).containsExactly(depth, depth, depth);
            }
        }
    }

    /** Records what a run tells its listener. */
    private static class Heard extends RecordingRunListener implements Generation.Listener {
    }

    @Test
    void aRerunOfAFinishedRunOpensNoRendererAndTellsItsCounts(@TempDir Path dir) throws Exception {
        var plan = Plan.builder(List.of(SceneSpecs.preset("highway").withResolution(64, 32)), 5, dir)
                .formats(List.of("raw")).version("test").build();
        int[] opened = {0};
        java.util.function.Supplier<Renderer> opener = () -> { // the run closes what it opens
            opened[0]++;
            return Renderer.open(GpuSelection.AUTO);
        };
        Heard first = new Heard();
        CommitGate gate = new CommitGate();
        var outcome = Generation.run(plan, opener, 2, gate, first);
        assertThat(outcome.written()).isEqualTo(5);
        assertThat(first.events).containsExactly("making 0 5");
        assertThat(first.committed).isEqualTo(5);
        assertThat(gate.done()).isEqualTo(5);
        assertThat(gate.total()).isEqualTo(5);

        Heard again = new Heard();
        var rerun = Generation.run(plan, opener, 2, new CommitGate(), again);
        assertThat(rerun.written()).isZero();
        assertThat(rerun.alreadyDone()).isEqualTo(5);
        assertThat(again.events).containsExactly("making 5 0");
        assertThat(opened[0]).as("renderers opened").isEqualTo(1);
    }

    @Test
    void aStoppedGateEndsTheRunWithTheManifestListingWhatItCounted(@TempDir Path dir) throws Exception {
        var plan = Plan.builder(List.of(SceneSpecs.preset("highway").withResolution(64, 32)), 40, dir)
                .formats(List.of("raw")).version("test").build();
        CommitGate gate = new CommitGate();
        Heard heard = new Heard();
        heard.stopsAt(gate, 3); // as a signal's hook does, here inside the third commit
        var outcome = Generation.run(plan, () -> Renderer.open(GpuSelection.AUTO), 2, gate, heard);
        assertThat(outcome.stopped()).isTrue();
        assertThat(gate.done()).isEqualTo(3);
        assertThat(Files.readAllLines(dir.resolve("manifest.jsonl"))).hasSize(3);
        assertThat(outcome.written()).as("frames rendered before the stop").isLessThan(40);

        Heard rest = new Heard();
        var rerun = Generation.run(plan, () -> Renderer.open(GpuSelection.AUTO), 2, new CommitGate(), rest);
        assertThat(rest.events).containsExactly("making 3 37");
        assertThat(rerun.written()).isEqualTo(37);
        assertThat(Files.readAllLines(dir.resolve("manifest.jsonl")))
                .extracting(line -> line.replaceAll(".*\"index\":(\\d+).*", "$1"))
                .containsExactlyElementsOf(
                        java.util.stream.IntStream.range(0, 40).mapToObj(Integer::toString).toList());
    }

    @Test
    void aRunWithoutWriterThreadsIsRefusedBeforeARendererOpens(@TempDir Path dir) {
        var plan = Plan.builder(List.of(SceneSpecs.preset("highway")), 1, dir).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Generation.run(plan, () -> {
            throw new AssertionError("no renderer should open");
        }, 0, new CommitGate(), new Generation.Listener() { })).hasMessage("threads: 0 must be at least 1");
        assertThat(dir).isEmptyDirectory();
    }
}
