package dev.roadsynth.renderer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roadsynth.scenes.Environment;
import dev.roadsynth.scenes.Group;
import dev.roadsynth.scenes.Instance;
import dev.roadsynth.scenes.Scene;
import dev.roadsynth.scenes.SceneObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.joml.Matrix4f;
import org.joml.Vector3f;
import org.junit.jupiter.api.Test;

/** The objects of each instance and group, as the coverage passes take them, against a plain map of lists. */
class PackedSceneTest {
    /** The reference: instance id (unsigned order) to its objects in scene order; each group's members' after. */
    private static Map<Integer, List<Integer>> reference(Scene scene) {
        Map<Integer, List<Integer>> of = new TreeMap<>(Integer::compareUnsigned);
        for (int k = 0; k < scene.objects().size(); k++) {
            int id = scene.objects().get(k).instanceId();
            if (id != 0) {
                of.computeIfAbsent(id, x -> new ArrayList<>()).add(k);
            }
        }
        for (Group g : scene.groups()) {
            List<Integer> all = new ArrayList<>();
            g.members().forEach(m -> all.addAll(of.get(m)));
            of.put(g.id(), all);
        }
        return of;
    }

    private static Map<Integer, List<Integer>> got(Scene scene) {
        PackedScene.ObjectsByInstance by = PackedScene.objectsByInstance(scene);
        Map<Integer, List<Integer>> of = new TreeMap<>(Integer::compareUnsigned);
        List<Integer> order = new ArrayList<>();
        for (int g = 0; g < by.ids().length; g++) {
            List<Integer> objects = new ArrayList<>();
            for (int i = by.firsts()[g]; i < by.firsts()[g + 1]; i++) {
                objects.add(by.objects()[i]);
            }
            assertThat(of.put(by.ids()[g], objects)).as("id " + by.ids()[g] + " once").isNull();
            order.add(by.ids()[g]);
        }
        assertThat(order).as("ids in unsigned order").isEqualTo(new ArrayList<>(of.keySet()));
        return of;
    }

    @Test
    void everyPresetAndExampleScene() throws Exception {
        int groups = 0;
        for (TestScenes.Named n : TestScenes.smallScenesOfEveryKind()) {
            assertThat(got(n.scene())).as(n.name()).isEqualTo(reference(n.scene()));
            groups += n.scene().groups().size();
        }
        assertThat(groups).as("groups among them").isGreaterThan(5);
    }

    /**
     * Ids past 2^31 (negative as ints) sort after the others; instances of several objects interleaved in the scene;
     * groups of two and three members, in member order, not id order.
     */
    @Test
    void unsignedIdsInterleavedObjectsAndGroups() {
        Scene boxes = RandomScenes.of(3, 64, 48, 0, 12);
        int[] ids = {7, -5, 7, 3, Integer.MIN_VALUE, -5, 0, 3, 7, 42, Integer.MAX_VALUE, -1};
        List<SceneObject> objects = new ArrayList<>();
        for (int k = 0; k < ids.length; k++) {
            SceneObject o = boxes.objects().get(k);
            objects.add(new SceneObject(o.kind(), 26, ids[k], o.mesh(), o.material(), new Matrix4f(o.modelToWorld())));
        }
        List<Group> groups = List.of(
                new Group(new Instance(-2, "pair", 26, new Vector3f(), 1, 1, 1, 0), List.of(42, 7)),
                new Group(new Instance(100, "three", 26, new Vector3f(), 1, 1, 1, 0), List.of(-5, 3, Integer.MIN_VALUE)));
        Scene scene = new Scene(boxes.labels(), objects, boxes.camera(), boxes.light(), boxes.backgroundClassId(),
                Environment.uniformSky(new dev.roadsynth.core.Rgb(0, 0, 0)), List.of(), List.of(), groups);
        Map<Integer, List<Integer>> expected = reference(scene);
        assertThat(expected.get(-2)).containsExactly(9, 0, 2, 8);
        assertThat(got(scene)).isEqualTo(expected);
    }
}
