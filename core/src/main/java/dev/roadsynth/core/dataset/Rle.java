package dev.roadsynth.core.dataset;

import java.nio.IntBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * COCO's uncompressed run-length encoding of a binary mask: the mask read in column-major order (down each
 * column, columns left to right), as alternating run lengths starting with a run of zeros (possibly empty).
 * {@code {"size": [height, width], "counts": [...]}} is what pycocotools' {@code frPyObjects} takes.
 */
public final class Rle {
    private Rle() {
    }

    /**
     * The counts of every non-zero id's mask, in one pass: the plane is read in column-major order (transposed a
     * strip of columns at a time), and each change of id ends one id's run and starts another's, so the plane is read
     * once however many objects it holds.
     *
     * @return counts by id, for every id other than 0 that occurs in the plane
     */
    public static Map<Integer, int[]> encodeAll(IntBuffer ids, int width, int height) {
        int n = width * height;
        // Run boundaries per id: start, end, start, end, ... as column-major pixel positions.
        Map<Integer, int[]> edges = new HashMap<>();
        Map<Integer, Integer> sizes = new HashMap<>();
        // Transposed a strip of columns at a time (one cache line of each row per strip), into a buffer that
        // stays in cache: no plane-sized copy.
        final int strip = 16;
        int[] t = new int[strip * height];
        int[] piece = new int[strip];
        int prev = 0;
        for (int x0 = 0; x0 < width; x0 += strip) {
            int x1 = Math.min(width, x0 + strip);
            int k = x1 - x0;
            for (int y = 0; y < height; y++) {
                ids.get(y * width + x0, piece, 0, k); // one bulk copy per row of the strip, not a get per pixel
                for (int c = 0; c < k; c++) {
                    t[c * height + y] = piece[c];
                }
            }
            int base = x0 * height;
            int m = (x1 - x0) * height;
            for (int q = 0; q < m; q++) {
                int id = t[q];
                if (id == prev) {
                    continue;
                }
                if (prev != 0) {
                    append(edges, sizes, prev, base + q);
                }
                if (id != 0) {
                    append(edges, sizes, id, base + q);
                }
                prev = id;
            }
        }
        if (prev != 0) {
            append(edges, sizes, prev, n);
        }
        Map<Integer, int[]> out = new HashMap<>();
        edges.forEach((id, e) -> {
            int m = sizes.get(id);
            boolean toEnd = e[m - 1] == n;
            int[] counts = new int[m + (toEnd ? 0 : 1)];
            int last = 0;
            for (int i = 0; i < m; i++) {
                counts[i] = e[i] - last;
                last = e[i];
            }
            if (!toEnd) {
                counts[m] = n - last;
            }
            out.put(id, counts);
        });
        return out;
    }

    private static void append(Map<Integer, int[]> edges, Map<Integer, Integer> sizes, int id, int position) {
        int[] e = edges.computeIfAbsent(id, k -> new int[16]);
        int m = sizes.getOrDefault(id, 0);
        if (m == e.length) {
            e = Arrays.copyOf(e, m * 2);
            edges.put(id, e);
        }
        e[m] = position;
        sizes.put(id, m + 1);
    }
}
