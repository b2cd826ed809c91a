package dev.roadsynth.scenes;

import dev.roadsynth.core.Rgb;
import dev.roadsynth.scenes.Footprints.Rect;
import dev.roadsynth.scenes.spec.SceneSpec.LineStyle;
import java.util.ArrayList;
import java.util.List;
import org.joml.Matrix4f;

/**
 * The ground of a scene's roads ({@link SceneGenerator}): carriageways, sidewalks with curbs, verges, and their
 * markings; and the meshes that follow a centreline (bands, walls, caps).
 */
final class RoadSurfaces {
    private RoadSurfaces() {
    }

    /** Road band, sidewalks with curbs on both sides (with gaps), verges. */
    static void surfaces(SceneBuild b, Road r, List<double[]> gaps, double sidewalk, double curb, double verge,
                                 double sidewalkFrom) {
        b.part("road", b.classOf("road"), 0, band(r.line(), r.s0(), r.s1(), -r.half(), r.half(), 0),
                new Rgb(72, 72, 76), new Matrix4f());
        for (int side : new int[] {-1, 1}) {
            List<double[]> pieces = new ArrayList<>();
            pieces.add(new double[] {sidewalkFrom, r.s1()});
            for (double[] g : gaps) {
                if (g[0] == side) {
                    List<double[]> next = new ArrayList<>();
                    for (double[] p : pieces) {
                        if (g[1] > p[0]) {
                            next.add(new double[] {p[0], Math.min(p[1], g[1])});
                        }
                        if (g[2] < p[1]) {
                            next.add(new double[] {Math.max(p[0], g[2]), p[1]});
                        }
                    }
                    pieces = next;
                }
            }
            for (double[] p : pieces) {
                if (p[1] - p[0] < 0.5) {
                    continue;
                }
                double t0 = side * r.curb(side);
                double t1 = side * (r.curb(side) + sidewalk);
                if (r.curb(side) > r.half()) {
                    double pa = side * r.half();
                    b.part("parking", b.classOf("parking"), 0, band(r.line(), p[0], p[1], Math.min(pa, t0), Math.max(pa, t0), 0.002),
                            new Rgb(84, 84, 90), new Matrix4f());
                }
                if (sidewalk > 0) {
                    b.part("sidewalk", b.classOf("sidewalk"), 0, band(r.line(), p[0], p[1], Math.min(t0, t1), Math.max(t0, t1), curb),
                            new Rgb(150, 146, 140), new Matrix4f());
                    if (curb > 0) {
                        b.part("sidewalk", b.classOf("sidewalk"), 0, wall(r.line(), p[0], p[1], t0, 0, curb, -side),
                                new Rgb(165, 160, 152), new Matrix4f());
                        b.part("sidewalk", b.classOf("sidewalk"), 0, wall(r.line(), p[0], p[1], t1, 0, curb, side),
                                new Rgb(140, 136, 130), new Matrix4f());
                        // The slab's ends, where it stops at a junction or a crossing: surfaces are seen from their
                        // front only, so an open end would show the ground beneath it.
                        b.part("sidewalk", b.classOf("sidewalk"), 0, cap(r.line(), p[0], t0, t1, 0, curb, -1),
                                new Rgb(165, 160, 152), new Matrix4f());
                        b.part("sidewalk", b.classOf("sidewalk"), 0, cap(r.line(), p[1], t0, t1, 0, curb, 1),
                                new Rgb(165, 160, 152), new Matrix4f());
                    }
                }
                if (verge > 0) {
                    double v0 = side * (r.curb(side) + sidewalk);
                    double v1 = side * (r.curb(side) + sidewalk + verge);
                    b.part("verge", b.classOf("verge"), 0, band(r.line(), p[0], p[1], Math.min(v0, v1), Math.max(v0, v1), 0.01),
                            new Rgb(90, 125, 60), new Matrix4f());
                }
            }
        }
    }

    static void corridor(Footprints f, Road r, double s0, double s1, double halfWidth) {
        for (double s = s0; s < s1; s += 5) {
            double e = Math.min(s + 5, s1);
            double m = (s + e) / 2;
            f.add(new Rect(r.line().x(m, 0), r.line().y(m, 0), (e - s) / 2 + 0.3, halfWidth, r.line().heading(m)));
        }
    }

    static void markings(SceneBuild b, Road r, LineStyle centre, LineStyle lanesStyle, double[] skip) {
        int cls = b.classOf("lane marking");
        Rgb white = new Rgb(225, 225, 220);
        Rgb yellow = new Rgb(225, 185, 40);
        line(b, r, 0, centre, yellow, cls, skip);
        for (int i = 1; i < r.lanes(); i++) {
            for (int side : new int[] {-1, 1}) {
                line(b, r, side * i * r.laneWidth(), lanesStyle, white, cls, skip);
            }
        }
    }

