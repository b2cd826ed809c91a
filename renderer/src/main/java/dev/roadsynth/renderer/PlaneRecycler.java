package dev.roadsynth.renderer;

import dev.roadsynth.core.Frame;

import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The plane arrays of frames their user has finished with ({@link Renderer#recycle}), kept for the next frames.
 *
 * <p>Why: a 1024x512 frame's planes are four arrays of 1.5 to 2 MB (class ids, instance ids, depth, RGB), each a
 * humongous allocation for G1. Made new for every frame, they caused most of a long run's collections, and G1,
 * whose heap starts small, answers frequent collections by growing the heap: a 4,000-sample run of {@code generate}
 * held 1.5 GB resident where a 1,000-sample run held 0.7 GB. Reused, they are also not zeroed once per frame.
 *
 * <p>Arrays are handed out by {@link #take} and filled completely by the copy out of the readback buffer, so nothing
 * of an earlier frame can remain in a new one. A frame is known by identity through weak references: one that is
 * never handed back is collected as usual and costs nothing here. A set of arrays is on the free list or lent to
 * exactly one frame, never both, and a frame handed back twice is recycled once.
 *
 * <p>Thread-safe: frames are handed back from the writers' threads while the copy threads take arrays.
 */
final class PlaneRecycler {
    /**
     * Sets of arrays kept at most (about 60 MB at 1024x512). A set is made only when none of its size is free, that
     * is when every one made is in use, so recycling adds nothing to the most a run holds at once.
     */
    static final int KEEP = 8;

    /**
     * The planes of one frame: [0] class ids (int[]), [1] instance ids (int[]), [2] depth (float[], or null for a
     * frame without depth: then its reference is null too), [3] RGB (byte[]).
     */
    private record Lent(WeakReference<Frame> frame, List<WeakReference<Object>> planes) {
    }

    private final ArrayDeque<Object[]> free = new ArrayDeque<>();
    private final List<Lent> lent = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicLong made = new java.util.concurrent.atomic.AtomicLong();

    /**
     * Arrays for a frame of {@code pixels} pixels, with a depth array if {@code depth} (else none): the set of that
     * size handed back last if one is free (sets of other sizes stay: scene files of different sizes may take turns),
     * given or relieved of its depth array as asked, else new ones.
     */
    Object[] take(int pixels, boolean depth) {
        Object[] planes = null;
        synchronized (this) {
            for (var it = free.iterator(); it.hasNext(); ) {
                Object[] set = it.next();
                if (((int[]) set[0]).length == pixels) {
                    it.remove();
                    planes = set;
                    break;
                }
            }
        }
        if (planes == null) {
            made.incrementAndGet();
            planes = new Object[] {new int[pixels], new int[pixels], null, new byte[3 * pixels]};
        }
        if (depth != (planes[2] != null)) {
            planes[2] = depth ? new float[pixels] : null;
        }
        return planes;
    }

    /** Records that {@code frame} holds {@code planes} (from {@link #take}), so that it can be handed back. */
    synchronized void lend(Frame frame, Object[] planes) {
        lent.removeIf(l -> l.frame().get() == null);
        List<WeakReference<Object>> refs = new ArrayList<>(planes.length);
        for (Object p : planes) {
            refs.add(p == null ? null : new WeakReference<>(p));
        }
        lent.add(new Lent(new WeakReference<>(frame), refs));
    }

    /**
     * Takes back the arrays of {@code frame} if it was lent them; frames made elsewhere, or handed back before, are
     * ignored. The caller must not read the frame afterwards: its arrays will hold a later frame.
     */
    synchronized void recycle(Frame frame) {
        for (int i = 0; i < lent.size(); i++) {
            Lent l = lent.get(i);
            if (l.frame().get() == frame) {
                lent.remove(i);
                // The frame is kept reachable until the end (the fence below), so its arrays are too.
                Object[] planes = new Object[l.planes().size()];
                boolean whole = true;
                for (int k = 0; k < planes.length; k++) {
                    WeakReference<Object> ref = l.planes().get(k);
                    planes[k] = ref == null ? null : ref.get();
                    whole &= ref == null || planes[k] != null;
                }
                if (whole) {
                    free.push(planes);
                    if (free.size() > KEEP) {
                        free.removeLast(); // the set unused longest, such as one of a size no longer rendered
                    }
                }
                java.lang.ref.Reference.reachabilityFence(frame);
                return;
            }
        }
    }

    /** Sets of arrays on the free list, for tests. */
    synchronized int free() {
        return free.size();
    }

    /** Sets of arrays allocated so far (not recycled ones), for tests. */
    long made() {
        return made.get();
    }
}
