package dev.roadsynth.core;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Depth per pixel in metres along the camera's viewing axis (the camera-frame z of the surface seen at the
 * pixel centre; not the Euclidean distance to the camera), float32, rows top-down. {@value #NO_DEPTH} marks
 * pixels where no surface was hit (sky, background). Immutable: the array is never handed out.
 */
public final class DepthPlane {
    /** The value of pixels that show no surface. */
    public static final float NO_DEPTH = 0f;

    private final int width;
    private final int height;
    private final float[] metres;

    private DepthPlane(int width, int height, float[] metres) {
        Planes.checkSize(width, height, metres.length, 1, "depth plane");
        this.width = width;
        this.height = height;
        this.metres = metres;
    }

    /** A plane holding a copy of {@code metres} ({@code width * height} values, rows top-down). */
    public static DepthPlane copyOf(int width, int height, float[] metres) {
        return new DepthPlane(width, height, metres.clone());
    }

    /** A plane that takes ownership of {@code metres}: the caller must neither keep nor modify it. */
    public static DepthPlane adopt(int width, int height, float[] metres) {
        return new DepthPlane(width, height, metres);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Depth at pixel (x, y) in metres, or {@link #NO_DEPTH}. */
    public float get(int x, int y) {
        return metres[Planes.index(x, y, width, height)];
    }

    /** A read-only view of all values, rows top-down. */
    public FloatBuffer metres() {
        return FloatBuffer.wrap(metres).asReadOnlyBuffer();
    }

    /** A copy of all values, rows top-down. */
    public float[] toArray() {
        return metres.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DepthPlane other && width == other.width && height == other.height
                && Arrays.equals(metres, other.metres);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(metres);
    }

    @Override
    public String toString() {
        return "DepthPlane[" + width + "x" + height + "]";
    }
}
