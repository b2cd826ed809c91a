package dev.roadsynth.renderer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roadsynth.core.Frame;
import dev.roadsynth.scenes.Scene;
import dev.roadsynth.scenes.SceneGenerator;
import dev.roadsynth.scenes.SceneObject;
import dev.roadsynth.scenes.spec.SceneSpec;
import dev.roadsynth.scenes.spec.SceneSpecs;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Scene files and presets through the renderer: they render, reproducibly, and the label policies act. */
class SceneRenderTest extends WithRenderer {

    @Test
    void everyPresetAndExampleRendersReproducibly() throws Exception {
        for (SceneSpec spec : TestScenes.presetsAndExamples()) {
            SceneSpec small = spec.withResolution(320, 160);
            Frame a = renderer.render(SceneGenerator.generate(small, 7));
            Frame b = renderer.render(SceneGenerator.generate(small, 7));
            Frame other = renderer.render(SceneGenerator.generate(small, 8));
            assertThat(b.semantic()).as(spec.source()).isEqualTo(a.semantic());
            assertThat(b.instance()).as(spec.source()).isEqualTo(a.instance());
            assertThat(b.depth()).as(spec.source()).isEqualTo(a.depth());
            assertThat(b.rgb()).as(spec.source()).isEqualTo(a.rgb());
            assertThat(other.semantic()).as(spec.source() + " with another seed").isNotEqualTo(a.semantic());
            Set<Integer> classes = new HashSet<>();
            for (int y = 0; y < a.height(); y++) {
                for (int x = 0; x < a.width(); x++) {
                    classes.add(a.semantic().get(x, y));
                }
            }
            assertThat(classes).as(spec.source()).hasSizeGreaterThanOrEqualTo(4).allMatch(c -> a.labels().contains(c));
        }
    }

    /**
     * Every class with objects in the scene shows in the label plane wherever it is not occluded: at every pixel
     * its objects cover when rendered alone, the full render shows that class or a surface no farther away.
     */
    @Test
    void everyClassPresentIsVisibleUnlessOccluded() {
        Scene scene = SceneGenerator.generate(SceneSpecs.preset("urban-intersection").withResolution(512, 256), 4);
        Frame full = renderer.render(scene);
        Set<Integer> sceneClasses = new HashSet<>();
        List<Integer> visible = new ArrayList<>();
        scene.objects().forEach(o -> sceneClasses.add(o.classId()));
        for (int cls : sceneClasses) {
            List<SceneObject> only = scene.objects().stream().filter(o -> o.classId() == cls).toList();
            Scene alone = new Scene(scene.labels(), only, scene.camera(), scene.light(), scene.backgroundClassId(),
                    scene.environment(), List.of(), List.of());
            Frame solo = renderer.render(alone);
            int shown = 0;
            for (int y = 0; y < full.height(); y++) {
                for (int x = 0; x < full.width(); x++) {
                    if (solo.semantic().get(x, y) != cls || solo.depth().get(x, y) == 0) {
                        continue;
                    }
                    if (full.semantic().get(x, y) == cls) {
                        shown++;
                    } else {
                        // Hidden here: by something that is really there and no farther away.
                        assertThat(full.depth().get(x, y)).as("class %d hidden at (%d, %d)", cls, x, y)
                                .isGreaterThan(0f).isLessThanOrEqualTo(solo.depth().get(x, y) * 1.0001f);
                    }
                }
            }
            visible.add(shown > 0 ? cls : -cls);
        }
        // The check means something only if most classes do show.
        assertThat(visible.stream().filter(c -> c > 0).count()).isGreaterThanOrEqualTo(8);
    }

    private static Frame render(String yaml, long seed) {
        SceneSpec spec = SceneSpecs.parse(new StringReader(yaml), "policy.yaml", null);
        return renderer.render(SceneGenerator.generate(spec, seed));
    }

    private static int count(Frame f, int cls) {
        int n = 0;
        for (int y = 0; y < f.height(); y++) {
            for (int x = 0; x < f.width(); x++) {
                n += f.semantic().get(x, y) == cls ? 1 : 0;
            }
        }
        return n;
    }

