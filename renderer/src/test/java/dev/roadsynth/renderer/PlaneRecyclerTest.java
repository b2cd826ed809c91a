package dev.roadsynth.renderer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roadsynth.core.DepthPlane;
import dev.roadsynth.core.Frame;
import dev.roadsynth.core.IdPlane;
import dev.roadsynth.core.LabelSet;
import dev.roadsynth.core.RgbImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Plane arrays come back only from frames that were lent them, once each, at their own size; and frames rendered
 * into recycled arrays equal frames rendered into new ones.
 */
class PlaneRecyclerTest {
    private static Frame frameOf(int w, int h, Object[] planes) {
        return new Frame(LabelSet.cityscapes(), RgbImage.adopt(w, h, (byte[]) planes[3]),
                IdPlane.adopt(w, h, (int[]) planes[0]), IdPlane.adopt(w, h, (int[]) planes[1]),
                planes[2] == null ? null : DepthPlane.adopt(w, h, (float[]) planes[2]));
    }

    @Test
    void setsOfFramesWithoutDepthAreRecycledAndGivenDepthWhenAsked() {
        PlaneRecycler recycler = new PlaneRecycler();
        Object[] a = recycler.take(32, false);
        assertThat(a[2]).isNull();
        Frame f = frameOf(8, 4, a);
        assertThat(f.hasDepth()).isFalse();
        recycler.lend(f, a);
        recycler.recycle(f);
        assertThat(recycler.free()).isOne();
        Object[] b = recycler.take(32, true);
        assertThat(b[0]).isSameAs(a[0]);
        assertThat((float[]) b[2]).hasSize(32);
        Frame g = frameOf(8, 4, b);
        recycler.lend(g, b);
        recycler.recycle(g);
        Object[] c = recycler.take(32, false);
        assertThat(c[3]).isSameAs(a[3]);
        assertThat(c[2]).as("a frame without depth holds no depth array").isNull();
        assertThat(recycler.made()).isOne();
    }

    @Test
    void aHandedBackFramesArraysServeTheNextFrameOfItsSizeOnce() {
        PlaneRecycler recycler = new PlaneRecycler();
        Object[] a = recycler.take(8 * 4, true);
        assertThat((int[]) a[0]).hasSize(32);
        assertThat((int[]) a[1]).hasSize(32);
        assertThat((float[]) a[2]).hasSize(32);
        assertThat((byte[]) a[3]).hasSize(96);
        Frame f = frameOf(8, 4, a);
        recycler.lend(f, a);
        recycler.recycle(f);
        recycler.recycle(f); // twice: still one set, or two frames would share arrays
        assertThat(recycler.free()).isEqualTo(1);
        Object[] b = recycler.take(32, true);
        for (int k = 0; k < 4; k++) {
            assertThat(b[k]).isSameAs(a[k]);
        }
        assertThat(recycler.free()).isZero();
        assertThat(recycler.take(32, true)[0]).isNotSameAs(a[0]);
        assertThat(recycler.made()).isEqualTo(2);
    }

    @Test
    void framesNotLentAndArraysOfAnotherSizeAreNotReused() {
        PlaneRecycler recycler = new PlaneRecycler();
        Object[] a = recycler.take(32, true);
        Frame lent = frameOf(8, 4, a);
        recycler.lend(lent, a);
        // An equal frame that is not the lent one (same arrays, another object) is not taken back.
        recycler.recycle(frameOf(8, 4, a));
        assertThat(recycler.free()).isZero();
        recycler.recycle(lent);
        assertThat(recycler.free()).isOne();
        Object[] other = recycler.take(6 * 4, true);
        assertThat(other[0]).isNotSameAs(a[0]);
        assertThat((int[]) other[0]).hasSize(24);
        // Sizes taking turns (scene files of their own sizes): the set of the other size waits for its turn.
        assertThat(recycler.free()).isOne();
        Frame small = frameOf(6, 4, other);
        recycler.lend(small, other);
        recycler.recycle(small);
        assertThat(recycler.take(32, true)[0]).isSameAs(a[0]);
        assertThat(recycler.take(24, true)[0]).isSameAs(other[0]);
        assertThat(recycler.made()).isEqualTo(2);
    }

    @Test
    void atMostKeepSetsAreKeptTheLastHandedBack() {
        PlaneRecycler recycler = new PlaneRecycler();
        List<Frame> frames = new ArrayList<>();
        List<Object[]> sets = new ArrayList<>();
        for (int i = 0; i < PlaneRecycler.KEEP + 3; i++) {
            Object[] p = recycler.take(4, true);
            Frame f = frameOf(2, 2, p);
            recycler.lend(f, p);
            frames.add(f);
            sets.add(p);
        }
        frames.forEach(recycler::recycle);
        assertThat(recycler.free()).isEqualTo(PlaneRecycler.KEEP);
        // Last handed back, first taken; the first three were let go.
        for (int i = frames.size() - 1; i >= 3; i--) {
            assertThat(recycler.take(4, true)[0]).as("set %d", i).isSameAs(sets.get(i)[0]);
        }
        assertThat(recycler.free()).isZero();
    }

    @Test
    void framesRenderedIntoRecycledArraysEqualFreshOnes() {
        List<dev.roadsynth.scenes.Scene> scenes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            // Different content every frame, and a size change that lets the free list's sets go.
            scenes.add(i == 6 ? TestScenes.street(i, 300, 151) : TestScenes.street(i, 400, 200));
        }
        List<Frame> fresh = new ArrayList<>();
        try (ThreadedRenderer r = ThreadedRenderer.open(GpuSelection.AUTO)) {
            r.renderAll(scenes.iterator(), fresh::add); // kept, never handed back
            assertThat(r.recycler().made()).isEqualTo(scenes.size());
        }
        try (ThreadedRenderer r = ThreadedRenderer.open(GpuSelection.AUTO)) {
            int[] i = {0};
            r.renderEach(scenes.iterator(), Outputs.FRAMES, got -> {
                Frame expected = fresh.get(i[0]);
                assertThat(got.frame().semantic()).as("frame %d", i[0]).isEqualTo(expected.semantic());
                assertThat(got.frame().instance()).as("frame %d", i[0]).isEqualTo(expected.instance());
                assertThat(got.frame().depth()).as("frame %d", i[0]).isEqualTo(expected.depth());
                assertThat(got.frame().rgb()).as("frame %d", i[0]).isEqualTo(expected.rgb());
                i[0]++;
                r.recycle(got.frame());
            });
            assertThat(i[0]).isEqualTo(scenes.size());
            // Frames in flight at once: at most the readback ring (3) and the hand-off (2) plus the one in hand.
            assertThat(r.recycler().made()).as("sets allocated for %d frames", scenes.size()).isLessThan(scenes.size());
        }
    }
}
