package dev.roadsynth.scenes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roadsynth.scenes.spec.SceneSpec;
import dev.roadsynth.scenes.spec.SceneSpecs;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.joml.Vector2d;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SceneGeneratorTest {
    private static List<String> describe(Scene s) {
        return s.objects().stream().map(o -> o.kind() + " " + o.classId() + "/" + o.instanceId() + " "
                + o.material() + " " + o.modelToWorld() + " " + o.mesh().vertexCount()).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"urban-intersection", "suburban-street", "highway"})
    void sameSeedSameSceneOtherSeedOtherScene(String preset) {
        SceneSpec spec = SceneSpecs.preset(preset);
        Scene a = SceneGenerator.generate(spec, 11);
        Scene b = SceneGenerator.generate(spec, 11);
        assertThat(describe(b)).isEqualTo(describe(a));
        assertThat(b.instances()).isEqualTo(a.instances());
        assertThat(b.camera()).isEqualTo(a.camera());
        assertThat(b.light()).isEqualTo(a.light());
        assertThat(describe(SceneGenerator.generate(spec, 12))).isNotEqualTo(describe(a));
    }

    /** Corners of an instance's box footprint, computed here from the Instance record alone. */
    private static Vector2d[] corners(Instance i) {
        double c = Math.cos(i.yaw());
        double s = Math.sin(i.yaw());
        double[][] local = {{1, 1}, {1, -1}, {-1, -1}, {-1, 1}};
        Vector2d[] out = new Vector2d[4];
        for (int k = 0; k < 4; k++) {
            double lx = local[k][0] * i.length() / 2;
            double ly = local[k][1] * i.width() / 2;
            out[k] = new Vector2d(i.centre().x() + lx * c - ly * s, i.centre().y() + lx * s + ly * c);
        }
        return out;
    }

    private static boolean separated(Vector2d[] a, Vector2d[] b) {
        for (Vector2d[] poly : List.of(a, b)) {
            for (int k = 0; k < 4; k++) {
                Vector2d e = new Vector2d(poly[(k + 1) % 4]).sub(poly[k]);
                Vector2d axis = new Vector2d(-e.y, e.x);
                double minA = Double.MAX_VALUE, maxA = -Double.MAX_VALUE, minB = Double.MAX_VALUE, maxB = -Double.MAX_VALUE;
                for (Vector2d p : a) {
                    minA = Math.min(minA, p.dot(axis));
                    maxA = Math.max(maxA, p.dot(axis));
                }
                for (Vector2d p : b) {
                    minB = Math.min(minB, p.dot(axis));
                    maxB = Math.max(maxB, p.dot(axis));
                }
                if (maxA <= minB + 1e-9 || maxB <= minA + 1e-9) {
                    return true;
                }
            }
        }
        return false;
    }

    @ParameterizedTest
    @ValueSource(strings = {"urban-intersection", "suburban-street", "highway"})
    void noTwoPlacedInstancesOverlap(String preset) {
        for (long seed = 1; seed <= 20; seed++) {
            Scene scene = SceneGenerator.generate(SceneSpecs.preset(preset), seed);
            // Riders sit on their two-wheelers and printed people lie on billboards: those overlap by design.
            List<Instance> solid = scene.instances().stream()
                    .filter(i -> !i.kind().equals("rider") && !i.kind().contains("printed")).toList();
            for (int a = 0; a < solid.size(); a++) {
                for (int b = a + 1; b < solid.size(); b++) {
                    assertThat(separated(corners(solid.get(a)), corners(solid.get(b))))
                            .as("seed %d: %s and %s", seed, solid.get(a), solid.get(b)).isTrue();
                }
            }
        }
    }

    @Test
    void requestedCountsArePlacedOrRecordedAsShortfall() {
        SceneSpec spec = SceneSpecs.parse(new StringReader("""
                road: {layout: straight, lanesPerDirection: 1, length: 60}
                vehicles: {cars: 200, trucks: 0, buses: 0, motorcycles: 0, bicycles: 0}
                pedestrians: {count: 3}
                """), "crowded.yaml", null);
        Scene scene = SceneGenerator.generate(spec, 5);
        Map<String, Long> cars = scene.instances().stream().collect(Collectors.groupingBy(Instance::kind, Collectors.counting()));
        assertThat(cars.get("car")).isLessThan(200);
        assertThat(scene.shortfalls()).contains(new Shortfall("car", 200, cars.get("car").intValue()));
        assertThat(scene.shortfalls()).noneMatch(s -> s.kind().equals("pedestrian"));
    }

    @Test
    void instancesMatchTheirPartsAndClasses() {
        Scene scene = SceneGenerator.generate(SceneSpecs.preset("urban-intersection"), 3);
        for (Instance i : scene.instances()) {
            assertThat(scene.objects().stream().filter(o -> o.instanceId() == i.id()))
                    .as("parts of %s", i).isNotEmpty().allMatch(o -> o.classId() == i.classId());
            assertThat(scene.labels().byId(i.classId()).hasInstances()).isTrue();
        }
        assertThat(scene.instances().stream().map(Instance::id).distinct().count()).isEqualTo(scene.instances().size());
    }

    /**
     * Each instance's box, computed here from its parts' vertices in the box's own frame (along and across its
     * heading, up): every vertex lies within the box, and the box touches the vertices on all six sides, so it is the
     * smallest upright box with that heading. (Boxes set by hand missed a pedestrian's swinging legs, pushing arms
     * and joined stroller, and a car's wheels and roof.)
     */
    @Test
    void everyInstanceBoxIsTheSmallestThatEnclosesItsParts() {
        List<SceneSpec> specs = new java.util.ArrayList<>();
        for (String preset : List.of("urban-intersection", "suburban-street", "highway")) {
            specs.add(SceneSpecs.preset(preset));
        }
        for (String f : List.of("four-way-dusk-fog.yaml", "curved-suburb-policies.yaml", "highway-dashcam.yaml")) {
            specs.add(SceneSpecs.load(Path.of("..", "examples", f)));
        }
        int boxes = 0;
        for (SceneSpec spec : specs) {
            for (long seed = 1; seed <= 4; seed++) {
                Scene scene = SceneGenerator.generate(spec, seed);
                for (Instance i : scene.instances()) {
                    double c = Math.cos(i.yaw());
                    double s = Math.sin(i.yaw());
                    double[] lo = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
                    double[] hi = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
                    org.joml.Vector3f v = new org.joml.Vector3f();
                    for (SceneObject o : scene.objects()) {
                        if (o.instanceId() != i.id()) {
                            continue;
                        }
                        java.nio.FloatBuffer p = o.mesh().positions();
                        for (int k = 0; k < p.limit(); k += 3) {
                            o.modelToWorld().transformPosition(p.get(k), p.get(k + 1), p.get(k + 2), v);
                            double dx = v.x - i.centre().x();
                            double dy = v.y - i.centre().y();
                            double[] at = {c * dx + s * dy, -s * dx + c * dy, v.z - i.centre().z()};
                            for (int d = 0; d < 3; d++) {
                                lo[d] = Math.min(lo[d], at[d]);
                                hi[d] = Math.max(hi[d], at[d]);
                            }
                        }
                    }
                    double[] half = {i.length() / 2.0, i.width() / 2.0, i.height() / 2.0};
                    for (int d = 0; d < 3; d++) {
                        String what = spec.name() + " seed " + seed + ": " + i + ", axis " + d;
                        assertThat(lo[d]).as(what).isCloseTo(-half[d], org.assertj.core.api.Assertions.within(1e-4));
                        assertThat(hi[d]).as(what).isCloseTo(half[d], org.assertj.core.api.Assertions.within(1e-4));
                    }
                    boxes++;
                }
            }
        }
        assertThat(boxes).isGreaterThan(500);
    }

    @Test
    void examplesGenerate() {
        for (String f : List.of("four-way-dusk-fog.yaml", "curved-suburb-policies.yaml", "highway-dashcam.yaml", "custom-labels.yaml")) {
            Scene s = SceneGenerator.generate(SceneSpecs.load(Path.of("..", "examples", f)), 1);
            assertThat(s.objects()).as(f).isNotEmpty();
        }
    }
}
