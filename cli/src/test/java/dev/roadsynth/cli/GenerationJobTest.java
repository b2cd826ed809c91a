package dev.roadsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roadsynth.core.Frame;
import dev.roadsynth.core.dataset.Splits;
import dev.roadsynth.renderer.Annotator;
import dev.roadsynth.renderer.Coverage;
import dev.roadsynth.renderer.GpuSelection;
import dev.roadsynth.renderer.RenderTimes;
import dev.roadsynth.renderer.Rendered;
import dev.roadsynth.renderer.Renderer;
import dev.roadsynth.scenes.Scene;
import dev.roadsynth.scenes.spec.SceneSpecs;
import java.io.PrintWriter;
import java.io.StringWriter;
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

/** generate hands every frame back to the renderer for reuse, once, and only after the sample's files hold it. */
class GenerationJobTest {
    /** A real renderer that notes the frames it hands out and the ones handed back. */
    private static final class Watching implements Renderer {
        final Renderer real = Renderer.open(GpuSelection.AUTO);
        final Map<Frame, Long> indexOf = Collections.synchronizedMap(new IdentityHashMap<>());
        final List<String> problems = Collections.synchronizedList(new ArrayList<>());
        final List<Long> recycled = Collections.synchronizedList(new ArrayList<>());
        Path out;

        @Override
        public void renderEach(Iterator<? extends Scene> scenes, boolean withCoverage, Consumer<? super Rendered> sink,
                               RenderTimes times) {
            long[] next = {0};
            real.renderEach(scenes, withCoverage, r -> {
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
        var plan = new GenerationJob.Plan(List.of(spec), 12, 3, dir, List.of("raw", "coco"), Splits.parse("train=1"),
                null, Annotator.Policy.DEFAULT, 0, 1, "train=1", null);
        try (Watching renderer = new Watching()) {
            renderer.out = dir;
            var outcome = GenerationJob.run(plan, () -> renderer, 3, new PrintWriter(new StringWriter()), true);
            assertThat(outcome.written()).isEqualTo(12);
            assertThat(renderer.problems).isEmpty();
            assertThat(renderer.recycled).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
            assertThat(renderer.indexOf).isEmpty();
        }
    }
}
