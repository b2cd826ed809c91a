package dev.roadsynth.renderer;

import dev.roadsynth.core.Box2;
import dev.roadsynth.core.Box3;
import dev.roadsynth.core.Frame;
import dev.roadsynth.core.IdPlane;
import dev.roadsynth.core.ObjectAnnotation;
import dev.roadsynth.core.ObjectGroup;
import dev.roadsynth.scenes.Group;
import dev.roadsynth.scenes.Instance;
import dev.roadsynth.scenes.Scene;
import dev.roadsynth.scenes.SceneObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.joml.Matrix4f;
import org.joml.Vector3f;

/**
 * The annotations that follow from a frame, its scene and the scene's amodal coverage: per instance, visible
 * pixels and box (counted on the instance plane), amodal pixels and boxes, visible fraction, truncation, the 3D
 * box in the camera frame with KITTI's angles, and distance; the same for each group of instances annotated as one
 * object (a rider and its bicycle). Then the policy decides what is kept, and records why the rest was dropped.
 * Stateless.
 */
public final class Annotator {
    private Annotator() {
    }

    /**
     * What to annotate.
     *
     * @param minVisiblePixels objects with fewer visible pixels are dropped
     * @param maxOcclusion     objects whose occluded fraction (1 - visible fraction) exceeds this are dropped
     * @param dropIgnored      drop objects of classes the label set marks ignoreInEval
     */
    public record Policy(long minVisiblePixels, double maxOcclusion, boolean dropIgnored) {
        public static final Policy DEFAULT = new Policy(1, 1.0, true);

        public Policy {
            if (minVisiblePixels < 0 || !(maxOcclusion >= 0 && maxOcclusion <= 1)) {
                throw new IllegalArgumentException("annotation policy: minVisiblePixels " + minVisiblePixels
                        + " must be >= 0 and maxOcclusion " + maxOcclusion + " in [0, 1]");
            }
        }
    }

    /** An object the policy left out, and why. */
    public record Dropped(ObjectAnnotation object, String reason) {
    }

    /**
     * The kept and the dropped objects, each in ascending instance id order, and every group of the scene
     * ({@link Scene#groups()}) as one object, in the scene's order, each kept or dropped by the same policy (its
     * members are annotated on their own as well).
     */
    public record Result(List<ObjectAnnotation> kept, List<Dropped> dropped, List<ObjectGroup> groups) {
        public Result {
            kept = List.copyOf(kept);
            dropped = List.copyOf(dropped);
            groups = List.copyOf(groups);
        }

        /**
         * The dropped objects that show at least one pixel, in ascending instance id order: the regions formats
         * mark as ignored (KITTI's DontCare, COCO's iscrowd regions; {@code Sample#ignored}).
         */
        public List<ObjectAnnotation> droppedInView() {
            return dropped.stream().map(Dropped::object).filter(o -> o.visiblePixels() > 0).toList();
        }
    }

