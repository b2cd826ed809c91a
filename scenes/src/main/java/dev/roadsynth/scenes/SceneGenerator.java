package dev.roadsynth.scenes;

import dev.roadsynth.core.Label;
import dev.roadsynth.core.Rgb;
import dev.roadsynth.scenes.Footprints.Rect;
import dev.roadsynth.scenes.spec.SceneSpec;
import dev.roadsynth.scenes.spec.SceneSpec.AttachedObjects;
import dev.roadsynth.scenes.spec.SceneSpec.BillboardPerson;
import dev.roadsynth.scenes.spec.SceneSpec.LineStyle;
import dev.roadsynth.scenes.spec.SceneSpec.RoadLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.joml.Matrix4f;
import org.joml.Vector3f;

/**
 * Draws a concrete {@link Scene} from a {@link SceneSpec} and a seed. Every random choice comes from one
 * {@link SplittableRandom} seeded with {@code seed}, drawn in a fixed order, so (spec, seed) always gives the
 * same scene. Stateless.
 *
 * <p>World frame: z up, metres; the main road starts at the origin heading along +x (curving with the file's
 * curvature); lateral offsets are positive to the left of the direction of travel; traffic keeps right.
 * Solid objects never interpenetrate: each is placed only where its ground footprint is free. Objects that find
 * no free place after a bounded number of tries are left out and recorded as a {@link Shortfall}.
 */
public final class SceneGenerator {
    private static final int TRIES = 40;
    private static final Rgb GLASS = new Rgb(40, 52, 66);
    private static final Rgb TYRE = new Rgb(22, 22, 24);
    private static final Rgb SKIN = new Rgb(205, 160, 130);
    private static final Rgb TROUSERS = new Rgb(45, 48, 62);

    private SceneGenerator() {
    }

    /**
     * One road: a centreline, the arc-length range it covers, half its carriageway width, lanes per direction,
     * and the curb's offset on the right (side -1) and left (side +1): the carriageway's edge plus any parking strip.
     */
    private record Road(Centreline line, double s0, double s1, double half, int lanes, double laneWidth,
                        double curbRight, double curbLeft) {
        Road(Centreline line, double s0, double s1, double half, int lanes, double laneWidth) {
            this(line, s0, s1, half, lanes, laneWidth, half, half);
        }

        double curb(int side) {
            return side < 0 ? curbRight : curbLeft;
        }

        double widestCurb() {
            return Math.max(curbRight, curbLeft);
        }
    }

    private static final double PARKING_WIDTH = 2.4;

    /** The scene being built. */
    private static final class Build {
        final SceneSpec spec;
        final SplittableRandom rng;
        final List<SceneObject> objects = new ArrayList<>();
        final List<Instance> instances = new ArrayList<>();
        final List<Shortfall> shortfalls = new ArrayList<>();
        final Footprints solid = new Footprints();
        final Footprints noBuild = new Footprints();
        final List<org.joml.Vector3fc> lamps = new ArrayList<>();
        int nextInstance = 1;

        Build(SceneSpec spec, SplittableRandom rng) {
            this.spec = spec;
            this.rng = rng;
        }

        int classOf(String kind) {
            return spec.labels().classOf(kind);
        }

        /** A new instance id for an object of this class, or 0 when the class has no instances. */
        int instanceFor(int classId) {
            Label l = spec.labels().set().byId(classId);
            return l.hasInstances() ? nextInstance++ : 0;
        }

        void part(String kind, int cls, int inst, Mesh mesh, Rgb colour, Matrix4f pose) {
            part(kind, cls, inst, mesh, new Material(colour, surfaceOf(kind, colour)), pose);
        }

        void part(String kind, int cls, int inst, Mesh mesh, Material material, Matrix4f pose) {
            objects.add(new SceneObject(kind, cls, inst, mesh, material, pose));
        }

        /** Ground kinds get wet; the glass colour reflects. */
        private static Material.Surface surfaceOf(String kind, Rgb colour) {
            return switch (kind) {
                case "road", "lane marking", "crosswalk", "sidewalk", "parking", "verge" -> Material.Surface.GROUND;
                default -> colour.equals(GLASS) ? Material.Surface.GLASS : Material.Surface.MATTE;
            };
        }

        /** A box of the given size standing on (x, y, z) rotated by yaw, then offset in its own frame. */
        void box(String kind, int cls, int inst, Rgb colour, double x, double y, double z, double yaw,
                 double ox, double oy, double oz, double sx, double sy, double sz) {
            part(kind, cls, inst, Meshes.unitBox(), colour, pose(x, y, z, yaw).translate((float) ox, (float) oy, (float) oz)
                    .scale((float) sx, (float) sy, (float) sz));
        }

        double u(double a, double b) {
            return a == b ? a : rng.nextDouble(a, b);
        }

        boolean chance(double p) {
            return rng.nextDouble() < p;
        }

        int count(double v) {
            return (int) Math.round(v);
        }
    }

    static Matrix4f pose(double x, double y, double z, double yaw) {
        return new Matrix4f().translate((float) x, (float) y, (float) z).rotateZ((float) yaw);
    }

