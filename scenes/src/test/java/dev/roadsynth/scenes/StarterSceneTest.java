package dev.roadsynth.scenes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StarterSceneTest {
    private static List<String> describe(Scene s) {
        return s.objects().stream().map(o -> o.kind() + o.classId() + "/" + o.instanceId() + o.modelToWorld()).toList();
    }

    @Test
    void sameSeedSameSceneOtherSeedOtherScene() {
        assertThat(describe(StarterScene.generate(5))).isEqualTo(describe(StarterScene.generate(5)));
        assertThat(describe(StarterScene.generate(5))).isNotEqualTo(describe(StarterScene.generate(6)));
    }

    @Test
    void thingsHaveInstancesAndStuffDoesNot() {
        Scene s = StarterScene.generate(1);
        for (SceneObject o : s.objects()) {
            assertThat(o.instanceId() != 0).as(o.kind()).isEqualTo(s.labels().byId(o.classId()).hasInstances());
        }
        assertThat(s.objects().stream().filter(o -> o.kind().equals("car")).count()).isGreaterThan(4);
    }
}
