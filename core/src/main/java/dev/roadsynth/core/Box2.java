package dev.roadsynth.core;

/**
 * An axis-aligned pixel box: the pixels x0..x1-1 and y0..y1-1, in image coordinates (rows top-down). Its edges lie
 * on pixel boundaries, so a box around a single pixel (x, y) is (x, y, x + 1, y + 1). May extend outside the image
 * (amodal, unclipped boxes).
 *
 * @param x0 first column
 * @param y0 first row
 * @param x1 one past the last column
 * @param y1 one past the last row
 */
public record Box2(int x0, int y0, int x1, int y1) {
    public Box2 {
        if (x1 <= x0 || y1 <= y0) {
            throw new IllegalArgumentException("box [" + x0 + ", " + x1 + ") x [" + y0 + ", " + y1 + ") is empty");
        }
    }

    public int width() {
        return x1 - x0;
    }

    public int height() {
        return y1 - y0;
    }

    /** The smallest box holding this one and {@code other}; this one when {@code other} is null. */
    public Box2 union(Box2 other) {
        return other == null ? this : new Box2(Math.min(x0, other.x0), Math.min(y0, other.y0), Math.max(x1, other.x1),
                Math.max(y1, other.y1));
    }

    /** This box clipped to a width x height image, or null when nothing of it is inside. */
    public Box2 clip(int width, int height) {
        int a = Math.max(0, x0);
        int b = Math.max(0, y0);
        int c = Math.min(width, x1);
        int d = Math.min(height, y1);
        return c > a && d > b ? new Box2(a, b, c, d) : null;
    }
}
