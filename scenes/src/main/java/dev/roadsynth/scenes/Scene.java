package dev.roadsynth.scenes;

import dev.roadsynth.core.LabelSet;
import dev.roadsynth.core.Rgb;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One concrete scene, ready to render: objects, camera, light, and what the background is. Immutable; nothing
 * in it is GL-specific.
 *
 * @param labels            the class table the objects' class ids refer to
 * @param objects           the objects (copied)
 * @param camera            the camera
 * @param light             the lighting
 * @param backgroundClassId class id of pixels that show no object (usually "sky")
 * @param environment       sky and fog
 * @param instances         the 3D box of every instance (copied); may be empty for test scenes
 * @param shortfalls        objects the scene asked for that did not fit (copied)
 * @param groups            instances annotated together as well as apart (a rider and its bicycle; copied): each
 *                          group's members are instances with objects, its id is no object's
 */
public record Scene(LabelSet labels, List<SceneObject> objects, Camera camera, Light light, int backgroundClassId,
                    Environment environment, List<Instance> instances, List<Shortfall> shortfalls,
                    List<Group> groups) {

    /** A scene without groups. */
    public Scene(LabelSet labels, List<SceneObject> objects, Camera camera, Light light, int backgroundClassId,
                 Environment environment, List<Instance> instances, List<Shortfall> shortfalls) {
        this(labels, objects, camera, light, backgroundClassId, environment, instances, shortfalls, List.of());
    }

    /** A scene with a plain background colour and no instance metadata. */
    public Scene(LabelSet labels, List<SceneObject> objects, Camera camera, Light light, int backgroundClassId,
                 Rgb backgroundColor) {
        this(labels, objects, camera, light, backgroundClassId, Environment.uniformSky(backgroundColor), List.of(), List.of());
    }

    public Scene {
        Objects.requireNonNull(labels, "labels");
        objects = List.copyOf(objects);
        Objects.requireNonNull(camera, "camera");
        Objects.requireNonNull(light, "light");
        Objects.requireNonNull(environment, "environment");
        instances = List.copyOf(instances);
        shortfalls = List.copyOf(shortfalls);
        groups = List.copyOf(groups);
        if (!labels.contains(backgroundClassId)) {
            throw new IllegalArgumentException("scene: background class id " + backgroundClassId
                    + " is not in the label set");
        }
        // Several objects may form one instance (a car's body and wheels), but an instance has one class.
        Map<Integer, Integer> instanceClass = new HashMap<>();
        for (int i = 0; i < objects.size(); i++) {
            SceneObject o = objects.get(i);
            if (!labels.contains(o.classId())) {
                throw new IllegalArgumentException("scene: objects[" + i + "] (" + o.kind() + "): class id "
                        + o.classId() + " is not in the label set");
            }
            Integer cls = o.instanceId() == 0 ? null : instanceClass.putIfAbsent(o.instanceId(), o.classId());
            if (cls != null && cls != o.classId()) {
                throw new IllegalArgumentException("scene: objects[" + i + "] (" + o.kind() + "): instance id "
                        + Integer.toUnsignedString(o.instanceId()) + " has class " + o.classId()
                        + " here but class " + cls + " on another object; an instance has one class");
            }
        }
        for (Group g : groups) {
            if (instanceClass.containsKey(g.id())) {
                throw new IllegalArgumentException("scene: group " + Integer.toUnsignedString(g.id()) + " ("
                        + g.box().kind() + "): its id is an object's instance id; a group's id must be its own");
            }
            for (int m : g.members()) {
                if (!instanceClass.containsKey(m)) {
                    throw new IllegalArgumentException("scene: group " + Integer.toUnsignedString(g.id()) + " ("
                            + g.box().kind() + "): member " + Integer.toUnsignedString(m)
                            + " is no object's instance id");
                }
            }
        }
    }

    public int width() {
        return camera.intrinsics().width();
    }

    public int height() {
        return camera.intrinsics().height();
    }

    /** Total triangles over all objects. */
    public long triangleCount() {
        long n = 0;
        for (SceneObject o : objects) {
            n += o.mesh().triangleCount();
        }
        return n;
    }
}