    private static void line(SceneBuild b, Road r, double t, LineStyle style, Rgb colour, int cls, double[] skip) {
        if (style == LineStyle.NONE) {
            return;
        }
        double w = 0.12;
        double[] offsets = style == LineStyle.DOUBLE ? new double[] {t - 0.12, t + 0.12} : new double[] {t};
        double dash = style == LineStyle.DASHED ? 3 : Double.MAX_VALUE;
        double period = style == LineStyle.DASHED ? 9 : Double.MAX_VALUE;
        for (double o : offsets) {
            for (double s = r.s0(); s < r.s1(); s += period) {
                double e = Math.min(s + dash, r.s1());
                List<double[]> runs = new ArrayList<>();
                if (skip != null && e > skip[0] && s < skip[1]) {
                    if (skip[0] > s) {
                        runs.add(new double[] {s, skip[0]});
                    }
                    if (skip[1] < e) {
                        runs.add(new double[] {skip[1], e});
                    }
                } else {
                    runs.add(new double[] {s, e});
                }
                for (double[] run : runs) {
                    b.part("lane marking", cls, 0, band(r.line(), run[0], run[1], o - w / 2, o + w / 2, 0.01), colour, new Matrix4f());
                }
                if (period == Double.MAX_VALUE) {
                    break;
                }
            }
        }
    }

    static void crosswalk(SceneBuild b, Road r, double s0, double s1) {
        int cls = b.classOf("crosswalk");
        for (double t = -r.half() + 0.25; t + 0.5 <= r.half(); t += 1.0) {
            b.part("crosswalk", cls, 0, band(r.line(), s0, s1, t, t + 0.5, 0.012), new Rgb(230, 230, 225), new Matrix4f());
        }
    }

    static void stopLine(SceneBuild b, Road r, double s, int side) {
        double t0 = side < 0 ? -r.half() : 0.2;
        double t1 = side < 0 ? -0.2 : r.half();
        b.part("lane marking", b.classOf("lane marking"), 0, band(r.line(), s - 0.2, s + 0.2, t0, t1, 0.012),
                new Rgb(230, 230, 225), new Matrix4f());
    }

    /** A horizontal band along a centreline: s in [s0, s1], lateral t in [t0, t1], at height z, facing up. */
    static Mesh band(Centreline c, double s0, double s1, double t0, double t1, double z) {
        return strip(c, s0, s1, (s, k) -> new double[] {c.x(s, k == 0 ? t0 : t1), c.y(s, k == 0 ? t0 : t1), z, 0, 0, 1});
    }

    /** The mesh facing the other way: normals negated (the renderer winds triangles by their normals). */
    static Mesh flipped(Mesh m) {
        float[] p = new float[m.vertexCount() * 3];
        float[] n = new float[p.length];
        m.positions().get(p);
        m.normals().get(n);
        for (int i = 0; i < n.length; i++) {
            n[i] = -n[i];
        }
        int[] idx = new int[m.triangleCount() * 3];
        m.indices().get(idx);
        return new Mesh(p, n, idx);
    }

    /** A vertical band along a centreline at lateral offset t, from z0 to z1, facing to the side {@code facing}. */
    static Mesh wall(Centreline c, double s0, double s1, double t, double z0, double z1, int facing) {
        return strip(c, s0, s1, (s, k) -> new double[] {c.x(s, t), c.y(s, t), k == 0 ? z0 : z1,
                -Math.sin(c.heading(s)) * facing, Math.cos(c.heading(s)) * facing, 0});
    }

    /**
     * A vertical rectangle across a centreline at arc length s, from lateral offset t0 to t1 and from z0 to z1,
     * facing along the line ({@code facing} 1) or against it (-1): the end of a slab or a rail.
     */
    static Mesh cap(Centreline c, double s, double t0, double t1, double z0, double z1, int facing) {
        double nx = Math.cos(c.heading(s)) * facing;
        double ny = Math.sin(c.heading(s)) * facing;
        float[] p = {(float) c.x(s, t0), (float) c.y(s, t0), (float) z0, (float) c.x(s, t1), (float) c.y(s, t1), (float) z0,
                (float) c.x(s, t1), (float) c.y(s, t1), (float) z1, (float) c.x(s, t0), (float) c.y(s, t0), (float) z1};
        float[] n = new float[12];
        for (int i = 0; i < 4; i++) {
            n[3 * i] = (float) nx;
            n[3 * i + 1] = (float) ny;
        }
        return new Mesh(p, n, new int[] {0, 1, 2, 0, 2, 3});
    }

    /** A point of a strip: position and normal of edge k (0 or 1) at arc length s. */
    @FunctionalInterface
    private interface StripEdge {
        double[] at(double s, int k);
    }

    /**
     * A strip of quads between two edges along a centreline: one quad on a straight line, one per 2 m on an arc,
     * so that curved roads stay smooth.
     */
    private static Mesh strip(Centreline c, double s0, double s1, StripEdge edge) {
        int segments = Math.abs(c.curvature()) < 1e-9 ? 1 : Math.max(1, (int) Math.ceil((s1 - s0) / 2));
        float[] p = new float[(segments + 1) * 2 * 3];
        float[] n = new float[p.length];
        int[] idx = new int[segments * 6];
        for (int i = 0; i <= segments; i++) {
            double s = s0 + (s1 - s0) * i / segments;
            int v = i * 2;
            for (int k = 0; k < 2; k++) {
                double[] e = edge.at(s, k);
                for (int d = 0; d < 3; d++) {
                    p[(v + k) * 3 + d] = (float) e[d];
                    n[(v + k) * 3 + d] = (float) e[3 + d];
                }
            }
            if (i < segments) {
                int[] q = {v, v + 2, v + 3, v, v + 3, v + 1};
                System.arraycopy(q, 0, idx, i * 6, 6);
            }
        }
        return new Mesh(p, n, idx);
    }
}
