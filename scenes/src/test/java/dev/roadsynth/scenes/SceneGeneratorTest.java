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
        assertThat(b.groups()).isEqualTo(a.groups());
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
     * and joined stroller, and a car's wheels and roof.) The same for each group's box over all its members' parts
     * (a rider and its bicycle).
     */
    @Test
    void everyInstanceAndGroupBoxIsTheSmallestThatEnclosesItsParts() {
        List<SceneSpec> specs = new java.util.ArrayList<>();
        for (String preset : List.of("urban-intersection", "suburban-street", "highway")) {
            specs.add(SceneSpecs.preset(preset));
        }
        for (String f : List.of("four-way-dusk-fog.yaml", "curved-suburb-policies.yaml", "highway-dashcam.yaml")) {
            specs.add(SceneSpecs.load(Path.of("..", "examples", f)));
        }
        int boxes = 0;
        int groups = 0;
        for (SceneSpec spec : specs) {
            for (long seed = 1; seed <= 4; seed++) {
                Scene scene = SceneGenerator.generate(spec, seed);
                for (Instance i : scene.instances()) {
                    assertEncloses(spec.name() + " seed " + seed, i, java.util.Set.of(i.id()), scene);
                    boxes++;
                }
                for (Group g : scene.groups()) {
                    assertEncloses(spec.name() + " seed " + seed, g.box(), java.util.Set.copyOf(g.members()), scene);
                    groups++;
                }
            }
        }
        assertThat(boxes).isGreaterThan(500);
        assertThat(groups).isGreaterThan(10);
    }

    private static void assertEncloses(String where, Instance box, java.util.Set<Integer> ids, Scene scene) {
        double c = Math.cos(box.yaw());
        double s = Math.sin(box.yaw());
        double[] lo = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        double[] hi = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        org.joml.Vector3f v = new org.joml.Vector3f();
        for (SceneObject o : scene.objects()) {
            if (!ids.contains(o.instanceId())) {
                continue;
            }
            java.nio.FloatBuffer p = o.mesh().positions();
            for (int k = 0; k < p.limit(); k += 3) {
                o.modelToWorld().transformPosition(p.get(k), p.get(k + 1), p.get(k + 2), v);
                double dx = v.x - box.centre().x();
                double dy = v.y - box.centre().y();
                double[] at = {c * dx + s * dy, -s * dx + c * dy, v.z - box.centre().z()};
                for (int d = 0; d < 3; d++) {
                    lo[d] = Math.min(lo[d], at[d]);
                    hi[d] = Math.max(hi[d], at[d]);
                }
            }
        }
        double[] half = {box.length() / 2.0, box.width() / 2.0, box.height() / 2.0};
        for (int d = 0; d < 3; d++) {
            String what = where + ": " + box + ", axis " + d;
            assertThat(lo[d]).as(what).isCloseTo(-half[d], org.assertj.core.api.Assertions.within(1e-4));
            assertThat(hi[d]).as(what).isCloseTo(half[d], org.assertj.core.api.Assertions.within(1e-4));
        }
    }

    /**
     * Every rider rides in exactly one group with the two-wheeler it sits on (a cyclist with a bicycle, a
     * motorcyclist with a motorcycle), named by the rider and with its class and heading; group ids follow every
     * instance id, so the instances keep the ids they had before groups existed (1, 2, ... with no gaps).
     */
    @Test
    void everyRiderIsGroupedWithItsTwoWheeler() {
        int riders = 0;
        for (long seed = 1; seed <= 6; seed++) {
            Scene scene = SceneGenerator.generate(SceneSpecs.preset("urban-intersection"), seed);
            Map<Integer, Instance> byId = scene.instances().stream()
                    .collect(Collectors.toMap(Instance::id, i -> i));
            int maxInstance = scene.instances().stream().mapToInt(Instance::id).max().orElse(0);
            assertThat(maxInstance).isEqualTo(scene.instances().size());
            for (Instance i : scene.instances()) {
                if (!i.kind().equals("rider")) {
                    continue;
                }
                riders++;
                List<Group> of = scene.groups().stream().filter(g -> g.members().contains(i.id())).toList();
                assertThat(of).as("groups of %s", i).hasSize(1);
                Group g = of.get(0);
                assertThat(g.members()).hasSize(2).first().isEqualTo(i.id());
                Instance ridden = byId.get(g.members().get(1));
                assertThat(ridden.kind()).isIn("bicycle", "motorcycle");
                assertThat(g.box().kind()).isEqualTo(ridden.kind().equals("bicycle") ? "cyclist" : "motorcyclist");
                assertThat(g.box().classId()).isEqualTo(i.classId());
                assertThat(g.box().yaw()).isEqualTo(ridden.yaw());
                assertThat(g.id()).isGreaterThan(maxInstance);
            }
            long riding = scene.instances().stream().filter(x -> x.kind().equals("rider")).count();
            assertThat(scene.groups()).hasSize((int) riding);
        }
        assertThat(riders).isGreaterThan(3);
    }

    /** A group must not take an object's instance id, and its members must be objects' instance ids. */
    @Test
    void groupsAreChecked() {
        Scene scene = SceneGenerator.generate(SceneSpecs.preset("urban-intersection"), 2);
        Group g = scene.groups().get(0);
        Instance rider = scene.instances().stream().filter(i -> i.id() == g.members().get(0)).findFirst().orElseThrow();
        Group taken = new Group(rider, List.of(g.members().get(1), g.members().get(0)));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> withGroups(scene, List.of(taken)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("group " + rider.id() + " (rider): its id is an object's instance id");
        int missing = g.id() + 1;
        Group loose = new Group(g.box(), List.of(g.members().get(0), missing));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> withGroups(scene, List.of(loose)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("member " + missing + " is no object's instance id");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Group(g.box(), List.of(3, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least two distinct");
        assertThat(withGroups(scene, scene.groups())).isEqualTo(scene);
    }

    private static Scene withGroups(Scene s, List<Group> groups) {
        return new Scene(s.labels(), s.objects(), s.camera(), s.light(), s.backgroundClassId(), s.environment(),
                s.instances(), s.shortfalls(), groups);
    }

    @Test
    void examplesGenerate() {
        for (String f : List.of("four-way-dusk-fog.yaml", "curved-suburb-policies.yaml", "highway-dashcam.yaml",
                "custom-labels.yaml", "kitti-like.yaml")) {
            Scene s = SceneGenerator.generate(SceneSpecs.load(Path.of("..", "examples", f)), 1);
            assertThat(s.objects()).as(f).isNotEmpty();
        }
    }
}
