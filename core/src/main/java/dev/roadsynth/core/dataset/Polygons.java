package dev.roadsynth.core.dataset;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Outlines of a mask, traced along pixel boundaries: every region of equal value becomes closed polygons whose
 * vertices are pixel corners (integer coordinates), with the region's pixels on the polygon's left when walked
 * in image coordinates (rows down). Collinear corners are dropped. Each connected boundary is one polygon, so a
 * region with a hole gives an outer polygon and the hole's.
 */
public final class Polygons {
    private Polygons() {
    }

    /** The closed polygons outlining the pixels where {@code inside} holds, each as a list of {x, y} corners. */
    public static List<int[][]> trace(int width, int height, java.util.function.IntPredicate inside) {
        // Directed boundary edges between a pixel inside and its neighbour outside, keyed by start corner.
        Map<Long, List<int[]>> edges = new HashMap<>();
        int count = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (!inside.test(y * width + x)) {
                    continue;
                }
                boolean up = y > 0 && inside.test((y - 1) * width + x);
                boolean down = y + 1 < height && inside.test((y + 1) * width + x);
                boolean left = x > 0 && inside.test(y * width + x - 1);
                boolean right = x + 1 < width && inside.test(y * width + x + 1);
                // Walk so that the inside is on the left (clockwise on screen, rows down).
                if (!up) {
                    add(edges, x + 1, y, x, y);
                    count++;
                }
                if (!left) {
                    add(edges, x, y, x, y + 1);
                    count++;
                }
                if (!down) {
                    add(edges, x, y + 1, x + 1, y + 1);
                    count++;
                }
                if (!right) {
                    add(edges, x + 1, y + 1, x + 1, y);
                    count++;
                }
            }
        }
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
                // At a corner shared by two diagonal pixels, prefer the left turn, keeping regions apart.
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
