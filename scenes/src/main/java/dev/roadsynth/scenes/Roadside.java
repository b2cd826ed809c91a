package dev.roadsynth.scenes;

import static dev.roadsynth.scenes.RoadSurfaces.band;
import static dev.roadsynth.scenes.RoadSurfaces.cap;
import static dev.roadsynth.scenes.RoadSurfaces.flipped;
import static dev.roadsynth.scenes.RoadSurfaces.wall;
import static dev.roadsynth.scenes.SceneBuild.GLASS;
import static dev.roadsynth.scenes.SceneBuild.SKIN;
import static dev.roadsynth.scenes.SceneBuild.TRIES;
import static dev.roadsynth.scenes.SceneBuild.pose;

import dev.roadsynth.core.Rgb;
import dev.roadsynth.scenes.Footprints.Rect;
import dev.roadsynth.scenes.spec.SceneSpec;
import dev.roadsynth.scenes.spec.SceneSpec.BillboardPerson;
import java.util.ArrayList;
import java.util.List;
import org.joml.Matrix4f;
import org.joml.Vector3f;

/**
 * The static things beside a scene's roads: buildings with windows, poles, traffic lights and signs, guard rails,
 * vegetation and billboards, each placed only where its footprint is free ({@link SceneGenerator}).
 */
final class Roadside {
    private Roadside() {
    }

    static void buildings(SceneBuild b, Road r, double from, double to, double beyondCurb, List<double[]> gaps) {
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
    private static void windowsOn(SceneBuild b, int cls, double x, double y, double heading, int side, double width,
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
    static void alongCurb(SceneBuild b, Road r, double from, double to, double sidewalk,
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

    private static void placeAlong(SceneBuild b, Road r, double from, double to, double spacing, double t,
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

    static boolean onCrossing(List<double[]> crossings, int roadIndex, double s, double margin) {
        for (double[] c : crossings) {
            if (c[0] == roadIndex && s > c[1] - margin && s < c[2] + margin) {
                return true;
            }
        }
        return false;
    }

    static void trafficLight(SceneBuild b, Road r, double s, double t, double facing) {
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
    static void guardRails(SceneBuild b, Road r, double beyondCurb, double[] gap) {
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

    static void signs(SceneBuild b, List<Road> roads, double armStart, double sidewalk, int count) {
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
        b.shortfall("traffic sign", count, placed);
    }

    static void bushes(SceneBuild b, List<Road> roads, double sidewalk, double verge, double setback, int count) {
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
        b.shortfall("bush", count, placed);
    }

    /** Whether a footprint stays clear of every road and its sidewalks. */
    private static boolean fitsOutsideRoads(Rect foot, List<Road> roads, double sidewalk) {
        Footprints f = new Footprints();
        for (Road r : roads) {
            RoadSurfaces.corridor(f, r, roads.indexOf(r) > 0 ? r.half() : r.s0(), r.s1(), r.widestCurb() + sidewalk);
        }
        return f.fits(foot);
    }

    static void billboards(SceneBuild b, Road r, double beyondCurb, SceneSpec.Billboards bs) {
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
        b.shortfall("billboard", count, placed);
    }

    /** A person printed on a billboard: flat, 1 cm in front of the panel; labelled by the billboard policy. */
    private static void printedPerson(SceneBuild b, double x, double y, double h, int billboardClass) {
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
        b.instance(inst, "pedestrian (printed)", cls, h);
    }
}
