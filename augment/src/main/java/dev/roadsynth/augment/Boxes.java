package dev.roadsynth.augment;

import dev.roadsynth.core.Box2;
import dev.roadsynth.core.IdPlane;
import java.util.Map;
import java.util.TreeMap;

/**
 * Boxes and keypoints under a {@link GeometryParams} transform, two ways for boxes:
 * <ul>
 *   <li>{@link #transform(Box2, GeometryParams, int, int)}: the axis-aligned box around the four transformed
 *       corners, clipped to the output; it contains every pixel the object's pixels can move to, but is looser than
 *       the object after a rotation. Needs no masks.</li>
 *   <li>{@link #exact(IdPlane)}: the tight box of each instance, recomputed from the warped instance plane.</li>
 * </ul>
 * Boxes are in pixel edges (x0, y0 inclusive, x1, y1 exclusive). A box or keypoint that leaves the output comes
 * back as null from {@code transform}; {@link #map} keeps the point and flags it instead.
 */
public final class Boxes {
    private Boxes() {
    }

    /** The transformed box, clipped to the output; null when nothing of it remains inside. */
    public static Box2 transform(Box2 box, GeometryParams g, int inputWidth, int inputHeight) {
        Box2 b = bounds(box, g, inputWidth, inputHeight);
        return b == null ? null : b.clip(g.width(inputWidth), g.height(inputHeight));
    }

    /**
     * The box around the four transformed corners, not clipped (it may extend past the output, as an amodal
     * box does); null when the transform folds it to nothing.
     */
    public static Box2 bounds(Box2 box, GeometryParams g, int inputWidth, int inputHeight) {
        double[] m = g.matrix(inputWidth, inputHeight);
        double x0 = Double.MAX_VALUE;
        double y0 = Double.MAX_VALUE;
        double x1 = -Double.MAX_VALUE;
        double y1 = -Double.MAX_VALUE;
        for (double[] c : new double[][] {{box.x0(), box.y0()}, {box.x1(), box.y0()}, {box.x1(), box.y1()}, {box.x0(), box.y1()}}) {
            double[] p = project(m, c[0], c[1]);
            x0 = Math.min(x0, p[0]);
            y0 = Math.min(y0, p[1]);
            x1 = Math.max(x1, p[0]);
            y1 = Math.max(y1, p[1]);
        }
        int a = (int) Math.floor(x0 + 1e-9);
        int b = (int) Math.floor(y0 + 1e-9);
        int c = (int) Math.ceil(x1 - 1e-9);
        int d = (int) Math.ceil(y1 - 1e-9);
        return c > a && d > b ? new Box2(a, b, c, d) : null;
    }

    /** The transformed keypoint {x, y} (continuous image coordinates), or null when it leaves the image. */
    public static double[] transform(double x, double y, GeometryParams g, int inputWidth, int inputHeight) {
        Point p = map(x, y, g, inputWidth, inputHeight);
        return p.inside() ? new double[] {p.x(), p.y()} : null;
    }

    /**
     * A keypoint after the transform, whether or not it stays inside the output.
     *
     * @param x      continuous image x (pixel centres at +0.5)
     * @param y      continuous image y
     * @param inside whether it lies inside the output (COCO: visibility 0 when not)
     */
    public record Point(double x, double y, boolean inside) {
    }

    /** The transformed keypoint, flagged rather than dropped when it leaves the output. */
    public static Point map(double x, double y, GeometryParams g, int inputWidth, int inputHeight) {
        double[] p = project(g.matrix(inputWidth, inputHeight), x, y);
        return new Point(p[0], p[1], p[0] >= 0 && p[1] >= 0 && p[0] < g.width(inputWidth) && p[1] < g.height(inputHeight));
    }

    /** (x, y) through the row-major 3x3 homography {@code m}, divided through. */
    private static double[] project(double[] m, double x, double y) {
        double z = m[6] * x + m[7] * y + m[8];
        return new double[] {(m[0] * x + m[1] * y + m[2]) / z, (m[3] * x + m[4] * y + m[5]) / z};
    }

    /**
     * The tight box of every instance id other than 0 in the plane, by id ({@link IdPlane#extents()}' boxes). A new
     * map, the caller's to change.
     */
    public static Map<Integer, Box2> exact(IdPlane instances) {
        Map<Integer, Box2> out = new TreeMap<>();
        instances.extents().forEach((id, e) -> out.put(id, e.box()));
        return out;
    }
}
