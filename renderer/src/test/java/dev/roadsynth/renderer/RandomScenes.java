package dev.roadsynth.renderer;

import dev.roadsynth.core.LabelSet;
import dev.roadsynth.core.Rgb;
import dev.roadsynth.scenes.Camera;
import dev.roadsynth.scenes.Intrinsics;
import dev.roadsynth.scenes.Light;
import dev.roadsynth.scenes.Material;
import dev.roadsynth.scenes.Mesh;
import dev.roadsynth.scenes.Meshes;
import dev.roadsynth.scenes.Scene;
import dev.roadsynth.scenes.SceneObject;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.joml.Matrix4f;
import org.joml.Vector3f;

/**
 * Seeded random test scenes: loose one-sided triangles facing either way and arbitrarily rotated (some mirrored),
 * interpenetrating boxes.
 */
final class RandomScenes {
    private RandomScenes() {
    }

    static Scene of(long seed, int width, int height, int triangles, int boxes) {
        SplittableRandom rng = new SplittableRandom(seed);
        LabelSet labels = LabelSet.cityscapes();
        List<Integer> ids = labels.labels().stream().map(l -> l.id()).toList();
        double f = width * rng.nextDouble(0.5, 1.5);
        Intrinsics k = new Intrinsics(f, f * rng.nextDouble(0.9, 1.1), width * rng.nextDouble(0.4, 0.6),
                height * rng.nextDouble(0.4, 0.6), width, height, 0.25, 120);
        Camera camera = Camera.at(k, new Vector3f((float) rng.nextDouble(-5, 5), (float) rng.nextDouble(-5, 5),
                        (float) rng.nextDouble(0.5, 3)), (float) rng.nextDouble(-Math.PI, Math.PI),
                (float) rng.nextDouble(-0.3, 0.3), (float) rng.nextDouble(-0.2, 0.2));
        Matrix4f cameraToWorld = new Matrix4f(camera.worldToCamera()).invertAffine();
        List<SceneObject> objects = new ArrayList<>();
        int nextInstance = 1;
        for (int t = 0; t < triangles; t++) {
            // Pick a centre in the image (with margin), then vertices around it in pixels and depth.
            double u = rng.nextDouble(-0.2, 1.2) * width;
            double v = rng.nextDouble(-0.2, 1.2) * height;
            double z = rng.nextDouble(0.5, 100);
            double spread = Math.pow(10, rng.nextDouble(-0.5, 2.7));
            float[] p = new float[9];
            for (int i = 0; i < 3; i++) {
                double vu = u + rng.nextDouble(-spread, spread);
                double vv = v + rng.nextDouble(-spread, spread);
                double vz = Math.max(0.3, z + rng.nextDouble(-z / 2, z / 2));
                Vector3f world = cameraToWorld.transformPosition(new Vector3f(
                        (float) ((vu - k.cx()) / k.fx() * vz), (float) ((vv - k.cy()) / k.fy() * vz), (float) vz));
                p[3 * i] = world.x;
                p[3 * i + 1] = world.y;
                p[3 * i + 2] = world.z;
            }
            // A one-sided triangle, facing the camera or away from it (then it is culled): its normal is its
            // geometric normal or the opposite, so that which side is its front is never close to call.
            Vector3f normal = new Vector3f(p[3] - p[0], p[4] - p[1], p[5] - p[2])
                    .cross(p[6] - p[0], p[7] - p[1], p[8] - p[2]).normalize(rng.nextBoolean() ? 1 : -1);
            float[] n = {normal.x, normal.y, normal.z, normal.x, normal.y, normal.z, normal.x, normal.y, normal.z};
            Mesh tri = new Mesh(p, n, new int[] {0, 1, 2});
            int cls = ids.get(rng.nextInt(ids.size()));
            int instance = rng.nextInt(4) == 0 ? 0 : nextInstance++;
            objects.add(new SceneObject("triangle", cls, instance, tri, randomMaterial(rng), new Matrix4f()));
        }
        for (int b = 0; b < boxes; b++) {
            // Boxes in front of the camera, some straddling the near plane and some cut by the image border.
            double z = rng.nextDouble(-0.5, 40);
            Vector3f centre = cameraToWorld.transformPosition(new Vector3f(
                    (float) (rng.nextDouble(-0.7, 0.7) * Math.max(z, 1)), (float) (rng.nextDouble(-0.5, 0.5) * Math.max(z, 1)), (float) z));
            Matrix4f pose = new Matrix4f().translate(centre)
                    .rotateXYZ((float) rng.nextDouble(0, 6.3), (float) rng.nextDouble(0, 6.3), (float) rng.nextDouble(0, 6.3));
            if (rng.nextInt(3) == 0) {
                pose.scale(-1, 1, 1); // mirrored: its triangles' winding turns, its normals do not
            }
            Mesh box = Meshes.box((float) rng.nextDouble(0.1, 5), (float) rng.nextDouble(0.1, 5), (float) rng.nextDouble(0.1, 5));
            int cls = ids.get(rng.nextInt(ids.size()));
            objects.add(new SceneObject("box", cls, nextInstance++, box, randomMaterial(rng), pose));
        }
        return new Scene(labels, objects, camera, Light.sunAt(40, 30, 0.8f, 0.3f), labels.id("sky"), new Rgb(100, 150, 200));
    }

    private static Material randomMaterial(SplittableRandom rng) {
        return Material.of(rng.nextInt(256), rng.nextInt(256), rng.nextInt(256));
    }
}
