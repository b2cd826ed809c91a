package dev.roadsynth.renderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roadsynth.core.Frame;
import dev.roadsynth.scenes.Scene;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link ParallelRenderer}: how it deals scenes to its lanes, what it does when a scene, a lane or the sink fails,
 * and how many lanes it opens. That its frames are one renderer's is {@link DriverPathsTest}'s.
 */
class ParallelRendererTest {

    @Test
    void theDealerHandsItemIToHandIModNInOrderWhicheverHandAsksFirst() {
        ParallelRenderer.Dealer<Integer> dealer = new ParallelRenderer.Dealer<>(IntStream.range(0, 10).iterator(), 3);
        Iterator<Integer> a = dealer.hand(0);
        Iterator<Integer> b = dealer.hand(1);
        Iterator<Integer> c = dealer.hand(2);
        // Hand c asks first: 0 and 1 wait for their hands.
        assertThat(c.next()).isEqualTo(2);
        assertThat(drain(b)).containsExactly(1, 4, 7);
        assertThat(drain(a)).containsExactly(0, 3, 6, 9);
        assertThat(drain(c)).containsExactly(5, 8);
        assertThatThrownBy(c::next).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void theDealerAsksAnExhaustedSourceNoMore() {
        AtomicInteger asked = new AtomicInteger();
        Iterator<Integer> once = new Iterator<>() {
            @Override
            public boolean hasNext() {
                // Says false once, then true: as generate's scenes do when a signal comes and goes.
                return asked.incrementAndGet() != 2;
            }

            @Override
            public Integer next() {
                return 7;
            }
        };
        ParallelRenderer.Dealer<Integer> dealer = new ParallelRenderer.Dealer<>(once, 2);
        assertThat(drain(dealer.hand(0))).containsExactly(7);
        assertThat(drain(dealer.hand(1))).isEmpty();
        assertThat(asked).hasValue(2);
    }

    @Test
    void whatTheSourceThrowsReachesEveryHandAfterItsItems() {
        Iterator<Integer> source = new Iterator<>() {
            int i;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                if (i == 3) {
                    throw new IllegalStateException("source broke at 3");
                }
                return i++;
            }
        };
        ParallelRenderer.Dealer<Integer> dealer = new ParallelRenderer.Dealer<>(source, 2);
        Iterator<Integer> a = dealer.hand(0);
        Iterator<Integer> b = dealer.hand(1);
        assertThat(a.next()).isEqualTo(0);
        assertThat(a.next()).isEqualTo(2);
        assertThatThrownBy(a::hasNext).hasMessage("source broke at 3");
        assertThat(b.next()).isEqualTo(1); // dealt before the failure
        assertThatThrownBy(b::hasNext).hasMessage("source broke at 3");
    }

    private static List<Integer> drain(Iterator<Integer> hand) {
        List<Integer> out = new ArrayList<>();
        hand.forEachRemaining(out::add);
        return out;
    }

