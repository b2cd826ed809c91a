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
     * The counts of every non-zero id's mask, in one pass over the plane in its own (row-major) order: a run
     * starts or ends wherever a pixel's id differs from its predecessor in column-major order, which is the pixel
     * above it (for the top row, the bottom pixel of the column before). Rows are compared with the row above many
     * ids at a time ({@link Arrays#mismatch}), so the long stretches a rendered plane repeats from row to row cost
     * little, and nothing is transposed; the changes found are then put in column-major order by a counting sort
     * on their column.
     *
     * @return counts by id, for every id other than 0 that occurs in the plane
     */
    public static Map<Integer, int[]> encodeAll(IntBuffer ids, int width, int height) {
        int n = width * height;
        // Each change: its column-major position and the ids before and at it, found row by row.
        Changes changes = new Changes();
        int[] above = new int[width];
        int[] row = new int[width];
        int[] columnCount = new int[width + 1];
        ids.get(0, row, 0, width);
        // The top row: each pixel after the bottom pixel of the column before (the very first after id 0).
        int[] bottom = new int[width];
        ids.get((height - 1) * width, bottom, 0, width);
        for (int x = 0; x < width; x++) {
            int before = x == 0 ? 0 : bottom[x - 1];
            if (row[x] != before) {
                changes.add(x * height, before, row[x]);
                columnCount[x + 1]++;
            }
        }
        for (int y = 1; y < height; y++) {
            int[] t = above;
            above = row;
            row = t;
            ids.get(y * width, row, 0, width);
            int x = 0;
            while (true) {
                int d = Arrays.mismatch(row, x, width, above, x, width);
                if (d < 0) {
                    break;
                }
                x += d;
                changes.add(x * height + y, above[x], row[x]);
                columnCount[x + 1]++;
                x++;
            }
        }
        // Column-major order: a stable counting sort by column (within a column the changes came top-down).
        for (int x = 0; x < width; x++) {
            columnCount[x + 1] += columnCount[x];
        }
        int[] order = new int[changes.size];
        for (int c = 0; c < changes.size; c++) {
            order[columnCount[changes.position[c] / height]++] = c;
        }
        Map<Integer, int[]> edges = new HashMap<>();
        Map<Integer, Integer> sizes = new HashMap<>();
        for (int c : order) {
            int p = changes.position[c];
            if (changes.before[c] != 0) {
                append(edges, sizes, changes.before[c], p);
            }
            if (changes.after[c] != 0) {
                append(edges, sizes, changes.after[c], p);
            }
        }
        int lastId = bottom[width - 1];
        if (lastId != 0) {
            append(edges, sizes, lastId, n);
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

    /** Changes of id in the order found: column-major position, the id before and the id from there on. */
    private static final class Changes {
        int[] position = new int[256];
        int[] before = new int[256];
        int[] after = new int[256];
        int size;

        void add(int p, int b, int a) {
            if (size == position.length) {
                position = Arrays.copyOf(position, size * 2);
                before = Arrays.copyOf(before, size * 2);
                after = Arrays.copyOf(after, size * 2);
            }
            position[size] = p;
            before[size] = b;
            after[size] = a;
            size++;
        }
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
