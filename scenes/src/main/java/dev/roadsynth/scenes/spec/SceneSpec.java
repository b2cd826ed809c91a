package dev.roadsynth.scenes.spec;

import dev.roadsynth.core.spec.Dist;

import dev.roadsynth.core.LabelSet;
import dev.roadsynth.core.Rgb;
import java.util.Map;

/**
 * A scene file, parsed and validated: every field a constant or a distribution, to be drawn per scene by
 * {@link dev.roadsynth.scenes.SceneGenerator}. Immutable. See docs/scenes.md for the file format.
 *
 * @param source      where it came from (file name or "preset:NAME"), for messages and manifests
 * @param name        the scene's name
 * @param labels      class table and labelling policy
 * @param road        road layout, lanes, markings, sidewalks
 * @param statics     buildings, poles, lights, signs, vegetation
 * @param vehicles    vehicle counts and colours
 * @param pedestrians pedestrian counts and looks
 * @param camera      intrinsics and mount
 * @param environment sun, overcast, fog
 * @param digest      SHA-256 (hex) of what the spec was parsed from: the scene text's UTF-8 bytes, then its class
 *                    table in {@link dev.roadsynth.core.LabelSet#toJson()}'s form (a label table file it names is
 *                    part of the scene). Two specs with the same source and digest make the same scenes; a run
 *                    record names it, so that a run is not resumed, nor its shards merged, from an edited file
 */
public record SceneSpec(String source, String name, Labels labels, Road road, Statics statics, Vehicles vehicles,
                        Pedestrians pedestrians, CameraSpec camera, Environment environment, String digest) {

    /**
     * This spec with another image size (the camera's other settings unchanged).
     *
     * @throws IllegalArgumentException when a side is outside {@value SceneSpecs#MIN_SIZE}..{@value SceneSpecs#MAX_SIZE}
     */
    public SceneSpec withResolution(int width, int height) {
        if (width < SceneSpecs.MIN_SIZE || height < SceneSpecs.MIN_SIZE || width > SceneSpecs.MAX_SIZE
                || height > SceneSpecs.MAX_SIZE) {
            throw new IllegalArgumentException("size " + width + "x" + height + " is out of range " + SceneSpecs.MIN_SIZE
                    + ".." + SceneSpecs.MAX_SIZE);
        }
        CameraSpec c = camera;
        return new SceneSpec(source, name, labels, road, statics, vehicles, pedestrians,
                new CameraSpec(width, height, c.fov(), c.fx(), c.fy(), c.near(), c.far(), c.mountHeight(), c.pitch(),
                        c.roll(), c.yaw(), c.lane(), c.position(), c.hood()), environment, digest);
    }

    /** Whether a person printed on a billboard is labelled as a person or as part of the billboard. */
    public enum BillboardPerson { PERSON, BILLBOARD }

    /**
     * Whether a stroller or wheelchair joins the instance (and class) of the person with it, or is labelled
     * as an object of its own class.
     */
    public enum AttachedObjects { JOIN, OWN_CLASS }

    public enum RoadLayout { STRAIGHT, CURVED, T_INTERSECTION, FOUR_WAY }

    public enum LineStyle { SOLID, DASHED, DOUBLE, NONE }

    /**
     * @param set             the class table
     * @param classOfKind     class id for every object kind the generator makes (defaults plus the file's overrides)
     * @param backgroundClass class id of pixels that show sky
     * @param billboardPerson policy for people printed on billboards
     * @param attachedObjects policy for strollers and wheelchairs
     */
    public record Labels(LabelSet set, Map<String, Integer> classOfKind, int backgroundClass,
                         BillboardPerson billboardPerson, AttachedObjects attachedObjects) {
        public Labels {
            classOfKind = Map.copyOf(classOfKind);
        }

        public int classOf(String kind) {
            Integer id = classOfKind.get(kind);
            if (id == null) {
                throw new IllegalArgumentException("no class for object kind '" + kind + "'");
            }
            return id;
        }
    }

    public record Road(Dist<RoadLayout> layout, Dist<Double> length, Dist<Double> curvature,
                       Dist<Long> lanesPerDirection, Dist<Double> laneWidth, Dist<Double> sidewalkWidth,
                       Dist<Double> curbHeight, Dist<Double> vergeWidth, Dist<LineStyle> centreLine,
                       Dist<LineStyle> laneLines, Dist<Boolean> stopLines, Dist<Boolean> crosswalks,
                       Dist<Double> parkingProbability, Dist<Double> parkingOccupancy) {
    }

    public record Buildings(Dist<Double> probability, Dist<Double> height, Dist<Double> depth, Dist<Double> width,
                            Dist<Rgb> facade, Dist<Boolean> windows) {
    }

    public record Billboards(Dist<Long> count, Dist<Double> personProbability) {
    }

    public record Statics(Buildings buildings, Dist<Double> poleSpacing, Dist<Double> streetLightSpacing,
                          Dist<Double> treeSpacing, Dist<Long> bushes, Dist<Long> trafficSigns,
                          Dist<Boolean> trafficLights, Billboards billboards, Dist<Double> fenceProbability,
                          Dist<Double> wallProbability, Dist<Boolean> guardRails) {
    }

    public record Vehicles(Dist<Long> cars, Dist<Long> trucks, Dist<Long> buses, Dist<Long> motorcycles,
                           Dist<Long> bicycles, Dist<Rgb> colour) {
    }

    public record Pedestrians(Dist<Long> count, Dist<Double> height, Dist<Double> walking,
                              Dist<Double> onCrosswalk, Dist<Double> strollers, Dist<Double> wheelchairs,
                              Dist<Rgb> clothing) {
    }

    /**
     * Camera: resolution is fixed per file (a dataset has one size); field of view either horizontal degrees
     * ({@code fov}) or focal lengths in pixels ({@code fx}, {@code fy}); the mount is relative to the ego lane.
     */
    public record CameraSpec(int width, int height, Dist<Double> fov, Dist<Double> fx, Dist<Double> fy,
                             double near, double far, Dist<Double> mountHeight, Dist<Double> pitch,
                             Dist<Double> roll, Dist<Double> yaw, Dist<Long> lane, Dist<Double> position,
                             Dist<Boolean> hood) {
    }

    /**
     * Light and weather. {@code timeOfDay} (hours), when given, sets the sun from a mid-latitude day instead of
     * {@code sunElevation}/{@code sunAzimuth}. Rain wets the ground, darkens the sky and adds haze.
     */
    public record Environment(Dist<Double> timeOfDay, Dist<Double> sunElevation, Dist<Double> sunAzimuth,
                              Dist<Double> overcast, Dist<Double> ambient, Dist<Double> fogDensity, Dist<Rgb> fogColour,
                              Dist<Double> wetness, Dist<Double> rain, Dist<Double> snow, Dist<Boolean> shadows) {
    }
}