    /**
     * Annotates every instance and group of the scene; see {@link Renderer#coverage(Scene)} for {@code coverage},
     * which holds the groups' coverage under their ids.
     */
    public static Result annotate(Scene scene, Frame frame, List<Coverage> coverage, Policy policy) {
        Map<Integer, IdPlane.Extent> visible = frame.instance().extents();
        Map<Integer, Instance> boxes = new HashMap<>();
        for (Instance i : scene.instances()) {
            boxes.put(i.id(), i);
        }
        Map<Integer, SceneObject> anyPart = new HashMap<>();
        for (SceneObject o : scene.objects()) {
            anyPart.putIfAbsent(o.instanceId(), o);
        }
        java.util.Set<Integer> groupIds = new java.util.HashSet<>();
        scene.groups().forEach(g -> groupIds.add(g.id()));
        Map<Integer, Coverage> groupCoverage = new HashMap<>();
        Matrix4f w2c = new Matrix4f(scene.camera().worldToCamera());
        List<ObjectAnnotation> kept = new ArrayList<>();
        List<Dropped> dropped = new ArrayList<>();
        for (Coverage c : coverage) {
            if (groupIds.contains(c.instanceId())) {
                groupCoverage.put(c.instanceId(), c); // annotated below, once every member's pixels are counted
                continue;
            }
            SceneObject part = anyPart.get(c.instanceId());
            ObjectAnnotation a = annotation(c, part.classId(), part.kind(), visible.get(c.instanceId()),
                    boxes.get(c.instanceId()), w2c);
            String reason = reason(a, scene, policy);
            if (reason == null) {
                kept.add(a);
            } else {
                dropped.add(new Dropped(a, reason));
            }
        }
        List<ObjectGroup> groups = new ArrayList<>();
        for (Group g : scene.groups()) {
            Coverage c = groupCoverage.get(g.id());
            if (c == null) {
                throw new IllegalArgumentException("annotate: no coverage for group " + Integer.toUnsignedString(g.id())
                        + " (" + g.box().kind() + ")");
            }
            // The members' pixels are disjoint in the instance plane: the group's are their sum, its box their union.
            ObjectAnnotation a = annotation(c, g.box().classId(), g.box().kind(),
                    IdPlane.Extent.of(visible, g.members()), g.box(), w2c);
            groups.add(new ObjectGroup(a, g.members(), reason(a, scene, policy)));
        }
        return new Result(kept, dropped, groups);
    }

    /**
     * One object's annotation from its coverage, its visible pixels' extent in the instance plane (null if none) and
     * its 3D box (null if it has none).
     */
    private static ObjectAnnotation annotation(Coverage c, int classId, String kind, IdPlane.Extent v, Instance inst,
                                               Matrix4f w2c) {
        long visiblePixels = v == null ? 0 : v.pixels();
        Box2 visibleBox = v == null ? null : v.box();
        double fraction = c.imagePixels() == 0 ? 0 : (double) visiblePixels / c.imagePixels();
        Box3 box3d = null;
        double alpha = Double.NaN;
        double distance = Double.NaN;
        if (inst != null) {
            Vector3f centre = w2c.transformPosition(new Vector3f(inst.centre()));
            Vector3f bottom = w2c.transformPosition(new Vector3f(inst.centre()).sub(0, 0, inst.height() / 2));
            Vector3f heading = w2c.transformDirection(
                    new Vector3f((float) Math.cos(inst.yaw()), (float) Math.sin(inst.yaw()), 0));
            double ry = wrap(Math.atan2(-heading.z, heading.x));
            box3d = new Box3(inst.height(), inst.width(), inst.length(), bottom.x, bottom.y, bottom.z, ry);
            alpha = wrap(ry - Math.atan2(centre.x, centre.z));
            distance = centre.length();
        }
        return new ObjectAnnotation(c.instanceId(), classId, kind, visiblePixels, visibleBox, c.imagePixels(),
                c.imageBox(), c.canvasBox(), fraction, c.truncation(), box3d, alpha, distance);
    }

    /** Why the policy leaves {@code a} out; null if it keeps it. */
    private static String reason(ObjectAnnotation a, Scene scene, Policy policy) {
        if (policy.dropIgnored() && scene.labels().byId(a.classId()).ignoreInEval()) {
            return "class '" + scene.labels().byId(a.classId()).name() + "' is ignored in evaluation";
        } else if (a.visiblePixels() < policy.minVisiblePixels()) {
            return a.visiblePixels() + " visible pixels, fewer than " + policy.minVisiblePixels();
        } else if (1 - a.visibleFraction() > policy.maxOcclusion()) {
            return String.format(java.util.Locale.ROOT, "%.3f occluded, more than %.3f", 1 - a.visibleFraction(),
                    policy.maxOcclusion());
        }
        return null;
    }

    private static double wrap(double angle) {
        return Math.atan2(Math.sin(angle), Math.cos(angle));
    }
}
