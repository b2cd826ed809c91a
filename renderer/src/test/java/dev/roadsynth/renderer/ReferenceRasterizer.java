package dev.roadsynth.renderer;

import dev.roadsynth.scenes.Intrinsics;
import dev.roadsynth.scenes.Mesh;
import dev.roadsynth.scenes.Scene;
import dev.roadsynth.scenes.SceneObject;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.joml.Matrix3d;
import org.joml.Matrix4d;
import org.joml.Vector3d;

/**
 * An independent CPU rasterizer of a scene's label planes, written from the rules alone, in double precision:
 * a triangle covers a pixel when the pixel centre (x + 0.5, y + 0.5) lies inside it, a centre exactly on an
 * edge belongs to a top or left edge only, and the nearest surface (smallest camera z) wins. Surfaces are
 * one-sided: a triangle is drawn only when seen from the side its vertex normals point to, as GL culling decides
 * it, by the sign of its area in (snapped) window coordinates once it is wound counter-clockwise about its
 * normals. Which
 * surface wins an exact tie depends on draw order, so differently labelled ties are flagged (below), not compared. Triangles are clipped to near <= z <= far in the camera frame. Projected vertices are snapped to
 * the grid of 2^-subpixelBits pixels, as GL implementations do with window coordinates (GL_SUBPIXEL_BITS).
 *
 * <p>Pixels where the rules are too close to call are flagged rather than guessed: a centre within
 * {@link #EDGE_EPS} pixels of an edge of a triangle (two subpixel steps for a triangle cut by the near or far
 * plane, whose new vertices GL computes in single precision), a pixel where two surfaces with different labels may
 * be given depths within {@link #DEPTH_TIE_REL} relative of each other (each surface's depth taken as the range
 * from its exact to its snapped interpolation, widened by a subpixel step's change: NVIDIA's depth test compares
 * snapped depths, llvmpipe's exact ones), and a surface that close to the near or far plane.
 */
final class ReferenceRasterizer {
    static final double EDGE_EPS = 1e-3;
    static final double DEPTH_TIE_REL = 1e-5;

    final int width;
    final int height;
    final int[] cls;
    final int[] inst;
    final double[] depth;
    /**
     * The same surface's depth interpolated at the snapped vertex positions. GL leaves open whether attributes
     * are interpolated at the exact or the snapped positions (llvmpipe does the former, NVIDIA the latter);
     * on steep surfaces the two differ by more than the depth tolerance, so a renderer may give either.
     */
    final double[] depthSnapped;
    /**
     * How far the surface's depth moves when the sample point moves by one step of the subpixel grid (metres): a
     * rasterizer resolves positions only that finely, so on a surface steep in depth (a tiny triangle spanning
     * metres of depth across a pixel or two) its depth may be off by that much however exactly it interpolates.
     */
    final double[] depthSlack;
    final boolean[] nearEdge;
    /** The nearest and farthest depth a renderer may give pixel i's nearest surface (exact, snapped, slack). */
    private final double[] nearest;
    private final double[] farthest;
    /**
     * Behind pixel i's nearest surface: the nearest depth any other surface may be given (rivalNear, of a
     * surface labelled rivalLabel) and the nearest of the surfaces labelled otherwise (otherRivalNear), so
     * that whichever label ends up nearest, the nearest differently labelled surface behind it is known.
     */
    private final double[] rivalNear;
    private final long[] rivalLabel;
    private final double[] otherRivalNear;
    private java.util.function.DoubleUnaryOperator tie = z -> DEPTH_TIE_REL * z;

    private ReferenceRasterizer(int width, int height, int background) {
        this.width = width;
        this.height = height;
        int n = width * height;
        cls = new int[n];
        Arrays.fill(cls, background);
        inst = new int[n];
        depth = new double[n];
        Arrays.fill(depth, Double.POSITIVE_INFINITY);
        depthSnapped = new double[n];
        Arrays.fill(depthSnapped, Double.POSITIVE_INFINITY);
        depthSlack = new double[n];
        nearEdge = new boolean[n];
        nearest = new double[n];
        farthest = new double[n];
        rivalNear = new double[n];
        Arrays.fill(rivalNear, Double.POSITIVE_INFINITY);
        rivalLabel = new long[n];
        Arrays.fill(rivalLabel, Long.MIN_VALUE);
        otherRivalNear = new double[n];
        Arrays.fill(otherRivalNear, Double.POSITIVE_INFINITY);
    }

