package dev.roadsynth.core;

import java.nio.IntBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A plane of exact integer ids, one unsigned 32-bit value per pixel, rows top-down. Used for semantic class ids
 * (values are {@link Label#id()}s of the frame's {@link LabelSet}) and for instance ids (0 = no instance; any
 * other value identifies one object of the scene). Ids are never interpolated, blended or filtered.
 * Immutable: the id array is never handed out.
 */
public final class IdPlane {
    private final int width;
    private final int height;
    private final int[] ids;

    private IdPlane(int width, int height, int[] ids) {
        Planes.checkSize(width, height, ids.length, 1, "id plane");
        this.width = width;
        this.height = height;
        this.ids = ids;
    }

    /** A plane holding a copy of {@code ids} ({@code width * height} values, rows top-down). */
    public static IdPlane copyOf(int width, int height, int[] ids) {
        return new IdPlane(width, height, ids.clone());
    }

    /** A plane that takes ownership of {@code ids}: the caller must neither keep nor modify it. */
    public static IdPlane adopt(int width, int height, int[] ids) {
        return new IdPlane(width, height, ids);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The id at pixel (x, y), as a signed int holding the unsigned 32-bit value. */
    public int get(int x, int y) {
        return ids[Planes.index(x, y, width, height)];
    }

    /** A read-only view of all ids, rows top-down. */
    public IntBuffer ids() {
        return IntBuffer.wrap(ids).asReadOnlyBuffer();
    }

    /** A copy of all ids, rows top-down. */
    public int[] toArray() {
        return ids.clone();
    }

    /**
     * What one id covers in a plane.
     *
     * @param pixels the pixels holding it
     * @param box    the tight box around them (pixel edges: the first column and row, one past the last)
     */
    public record Extent(long pixels, Box2 box) {
        /** The extent of two ids' pixels together, where no pixel holds both (as an instance plane's ids). */
        public Extent plus(Extent other) {
            return other == null ? this : new Extent(pixels + other.pixels, box.union(other.box));
        }

        /**
         * The extent of {@code ids} together, from {@link #extents()}' map (each id's pixels its own): a group of
         * instances as one object; null when none of them has a pixel.
         */
        public static Extent of(Map<Integer, Extent> extents, List<Integer> ids) {
            Extent sum = null;
            for (int id : ids) {
                Extent e = extents.get(id);
                sum = e == null ? sum : e.plus(sum);
            }
            return sum;
        }
    }

    /**
     * Every id other than 0 in the plane with its extent, in ascending (signed int) order: one pass, one update per
     * run of equal ids along a row. A new map, the caller's to change.
     *
     * <p>Each id's statistics are found through an {@link IdMap} (no boxing per run): with a map of boxed ids the
     * JIT compiler took about a second of a short run to compile the annotator that calls this (session 27).
     */
    public SortedMap<Integer, Extent> extents() {
        IdMap slots = new IdMap();
        long[] stats = new long[5 * 64]; // per slot: count, minX, minY, maxX, maxY
        int[] idOf = new int[64];
        int n = 0;
        for (int y = 0; y < height; y++) {
            int row = y * width;
            int x = 0;
            while (x < width) {
                int id = ids[row + x];
                int end = x + 1;
                while (end < width && ids[row + end] == id) {
                    end++;
                }
                if (id != 0) {
                    int slot = slots.get(id, -1);
                    if (slot < 0) {
                        slot = n++;
                        slots.putIfAbsent(id, slot);
                        if (n > idOf.length) {
                            idOf = Arrays.copyOf(idOf, 2 * idOf.length);
                            stats = Arrays.copyOf(stats, 5 * idOf.length);
                        }
                        idOf[slot] = id;
                        int s = 5 * slot;
                        stats[s + 1] = x;
                        stats[s + 2] = y;
                    }
                    int s = 5 * slot;
                    stats[s] += end - x;
                    stats[s + 1] = Math.min(stats[s + 1], x);
                    stats[s + 3] = Math.max(stats[s + 3], end - 1);
                    stats[s + 4] = y; // rows go down: the last row met is the largest
                }
                x = end;
            }
        }
        SortedMap<Integer, Extent> out = new TreeMap<>();
        for (int slot = 0; slot < n; slot++) {
            int s = 5 * slot;
            out.put(idOf[slot], new Extent(stats[s], new Box2((int) stats[s + 1], (int) stats[s + 2],
                    (int) stats[s + 3] + 1, (int) stats[s + 4] + 1)));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdPlane other && width == other.width && height == other.height
                && Arrays.equals(ids, other.ids);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
        return "IdPlane[" + width + "x" + height + "]";
    }
}
