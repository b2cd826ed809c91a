package dev.roadsynth.scenes;

import dev.roadsynth.core.Label;
import dev.roadsynth.core.Rgb;
import dev.roadsynth.scenes.spec.SceneSpec;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.joml.Matrix4f;
import org.joml.Vector3f;

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
    /** The instances so far, with the heading each one's box takes; the boxes are fitted in {@link #instances()}. */
    private final List<Heading> headings = new ArrayList<>();
    /** The groups so far; their ids and boxes follow in {@link #groups()}. */
    private final List<Together> groups = new ArrayList<>();
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

    private record Heading(int id, String kind, int classId, double yaw) {
    }

    /**
     * Records an instance (nothing for id 0, a class without instances) and the heading of its box: yaw about the
     * world z axis, radians counter-clockwise from world x. The box itself is fitted to the instance's geometry
     * once the scene is built ({@link #instances()}), so it encloses whatever parts the instance ends up with.
     */
    void instance(int id, String kind, int classId, double yaw) {
        if (id != 0) {
            headings.add(new Heading(id, kind, classId, yaw));
        }
    }

    /**
     * Every instance recorded, in order, with its box: the smallest upright box with the instance's heading that
     * encloses every vertex of every object with its id, as placed in the world (so KITTI's boxes and the amodal
     * pixels agree: each instance's pixels lie within its box's projection).
     *
     * @throws IllegalStateException for an instance without objects
     */
    List<Instance> instances() {
        Map<Integer, List<SceneObject>> parts = partsByInstance();
        List<Instance> out = new ArrayList<>(headings.size());
        for (Heading i : headings) {
            List<SceneObject> of = parts.get(i.id());
            if (of == null) {
                throw new IllegalStateException("instance " + i.id() + " (" + i.kind() + ") has no objects");
            }
            out.add(fit(i.id(), i.kind(), i.classId(), i.yaw(), of));
        }
        return out;
    }

    /** A group recorded by {@link #group}: its members, the first naming it, and its box's heading. */
    private record Together(String kind, double yaw, int[] members) {
    }

    /**
     * Records that instances {@code members} (the first naming it) are also one object of {@code kind}, whose box
     * takes heading {@code yaw}; nothing when a member is 0 (of a class without instances). Its id and box follow
     * once the scene is built ({@link #groups()}).
     */
    void group(String kind, double yaw, int... members) {
        if (java.util.Arrays.stream(members).noneMatch(m -> m == 0)) {
            groups.add(new Together(kind, yaw, members.clone()));
        }
    }

    /**
     * Every group recorded, in order, each with the next instance id no object has (so every instance's id stays
     * what it would be without groups) and its box fitted to all its members' vertices, as {@link #instances()} fits
     * an instance's. Call once, after the last instance.
     */
    List<Group> groups() {
        Map<Integer, List<SceneObject>> parts = partsByInstance();
        Map<Integer, Integer> classOf = new HashMap<>();
        headings.forEach(h -> classOf.put(h.id(), h.classId()));
        List<Group> out = new ArrayList<>(groups.size());
        for (Together t : groups) {
            List<SceneObject> of = new ArrayList<>();
            for (int m : t.members()) {
                of.addAll(parts.getOrDefault(m, List.of()));
            }
            int id = nextInstance++;
            out.add(new Group(fit(id, t.kind(), classOf.get(t.members()[0]), t.yaw(), of),
                    java.util.Arrays.stream(t.members()).boxed().toList()));
        }
        return out;
    }

    private Map<Integer, List<SceneObject>> partsByInstance() {
        Map<Integer, List<SceneObject>> parts = new HashMap<>();
        for (SceneObject o : objects) {
            if (o.instanceId() != 0) {
                parts.computeIfAbsent(o.instanceId(), k -> new ArrayList<>()).add(o);
            }
        }
        return parts;
    }

    /** The smallest upright box with heading {@code yaw} that encloses every vertex of {@code parts} in the world. */
    private static Instance fit(int id, String kind, int classId, double yaw, List<SceneObject> parts) {
        double c = Math.cos(yaw);
        double s = Math.sin(yaw);
        // Extents along the heading, across it and up.
        double alongMin = Double.MAX_VALUE;
        double alongMax = -Double.MAX_VALUE;
        double acrossMin = Double.MAX_VALUE;
        double acrossMax = -Double.MAX_VALUE;
        double upMin = Double.MAX_VALUE;
        double upMax = -Double.MAX_VALUE;
        Vector3f v = new Vector3f();
        for (SceneObject o : parts) {
            FloatBuffer p = o.mesh().positions();
            for (int k = 0; k + 2 < p.limit(); k += 3) {
                o.modelToWorld().transformPosition(p.get(k), p.get(k + 1), p.get(k + 2), v);
                double along = c * v.x + s * v.y;
                double across = -s * v.x + c * v.y;
                alongMin = Math.min(alongMin, along);
                alongMax = Math.max(alongMax, along);
                acrossMin = Math.min(acrossMin, across);
                acrossMax = Math.max(acrossMax, across);
                upMin = Math.min(upMin, v.z);
                upMax = Math.max(upMax, v.z);
            }
        }
        double along = (alongMin + alongMax) / 2;
        double across = (acrossMin + acrossMax) / 2;
        Vector3f centre = new Vector3f((float) (c * along - s * across), (float) (s * along + c * across),
                (float) ((upMin + upMax) / 2));
        return new Instance(id, kind, classId, centre, (float) (alongMax - alongMin), (float) (acrossMax - acrossMin),
                (float) (upMax - upMin), (float) yaw);
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