    /** Whether the rules leave pixel i too close to call. */
    boolean ambiguous(int i) {
        if (nearEdge[i]) {
            return true;
        }
        if (depth[i] == Double.POSITIVE_INFINITY) {
            return false;
        }
        // A differently labelled surface behind the nearest one that a renderer may put as near as, or nearer
        // than, the nearest one's farthest depth (within the depth buffer's resolution): either may win.
        double rival = rivalLabel[i] != label(cls[i], inst[i]) ? rivalNear[i] : otherRivalNear[i];
        return rival <= farthest[i] + tie.applyAsDouble(depth[i]);
    }

    static ReferenceRasterizer rasterize(Scene scene, int subpixelBits) {
        return rasterize(scene, subpixelBits, z -> DEPTH_TIE_REL * z);
    }

    /**
     * As above, with the depth difference (metres, as a function of depth) under which two differently labelled
     * surfaces count as tied: a depth buffer's resolution decides it, and the classic mapping's is much coarser
     * far away than the reversed float mapping's.
     */
    static ReferenceRasterizer rasterize(Scene scene, int subpixelBits, java.util.function.DoubleUnaryOperator tie) {
        Intrinsics k = scene.camera().intrinsics();
        ReferenceRasterizer r = new ReferenceRasterizer(k.width(), k.height(), scene.backgroundClassId());
        r.tie = tie;
        Matrix4d worldToCamera = new Matrix4d(scene.camera().worldToCamera());
        Matrix4d modelToCamera = new Matrix4d();
        for (SceneObject o : scene.objects()) {
            worldToCamera.mul(new Matrix4d(o.modelToWorld()), modelToCamera);
            Mesh mesh = o.mesh();
            FloatBuffer pos = mesh.positions();
            FloatBuffer nor = mesh.normals();
            IntBuffer idx = mesh.indices();
            Matrix3d normalToCamera = modelToCamera.normal(new Matrix3d());
            Vector3d[] cam = new Vector3d[mesh.vertexCount()];
            Vector3d[] normal = new Vector3d[cam.length];
            for (int i = 0; i < cam.length; i++) {
                cam[i] = modelToCamera.transformPosition(new Vector3d(pos.get(3 * i), pos.get(3 * i + 1), pos.get(3 * i + 2)));
                normal[i] = normalToCamera.transform(new Vector3d(nor.get(3 * i), nor.get(3 * i + 1), nor.get(3 * i + 2)));
            }
            for (int t = 0; t < mesh.triangleCount(); t++) {
                int a = idx.get(3 * t);
                int b = idx.get(3 * t + 1);
                int c = idx.get(3 * t + 2);
                // Wound counter-clockwise about the normals: (b - a) x (c - a) on the normals' side.
                Vector3d face = new Vector3d(cam[b]).sub(cam[a]).cross(new Vector3d(cam[c]).sub(cam[a]));
                if (face.dot(new Vector3d(normal[a]).add(normal[b]).add(normal[c])) < 0) {
                    int swap = b;
                    b = c;
                    c = swap;
                }
                List<Vector3d> poly = new ArrayList<>(List.of(cam[a], cam[b], cam[c]));
                poly = clip(poly, k.near(), 1);
                poly = clip(poly, k.far(), -1);
                // Vertices made by clipping are computed by GL in single precision in clip space, then snapped: they
                // may land a subpixel step away from the exact ones, and so may the edges through them.
                boolean clipped = false;
                for (Vector3d v : List.of(cam[a], cam[b], cam[c])) {
                    clipped |= v.z < k.near() || v.z > k.far();
                }
                double band = clipped ? Math.max(EDGE_EPS, 2 * Math.scalb(1.0, -subpixelBits)) : EDGE_EPS;
                for (int f = 1; f + 1 < poly.size(); f++) {
                    r.triangle(k, subpixelBits, band, poly.get(0), poly.get(f), poly.get(f + 1), o.classId(), o.instanceId());
                }
            }
        }
        return r;
    }

