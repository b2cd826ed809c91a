package dev.roadsynth.scenes;

import dev.roadsynth.core.Label;
import dev.roadsynth.core.Rgb;
import dev.roadsynth.scenes.spec.SceneSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.joml.Matrix4f;

/**
 * The scene being built by {@link SceneGenerator}: its objects, instances and shortfalls so far, the footprints
 * taken, and the one generator every random choice draws from, in a fixed order.
 */
final class SceneBuild {
    /** Tries to find a free place for one object before it is left out (a {@link Shortfall}). */
    static final int TRIES = 40;
    static final Rgb GLASS = new Rgb(40, 52, 66);
    static final Rgb TYRE = new Rgb(22, 22, 24);
    static final Rgb SKIN = new Rgb(205, 160, 130);
    static final Rgb TROUSERS = new Rgb(45, 48, 62);

    final SceneSpec spec;
    final SplittableRandom rng;
    final List<SceneObject> objects = new ArrayList<>();
    final List<Instance> instances = new ArrayList<>();
    final List<Shortfall> shortfalls = new ArrayList<>();
    final Footprints solid = new Footprints();
    final Footprints noBuild = new Footprints();
    final List<org.joml.Vector3fc> lamps = new ArrayList<>();
    int nextInstance = 1;

    SceneBuild(SceneSpec spec, SplittableRandom rng) {
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

    /** Records that only {@code placed} of {@code requested} objects of {@code kind} found a place. */
    void shortfall(String kind, int requested, int placed) {
        if (placed < requested) {
            shortfalls.add(new Shortfall(kind, requested, placed));
        }
    }

    /** The pose of an object standing at (x, y, z), turned by {@code yaw} about z. */
    static Matrix4f pose(double x, double y, double z, double yaw) {
        return new Matrix4f().translate((float) x, (float) y, (float) z).rotateZ((float) yaw);
    }
}