    /**
     * Draws the scene for {@code seed}.
     *
     * @throws IllegalArgumentException never for a validated spec; placement shortfalls are recorded, not thrown
     */
    public static Scene generate(SceneSpec spec, long seed) {
        Build b = new Build(spec, new SplittableRandom(seed));
        SceneSpec.Road rs = spec.road();
        RoadLayout layout = rs.layout().sample(b.rng);
        double length = rs.length().sample(b.rng);
        double curvature = layout == RoadLayout.CURVED ? rs.curvature().sample(b.rng) : 0;
        int lanes = rs.lanesPerDirection().sample(b.rng).intValue();
        double laneWidth = rs.laneWidth().sample(b.rng);
        double sidewalk = rs.sidewalkWidth().sample(b.rng);
        double curb = rs.curbHeight().sample(b.rng);
        double verge = rs.vergeWidth().sample(b.rng);
        LineStyle centreLine = rs.centreLine().sample(b.rng);
        LineStyle laneLines = rs.laneLines().sample(b.rng);
        boolean stopLines = rs.stopLines().sample(b.rng);
        boolean crosswalks = rs.crosswalks().sample(b.rng);
        double half = lanes * laneWidth;
        double setback = 1.5 + b.u(0, 3);
        double parkingP = rs.parkingProbability().sample(b.rng);
        double occupancy = rs.parkingOccupancy().sample(b.rng);
        boolean parkRight = b.chance(parkingP);
        boolean parkLeft = b.chance(parkingP);
        Road main = new Road(new Centreline(0, 0, 0, curvature), -25, length, half, lanes, laneWidth,
                half + (parkRight ? PARKING_WIDTH : 0), half + (parkLeft ? PARKING_WIDTH : 0));
        // Where the arms of an intersection leave the main road's curbs.
        double armStart = main.widestCurb() + sidewalk;
        List<Road> roads = new ArrayList<>(List.of(main));
        boolean junction = layout == RoadLayout.T_INTERSECTION || layout == RoadLayout.FOUR_WAY;
        double crossAt = junction ? Math.min(length * 0.6, b.u(25, 60)) : b.u(25, Math.max(26, length * 0.5));
        double arm = 120;
        List<double[]> gaps = new ArrayList<>(); // main-road sidewalk gaps as {side, s0, s1}
        if (junction) {
            roads.add(new Road(new Centreline(crossAt, 0, Math.PI / 2, 0), half, arm, half, lanes, laneWidth));
            gaps.add(new double[] {1, crossAt - half, crossAt + half});
            if (layout == RoadLayout.FOUR_WAY) {
                roads.add(new Road(new Centreline(crossAt, 0, -Math.PI / 2, 0), half, arm, half, lanes, laneWidth));
                gaps.add(new double[] {-1, crossAt - half, crossAt + half});
            }
        }

        // Ground under everything (2 cm down, so it never competes with the road for a pixel).
        b.part("verge", b.classOf("verge"), 0, Meshes.groundQuad(-400, -400, 600, 400), new Rgb(95, 110, 70),
                new Matrix4f().translate(0, 0, -0.02f));
        for (int i = 0; i < roads.size(); i++) {
            Road r = roads.get(i);
            surfaces(b, r, i == 0 ? gaps : List.of(), sidewalk, curb, verge, i > 0 ? armStart : r.s0());
            markings(b, r, centreLine, laneLines, i == 0 && junction ? new double[] {crossAt - half, crossAt + half} : null);
            corridor(b.noBuild, r, i > 0 ? half : r.s0(), r.s1(), r.widestCurb() + sidewalk + verge + 0.5);
        }
        if (junction) {
            // The intersection's square of road between the arms.
            b.part("road", b.classOf("road"), 0, Meshes.groundQuad((float) (crossAt - half), (float) -half,
                    (float) (crossAt + half), (float) half), new Rgb(72, 72, 76), new Matrix4f());
        }
        List<double[]> crossings = new ArrayList<>(); // {roadIndex, s0, s1}
        if (crosswalks) {
            if (junction) {
                crossings.add(new double[] {0, crossAt - half - 4.5, crossAt - half - 0.5});
                crossings.add(new double[] {0, crossAt + half + 0.5, crossAt + half + 4.5});
                for (int i = 1; i < roads.size(); i++) {
                    crossings.add(new double[] {i, armStart + 0.5, armStart + 4.5});
                }
            } else {
                crossings.add(new double[] {0, crossAt, crossAt + 4});
            }
            for (double[] c : crossings) {
                crosswalk(b, roads.get((int) c[0]), c[1], c[2]);
            }
        }
        if (stopLines && junction) {
            stopLine(b, main, crossAt - half - 5.5, -1);
            stopLine(b, main, crossAt + half + 5.5, 1);
            for (int i = 1; i < roads.size(); i++) {
                stopLine(b, roads.get(i), armStart + 5.5, 1);
            }
        }

        // The camera and the space of the ego vehicle, reserved before anything else is placed.
        Camera camera = camera(b, main, lanes, laneWidth);

        SceneSpec.Statics st = spec.statics();
        if (junction && st.trafficLights().sample(b.rng)) {
            trafficLight(b, main, crossAt - half - 1.5, -(main.curb(-1) + 0.6), Math.PI);
            trafficLight(b, main, crossAt + half + 1.5, main.curb(1) + 0.6, 0);
            for (int i = 1; i < roads.size(); i++) {
                trafficLight(b, roads.get(i), armStart + 1.5, half + 0.6, 0);
            }
        }
        for (Road r : roads) {
            double from = r == main ? r.s0() : armStart;
            buildings(b, r, from, r.s1(), sidewalk + verge + setback, r == main ? gaps : List.of());
            alongCurb(b, r, from, r.s1(), sidewalk, st, crossings, roads.indexOf(r));
        }
        if (st.guardRails().sample(b.rng)) {
            guardRails(b, main, sidewalk + 0.6, junction ? new double[] {crossAt - half - sidewalk - 2, crossAt + half + sidewalk + 2} : null);
        }
        signs(b, roads, armStart, sidewalk, st.trafficSigns().sample(b.rng).intValue());
        bushes(b, roads, sidewalk, verge, setback, st.bushes().sample(b.rng).intValue());
        billboards(b, main, sidewalk + verge + setback, st.billboards());
        parked(b, main, occupancy, parkRight, parkLeft, gaps, crossings);

        SceneSpec.Vehicles vs = spec.vehicles();
        vehicles(b, roads, "car", vs.cars().sample(b.rng).intValue());
        vehicles(b, roads, "truck", vs.trucks().sample(b.rng).intValue());
        vehicles(b, roads, "bus", vs.buses().sample(b.rng).intValue());
        vehicles(b, roads, "motorcycle", vs.motorcycles().sample(b.rng).intValue());
        vehicles(b, roads, "bicycle", vs.bicycles().sample(b.rng).intValue());
        pedestrians(b, roads, armStart, sidewalk, curb, crossings, spec.pedestrians());

        Sky sky = sky(b, 0);
        Environment env = environment(b, sky);
        return new Scene(spec.labels().set(), b.objects, camera, sky.light(), spec.labels().backgroundClass(), env,
                b.instances, b.shortfalls);
    }

    // ---------------------------------------------------------------- road surfaces and markings

