package dev.roadsynth.scenes;

import java.util.Objects;
import org.joml.Matrix4f;
import org.joml.Matrix4fc;
import org.joml.Vector3f;
import org.joml.Vector3fc;

/**
 * A pinhole camera: intrinsics and pose.
 *
 * <p>Frames: the world frame is right-handed with z up, metres. The camera frame is OpenCV's and KITTI's:
 * x right, y down, z forward (the viewing axis). {@code worldToCamera} maps world points into the camera frame.
 *
 * @param intrinsics    projection to pixels
 * @param worldToCamera world frame to camera frame (a read-only copy is kept)
 */
public record Camera(Intrinsics intrinsics, Matrix4fc worldToCamera) {
    public Camera {
        Objects.requireNonNull(intrinsics, "intrinsics");
        worldToCamera = new Matrix4f(Objects.requireNonNull(worldToCamera, "worldToCamera"));
    }

    /**
     * A camera at {@code position} (world frame) looking along the heading {@code yaw} (radians, counter-clockwise
     * from the world x axis, seen from above), pitched down by {@code pitchDown} radians and rolled by
     * {@code roll} radians about its viewing axis.
     */
    public static Camera at(Intrinsics intrinsics, Vector3fc position, float yaw, float pitchDown, float roll) {
        // Camera axes in the world for yaw = pitch = roll = 0: forward = +x, right = -y, down = -z.
        Matrix4f cameraToWorld = new Matrix4f()
                .translate(position)
                .rotateZ(yaw)
                .rotateY(pitchDown)
                .rotateX(roll)
                .mul(new Matrix4f(
                        0, -1, 0, 0,   // camera x (right) -> world -y   (column 0)
                        0, 0, -1, 0,   // camera y (down)  -> world -z   (column 1)
                        1, 0, 0, 0,    // camera z (fwd)   -> world +x   (column 2)
                        0, 0, 0, 1));
        return new Camera(intrinsics, cameraToWorld.invertAffine());
    }

    /** The camera centre in world coordinates. */
    public Vector3fc position() {
        return new Matrix4f(worldToCamera).invertAffine().getTranslation(new Vector3f());
    }
}