    /** Sutherland-Hodgman against the plane z = plane, keeping side * (z - plane) >= 0. */
    private static List<Vector3d> clip(List<Vector3d> poly, double plane, int side) {
        List<Vector3d> out = new ArrayList<>();
        for (int i = 0; i < poly.size(); i++) {
            Vector3d a = poly.get(i);
            Vector3d b = poly.get((i + 1) % poly.size());
            double da = side * (a.z - plane);
            double db = side * (b.z - plane);
            if (da >= 0) {
                out.add(a);
            }
            if ((da >= 0) != (db >= 0)) {
                double t = da / (da - db);
                out.add(new Vector3d(a).lerp(b, t));
            }
        }
        return out;
    }

    /** @param band pixels within this distance of an edge are too close to call ({@link #EDGE_EPS}, or wider) */
    private void triangle(Intrinsics k, int bits, double band, Vector3d a, Vector3d b, Vector3d c, int classId,
                          int instanceId) {
        double scale = Math.scalb(1.0, bits);
        double[] x = new double[3];
        double[] y = new double[3];
        double[] z = {a.z, b.z, c.z};
        // Unsnapped projections: depth is the exact depth of the triangle's plane along the pixel-centre ray.
        double[] ux = new double[3];
        double[] uy = new double[3];
        Vector3d[] v = {a, b, c};
        for (int i = 0; i < 3; i++) {
            ux[i] = k.fx() * v[i].x / v[i].z + k.cx();
            uy[i] = k.fy() * v[i].y / v[i].z + k.cy();
            x[i] = Math.rint(ux[i] * scale) / scale;
            y[i] = Math.rint(uy[i] * scale) / scale;
        }
        double area = (x[1] - x[0]) * (y[2] - y[0]) - (y[1] - y[0]) * (x[2] - x[0]);
        if (area == 0) {
            return; // degenerate: covers nothing
        }
        if (area > 0) {
            // Wound counter-clockwise about its normals in the camera frame (x right, y down, z forward), a triangle
            // facing the camera has negative area in these y-down pixel coordinates: this one is seen from behind.
            return;
        }
        if (area < 0) { // make the triangle counter-clockwise in a y-down frame's sense: inside = all edges >= 0
            swap(x, 1, 2);
            swap(y, 1, 2);
            swap(z, 1, 2);
            swap(ux, 1, 2);
            swap(uy, 1, 2);
            area = -area;
        }
        double uArea = (ux[1] - ux[0]) * (uy[2] - uy[0]) - (uy[1] - uy[0]) * (ux[2] - ux[0]);
        int x0 = Math.max(0, (int) Math.floor(Math.min(x[0], Math.min(x[1], x[2])) - 1));
        int x1 = Math.min(width - 1, (int) Math.ceil(Math.max(x[0], Math.max(x[1], x[2])) + 1));
        int y0 = Math.max(0, (int) Math.floor(Math.min(y[0], Math.min(y[1], y[2])) - 1));
        int y1 = Math.min(height - 1, (int) Math.ceil(Math.max(y[0], Math.max(y[1], y[2])) + 1));
        double[] len = new double[3];
        boolean[] topLeft = new boolean[3];
        for (int e = 0; e < 3; e++) {
            int i = e;
            int j = (e + 1) % 3;
            double dx = x[j] - x[i];
            double dy = y[j] - y[i];
            len[e] = Math.hypot(dx, dy);
            // With rows counted downwards and positive area, the inside lies to the left of each edge i->j when
            // walked in this orientation; a "top" edge is horizontal with the inside below it, a "left" edge
            // has the inside to its right in screen terms. Which set of edges owns exact ties only has to be
            // consistent between neighbours; exact ties are rare and fall inside the EDGE_EPS band anyway.
            topLeft[e] = (dy == 0 && dx > 0) || dy < 0;
        }
        for (int py = y0; py <= y1; py++) {
            double cy = py + 0.5;
            for (int px = x0; px <= x1; px++) {
                double cx = px + 0.5;
                double[] ev = new double[3];
                boolean inside = true;
                double minDist = Double.POSITIVE_INFINITY;
                boolean withinBand = true;
                for (int e = 0; e < 3; e++) {
                    int i = e;
                    int j = (e + 1) % 3;
                    ev[e] = (x[j] - x[i]) * (cy - y[i]) - (y[j] - y[i]) * (cx - x[i]);
                    double dist = ev[e] / len[e];
                    minDist = Math.min(minDist, Math.abs(dist));
                    if (dist < -band) {
                        withinBand = false;
                    }
                    if (ev[e] < 0 || (ev[e] == 0 && !topLeft[e])) {
                        inside = false;
                    }
                }
                int p = py * width + px;
                if (withinBand && minDist < band) {
                    nearEdge[p] = true;
                }
                if (!inside) {
                    continue;
                }
                // Barycentric weight of vertex k is the edge function of the opposite edge over the area;
                // 1/z is linear in screen space.
                double b0 = edge(ux, uy, 1, cx, cy) / uArea;
                double b1 = edge(ux, uy, 2, cx, cy) / uArea;
                double b2 = edge(ux, uy, 0, cx, cy) / uArea;
                double d = 1.0 / (b0 / z[0] + b1 / z[1] + b2 / z[2]);
                // 1/z is linear in screen space: its change over a pixel, then depth's over a subpixel step.
                double invX = (edge(ux, uy, 1, cx + 1, cy) / z[0] + edge(ux, uy, 2, cx + 1, cy) / z[1]
                        + edge(ux, uy, 0, cx + 1, cy) / z[2]) / uArea - 1 / d;
                double invY = (edge(ux, uy, 1, cx, cy + 1) / z[0] + edge(ux, uy, 2, cx, cy + 1) / z[1]
                        + edge(ux, uy, 0, cx, cy + 1) / z[2]) / uArea - 1 / d;
                double slack = d * d * (Math.abs(invX) + Math.abs(invY)) / scale;
                double ds = 1.0 / (ev[1] / area / z[0] + ev[2] / area / z[1] + ev[0] / area / z[2]);
                if (Math.abs(d - k.near()) <= DEPTH_TIE_REL * d || Math.abs(d - k.far()) <= DEPTH_TIE_REL * d) {
                    nearEdge[p] = true; // on the near or far plane: whether clipping keeps it is too close to call
                }
                // The depths a renderer may give this surface here: exact or snapped interpolation, one subpixel
                // step either way.
                double near = Math.min(d, ds) - slack;
                double far = Math.max(d, ds) + slack;
                long label = label(classId, instanceId);
                if (d < depth[p]) {
                    if (depth[p] != Double.POSITIVE_INFINITY) {
                        lose(p, nearest[p], label(cls[p], inst[p]));
                    }
                    depth[p] = d;
                    depthSnapped[p] = ds;
                    depthSlack[p] = slack;
                    nearest[p] = near;
                    farthest[p] = far;
                    cls[p] = classId;
                    inst[p] = instanceId;
                } else {
                    lose(p, near, label);
                }
            }
        }
    }

    private static long label(int classId, int instanceId) {
        return ((long) classId << 32) | (instanceId & 0xffffffffL);
    }

    /** Records a surface behind pixel p's nearest, by the nearest depth a renderer may give it and its label. */
    private void lose(int p, double near, long label) {
        if (label == rivalLabel[p]) {
            rivalNear[p] = Math.min(rivalNear[p], near);
        } else if (near < rivalNear[p]) {
            otherRivalNear[p] = rivalNear[p]; // labels other than the new rival's: the old rival was the nearest
            rivalNear[p] = near;
            rivalLabel[p] = label;
        } else {
            otherRivalNear[p] = Math.min(otherRivalNear[p], near);
        }
    }

    private static double edge(double[] x, double[] y, int e, double cx, double cy) {
        int i = e;
        int j = (e + 1) % 3;
        return (x[j] - x[i]) * (cy - y[i]) - (y[j] - y[i]) * (cx - x[i]);
    }

    private static void swap(double[] a, int i, int j) {
        double t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
