package dev.roadsynth.scenes;

import dev.roadsynth.core.Rgb;
import dev.roadsynth.scenes.Footprints.Rect;
import dev.roadsynth.scenes.spec.SceneSpec;
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
 *
 * <p>{@link #generate} lays out the roads and calls the parts in that fixed order, each adding to one
 * {@link SceneBuild}: {@link RoadSurfaces} (carriageways, sidewalks, markings), {@link Roadside} (buildings, poles,
 * lights, signs, rails, vegetation, billboards) and {@link RoadUsers} (vehicles, riders, pedestrians); the camera,
 * sun and weather are drawn here.
 */
public final class SceneGenerator {
    private SceneGenerator() {
    }

    /**
     * Draws the scene for {@code seed}.
     *
     * @throws IllegalArgumentException never for a validated spec; placement shortfalls are recorded, not thrown
     */
    public static Scene generate(SceneSpec spec, long seed) {
        SceneBuild b = new SceneBuild(spec, new SplittableRandom(seed));
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
                half + (parkRight ? Road.PARKING_WIDTH : 0), half + (parkLeft ? Road.PARKING_WIDTH : 0));
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
            RoadSurfaces.surfaces(b, r, i == 0 ? gaps : List.of(), sidewalk, curb, verge, i > 0 ? armStart : r.s0());
            RoadSurfaces.markings(b, r, centreLine, laneLines,
                    i == 0 && junction ? new double[] {crossAt - half, crossAt + half} : null);
            RoadSurfaces.corridor(b.noBuild, r, i > 0 ? half : r.s0(), r.s1(), r.widestCurb() + sidewalk + verge + 0.5);
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
                RoadSurfaces.crosswalk(b, roads.get((int) c[0]), c[1], c[2]);
            }
        }
        if (stopLines && junction) {
            RoadSurfaces.stopLine(b, main, crossAt - half - 5.5, -1);
            RoadSurfaces.stopLine(b, main, crossAt + half + 5.5, 1);
            for (int i = 1; i < roads.size(); i++) {
                RoadSurfaces.stopLine(b, roads.get(i), armStart + 5.5, 1);
            }
        }

        // The camera and the space of the ego vehicle, reserved before anything else is placed.
        Camera camera = camera(b, main, lanes, laneWidth);

        SceneSpec.Statics st = spec.statics();
        if (junction && st.trafficLights().sample(b.rng)) {
            Roadside.trafficLight(b, main, crossAt - half - 1.5, -(main.curb(-1) + 0.6), Math.PI);
            Roadside.trafficLight(b, main, crossAt + half + 1.5, main.curb(1) + 0.6, 0);
            for (int i = 1; i < roads.size(); i++) {
                Roadside.trafficLight(b, roads.get(i), armStart + 1.5, half + 0.6, 0);
            }
        }
        for (Road r : roads) {
            double from = r == main ? r.s0() : armStart;
            Roadside.buildings(b, r, from, r.s1(), sidewalk + verge + setback, r == main ? gaps : List.of());
            Roadside.alongCurb(b, r, from, r.s1(), sidewalk, st, crossings, roads.indexOf(r));
        }
        if (st.guardRails().sample(b.rng)) {
            Roadside.guardRails(b, main, sidewalk + 0.6,
                    junction ? new double[] {crossAt - half - sidewalk - 2, crossAt + half + sidewalk + 2} : null);
        }
        Roadside.signs(b, roads, armStart, sidewalk, st.trafficSigns().sample(b.rng).intValue());
        Roadside.bushes(b, roads, sidewalk, verge, setback, st.bushes().sample(b.rng).intValue());
        Roadside.billboards(b, main, sidewalk + verge + setback, st.billboards());
        RoadUsers.parked(b, main, occupancy, parkRight, parkLeft, gaps, crossings);

        SceneSpec.Vehicles vs = spec.vehicles();
        RoadUsers.vehicles(b, roads, "car", vs.cars().sample(b.rng).intValue());
        RoadUsers.vehicles(b, roads, "truck", vs.trucks().sample(b.rng).intValue());
        RoadUsers.vehicles(b, roads, "bus", vs.buses().sample(b.rng).intValue());
        RoadUsers.vehicles(b, roads, "motorcycle", vs.motorcycles().sample(b.rng).intValue());
        RoadUsers.vehicles(b, roads, "bicycle", vs.bicycles().sample(b.rng).intValue());
        RoadUsers.pedestrians(b, roads, armStart, sidewalk, curb, crossings, spec.pedestrians());

        Sky sky = sky(b, 0);
        Environment env = environment(b, sky);
        return new Scene(spec.labels().set(), b.objects, camera, sky.light(), spec.labels().backgroundClass(), env,
                b.instances(), b.shortfalls, b.groups());
    }
    // ---------------------------------------------------------------- camera, light, sky

    private static Camera camera(SceneBuild b, Road main, int lanes, double laneWidth) {
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

    private static Sky sky(SceneBuild b, double roadHeading) {
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

    private static Environment environment(SceneBuild b, Sky sky) {
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
}
