package dev.roadsynth.core;

import java.nio.IntBuffer;
import java.util.Arrays;

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
