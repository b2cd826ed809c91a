package dev.roadsynth.scenes;

import dev.roadsynth.core.LabelSet;
import dev.roadsynth.core.Rgb;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.joml.Matrix4f;
import org.joml.Vector3f;

/**
 * A benchmark scene: a ground plane and {@code n} boxes of random size, heading and class scattered in front of
 * the camera, each its own instance. Its cost is predictable, which is what a benchmark needs.
 */
public final class BoxField {
    private BoxField() {
    }

    public static Scene generate(long seed, int boxes, int width, int height) {
        SplittableRandom rng = new SplittableRandom(seed);
        LabelSet labels = LabelSet.cityscapes();
        int[] classes = labels.labels().stream().filter(l -> l.hasInstances()).mapToInt(l -> l.id()).toArray();
        List<SceneObject> objects = new ArrayList<>(boxes + 1);
        objects.add(new SceneObject("ground", labels.id("road"), 0, Meshes.groundQuad(-10, -200, 400, 200),
                Material.of(80, 80, 85), new Matrix4f()));
        for (int i = 0; i < boxes; i++) {
            float x = (float) rng.nextDouble(3, 150);
            float y = (float) rng.nextDouble(-0.8, 0.8) * x;
            objects.add(new SceneObject("box", classes[rng.nextInt(classes.length)], i + 1,
                    Meshes.box((float) rng.nextDouble(0.5, 5), (float) rng.nextDouble(0.5, 3), (float) rng.nextDouble(0.5, 4)),
                    Material.of(rng.nextInt(256), rng.nextInt(256), rng.nextInt(256)),
                    new Matrix4f().translate(x, y, 0).rotateZ((float) rng.nextDouble(0, 2 * Math.PI))));
        }
        Intrinsics k = Intrinsics.ofHorizontalFov(75, width, height, 0.1, 500);
        Camera cam = Camera.at(k, new Vector3f(0, 0, 1.6f), 0, (float) Math.toRadians(4), 0);
        return new Scene(labels, objects, cam, Light.sunAt(45, 120, 0.75f, 0.35f), labels.id("sky"), new Rgb(135, 175, 220));
    }
}