    private static final String BILLBOARD_STREET = """
            road: {layout: straight, lanesPerDirection: 1}
            static: {buildings: {probability: 0}, billboards: {count: 3, personProbability: 1}, poleSpacing: 0,
                     streetLightSpacing: 0, treeSpacing: 0, bushes: 0, trafficSigns: 0, fenceProbability: 0}
            vehicles: {cars: 0, trucks: 0, buses: 0, motorcycles: 0, bicycles: 0}
            pedestrians: {count: 0}
            camera: {width: 640, height: 320, fov: 90, pitch: -2}
            """;

    @Test
    void billboardPersonPolicyDecidesWhetherPrintedPeopleArePeople() {
        int person = 24;
        Frame asPerson = render(BILLBOARD_STREET + "labels: {billboardPerson: person}\n", 2);
        Frame asBillboard = render(BILLBOARD_STREET + "labels: {billboardPerson: billboard}\n", 2);
        assertThat(count(asPerson, person)).as("printed people labelled person").isGreaterThan(50);
        assertThat(count(asBillboard, person)).as("printed people labelled as the billboard").isZero();
        // The same pixels, now billboard (class 'static', id 4 by default).
        assertThat(count(asBillboard, 4)).isEqualTo(count(asPerson, 4) + count(asPerson, person));
    }

    private static final String STROLLER_STREET = """
            road: {layout: straight, lanesPerDirection: 1, sidewalkWidth: 4}
            static: {buildings: {probability: 0}, poleSpacing: 0, streetLightSpacing: 0, treeSpacing: 0, bushes: 0,
                     trafficSigns: 0, fenceProbability: 0}
            vehicles: {cars: 0, trucks: 0, buses: 0, motorcycles: 0, bicycles: 0}
            pedestrians: {count: 12, strollers: 1, onCrosswalk: 0}
            camera: {width: 640, height: 320, fov: 90}
            """;

    @Test
    void attachedObjectsPolicyJoinsStrollersToTheirPusherOrGivesThemAClass() {
        int person = 24;
        int dynamic = 5;
        Frame joined = render(STROLLER_STREET + "labels: {attachedObjects: join}\n", 3);
        Frame own = render(STROLLER_STREET + "labels: {attachedObjects: own-class}\n", 3);
        assertThat(count(joined, dynamic)).isZero();
        assertThat(count(own, dynamic)).as("strollers in their own class").isGreaterThan(20);
        assertThat(count(joined, person)).isEqualTo(count(own, person) + count(own, dynamic));
        // Joined: stroller pixels carry the pusher's instance id, so no person instance is split.
        Set<Integer> ownInstances = new HashSet<>();
        Set<Integer> joinedInstances = new HashSet<>();
        for (int y = 0; y < own.height(); y++) {
            for (int x = 0; x < own.width(); x++) {
                if (own.semantic().get(x, y) == person) {
                    ownInstances.add(own.instance().get(x, y));
                }
                if (joined.semantic().get(x, y) == person) {
                    joinedInstances.add(joined.instance().get(x, y));
                }
            }
        }
        assertThat(joinedInstances).containsAll(ownInstances);
    }

    @Test
    void lightAndWeatherChangeColoursButNeverLabels() {
        String street = """
                road: {layout: four-way}
                static: {billboards: {count: 1}}
                camera: {width: 480, height: 240}
                """;
        Frame plain = render(street + "environment: {sunElevation: 40, sunAzimuth: 30, shadows: false}\n", 9);
        for (String weather : List.of(
                "environment: {sunElevation: 40, sunAzimuth: 30, shadows: true}",
                "environment: {timeOfDay: 20.5, rain: 1}",
                "environment: {timeOfDay: 9, snow: 0.9, fog: {density: 0.03}}",
                "environment: {sunElevation: 5, overcast: 1, wetness: 1}")) {
            Frame f = render(street + weather + "\n", 9);
            assertThat(f.semantic()).as(weather).isEqualTo(plain.semantic());
            assertThat(f.instance()).as(weather).isEqualTo(plain.instance());
            assertThat(f.depth()).as(weather).isEqualTo(plain.depth());
            assertThat(f.rgb()).as(weather).isNotEqualTo(plain.rgb());
        }
    }
}
