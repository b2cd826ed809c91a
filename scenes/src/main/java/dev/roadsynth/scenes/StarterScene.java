package dev.roadsynth.scenes;

import dev.roadsynth.core.LabelSet;
import dev.roadsynth.core.Rgb;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.joml.Matrix4f;
import org.joml.Vector3f;

/**
 * The built-in default scene: a straight two-by-two-lane street with sidewalks, buildings, poles, trees, cars and
 * pedestrians, all built from boxes, seen from a car-mounted camera. It is what {@code roadsynth generate} draws
 * when given no scene file. Every random choice comes from one {@link SplittableRandom} seeded with the given seed.
 *
 * <p>World frame: z up; the road runs along +x from the camera; y points to the camera's left.
 */
public final class StarterScene {
    private static final float LANE = 3.5f;
    private static final float ROAD_HALF = 2 * LANE;
    private static final float SIDEWALK = 4f;
    private static final float CURB = 0.15f;
    private static final float LENGTH = 250f;

    private StarterScene() {
    }

    /** The default scene for {@code seed} at 1024x512 pixels. */
    public static Scene generate(long seed) {
        return generate(seed, 1024, 512);
    }

    /** The default scene for {@code seed} at the given resolution (75 degrees horizontal field of view). */
    public static Scene generate(long seed, int width, int height) {
        SplittableRandom rng = new SplittableRandom(seed);
        LabelSet labels = LabelSet.cityscapes();
        List<SceneObject> objects = new ArrayList<>();
        int road = labels.id("road");
        int sidewalk = labels.id("sidewalk");
        int building = labels.id("building");
        int pole = labels.id("pole");
        int vegetation = labels.id("vegetation");
        int car = labels.id("car");
        int person = labels.id("person");
        int terrain = labels.id("terrain");

        objects.add(new SceneObject("road", road, 0, Meshes.groundQuad(-5, -ROAD_HALF, LENGTH, ROAD_HALF),
                Material.of(70, 70, 75), new Matrix4f()));
        // Lane markings: dashed centre lines between lanes of one direction, a solid double line in the middle.
        for (float x = 2; x < LENGTH; x += 9) {
            for (float y : new float[] {-LANE, LANE}) {
                objects.add(new SceneObject("lane marking", road, 0, Meshes.groundQuad(x, y - 0.06f, x + 3, y + 0.06f),
                        Material.of(220, 220, 215), new Matrix4f().translate(0, 0, 0.01f)));
            }
        }
        objects.add(new SceneObject("lane marking", road, 0, Meshes.groundQuad(-5, -0.2f, LENGTH, 0.2f),
                Material.of(230, 190, 40), new Matrix4f().translate(0, 0, 0.01f)));
        for (int side : new int[] {-1, 1}) {
            float inner = side * ROAD_HALF;
            float centre = side * (ROAD_HALF + SIDEWALK / 2);
            objects.add(new SceneObject("sidewalk", sidewalk, 0, Meshes.box(LENGTH + 5, SIDEWALK, CURB),
                    Material.of(150, 145, 140), new Matrix4f().translate(LENGTH / 2 - 2.5f, centre, 0)));
            objects.add(new SceneObject("verge", terrain, 0, Meshes.groundQuad(-5, 0, LENGTH, 30),
                    Material.of(90, 120, 60),
                    new Matrix4f().translate(0, side * (ROAD_HALF + SIDEWALK), 0.005f).scale(1, side, 1)));
            // Buildings along the far edge of the sidewalk, with gaps.
            float x = -2 + (float) rng.nextDouble(0, 6);
            while (x < LENGTH - 10) {
                float len = (float) rng.nextDouble(8, 25);
                float depth = (float) rng.nextDouble(8, 15);
                float h = (float) rng.nextDouble(6, 30);
                int grey = rng.nextInt(90, 200);
                objects.add(new SceneObject("building", building, 0, Meshes.box(len, depth, h),
                        Material.of(grey, grey - 10, grey - 25),
                        new Matrix4f().translate(x + len / 2, side * (ROAD_HALF + SIDEWALK + 1 + depth / 2), 0)));
                x += len + (float) rng.nextDouble(1, 8);
            }
            // Poles and trees on the sidewalk near the curb.
            for (float px = 8 + (float) rng.nextDouble(0, 10); px < LENGTH - 10; px += (float) rng.nextDouble(15, 30)) {
                if (rng.nextBoolean()) {
                    objects.add(new SceneObject("pole", pole, 0, Meshes.box(0.2f, 0.2f, 6f), Material.of(110, 110, 115),
                            new Matrix4f().translate(px, inner + side * 0.6f, CURB)));
                } else {
                    objects.add(new SceneObject("tree trunk", vegetation, 0, Meshes.box(0.35f, 0.35f, 2.5f),
                            Material.of(90, 65, 40), new Matrix4f().translate(px, inner + side * 1.0f, CURB)));
                    float crown = (float) rng.nextDouble(2.5, 4.5);
                    objects.add(new SceneObject("tree crown", vegetation, 0, Meshes.box(crown, crown, crown * 0.9f),
                            Material.of(50, rng.nextInt(95, 140), 40),
                            new Matrix4f().translate(px, inner + side * 1.0f, CURB + 2.3f)));
                }
            }
        }

        int nextInstance = 1;
        // Cars on the four lanes, heading along them, gaps large enough that none overlap.
        for (int lane = 0; lane < 4; lane++) {
            float y = (lane - 1.5f) * LANE;
            float heading = y > 0 ? (float) Math.PI : 0;
            float x = 6 + (float) rng.nextDouble(0, 20);
            while (x < 120) {
                float len = (float) rng.nextDouble(3.8, 5.0);
                float w = (float) rng.nextDouble(1.7, 2.0);
                float lateral = (float) rng.nextDouble(-0.3, 0.3);
                int[] colour = CAR_COLOURS[rng.nextInt(CAR_COLOURS.length)];
                int id = nextInstance++;
                Matrix4f pose = new Matrix4f().translate(x + len / 2, y + lateral, 0).rotateZ(heading);
                objects.add(new SceneObject("car", car, id, Meshes.box(len, w, 0.8f),
                        Material.of(colour[0], colour[1], colour[2]), new Matrix4f(pose).translate(0, 0, 0.3f)));
                objects.add(new SceneObject("car", car, id, Meshes.box(len * 0.55f, w * 0.9f, 0.6f),
                        Material.of(40, 50, 60), new Matrix4f(pose).translate(-len * 0.05f, 0, 1.1f)));
                for (float wx : new float[] {-len * 0.32f, len * 0.32f}) {
                    for (float wy : new float[] {-w / 2 + 0.1f, w / 2 - 0.1f}) {
                        objects.add(new SceneObject("car", car, id, Meshes.box(0.65f, 0.22f, 0.65f),
                                Material.of(20, 20, 20), new Matrix4f(pose).translate(wx, wy, 0)));
                    }
                }
                x += len + (float) rng.nextDouble(4, 25);
            }
        }
        // Pedestrians on both sidewalks, at least 1 m apart along the street.
        for (int side : new int[] {-1, 1}) {
            float x = 4 + (float) rng.nextDouble(0, 8);
            while (x < 80) {
                float h = (float) rng.nextDouble(1.5, 1.95);
                float y = side * (ROAD_HALF + (float) rng.nextDouble(1.2, SIDEWALK - 0.5));
                int id = nextInstance++;
                Matrix4f pose = new Matrix4f().translate(x, y, CURB).rotateZ((float) rng.nextDouble(0, 2 * Math.PI));
                int[] shirt = SHIRT_COLOURS[rng.nextInt(SHIRT_COLOURS.length)];
                objects.add(new SceneObject("pedestrian", person, id, Meshes.box(0.3f, 0.4f, h * 0.47f),
                        Material.of(45, 45, 60), new Matrix4f(pose)));
                objects.add(new SceneObject("pedestrian", person, id, Meshes.box(0.3f, 0.45f, h * 0.37f),
                        Material.of(shirt[0], shirt[1], shirt[2]), new Matrix4f(pose).translate(0, 0, h * 0.47f)));
                objects.add(new SceneObject("pedestrian", person, id, Meshes.box(0.2f, 0.2f, h * 0.16f),
                        Material.of(200, 160, 130), new Matrix4f(pose).translate(0, 0, h * 0.84f)));
                x += (float) rng.nextDouble(1, 15);
            }
        }

        Intrinsics intrinsics = Intrinsics.ofHorizontalFov(75, width, height, 0.1, 500);
        Camera camera = Camera.at(intrinsics, new Vector3f(0, -LANE / 2, 1.5f), 0, (float) Math.toRadians(3), 0);
        Light light = Light.sunAt(rng.nextDouble(20, 60), rng.nextDouble(0, 360), 0.75f, 0.35f);
        return new Scene(labels, objects, camera, light, labels.id("sky"), new Rgb(135, 175, 220));
    }

    private static final int[][] CAR_COLOURS = {
            {180, 20, 20}, {20, 40, 120}, {200, 200, 200}, {30, 30, 30}, {90, 90, 95}, {230, 230, 225}, {20, 90, 50}};
    private static final int[][] SHIRT_COLOURS = {{200, 50, 50}, {50, 90, 170}, {230, 200, 60}, {240, 240, 240}, {60, 60, 60}};
}