    /** Road band, sidewalks with curbs on both sides (with gaps), verges. */
    private static void surfaces(Build b, Road r, List<double[]> gaps, double sidewalk, double curb, double verge,
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

    private static void corridor(Footprints f, Road r, double s0, double s1, double halfWidth) {
        for (double s = s0; s < s1; s += 5) {
            double e = Math.min(s + 5, s1);
            double m = (s + e) / 2;
            f.add(new Rect(r.line().x(m, 0), r.line().y(m, 0), (e - s) / 2 + 0.3, halfWidth, r.line().heading(m)));
        }
    }

    private static void markings(Build b, Road r, LineStyle centre, LineStyle lanesStyle, double[] skip) {
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

    private static void line(Build b, Road r, double t, LineStyle style, Rgb colour, int cls, double[] skip) {
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

    private static void crosswalk(Build b, Road r, double s0, double s1) {
        int cls = b.classOf("crosswalk");
        for (double t = -r.half() + 0.25; t + 0.5 <= r.half(); t += 1.0) {
            b.part("crosswalk", cls, 0, band(r.line(), s0, s1, t, t + 0.5, 0.012), new Rgb(230, 230, 225), new Matrix4f());
        }
    }

    private static void stopLine(Build b, Road r, double s, int side) {
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

    // ---------------------------------------------------------------- camera, light, sky

    private static Camera camera(Build b, Road main, int lanes, double laneWidth) {
        SceneSpec.CameraSpec cs = b.spec.camera();
        int lane = (int) Math.min(cs.lane().sample(b.rng), lanes - 1);
        double s = cs.position().sample(b.rng);
        double t = -(lane + 0.5) * laneWidth;
        double mount = cs.mountHeight().sample(b.rng);
        double pitch = Math.toRadians(cs.pitch().sample(b.rng));
        double roll = Math.toRadians(cs.roll().sample(b.rng));
        double yaw = Math.toRadians(cs.yaw().sample(b.rng));
        boolean hood = cs.hood().sample(b.rng);
        Intrinsics k;
        if (cs.fx() != null) {
            double fx = cs.fx().sample(b.rng);
            double fy = cs.fy().sample(b.rng);
            k = new Intrinsics(fx, fy, cs.width() / 2.0, cs.height() / 2.0, cs.width(), cs.height(), cs.near(), cs.far());
        } else {
            k = Intrinsics.ofHorizontalFov(cs.fov().sample(b.rng), cs.width(), cs.height(), cs.near(), cs.far());
        }
        double x = main.line().x(s, t);
        double y = main.line().y(s, t);
        double heading = main.line().heading(s);
        Camera camera = Camera.at(k, new Vector3f((float) x, (float) y, (float) mount), (float) (heading + yaw),
                (float) pitch, (float) roll);
        // The ego vehicle: the camera sits 1.5 m behind its front, in the middle.
        b.solid.add(new Rect(x - 1.0 * Math.cos(heading), y - 1.0 * Math.sin(heading), 2.6, 1.1, heading));
        if (hood) {
            int cls = b.classOf("ego vehicle");
            double top = Math.max(0.3, mount - 0.45);
            b.box("ego vehicle", cls, b.instanceFor(cls), new Rgb(35, 35, 40), x, y, 0, heading, 0.55, 0, top - 0.05, 2.0, 1.8, 0.05);
        }
        return camera;
    }

    /** Sun position, direct and diffuse light, drawn in a fixed order: the sky and lamps follow from it. */
    private record Sky(double elevation, double azimuth, double overcast, double rain, Light light) {
    }

    private static Sky sky(Build b, double roadHeading) {
        SceneSpec.Environment e = b.spec.environment();
        double elevation;
        double azimuth;
        if (e.timeOfDay() != null) {
            // A mid-latitude equinox day: sunrise at 6, noon at 12 with the sun 50 degrees up, sunset at 18.
            double hours = e.timeOfDay().sample(b.rng);
            double angle = (hours - 12) / 12 * Math.PI;
            elevation = Math.toDegrees(Math.asin(Math.cos(angle) * Math.sin(Math.toRadians(50)))) - 2;
            azimuth = Math.toDegrees(roadHeading) + 180 - (hours - 12) * 15;
        } else {
            elevation = e.sunElevation().sample(b.rng);
            azimuth = e.sunAzimuth().sample(b.rng);
        }
        double rain = e.rain().sample(b.rng);
        double overcast = Math.max(e.overcast().sample(b.rng), rain * 0.9);
        // Direct sun fades below 10 degrees and with overcast; diffuse light grows with overcast by day.
        double height = Math.max(0, Math.min(1, (elevation + 2) / 12));
        float sun = (float) (0.8 * height * (1 - 0.85 * overcast));
        float ambient = (float) ((0.05 + 0.32 * height + 0.2 * overcast * height) * e.ambient().sample(b.rng));
        Light l = Light.sunAt(Math.max(elevation, 1), azimuth, sun, ambient);
        return new Sky(elevation, azimuth, overcast, rain, l);
    }

    private static Environment environment(Build b, Sky sky) {
        SceneSpec.Environment e = b.spec.environment();
        double fog = e.fogDensity().sample(b.rng);
        Rgb fogColour = e.fogColour().sample(b.rng);
        double wetness = Math.max(e.wetness().sample(b.rng), sky.rain());
        double snow = e.snow().sample(b.rng);
        boolean shadows = e.shadows().sample(b.rng);
        // Rain brings haze: at full rain, visibility of a few hundred metres.
        fog = Math.min(0.2, fog + sky.rain() * 0.006);
        double day = Math.max(0, Math.min(1, (sky.elevation() + 4) / 14));
        Rgb zenith = blend(new Rgb(60, 115, 200), new Rgb(150, 155, 162), sky.overcast());
        Rgb horizon = blend(new Rgb(185, 210, 235), new Rgb(190, 192, 196), sky.overcast());
        if (sky.elevation() < 12) {
            // Low sun: a warm horizon, then dusk.
            horizon = blend(horizon, new Rgb(235, 160, 110), (1 - sky.overcast()) * (12 - Math.max(0, sky.elevation())) / 12 * 0.7);
        }
        zenith = blend(new Rgb(8, 12, 30), zenith, day);
        horizon = blend(new Rgb(25, 28, 45), horizon, day);
        if (fog > 0) {
            double f = Math.min(1, fog * 60);
            horizon = blend(horizon, fogColour, f);
            zenith = blend(zenith, fogColour, f * 0.7);
        }
        // Street lights come on as the sun goes down.
        float lamps = (float) Math.max(0, Math.min(1, (8 - sky.elevation()) / 14));
        return new Environment(zenith, horizon, (float) fog, fogColour, (float) wetness, (float) snow, shadows,
                b.lamps, lamps, (float) sky.rain(), (float) snow, b.rng.nextLong());
    }

    private static Rgb blend(Rgb a, Rgb b, double f) {
        return new Rgb((int) Math.round(a.r() + (b.r() - a.r()) * f), (int) Math.round(a.g() + (b.g() - a.g()) * f),
                (int) Math.round(a.b() + (b.b() - a.b()) * f));
    }

    // ---------------------------------------------------------------- static things

    private static void buildings(Build b, Road r, double from, double to, double beyondCurb, List<double[]> gaps) {
        SceneSpec.Buildings bs = b.spec.statics().buildings();
        double fenceP = b.spec.statics().fenceProbability().sample(b.rng);
        double wallP = b.spec.statics().wallProbability().sample(b.rng);
        for (int side : new int[] {-1, 1}) {
            double buildLine = r.curb(side) + beyondCurb;
            double s = from + b.u(0, 5);
            while (s < to - 5) {
                double width = bs.width().sample(b.rng);
                double depth = bs.depth().sample(b.rng);
                double height = bs.height().sample(b.rng);
                double mid = s + width / 2;
                double t = side * (buildLine + depth / 2);
                double heading = r.line().heading(mid);
                double x = r.line().x(mid, t);
                double y = r.line().y(mid, t);
                Rect foot = new Rect(x, y, width / 2, depth / 2, heading);
                boolean build = b.chance(bs.probability().sample(b.rng));
                Rgb facade = bs.facade().sample(b.rng);
                boolean windows = bs.windows().sample(b.rng);
                if (build && b.noBuild.fits(foot) && b.solid.fits(foot)) {
                    b.solid.add(foot);
                    b.noBuild.add(foot);
                    int cls = b.classOf("building");
                    b.box("building", cls, 0, facade, x, y, 0, heading, 0, 0, 0, width, depth, height);
                    if (windows) {
                        windowsOn(b, cls, x, y, heading, side, width, depth, height);
                    }
                } else if (!build) {
                    // An empty lot: a fence, a low wall, or open ground.
                    double roll = b.rng.nextDouble();
                    boolean fence = roll < fenceP;
                    boolean wall = !fence && roll < fenceP + wallP;
                    double ft = side * (buildLine + 0.15);
                    Rect edge = new Rect(r.line().x(mid, ft), r.line().y(mid, ft), width / 2, 0.15, heading);
                    if ((fence || wall) && b.noBuild.fits(edge) && b.solid.fits(edge)) {
                        b.solid.add(edge);
                        if (fence) {
                            b.box("fence", b.classOf("fence"), 0, new Rgb(120, 100, 80), edge.cx(), edge.cy(), 0, heading,
                                    0, 0, 0, width, 0.06, 1.4);
                        } else {
                            b.box("wall", b.classOf("wall"), 0, new Rgb(150, 140, 128), edge.cx(), edge.cy(), 0, heading,
                                    0, 0, 0, width, 0.25, b.u(0.8, 2.2));
                        }
                    }
                }
                s += width + b.u(0.5, 6);
            }
        }
    }

    /** Dark window panes on the facade that faces the road, 3 cm proud of the wall. */
    private static void windowsOn(Build b, int cls, double x, double y, double heading, int side, double width,
                                  double depth, double height) {
        double face = -side * (depth / 2 + 0.03);
        int columns = Math.max(1, (int) ((width - 1) / 2.6));
        double pitch = width / columns;
        for (double z = 1.2; z + 1.6 < height - 0.5; z += 3.2) {
            for (int c = 0; c < columns; c++) {
                double along = -width / 2 + pitch * (c + 0.5);
                b.box("building", cls, 0, GLASS, x, y, 0, heading, along, face, z, 1.3, 0.04, 1.6);
            }
        }
    }

    /** Poles, street lights and trees near the curb at their spacings, skipping crossings. */
    private static void alongCurb(Build b, Road r, double from, double to, double sidewalk,
                                  SceneSpec.Statics st, List<double[]> crossings, int roadIndex) {
        double poleSpacing = st.poleSpacing().sample(b.rng);
        double lightSpacing = st.streetLightSpacing().sample(b.rng);
        double treeSpacing = st.treeSpacing().sample(b.rng);
        for (int side : new int[] {-1, 1}) {
            if (sidewalk < 0.8) {
                continue;
            }
            double half = r.curb(side);
            placeAlong(b, r, from, to, poleSpacing, side * (half + 0.35), crossings, roadIndex, (x, y, h) -> {
                int cls = b.classOf("pole");
                b.part("pole", cls, 0, Meshes.unitCylinder(), new Rgb(105, 105, 110),
                        pose(x, y, 0, h).scale(0.07f, 0.07f, 5.5f));
            });
            placeAlong(b, r, from, to, lightSpacing, side * (half + 0.4), crossings, roadIndex, (x, y, h) -> {
                int cls = b.classOf("street light");
                double toRoad = side > 0 ? -Math.PI / 2 : Math.PI / 2;
                b.part("street light", cls, 0, Meshes.unitCylinder(), new Rgb(90, 92, 98), pose(x, y, 0, h).scale(0.09f, 0.09f, 7.5f));
                b.box("street light", cls, 0, new Rgb(90, 92, 98), x, y, 7.3, h + toRoad, 0.9, 0, 0, 1.8, 0.08, 0.08);
                b.part("street light", cls, 0, Meshes.unitBox(), new Material(new Rgb(230, 230, 210), Material.Surface.LAMP),
                        pose(x, y, 7.1, h + toRoad).translate(1.7f, 0, 0).scale(0.6f, 0.25f, 0.2f));
                b.lamps.add(pose(x, y, 7.0, h + toRoad).transformPosition(new Vector3f(1.7f, 0, 0)));
            });
            if (sidewalk >= 1.6) {
                placeAlong(b, r, from, to, treeSpacing, side * (half + Math.min(1.1, sidewalk / 2)), crossings, roadIndex, (x, y, h) -> {
                    int cls = b.classOf("tree");
                    double trunk = b.u(2.0, 3.2);
                    double crown = b.u(1.4, 2.6);
                    b.part("tree", cls, 0, Meshes.unitCylinder(), new Rgb(88, 64, 42), pose(x, y, 0, 0).scale(0.15f, 0.15f, (float) (trunk + 0.3)));
                    b.part("tree", cls, 0, Meshes.unitSphere(), new Rgb(45, b.rng.nextInt(90, 135), 40),
                            pose(x, y, trunk + crown * 0.8, 0).scale((float) crown, (float) crown, (float) (crown * 0.9)));
                });
            }
        }
    }

    @FunctionalInterface
    private interface Placer {
        void place(double x, double y, double heading);
    }

    private static void placeAlong(Build b, Road r, double from, double to, double spacing, double t,
                                   List<double[]> crossings, int roadIndex, Placer placer) {
        if (spacing <= 0) {
            return;
        }
        for (double s = from + b.u(0, spacing); s < to; s += spacing * b.u(0.8, 1.2)) {
            if (onCrossing(crossings, roadIndex, s, 2)) {
                continue;
            }
            double x = r.line().x(s, t);
            double y = r.line().y(s, t);
            Rect foot = new Rect(x, y, 0.3, 0.3, r.line().heading(s));
            if (b.solid.claim(foot)) {
                placer.place(x, y, r.line().heading(s));
            }
        }
    }

    private static boolean onCrossing(List<double[]> crossings, int roadIndex, double s, double margin) {
        for (double[] c : crossings) {
            if (c[0] == roadIndex && s > c[1] - margin && s < c[2] + margin) {
                return true;
            }
        }
        return false;
    }

    private static void trafficLight(Build b, Road r, double s, double t, double facing) {
        double x = r.line().x(s, t);
        double y = r.line().y(s, t);
        double h = r.line().heading(s) + facing;
        Rect foot = new Rect(x, y, 0.3, 0.3, h);
        if (!b.solid.claim(foot)) {
            return;
        }
        int pole = b.classOf("pole");
        int cls = b.classOf("traffic light");
        b.part("pole", pole, 0, Meshes.unitCylinder(), new Rgb(70, 72, 76), pose(x, y, 0, h).scale(0.08f, 0.08f, 3.6f));
        b.box("traffic light", cls, 0, new Rgb(30, 30, 32), x, y, 3.4, h, 0, 0, 0, 0.3, 0.3, 1.0);
        Rgb[] lamps = {new Rgb(200, 30, 20), new Rgb(210, 150, 20), new Rgb(30, 170, 60)};
        for (int i = 0; i < 3; i++) {
            b.part("traffic light", cls, 0, Meshes.unitSphere(), lamps[i],
                    pose(x, y, 4.25 - 0.3 * i, h).translate(0.16f, 0, 0).scale(0.03f, 0.1f, 0.1f));
        }
    }

    /** Guard rails on posts along both edges of a road, with a gap at an intersection. */
    private static void guardRails(Build b, Road r, double beyondCurb, double[] gap) {
        int cls = b.classOf("guard rail");
        Rgb steel = new Rgb(170, 172, 175);
        for (int side : new int[] {-1, 1}) {
            double t = r.curb(side) + beyondCurb;
            double from = Math.max(r.s0(), 0);
            List<double[]> runs = new ArrayList<>();
            if (gap == null) {
                runs.add(new double[] {from, r.s1()});
            } else {
                runs.add(new double[] {from, gap[0]});
                runs.add(new double[] {gap[1], r.s1()});
            }
            for (double[] run : runs) {
                if (run[1] - run[0] < 4) {
                    continue;
                }
                b.part("guard rail", cls, 0, wall(r.line(), run[0], run[1], side * t, 0.45, 0.75, -side), steel, new Matrix4f());
                b.part("guard rail", cls, 0, wall(r.line(), run[0], run[1], side * (t + 0.05), 0.45, 0.75, side), steel, new Matrix4f());
                // Closed on top, below and at the ends: surfaces are seen from their front only.
                double in = Math.min(side * t, side * (t + 0.05));
                double out = Math.max(side * t, side * (t + 0.05));
                b.part("guard rail", cls, 0, band(r.line(), run[0], run[1], in, out, 0.75), steel, new Matrix4f());
                b.part("guard rail", cls, 0, flipped(band(r.line(), run[0], run[1], in, out, 0.45)), steel, new Matrix4f());
                b.part("guard rail", cls, 0, cap(r.line(), run[0], in, out, 0.45, 0.75, -1), steel, new Matrix4f());
                b.part("guard rail", cls, 0, cap(r.line(), run[1], in, out, 0.45, 0.75, 1), steel, new Matrix4f());
                for (double s = run[0]; s < run[1]; s += 4) {
                    double x = r.line().x(s, side * (t + 0.15));
                    double y = r.line().y(s, side * (t + 0.15));
                    b.box("guard rail", cls, 0, new Rgb(120, 120, 125), x, y, 0, r.line().heading(s), 0, 0, 0, 0.1, 0.15, 0.7);
                }
                // The rail's ground, so nothing else is placed through it.
                for (double s = run[0]; s < run[1]; s += 5) {
                    double e = Math.min(s + 5, run[1]);
                    double m = (s + e) / 2;
                    b.solid.add(new Rect(r.line().x(m, side * (t + 0.1)), r.line().y(m, side * (t + 0.1)), (e - s) / 2,
                            0.25, r.line().heading(m)));
                }
            }
        }
    }

    private static void signs(Build b, List<Road> roads, double armStart, double sidewalk, int count) {
        int placed = 0;
        for (int i = 0; i < count; i++) {
            for (int attempt = 0; attempt < TRIES; attempt++) {
                Road r = roads.get(b.rng.nextInt(roads.size()));
                int side = b.rng.nextBoolean() ? -1 : 1;
                double s = b.u(Math.max(r.s0(), roads.indexOf(r) > 0 ? armStart + 6 : 2), Math.min(r.s1(), 90));
                double t = side * (r.curb(side) + Math.min(0.5, sidewalk / 2));
                double x = r.line().x(s, t);
                double y = r.line().y(s, t);
                // Faces the traffic that keeps right on this side: oncoming for the left side.
                double h = r.line().heading(s) + (side < 0 ? Math.PI : 0);
                Rect foot = new Rect(x, y, 0.35, 0.35, h);
                if (sidewalk < 0.5 || !b.solid.claim(foot)) {
                    continue;
                }
                b.part("pole", b.classOf("pole"), 0, Meshes.unitCylinder(), new Rgb(150, 150, 155), pose(x, y, 0, h).scale(0.04f, 0.04f, 2.2f));
                Rgb[] plates = {new Rgb(200, 30, 30), new Rgb(30, 70, 170), new Rgb(230, 200, 40), new Rgb(235, 235, 235)};
                b.box("traffic sign", b.classOf("traffic sign"), 0, plates[b.rng.nextInt(plates.length)], x, y, 2.1, h,
                        0.06, 0, 0, 0.03, 0.65, 0.65);
                placed++;
                break;
            }
        }
        shortfall(b, "traffic sign", count, placed);
    }

    private static void bushes(Build b, List<Road> roads, double sidewalk, double verge, double setback, int count) {
        int placed = 0;
        for (int i = 0; i < count; i++) {
            for (int attempt = 0; attempt < TRIES; attempt++) {
                Road r = roads.get(b.rng.nextInt(roads.size()));
                int side = b.rng.nextBoolean() ? -1 : 1;
                double s = b.u(Math.max(r.s0(), 0), Math.min(r.s1(), 150));
                double radius = b.u(0.5, 1.0);
                double t = side * (r.curb(side) + sidewalk + b.u(0.2, Math.max(0.3, verge + setback - 0.2)) + radius * 0.5);
                double x = r.line().x(s, t);
                double y = r.line().y(s, t);
                Rect foot = new Rect(x, y, radius, radius, 0);
                if (!b.solid.fits(foot) || !fitsOutsideRoads(foot, roads, sidewalk)) {
                    continue;
                }
                b.solid.add(foot);
                b.part("bush", b.classOf("bush"), 0, Meshes.unitSphere(), new Rgb(50, b.rng.nextInt(95, 130), 45),
                        pose(x, y, radius * 0.45, 0).scale((float) radius, (float) radius, (float) (radius * 0.7)));
                placed++;
                break;
            }
        }
        shortfall(b, "bush", count, placed);
    }

    /** Whether a footprint stays clear of every road and its sidewalks. */
    private static boolean fitsOutsideRoads(Rect foot, List<Road> roads, double sidewalk) {
        Footprints f = new Footprints();
        for (Road r : roads) {
            corridor(f, r, roads.indexOf(r) > 0 ? r.half() : r.s0(), r.s1(), r.widestCurb() + sidewalk);
        }
        return f.fits(foot);
    }

    private static void billboards(Build b, Road r, double beyondCurb, SceneSpec.Billboards bs) {
        int count = bs.count().sample(b.rng).intValue();
        double personP = bs.personProbability().sample(b.rng);
        int placed = 0;
        for (int i = 0; i < count; i++) {
            for (int attempt = 0; attempt < TRIES; attempt++) {
                int side = b.rng.nextBoolean() ? -1 : 1;
                double s = b.u(10, Math.min(r.s1(), 80));
                double t = side * (r.curb(side) + beyondCurb - 0.8);
                double x = r.line().x(s, t);
                double y = r.line().y(s, t);
                // The printed side faces the road.
                double h = r.line().heading(s) + (side > 0 ? -Math.PI / 2 : Math.PI / 2);
                Rect foot = new Rect(x, y, 0.3, 3.2, h);
                if (!b.solid.claim(foot)) {
                    continue;
                }
                int cls = b.classOf("billboard");
                b.box("billboard", cls, 0, new Rgb(80, 80, 85), x, y, 0, h, 0, -2.6, 0, 0.15, 0.15, 2.2);
                b.box("billboard", cls, 0, new Rgb(80, 80, 85), x, y, 0, h, 0, 2.6, 0, 0.15, 0.15, 2.2);
                b.box("billboard", cls, 0, new Rgb(235, 230, 215), x, y, 2.0, h, 0, 0, 0, 0.2, 6.0, 3.0);
                if (b.chance(personP)) {
                    printedPerson(b, x, y, h, cls);
                }
                placed++;
                break;
            }
        }
        shortfall(b, "billboard", count, placed);
    }

    /** A person printed on a billboard: flat, 1 cm in front of the panel; labelled by the billboard policy. */
    private static void printedPerson(Build b, double x, double y, double h, int billboardClass) {
        boolean asPerson = b.spec.labels().billboardPerson() == BillboardPerson.PERSON;
        int cls = asPerson ? b.classOf("pedestrian") : billboardClass;
        int inst = asPerson ? b.instanceFor(cls) : 0;
        String kind = asPerson ? "pedestrian" : "billboard";
        double front = 0.11;
        double z0 = 2.3;
        double lateral = b.u(-1.5, 1.5);
        b.box(kind, cls, inst, new Rgb(40, 50, 90), x, y, z0, h, front, lateral, 0, 0.01, 0.45, 1.15);
        b.box(kind, cls, inst, new Rgb(190, 60, 50), x, y, z0 + 1.15, h, front, lateral, 0, 0.01, 0.6, 0.95);
        b.box(kind, cls, inst, SKIN, x, y, z0 + 2.1, h, front, lateral, 0, 0.01, 0.32, 0.38);
        if (asPerson) {
            Vector3f c = pose(x, y, z0, h).transformPosition(new Vector3f((float) front, (float) lateral, 1.25f));
            b.instances.add(new Instance(inst, "pedestrian (printed)", cls, c, 0.01f, 0.6f, 2.5f, (float) h));
        }
    }

    // ---------------------------------------------------------------- dynamic things

    private static void vehicles(Build b, List<Road> roads, String kind, int count) {
        int placed = 0;
        for (int i = 0; i < count; i++) {
            double[] size = switch (kind) {
                case "truck" -> new double[] {b.u(6.5, 9), b.u(2.3, 2.5), b.u(3.0, 3.6)};
                case "bus" -> new double[] {b.u(11, 13), 2.55, 3.1};
                case "motorcycle" -> new double[] {2.1, 0.8, 1.5};
                case "bicycle" -> new double[] {1.75, 0.6, 1.7};
                default -> new double[] {b.u(3.9, 4.9), b.u(1.7, 1.95), b.u(1.4, 1.6)};
            };
            Rgb colour = b.spec.vehicles().colour().sample(b.rng);
            for (int attempt = 0; attempt < TRIES; attempt++) {
                Road r = roads.size() > 1 && b.chance(0.25) ? roads.get(1 + b.rng.nextInt(roads.size() - 1)) : roads.get(0);
                int lane = b.rng.nextInt(r.lanes());
                boolean oncoming = b.rng.nextBoolean();
                double t = (oncoming ? 1 : -1) * (lane + 0.5) * r.laneWidth() + b.u(-0.3, 0.3);
                if (kind.equals("bicycle")) {
                    t = (oncoming ? 1 : -1) * (r.half() - 0.6);
                }
                double s = b.u(Math.max(r.s0(), -10), Math.min(r.s1() - 5, 140));
                double h = r.line().heading(s) + (oncoming ? Math.PI : 0);
                double x = r.line().x(s, t);
                double y = r.line().y(s, t);
                Rect foot = new Rect(x, y, size[0] / 2 + 0.3, size[1] / 2 + 0.15, h);
                if (!b.solid.claim(foot)) {
                    continue;
                }
                int cls = b.classOf(kind);
                int inst = b.instanceFor(cls);
                switch (kind) {
                    case "truck" -> truck(b, cls, inst, colour, x, y, h, size);
                    case "bus" -> bus(b, cls, inst, colour, x, y, h, size);
                    case "motorcycle", "bicycle" -> twoWheeler(b, kind, cls, inst, colour, x, y, h, size);
                    default -> car(b, cls, inst, colour, x, y, h, size);
                }
                boxOf(b, inst, kind, cls, x, y, h, size);
                placed++;
                break;
            }
        }
        shortfall(b, kind, count, placed);
    }

    /** Records the 3D box of a vehicle standing on the ground at (x, y) with heading h and size {l, w, h}. */
    private static void boxOf(Build b, int inst, String kind, int cls, double x, double y, double h, double[] size) {
        if (inst != 0) {
            b.instances.add(new Instance(inst, kind, cls, new Vector3f((float) x, (float) y, (float) size[2] / 2),
                    (float) size[0], (float) size[1], (float) size[2], (float) h));
        }
    }

    /** Cars parked in the parking strips, in 6 m bays, each bay taken with probability {@code occupancy}. */
    private static void parked(Build b, Road r, double occupancy, boolean right, boolean left, List<double[]> gaps,
                               List<double[]> crossings) {
        for (int side : new int[] {-1, 1}) {
            if (!(side < 0 ? right : left)) {
                continue;
            }
            for (double s = Math.max(r.s0(), -5); s + 6 < Math.min(r.s1(), 150); s += 6) {
                double mid = s + 3;
                boolean blocked = onCrossing(crossings, 0, mid, 4);
                for (double[] g : gaps) {
                    blocked |= g[0] == side && mid > g[1] - 5 && mid < g[2] + 5;
                }
                if (blocked || !b.chance(occupancy)) {
                    continue;
                }
                double[] size = {b.u(3.9, 4.7), b.u(1.7, 1.9), b.u(1.4, 1.6)};
                Rgb colour = b.spec.vehicles().colour().sample(b.rng);
                double t = side * (r.half() + PARKING_WIDTH / 2);
                double h = r.line().heading(mid) + (side > 0 ? Math.PI : 0);
                double x = r.line().x(mid, t);
                double y = r.line().y(mid, t);
                Rect foot = new Rect(x, y, size[0] / 2 + 0.3, size[1] / 2 + 0.1, h);
                if (!b.solid.claim(foot)) {
                    continue;
                }
                int cls = b.classOf("car");
                int inst = b.instanceFor(cls);
                car(b, cls, inst, colour, x, y, h, size);
                boxOf(b, inst, "car", cls, x, y, h, size);
            }
        }
    }

    private static void wheels(Build b, String kind, int cls, int inst, double x, double y, double h, double[] along,
                               double halfTrack, double radius, double widthOfTyre) {
        for (double a : along) {
            for (int side : new int[] {-1, 1}) {
                b.part(kind, cls, inst, Meshes.unitCylinder(), TYRE, pose(x, y, radius, h)
                        .translate((float) a, (float) (side * halfTrack), 0).rotateX((float) (side * -Math.PI / 2))
                        .scale((float) radius, (float) radius, (float) widthOfTyre));
            }
        }
    }

    private static void car(Build b, int cls, int inst, Rgb colour, double x, double y, double h, double[] size) {
        double l = size[0];
        double w = size[1];
        double hh = size[2];
        double r = 0.33;
        b.box("car", cls, inst, colour, x, y, 0, h, 0, 0, r * 0.8, l, w, hh * 0.45);
        b.box("car", cls, inst, GLASS, x, y, 0, h, -l * 0.05, 0, r * 0.8 + hh * 0.45, l * 0.52, w * 0.9, hh * 0.33);
        b.box("car", cls, inst, colour, x, y, 0, h, -l * 0.05, 0, r * 0.8 + hh * 0.78, l * 0.5, w * 0.86, hh * 0.06);
        b.box("car", cls, inst, new Rgb(230, 230, 210), x, y, 0, h, l / 2, w * 0.32, r * 0.8 + hh * 0.3, 0.04, 0.3, 0.12);
        b.box("car", cls, inst, new Rgb(230, 230, 210), x, y, 0, h, l / 2, -w * 0.32, r * 0.8 + hh * 0.3, 0.04, 0.3, 0.12);
        wheels(b, "car", cls, inst, x, y, h, new double[] {-l * 0.32, l * 0.32}, w / 2 - 0.12, r, 0.22);
    }

    private static void truck(Build b, int cls, int inst, Rgb colour, double x, double y, double h, double[] size) {
        double l = size[0];
        double w = size[1];
        double hh = size[2];
        double cab = 2.2;
        b.box("truck", cls, inst, colour, x, y, 0, h, l / 2 - cab / 2, 0, 0.6, cab, w, hh * 0.75);
        b.box("truck", cls, inst, GLASS, x, y, 0, h, l / 2 - 0.02, 0, 0.6 + hh * 0.42, 0.06, w * 0.85, hh * 0.25);
        b.box("truck", cls, inst, new Rgb(215, 215, 210), x, y, 0, h, -cab / 2, 0, 0.7, l - cab - 0.2, w, hh - 0.7);
        wheels(b, "truck", cls, inst, x, y, h, new double[] {-l * 0.35, -l * 0.22, l * 0.35}, w / 2 - 0.15, 0.48, 0.3);
    }

    private static void bus(Build b, int cls, int inst, Rgb colour, double x, double y, double h, double[] size) {
        double l = size[0];
        double w = size[1];
        double hh = size[2];
        b.box("bus", cls, inst, colour, x, y, 0, h, 0, 0, 0.35, l, w, hh - 0.35);
        for (int side : new int[] {-1, 1}) {
            b.box("bus", cls, inst, GLASS, x, y, 0, h, 0, side * (w / 2 + 0.01), 1.5, l * 0.9, 0.02, 1.0);
        }
        b.box("bus", cls, inst, GLASS, x, y, 0, h, l / 2 + 0.01, 0, 1.2, 0.02, w * 0.9, 1.4);
        wheels(b, "bus", cls, inst, x, y, h, new double[] {-l * 0.3, l * 0.33}, w / 2 - 0.15, 0.5, 0.3);
    }

    private static void twoWheeler(Build b, String kind, int cls, int inst, Rgb colour, double x, double y, double h,
                                   double[] size) {
        double l = size[0];
        boolean motor = kind.equals("motorcycle");
        double r = motor ? 0.32 : 0.34;
        for (double a : new double[] {-l / 2 + r, l / 2 - r}) {
            b.part(kind, cls, inst, Meshes.unitCylinder(), TYRE, pose(x, y, r, h).translate((float) a, 0.05f, 0)
                    .rotateX((float) (-Math.PI / 2)).scale((float) r, (float) r, 0.1f));
        }
        if (motor) {
            b.box(kind, cls, inst, colour, x, y, 0, h, 0, 0, r * 0.8, l * 0.6, 0.35, 0.45);
        } else {
            b.box(kind, cls, inst, colour, x, y, 0, h, 0, 0, r, l * 0.55, 0.05, 0.05);
            b.box(kind, cls, inst, colour, x, y, 0, h, -0.15, 0, r, 0.05, 0.05, 0.5);
            b.box(kind, cls, inst, colour, x, y, 0, h, l / 2 - r, 0, r, 0.05, 0.05, 0.6);
        }
        // The rider: labelled as a rider, an instance of its own (Cityscapes keeps riders apart from their vehicle).
        int riderCls = b.classOf("rider");
        int rider = b.instanceFor(riderCls);
        double seat = motor ? 0.85 : 0.95;
        Rgb jacket = b.spec.pedestrians().clothing().sample(b.rng);
        b.box("rider", riderCls, rider, TROUSERS, x, y, 0, h, -0.1, 0, seat - 0.55, 0.3, 0.36, 0.6);
        b.box("rider", riderCls, rider, jacket, x, y, 0, h, 0.0, 0, seat, 0.3, 0.42, 0.62);
        b.box("rider", riderCls, rider, jacket, x, y, 0, h, 0.3, 0, seat + 0.4, 0.5, 0.5, 0.1);
        b.part("rider", riderCls, rider, Meshes.unitSphere(), motor ? new Rgb(30, 30, 30) : SKIN,
                pose(x, y, seat + 0.78, h).translate(0.05f, 0, 0).scale(0.13f, 0.12f, 0.15f));
        if (rider != 0) {
            b.instances.add(new Instance(rider, "rider", riderCls, new Vector3f((float) x, (float) y, (float) ((seat + 0.95) / 2)),
                    0.6f, 0.5f, (float) (seat + 0.95), (float) h));
        }
    }

    private static void pedestrians(Build b, List<Road> roads, double armStart, double sidewalk, double curb,
                                    List<double[]> crossings, SceneSpec.Pedestrians ps) {
        int count = ps.count().sample(b.rng).intValue();
        double walkingP = ps.walking().sample(b.rng);
        double crossingP = ps.onCrosswalk().sample(b.rng);
        double strollerP = ps.strollers().sample(b.rng);
        double wheelchairP = ps.wheelchairs().sample(b.rng);
        int placed = 0;
        for (int i = 0; i < count; i++) {
            double height = ps.height().sample(b.rng);
            Rgb clothing = ps.clothing().sample(b.rng);
            boolean walking = b.chance(walkingP);
            double roll = b.rng.nextDouble();
            String attached = roll < strollerP ? "stroller" : roll < strollerP + wheelchairP ? "wheelchair" : null;
            boolean crossing = !crossings.isEmpty() && b.chance(crossingP);
            for (int attempt = 0; attempt < TRIES; attempt++) {
                double x;
                double y;
                double h;
                double z;
                if (crossing) {
                    double[] c = crossings.get(b.rng.nextInt(crossings.size()));
                    Road r = roads.get((int) c[0]);
                    double s = b.u(c[1] + 0.3, c[2] - 0.3);
                    double t = b.u(-r.half() + 0.4, r.half() - 0.4);
                    x = r.line().x(s, t);
                    y = r.line().y(s, t);
                    h = r.line().heading(s) + (b.rng.nextBoolean() ? Math.PI / 2 : -Math.PI / 2);
                    z = 0;
                } else {
                    if (sidewalk < 0.8) {
                        break;
                    }
                    Road r = roads.get(b.rng.nextInt(roads.size()));
                    int side = b.rng.nextBoolean() ? -1 : 1;
                    double from = roads.indexOf(r) > 0 ? armStart + 1 : Math.max(r.s0(), 0);
                    double s = b.u(from, Math.min(r.s1(), 110));
                    double t = side * b.u(r.curb(side) + 0.4, r.curb(side) + sidewalk - 0.4);
                    x = r.line().x(s, t);
                    y = r.line().y(s, t);
                    h = walking ? r.line().heading(s) + (b.rng.nextBoolean() ? 0 : Math.PI) : b.u(0, 2 * Math.PI);
                    z = curb;
                }
                double reach = attached == null ? 0 : 1.05;
                Rect foot = new Rect(x + Math.cos(h) * reach / 2, y + Math.sin(h) * reach / 2, 0.3 + reach / 2, 0.3 + (attached == null ? 0 : 0.05), h);
                if (!b.solid.claim(foot)) {
                    continue;
                }
                person(b, x, y, z, h, height, clothing, walking, attached);
                placed++;
                break;
            }
        }
        shortfall(b, "pedestrian", count, placed);
    }

    private static void person(Build b, double x, double y, double z, double h, double height, Rgb clothing,
                               boolean walking, String attached) {
        int cls = b.classOf("pedestrian");
        int inst = b.instanceFor(cls);
        double legs = height * 0.47;
        double torso = height * 0.33;
        double head = height * 0.12;
        double swing = walking ? Math.toRadians(b.u(15, 28)) : 0;
        boolean pushing = attached != null;
        for (int side : new int[] {-1, 1}) {
            double angle = side * swing;
            b.part("pedestrian", cls, inst, Meshes.unitBox(), TROUSERS, pose(x, y, z + legs, h)
                    .translate(0, (float) (side * 0.1), 0).rotateY((float) angle).translate(0, 0, (float) -legs)
                    .scale(0.15f, 0.14f, (float) legs));
            double armAngle = pushing ? -Math.toRadians(70) : -side * swing;
            b.part("pedestrian", cls, inst, Meshes.unitBox(), clothing, pose(x, y, z + legs + torso * 0.95, h)
                    .translate(0, (float) (side * 0.25), 0).rotateY((float) armAngle).translate(0, 0, (float) -(height * 0.36))
                    .scale(0.1f, 0.09f, (float) (height * 0.36)));
        }
        b.box("pedestrian", cls, inst, clothing, x, y, z, h, 0, 0, legs, 0.24, 0.4, torso);
        b.part("pedestrian", cls, inst, Meshes.unitSphere(), SKIN, pose(x, y, z + legs + torso + head * 0.55, h)
                .scale((float) (head * 0.42), (float) (head * 0.4), (float) (head * 0.5)));
        double boxLength = 0.5;
        double boxCentre = 0;
        if (attached != null) {
            boolean join = b.spec.labels().attachedObjects() == AttachedObjects.JOIN;
            int aCls = join ? cls : b.classOf(attached);
            int aInst = join ? inst : b.instanceFor(aCls);
            double ahead = 0.75;
            if (attached.equals("stroller")) {
                b.box(attached, aCls, aInst, new Rgb(40, 60, 110), x, y, z, h, ahead, 0, 0.35, 0.7, 0.5, 0.45);
                b.box(attached, aCls, aInst, new Rgb(30, 30, 30), x, y, z, h, ahead - 0.3, 0, 0.8, 0.05, 0.45, 0.25);
                wheels(b, attached, aCls, aInst, x + Math.cos(h) * ahead, y + Math.sin(h) * ahead, h,
                        new double[] {-0.28, 0.28}, 0.24, 0.1, 0.04);
            } else {
                b.box(attached, aCls, aInst, new Rgb(60, 60, 65), x, y, z, h, ahead, 0, 0.45, 0.5, 0.5, 0.08);
                b.box(attached, aCls, aInst, new Rgb(60, 60, 65), x, y, z, h, ahead - 0.25, 0, 0.45, 0.06, 0.5, 0.5);
                wheels(b, attached, aCls, aInst, x + Math.cos(h) * ahead, y + Math.sin(h) * ahead, h,
                        new double[] {-0.15}, 0.3, 0.3, 0.04);
            }
            if (join) {
                boxLength = 0.5 + ahead + 0.35;
                boxCentre = (ahead + 0.35 - 0.25) / 2;
            } else if (aInst != 0) {
                b.instances.add(new Instance(aInst, attached, aCls, new Vector3f((float) (x + Math.cos(h) * ahead),
                        (float) (y + Math.sin(h) * ahead), (float) (z + 0.5)), 0.7f, 0.6f, 1.0f, (float) h));
            }
        }
        if (inst != 0) {
            b.instances.add(new Instance(inst, "pedestrian", cls, new Vector3f((float) (x + Math.cos(h) * boxCentre),
                    (float) (y + Math.sin(h) * boxCentre), (float) (z + height / 2)), (float) boxLength, 0.6f,
                    (float) height, (float) h));
        }
    }

    private static void shortfall(Build b, String kind, int requested, int placed) {
        if (placed < requested) {
            b.shortfalls.add(new Shortfall(kind, requested, placed));
        }
    }
}
