package dev.roadsynth.scenes;

import java.util.Objects;
import org.joml.Matrix4f;
import org.joml.Matrix4fc;

/**
 * One thing in a scene: a mesh placed in the world, with what the labels say about it.
 *
 * @param kind         what the object is, in the scene's vocabulary ("car", "building"); for metadata
 * @param classId      the semantic class id its pixels get (a {@code Label#id()} of the scene's label set)
 * @param instanceId   its instance id, unsigned 32-bit; 0 = no instance (stuff such as road or sky)
 * @param mesh         geometry in the object's frame, metres
 * @param material     appearance
 * @param modelToWorld the object's pose: object frame to world frame (a read-only copy is kept)
 */
public record SceneObject(String kind, int classId, int instanceId, Mesh mesh, Material material,
                          Matrix4fc modelToWorld) {
    public SceneObject {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(mesh, "mesh");
        Objects.requireNonNull(material, "material");
        if (classId < 0) {
            throw new IllegalArgumentException("object '" + kind + "': class id " + classId + " is negative");
        }
        modelToWorld = new Matrix4f(Objects.requireNonNull(modelToWorld, "modelToWorld"));
    }
}
