package dev.roadsynth.augment;

import dev.roadsynth.core.Box2;

/**
 * Boxes and keypoints under a {@link GeometryParams} transform. A box maps to the axis-aligned box around its
 * four transformed corners (which contains every pixel the object's pixels can move to), clipped to the image;
 * a box or keypoint that leaves the image comes back as null.
 */
public final class Boxes {
    private Boxes() {
    }

    /** The transformed box, clipped to the output; null when nothing of it remains inside. */
    public static Box2 transform(Box2 box, GeometryParams g, int inputWidth, int inputHeight) {
        double[] m = g.matrix(inputWidth, inputHeight);
        int width = g.width(inputWidth);
        int height = g.height(inputHeight);
        double x0 = Double.MAX_VALUE;
        double y0 = Double.MAX_VALUE;
        double x1 = -Double.MAX_VALUE;
        double y1 = -Double.MAX_VALUE;
        for (double[] c : new double[][] {{box.x0(), box.y0()}, {box.x1(), box.y0()}, {box.x1(), box.y1()}, {box.x0(), box.y1()}}) {
            double z = m[6] * c[0] + m[7] * c[1] + m[8];
            double x = (m[0] * c[0] + m[1] * c[1] + m[2]) / z;
            double y = (m[3] * c[0] + m[4] * c[1] + m[5]) / z;
            x0 = Math.min(x0, x);
            y0 = Math.min(y0, y);
            x1 = Math.max(x1, x);
            y1 = Math.max(y1, y);
        }
        int a = (int) Math.max(0, Math.floor(x0 + 1e-9));
        int b = (int) Math.max(0, Math.floor(y0 + 1e-9));
        int c = (int) Math.min(width, Math.ceil(x1 - 1e-9));
        int d = (int) Math.min(height, Math.ceil(y1 - 1e-9));
        return c > a && d > b ? new Box2(a, b, c, d) : null;
    }

    /** The transformed keypoint {x, y} (continuous image coordinates), or null when it leaves the image. */
    public static double[] transform(double x, double y, GeometryParams g, int inputWidth, int inputHeight) {
        double[] m = g.matrix(inputWidth, inputHeight);
        int width = g.width(inputWidth);
        int height = g.height(inputHeight);
        double z = m[6] * x + m[7] * y + m[8];
        double tx = (m[0] * x + m[1] * y + m[2]) / z;
        double ty = (m[3] * x + m[4] * y + m[5]) / z;
        return tx >= 0 && ty >= 0 && tx < width && ty < height ? new double[] {tx, ty} : null;
    }
}
