package dev.roadsynth.core.dataset;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Outlines of the regions of a label plane, traced along pixel boundaries: every region of equal label becomes
 * closed polygons whose vertices are pixel corners (integer coordinates). Outer outlines and hole outlines wind
 * in opposite senses, so their signed areas add up to the region's pixel count. Collinear corners are dropped.
 */
public final class Polygons {
    private Polygons() {
    }

    /** The closed polygons outlining the pixels where {@code inside} holds, each as a list of {x, y} corners. */
    public static List<int[][]> trace(int width, int height, java.util.function.IntPredicate inside) {
        long[] labels = new long[width * height];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = inside.test(i) ? 1 : 0;
        }
        return traceAll(width, height, labels).getOrDefault(1L, List.of());
    }

    /**
     * The outlines of every region at once, in one pass over the pixels: label -> polygons. Labels are compared
     * for equality only; every label present gets its outlines.
     */
    public static Map<Long, List<int[][]>> traceAll(int width, int height, long[] labels) {
        Map<Long, Map<Long, List<int[]>>> edgesOf = new HashMap<>();
        Map<Long, int[]> counts = new HashMap<>();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                long l = labels[y * width + x];
                boolean up = y > 0 && labels[(y - 1) * width + x] == l;
                boolean down = y + 1 < height && labels[(y + 1) * width + x] == l;
                boolean left = x > 0 && labels[y * width + x - 1] == l;
                boolean right = x + 1 < width && labels[y * width + x + 1] == l;
                if (up && down && left && right) {
                    continue;
                }
                Map<Long, List<int[]>> edges = edgesOf.computeIfAbsent(l, k -> new HashMap<>());
                int[] count = counts.computeIfAbsent(l, k -> new int[1]);
                // Directed so that the region stays on the same side of every edge.
                if (!up) {
                    add(edges, x + 1, y, x, y);
                    count[0]++;
                }
                if (!left) {
                    add(edges, x, y, x, y + 1);
                    count[0]++;
                }
                if (!down) {
                    add(edges, x, y + 1, x + 1, y + 1);
                    count[0]++;
                }
                if (!right) {
                    add(edges, x + 1, y + 1, x + 1, y);
                    count[0]++;
                }
            }
        }
        Map<Long, List<int[][]>> out = new TreeMap<>();
        for (var e : edgesOf.entrySet()) {
            out.put(e.getKey(), loops(e.getValue(), counts.get(e.getKey())[0]));
        }
        return out;
    }

    /** Chains directed boundary edges into closed loops. */
    private static List<int[][]> loops(Map<Long, List<int[]>> edges, int count) {
        List<int[][]> polygons = new ArrayList<>();
        while (count > 0) {
            Map.Entry<Long, List<int[]>> first = edges.entrySet().iterator().next();
            int[] e = first.getValue().remove(first.getValue().size() - 1);
            if (first.getValue().isEmpty()) {
                edges.remove(first.getKey());
            }
            count--;
            List<int[]> ring = new ArrayList<>();
            int sx = e[0];
            int sy = e[1];
            ring.add(new int[] {sx, sy});
            int cx = e[2];
            int cy = e[3];
            int dx = cx - sx;
            int dy = cy - sy;
            while (cx != sx || cy != sy) {
                ring.add(new int[] {cx, cy});
                List<int[]> next = edges.get(key(cx, cy));
                // Where two pixels of the region touch only at this corner, turn the same way every time, so
                // loops never cross.
                int pick = 0;
                for (int i = 0; i < next.size(); i++) {
                    int ndx = next.get(i)[2] - cx;
                    int ndy = next.get(i)[3] - cy;
                    if (dx * ndy - dy * ndx < 0) {
                        pick = i;
                    }
                }
                int[] n = next.remove(pick);
                if (next.isEmpty()) {
                    edges.remove(key(cx, cy));
                }
                count--;
                dx = n[2] - cx;
                dy = n[3] - cy;
                cx = n[2];
                cy = n[3];
            }
            polygons.add(simplify(ring));
        }
        return polygons;
    }

    private static long key(int x, int y) {
        return ((long) x << 32) | (y & 0xffffffffL);
    }

    private static void add(Map<Long, List<int[]>> edges, int x0, int y0, int x1, int y1) {
        edges.computeIfAbsent(key(x0, y0), k -> new ArrayList<>(1)).add(new int[] {x0, y0, x1, y1});
    }

    /** Drops corners where the outline runs straight on. */
    private static int[][] simplify(List<int[]> ring) {
        List<int[]> out = new ArrayList<>();
        int n = ring.size();
        for (int i = 0; i < n; i++) {
            int[] a = ring.get((i + n - 1) % n);
            int[] b = ring.get(i);
            int[] c = ring.get((i + 1) % n);
            if ((b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0]) != 0) {
                out.add(b);
            }
        }
        return out.toArray(new int[0][]);
    }
}
