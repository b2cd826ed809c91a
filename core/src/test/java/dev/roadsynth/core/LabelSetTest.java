package dev.roadsynth.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelSetTest {
    private static LabelSet parse(String yaml) {
        return LabelSet.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
    }

    @Test
    void cityscapesHasItsThirtyFourLabels() {
        LabelSet cs = LabelSet.cityscapes();
        assertThat(cs.labels()).hasSize(34);
        assertThat(cs.maxId()).isEqualTo(33);
        for (int id = 0; id <= 33; id++) {
            assertThat(cs.byId(id).id()).isEqualTo(id);
        }
        Label car = cs.byName("car");
        assertThat(car).isEqualTo(new Label("car", 26, 13, "vehicle", true, false, new Rgb(0, 0, 142)));
        assertThat(cs.byName("road").trainId()).isEqualTo(0);
        assertThat(cs.byName("bicycle").trainId()).isEqualTo(18);
        assertThat(cs.byName("caravan").trainId()).isEqualTo(Label.IGNORE_TRAIN_ID);
        assertThat(cs.labels().stream().filter(Label::hasInstances).map(Label::name))
                .containsExactly("person", "rider", "car", "truck", "bus", "caravan", "trailer", "train", "motorcycle", "bicycle");
        // 19 classes are trained on, with train ids 0..18.
        assertThat(cs.labels().stream().mapToInt(Label::trainId).filter(t -> t != 255).sorted().toArray())
                .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18);
    }

    @Test
    void unknownNamesAndIdsFailNamingThem() {
        assertThatThrownBy(() -> LabelSet.cityscapes().byName("lorry"))
                .isInstanceOf(LabelSetException.class).hasMessageContaining("'lorry'").hasMessageContaining("car");
        assertThatThrownBy(() -> LabelSet.cityscapes().byId(34))
                .isInstanceOf(LabelSetException.class).hasMessageContaining("34");
    }

    @Test
    void loadsACustomTableFromYamlAndJson(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("labels.yaml");
        Files.writeString(yaml, """
                labels:
                  - {name: background, id: 0, trainId: 255, category: void, hasInstances: false, ignoreInEval: true, color: [0, 0, 0]}
                  - {name: lane, id: 300, trainId: 0, category: flat, hasInstances: false, ignoreInEval: false, color: [255, 255, 255]}
                """);
        LabelSet set = LabelSet.load(yaml);
        assertThat(set.id("lane")).isEqualTo(300);
        assertThat(set.contains(299)).isFalse();
        Path json = dir.resolve("labels.json");
        Files.writeString(json, "{\"labels\": [{\"name\": \"a\", \"id\": 1, \"trainId\": 0, \"category\": \"x\","
                + " \"hasInstances\": true, \"ignoreInEval\": false, \"color\": [1, 2, 3]}]}");
        assertThat(LabelSet.load(json).byId(1).hasInstances()).isTrue();
    }

    @Test
    void toJsonReadsBackAsTheSameTableForJacksonAndForTheLoader() throws Exception {
        LabelSet custom = LabelSet.of(List.of(
                new Label("back\\ground \"void\"", 0, 255, "vo\tid", false, true, new Rgb(0, 0, 0)),
                new Label("lane", 300, 0, "flat", true, false, new Rgb(255, 128, 1))));
        for (LabelSet set : List.of(LabelSet.cityscapes(), custom)) {
            byte[] json = set.toJson();
            assertThat(LabelSet.parse(new java.io.ByteArrayInputStream(json), "round trip")).isEqualTo(set);
            var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json); // strict JSON, not only YAML
            assertThat(tree.get("labels").size()).isEqualTo(set.labels().size());
            assertThat(set.toJson()).isEqualTo(json);
        }
        assertThat(new String(custom.toJson(), java.nio.charset.StandardCharsets.UTF_8)).contains(
                "{\"name\": \"lane\", \"id\": 300, \"trainId\": 0, \"category\": \"flat\", \"hasInstances\": true,"
                        + " \"ignoreInEval\": false, \"color\": [255, 128, 1]}");
    }

    @Test
    void reportsEveryProblemWithPathAndAllowedValues() {
        assertThatThrownBy(() -> parse("""
                labels:
                  - {name: a, id: 1, trainId: 0, category: x, hasInstances: false, ignoreInEval: false, color: [1, 2, 3]}
                  - {name: a, id: 1, trainId: 300, category: x, hasInstances: false, ignoreInEval: false, color: [1, 2, 3]}
                  - {name: b, id: 70000, trainId: 1, category: x, hasInstances: false, ignoreInEval: true, color: [9, 9, 9]}
                """))
                .isInstanceOf(LabelSetException.class)
                .hasMessageContaining("test.yaml")
                .hasMessageContaining("labels[1] (a).name: 'a' repeats labels[0]")
                .hasMessageContaining("labels[1] (a).id: 1 repeats labels[0]")
                .hasMessageContaining("trainId: 300 is out of range 0..255")
                .hasMessageContaining("labels[2] (b).id: 70000 is out of range 0..65535")
                .hasMessageContaining("also the colour of 'a'");
    }

    @Test
    void rejectsMissingFieldsUnknownFieldsAndBadColours() {
        assertThatThrownBy(() -> parse("labels:\n  - {name: a, id: one, colour: [1, 2, 3], color: [1, 2, 300]}\n"))
                .isInstanceOf(LabelSetException.class)
                .hasMessageContaining("labels[0].colour: unknown field; did you mean 'color'?; allowed: name, id, trainId,"
                        + " category, hasInstances, ignoreInEval, color")
                .hasMessageContaining("labels[0].id: \"one\"; expected an integer")
                .hasMessageContaining("labels[0].trainId: missing")
                .hasMessageContaining("labels[0].color: [1,2,300]");
        assertThatThrownBy(() -> parse("classes: []")).hasMessageContaining("labels: missing");
        assertThatThrownBy(() -> parse("labels: [")).hasMessageContaining("not valid YAML or JSON");
    }
}
