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

    /**
     * Metres as the depth formats' 16-bit PNGs hold them: millimetres rounded to the nearest; {@link #NO_DEPTH} (and
     * anything not above it) 0; any depth above it at least 1, so that it stays a depth; beyond 65.534 m 65535
     * (saturated, so it stays "far", not "none").
     */
    public static int millimetres(float metres) {
        if (metres <= 0) {
            return 0;
        }
        // floor(x + 0.5) is Math.round(x) here: x = metres * 1000 is exact in a double (24 + 10 significant bits),
        // so adding 0.5 does not round for any x that can reach the PNG; it is four times as fast (an instruction,
        // where Math.round is a branchy bit manipulation on Java 17). Cast to long first, so NaN gives 0 as round did.
        long mm = (long) Math.floor(metres * 1000.0 + 0.5);
        return (int) Math.max(1, Math.min(65535, mm));
    }

    /** Row {@code y} as the depth formats' 16-bit PNGs hold it ({@link #millimetres(float)}), into {@code row}. */
    public void millimetreRow(int y, int[] row) {
        for (int x = 0, i = y * width; x < width; x++, i++) {
            row[x] = millimetres(metres[i]);
        }
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
