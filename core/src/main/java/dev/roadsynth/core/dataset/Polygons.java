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
        return traceAll(width, height, (y, row) -> {
            for (int x = 0; x < width; x++) {
                row[x] = inside.test(y * width + x) ? 1 : 0;
            }
        }).getOrDefault(1L, List.of());
    }

    /**
     * The outlines of every region at once, in one pass over the pixels: label -> polygons. Labels are compared
     * for equality only; every label present gets its outlines. Each region's outlines come in the order in which
     * a row-major scan first finds one of their edges, so the output depends on the labels only.
     */
    public static Map<Long, List<int[][]>> traceAll(int width, int height, long[] labels) {
        if ((long) width * height != labels.length) {
            throw new IllegalArgumentException(width + "x" + height + " labels need " + (long) width * height
                    + " values, got " + labels.length);
        }
        return traceAll(width, height, (y, row) -> System.arraycopy(labels, y * width, row, 0, width));
    }

    /** A label plane's rows, produced on request: {@link #fill} puts row {@code y}'s {@code width} labels in row. */
    @FunctionalInterface
    public interface LongRows {
        void fill(int y, long[] row);
    }

    /**
     * As {@link #traceAll(int, int, long[])}, with the labels produced row by row (each row once, top-down), so
     * that no plane of labels need exist: three rows are held at a time.
     */
    public static Map<Long, List<int[][]>> traceAll(int width, int height, LongRows rows) {
        Map<Long, Edges> edgesOf = new HashMap<>();
        int stride = width + 1;
        // Boundaries are collected as straight edges, not pixel sides: a top or bottom side continues the edge of
        // the pixel to its left, a left or right side the edge of the pixel above (same label, so same region),
        // which cuts the edges to chain by an order of magnitude on rendered label planes. Per corner column, the
        // vertical edge last extended and in which row.
        int[] downEdge = new int[stride];
        int[] downRow = new int[stride];
        Edges[] downOf = new Edges[stride];
        int[] upEdge = new int[stride];
        int[] upRow = new int[stride];
        Edges[] upOf = new Edges[stride];
        long[] above = new long[width];
        long[] row = new long[width];
        long[] below = new long[width];
        rows.fill(0, row);
        for (int y = 0; y < height; y++) {
            if (y + 1 < height) {
                rows.fill(y + 1, below);
            }
            long last = 0;
            Edges edges = null;
            int topEdge = -1; // the top side edge of the previous pixel of this row, if it had one
            int bottomEdge = -1;
            for (int x = 0; x < width; x++) {
                long l = row[x];
                boolean up = y > 0 && above[x] == l;
                boolean down = y + 1 < height && below[x] == l;
                boolean left = x > 0 && row[x - 1] == l;
                boolean right = x + 1 < width && row[x + 1] == l;
                if (up && down && left && right) {
                    topEdge = -1;
                    bottomEdge = -1;
                    // Most of a rendered plane is interior: find where this interior stretch ends with
                    // Arrays.mismatch, which compares many elements per instruction (halved the time per urban
                    // frame). First where the row's own run ends, then where the rows above and below differ.
                    int m = java.util.Arrays.mismatch(row, x, width - 1, row, x + 1, width);
                    int end = m < 0 ? width - 1 : x + m; // the pixels before end have an equal right neighbour
                    m = java.util.Arrays.mismatch(row, x, end, above, x, end);
                    end = m < 0 ? end : x + m;
                    m = java.util.Arrays.mismatch(row, x, end, below, x, end);
                    end = m < 0 ? end : x + m;
                    x = end - 1; // x .. end - 1 are interior (end > x: x itself is); the loop goes on at end
                    continue;
                }
                if (edges == null || l != last) {
                    edges = edgesOf.computeIfAbsent(l, k -> new Edges());
                    last = l;
                }
                // Directed so that the region stays on the same side of every edge; each edge is stored as its
                // start corner (y * (width + 1) + x), direction and length.
                if (!up) {
                    if (left && topEdge >= 0) {
                        edges.start[topEdge] = y * stride + x + 1; // leftwards: it now starts one corner further
                        edges.length[topEdge]++;
                    } else {
                        topEdge = edges.add(y * stride + x + 1, LEFT);
                    }
                } else {
                    topEdge = -1;
                }
                if (!left) {
                    if (downOf[x] == edges && downRow[x] == y - 1) {
                        edges.length[downEdge[x]]++;
                    } else {
                        downEdge[x] = edges.add(y * stride + x, DOWN);
                        downOf[x] = edges;
                    }
                    downRow[x] = y;
                }
                if (!down) {
                    if (left && bottomEdge >= 0) {
                        edges.length[bottomEdge]++;
                    } else {
                        bottomEdge = edges.add((y + 1) * stride + x, RIGHT);
                    }
                } else {
                    bottomEdge = -1;
                }
                if (!right) {
                    if (upOf[x + 1] == edges && upRow[x + 1] == y - 1) {
                        edges.start[upEdge[x + 1]] = (y + 1) * stride + x + 1; // upwards: starts a row lower
                        edges.length[upEdge[x + 1]]++;
                    } else {
                        upEdge[x + 1] = edges.add((y + 1) * stride + x + 1, UP);
                        upOf[x + 1] = edges;
                    }
                    upRow[x + 1] = y;
                }
            }
            long[] t = above; // rotate: this row is the next one's above, the row below becomes this
            above = row;
            row = below;
            below = t;
        }
        Map<Long, List<int[][]>> out = new TreeMap<>();
        for (var e : edgesOf.entrySet()) {
            out.put(e.getKey(), e.getValue().loops(stride));
        }
        return out;
    }

    private static final int LEFT = 0;
    private static final int DOWN = 1;
    private static final int RIGHT = 2;
    private static final int UP = 3;
    private static final int[] DX = {-1, 0, 1, 0};
    private static final int[] DY = {0, 1, 0, -1};

    /** One region's directed straight boundary edges, in primitive arrays. */
    private static final class Edges {
        int[] start = new int[64];
        int[] length = new int[64];
        byte[] dir = new byte[64];
        int n;

        /** Adds an edge one pixel side long; returns its index. */
        int add(int corner, int direction) {
            if (n == start.length) {
                start = java.util.Arrays.copyOf(start, n * 2);
                length = java.util.Arrays.copyOf(length, n * 2);
                dir = java.util.Arrays.copyOf(dir, n * 2);
            }
            start[n] = corner;
            length[n] = 1;
            dir[n] = (byte) direction;
            return n++;
        }

        /** Chains the edges into closed loops. */
        List<int[][]> loops(int stride) {
            // Corner -> its outgoing edges: an open-addressing table to the first, then a chain (a corner has at
            // most two outgoing edges of one region, where two of its pixels touch only diagonally).
            int size = Integer.highestOneBit(Math.max(4, n * 2)) * 2;
            int mask = size - 1;
            int[] keys = new int[size];
            int[] firstEdge = new int[size];
            java.util.Arrays.fill(keys, -1);
            int[] nextEdge = new int[n];
            for (int e = n - 1; e >= 0; e--) {
                int h = hash(start[e]) & mask;
                while (keys[h] != -1 && keys[h] != start[e]) {
                    h = (h + 1) & mask;
                }
                nextEdge[e] = keys[h] == -1 ? -1 : firstEdge[h];
                keys[h] = start[e];
                firstEdge[h] = e;
            }
            boolean[] used = new boolean[n];
            List<int[][]> polygons = new ArrayList<>();
            int[] ring = new int[16];
            for (int first = 0; first < n; first++) {
                if (used[first]) {
                    continue;
                }
                int count = 0;
                int e = first;
                while (true) {
                    used[e] = true;
                    if (count == ring.length) {
                        ring = java.util.Arrays.copyOf(ring, count * 2);
                    }
                    ring[count++] = e;
                    int d = dir[e];
                    int end = start[e] + length[e] * (DX[d] + DY[d] * stride);
                    if (end == start[first]) {
                        break;
                    }
                    // Where two pixels of the region touch only at this corner, turn the same way every time, so
                    // loops never cross.
                    int h = hash(end) & mask;
                    while (keys[h] != end) {
                        if (keys[h] == -1) { // a tracer bug, not bad input: fail instead of probing forever
                            throw new IllegalStateException("outline does not close: no edge leaves corner ("
                                    + end % stride + ", " + end / stride + ")");
                        }
                        h = (h + 1) & mask;
                    }
                    int pick = -1;
                    for (int c = firstEdge[h]; c != -1; c = nextEdge[c]) {
                        if (used[c]) {
                            continue;
                        }
                        int nd = dir[c];
                        if (pick == -1 || DX[d] * DY[nd] - DY[d] * DX[nd] < 0) {
                            pick = c;
                        }
                    }
                    if (pick == -1) {
                        throw new IllegalStateException("outline does not close: every edge leaving corner ("
                                + end % stride + ", " + end / stride + ") is used");
                    }
                    e = pick;
                }
                polygons.add(corners(ring, count, stride));
            }
            return polygons;
        }

        /** The loop's corners: edge starts where the direction changes. */
        private int[][] corners(int[] ring, int count, int stride) {
            List<int[]> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int prev = dir[ring[(i + count - 1) % count]];
                int cur = dir[ring[i]];
                if (prev != cur) {
                    int c = start[ring[i]];
                    out.add(new int[] {c % stride, c / stride});
                }
            }
            return out.toArray(new int[0][]);
        }

        private static int hash(int v) {
            int h = v * 0x9E3779B9;
            return h ^ (h >>> 16);
        }
    }
}