    @Test
    void aSceneThatFailsStopsEveryLaneAfterTheFramesBeforeItAndLeavesTheRendererUsable() {
        try (Renderer r = WithRenderer.openWith(ParallelRenderer.PROPERTY, "2")) {
            List<Scene> scenes = IntStream.range(0, 6).mapToObj(i -> RandomScenes.of(i, 64, 48, 20, 4)).toList();
            List<Supplier<Scene>> makers = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                int k = i;
                makers.add(() -> {
                    if (k == 5) {
                        throw new IllegalArgumentException("scene 5 is bad");
                    }
                    return scenes.get(k);
                });
            }
            List<Frame> got = new ArrayList<>();
            assertThatThrownBy(() -> r.renderEachMade(makers.iterator(), false, x -> got.add(x.frame()), new RenderTimes()))
                    .hasMessageContaining("scene 5 is bad");
            List<Frame> expected = new ArrayList<>();
            r.renderAll(scenes.subList(0, 5).iterator(), expected::add);
            // What came before the failure came in order; nothing after it.
            assertThat(got.size()).isBetween(3, 5); // lane 1 hands on frame 1, and maybe 3, before its failure
            for (int i = 0; i < got.size(); i++) {
                assertThat(got.get(i).semantic()).isEqualTo(expected.get(i).semantic());
                assertThat(got.get(i).rgb()).isEqualTo(expected.get(i).rgb());
            }
            assertThat(expected.get(1).semantic()).isNotEqualTo(expected.get(0).semantic()); // not vacuous
        }
    }

    @Test
    void aSinkThatThrowsStopsEveryLaneAndTheNextRunStartsAfresh() {
        try (Renderer r = WithRenderer.openWith(ParallelRenderer.PROPERTY, "2")) {
            List<Scene> scenes = IntStream.range(0, 12).mapToObj(i -> RandomScenes.of(i, 64, 48, 20, 4)).toList();
            AtomicInteger taken = new AtomicInteger();
            assertThatThrownBy(() -> r.renderAll(scenes.iterator(), f -> {
                if (taken.incrementAndGet() == 3) {
                    throw new IllegalStateException("disk full");
                }
            })).hasMessage("disk full");
            assertThat(taken).hasValue(3);
            // A later run hands on every frame from its first scene, as one renderer draws them.
            List<Frame> again = new ArrayList<>();
            r.renderAll(scenes.iterator(), again::add);
            assertThat(again).hasSize(12);
            assertThat(again.get(0).semantic()).isEqualTo(r.render(scenes.get(0)).semantic());
            assertThat(again.get(11).depth()).isEqualTo(r.render(scenes.get(11)).depth());
        }
    }

    @Test
    void timesAddUpOverTheLanesAndSayHowManyThereWere() {
        try (Renderer r = WithRenderer.openWith(ParallelRenderer.PROPERTY, "3")) {
            RenderTimes times = new RenderTimes();
            List<Scene> scenes = IntStream.range(0, 7).mapToObj(i -> RandomScenes.of(i, 64, 48, 20, 4)).toList();
            r.renderEach(scenes.iterator(), false, x -> { }, times);
            assertThat(times.frames()).isEqualTo(7);
            assertThat(times.threads()).isEqualTo(3);
            assertThat(times.summary()).contains(" ms per frame on each of 3 render threads: ");
        }
    }

    @Test
    void byDefaultOneLaneOnSoftwareAndOnGpuTheirsOtherwiseAsAskedAndAnUnknownChoiceNamesTheAllowedOnes() {
        try (Renderer r = Renderer.open(GpuSelection.AUTO)) {
            int expected = r.software() ? 1 : ParallelRenderer.ON_GPU;
            assertThat(r instanceof ParallelRenderer p ? p.lanes() : 1).isEqualTo(expected);
            assertThat(r.description().contains("render threads")).isEqualTo(expected > 1);
        }
        try (Renderer r = WithRenderer.openWith(ParallelRenderer.PROPERTY, "1")) {
            assertThat(r).isInstanceOf(ThreadedRenderer.class);
        }
        int before = EglContext.openContexts();
        try (Renderer r = WithRenderer.openWith(ParallelRenderer.PROPERTY, "2")) {
            assertThat(((ParallelRenderer) r).lanes()).isEqualTo(2);
            assertThat(EglContext.openContexts()).isEqualTo(before + 2);
        }
        assertThat(EglContext.openContexts()).isEqualTo(before);
        assertThatThrownBy(() -> WithRenderer.openWith(ParallelRenderer.PROPERTY, "many"))
                .isInstanceOf(RenderException.class)
                .hasMessage("system property roadsynth.renderThreads is 'many'; allowed: auto, 1, 2, 3, 4");
    }

    @Test
    void aLaneThatCannotOpenClosesThoseOpenedBefore() {
        int before = EglContext.openContexts();
        ThreadedRenderer first = ThreadedRenderer.open(GpuSelection.AUTO);
        AtomicInteger opened = new AtomicInteger();
        assertThatThrownBy(() -> ParallelRenderer.open(first, 3, () -> {
            if (opened.incrementAndGet() == 2) {
                throw new RenderException("no more contexts");
            }
            return ThreadedRenderer.open(GpuSelection.AUTO);
        })).hasMessage("no more contexts");
        assertThat(EglContext.openContexts()).isEqualTo(before);
    }
}
