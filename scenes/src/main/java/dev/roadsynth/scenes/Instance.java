package dev.roadsynth.scenes;

import java.util.Objects;
import org.joml.Vector3f;
import org.joml.Vector3fc;

/**
 * One object instance of a scene (all the scene objects sharing an instance id), with its 3D box in the world
 * frame (z up): the box is upright, rotated by {@code yaw} about the world z axis. Generated scenes fit it to the
 * geometry: the smallest such box that encloses every vertex of the instance's objects.
 *
 * @param id      instance id (non-zero), as in the instance plane
 * @param kind    what it is ("car", "pedestrian", ...)
 * @param classId its class id
 * @param centre  centre of the box, world frame, metres
 * @param length  extent along the heading, metres
 * @param width   extent across the heading, metres
 * @param height  extent along z, metres
 * @param yaw     heading, radians counter-clockwise from world x seen from above
 */
public record Instance(int id, String kind, int classId, Vector3fc centre, float length, float width, float height,
                       float yaw) {
    public Instance {
        Objects.requireNonNull(kind, "kind");
        centre = new Vector3f(Objects.requireNonNull(centre, "centre"));
        if (id == 0) {
            throw new IllegalArgumentException("instance: id 0 means no instance");
        }
    }
}
