package dev.roadsynth.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Each id's extent against a count and box made here pixel by pixel. */
class IdPlaneTest {
    private static final int W = 37;
    private static final int H = 23;

    /** A W x H plane: runs along rows, ids that span rows, 0s between, one id with the sign bit set. */
    private static int[] fewIds() {
        SplittableRandom rng = new SplittableRandom(5);
        int[] ids = new int[W * H];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i > 0 && rng.nextInt(3) > 0 ? ids[i - 1] : new int[] {0, 0, 1, 2, 7, -5}[rng.nextInt(6)];
        }
        return ids;
    }

    @Test
    void extentsAreEachIdsPixelsAndTheirTightBox() {
        assertThat(check(W, H, fewIds())).isEqualTo(4);
    }

    /** Hundreds of ids (more than the first table's 64), as a crowded urban frame's instances. */
    @Test
    void extentsOfManyIds() {
        SplittableRandom rng = new SplittableRandom(6);
        int w = 160;
        int h = 90;
        int[] ids = new int[w * h];
        for (int i = 0; i < ids.length; i++) {
            // A tenth with the sign bit set.
            ids[i] = i > 0 && rng.nextInt(4) > 0 ? ids[i - 1] : rng.nextInt(8) == 0 ? 0 : (26_000 + rng.nextInt(700))
                    ^ (rng.nextInt(10) == 0 ? Integer.MIN_VALUE : 0);
        }
        assertThat(check(w, h, ids)).isGreaterThan(600);
        assertThat(IdPlane.copyOf(w, h, ids).extents().firstKey()).isNegative();
    }

    /** Checks {@code ids}' extents against a count and box made pixel by pixel; returns how many ids there are. */
    private static int check(int w, int h, int[] ids) {
        Map<Integer, long[]> naive = new TreeMap<>();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int id = ids[y * w + x];
                if (id != 0) {
                    long[] s = naive.computeIfAbsent(id, k -> new long[] {0, w, h, -1, -1});
                    s[0]++;
                    s[1] = Math.min(s[1], x);
                    s[2] = Math.min(s[2], y);
                    s[3] = Math.max(s[3], x + 1);
                    s[4] = Math.max(s[4], y + 1);
                }
            }
        }
        var extents = IdPlane.copyOf(w, h, ids).extents();
        assertThat(extents.keySet()).containsExactlyElementsOf(naive.keySet());
        naive.forEach((id, s) -> assertThat(extents.get(id)).as("id %d", id)
                .isEqualTo(new IdPlane.Extent(s[0], new Box2((int) s[1], (int) s[2], (int) s[3], (int) s[4]))));
        return naive.size();
    }

    @Test
    void idsTogether() {
        var extents = IdPlane.copyOf(W, H, fewIds()).extents();
        assertThat(extents).containsKey(-5);
        // Ids together: pixels added, boxes joined; none with a pixel, none.
        IdPlane.Extent one = extents.get(1);
        IdPlane.Extent two = extents.get(2);
        assertThat(IdPlane.Extent.of(extents, List.of(1, 2, 99)))
                .isEqualTo(new IdPlane.Extent(one.pixels() + two.pixels(), one.box().union(two.box())));
        assertThat(IdPlane.Extent.of(extents, List.of(98, 99))).isNull();
    }
}
