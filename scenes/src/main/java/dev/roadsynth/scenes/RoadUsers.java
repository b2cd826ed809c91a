package dev.roadsynth.scenes;

import static dev.roadsynth.scenes.SceneBuild.GLASS;
import static dev.roadsynth.scenes.SceneBuild.SKIN;
import static dev.roadsynth.scenes.SceneBuild.TRIES;
import static dev.roadsynth.scenes.SceneBuild.TROUSERS;
import static dev.roadsynth.scenes.SceneBuild.TYRE;
import static dev.roadsynth.scenes.SceneBuild.pose;

import dev.roadsynth.core.Rgb;
import dev.roadsynth.scenes.Footprints.Rect;
import dev.roadsynth.scenes.spec.SceneSpec;
import dev.roadsynth.scenes.spec.SceneSpec.AttachedObjects;
import java.util.List;

/**
 * The dynamic things of a scene ({@link SceneGenerator}): vehicles moving and parked, riders on two-wheelers,
 * pedestrians.
 */
final class RoadUsers {
    private RoadUsers() {
    }

    static void vehicles(SceneBuild b, List<Road> roads, String kind, int count) {
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
                b.instance(inst, kind, cls, h);
                placed++;
                break;
            }
        }
        b.shortfall(kind, count, placed);
    }

    /** Cars parked in the parking strips, in 6 m bays, each bay taken with probability {@code occupancy}. */
    static void parked(SceneBuild b, Road r, double occupancy, boolean right, boolean left, List<double[]> gaps,
                               List<double[]> crossings) {
        for (int side : new int[] {-1, 1}) {
            if (!(side < 0 ? right : left)) {
                continue;
            }
            for (double s = Math.max(r.s0(), -5); s + 6 < Math.min(r.s1(), 150); s += 6) {
                double mid = s + 3;
                boolean blocked = Roadside.onCrossing(crossings, 0, mid, 4);
                for (double[] g : gaps) {
                    blocked |= g[0] == side && mid > g[1] - 5 && mid < g[2] + 5;
                }
                if (blocked || !b.chance(occupancy)) {
                    continue;
                }
                double[] size = {b.u(3.9, 4.7), b.u(1.7, 1.9), b.u(1.4, 1.6)};
                Rgb colour = b.spec.vehicles().colour().sample(b.rng);
                double t = side * (r.half() + Road.PARKING_WIDTH / 2);
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
                b.instance(inst, "car", cls, h);
            }
        }
    }

    private static void wheels(SceneBuild b, String kind, int cls, int inst, double x, double y, double h,
                               double[] along, double halfTrack, double radius, double widthOfTyre) {
        for (double a : along) {
            for (int side : new int[] {-1, 1}) {
                b.part(kind, cls, inst, Meshes.unitCylinder(), TYRE, pose(x, y, radius, h)
                        .translate((float) a, (float) (side * halfTrack), 0).rotateX((float) (side * -Math.PI / 2))
                        .scale((float) radius, (float) radius, (float) widthOfTyre));
            }
        }
    }

    private static void car(SceneBuild b, int cls, int inst, Rgb colour, double x, double y, double h, double[] size) {
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

    private static void truck(SceneBuild b, int cls, int inst, Rgb colour, double x, double y, double h,
                              double[] size) {
        double l = size[0];
        double w = size[1];
        double hh = size[2];
        double cab = 2.2;
        b.box("truck", cls, inst, colour, x, y, 0, h, l / 2 - cab / 2, 0, 0.6, cab, w, hh * 0.75);
        b.box("truck", cls, inst, GLASS, x, y, 0, h, l / 2 - 0.02, 0, 0.6 + hh * 0.42, 0.06, w * 0.85, hh * 0.25);
        b.box("truck", cls, inst, new Rgb(215, 215, 210), x, y, 0, h, -cab / 2, 0, 0.7, l - cab - 0.2, w, hh - 0.7);
        wheels(b, "truck", cls, inst, x, y, h, new double[] {-l * 0.35, -l * 0.22, l * 0.35}, w / 2 - 0.15, 0.48, 0.3);
    }

    private static void bus(SceneBuild b, int cls, int inst, Rgb colour, double x, double y, double h, double[] size) {
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

    private static void twoWheeler(SceneBuild b, String kind, int cls, int inst, Rgb colour, double x, double y,
                                   double h, double[] size) {
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
        b.instance(rider, "rider", riderCls, h);
        // KITTI boxes a rider with what it rides, as one Cyclist; Cityscapes and COCO keep the two apart.
        b.group(motor ? "motorcyclist" : "cyclist", h, rider, inst);
    }

    static void pedestrians(SceneBuild b, List<Road> roads, double armStart, double sidewalk, double curb,
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
        b.shortfall("pedestrian", count, placed);
    }

    private static void person(SceneBuild b, double x, double y, double z, double h, double height, Rgb clothing,
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
            if (!join) {
                b.instance(aInst, attached, aCls, h); // joined, it is part of the pusher's instance and box
            }
        }
        b.instance(inst, "pedestrian", cls, h);
    }
}
