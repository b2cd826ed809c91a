package dev.roadsynth.scenes.spec;



import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.roadsynth.scenes.SceneSpecException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** docs/scene.schema.json and the parser agree: on the keys of every section, and on every example and preset. */
class SchemaAgreementTest {
    private static final Path SCHEMA = Path.of("..", "docs", "scene.schema.json");
    private static final List<String> SECTIONS = List.of("", "labels", "road", "static", "static.buildings",
            "static.billboards", "vehicles", "pedestrians", "camera", "environment", "environment.fog");

    private static JsonNode schemaJson() throws Exception {
        return new ObjectMapper().readTree(SCHEMA.toFile());
    }

    private static JsonSchema schema() throws Exception {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaJson());
    }

    /** The keys the parser accepts in a section, read from its own "allowed here" message. */
    private static Set<String> parserKeys(String section) {
        StringBuilder yaml = new StringBuilder();
        String[] parts = section.isEmpty() ? new String[0] : section.split("\\.");
        for (String p : parts) {
            yaml.append(p).append(": {");
        }
        yaml.append("zzz_unknown: 1").append("}".repeat(parts.length));
        SceneSpecException e = catchThrowableOfType(SceneSpecException.class,
                () -> SceneSpecs.parse(new StringReader(yaml.toString()), "probe.yaml", null));
        String msg = e.problems().stream().filter(m -> m.contains("zzz_unknown")).findFirst().orElseThrow();
        String allowed = msg.substring(msg.indexOf("allowed here: ") + "allowed here: ".length());
        return new TreeSet<>(Arrays.asList(allowed.split(", ")));
    }

    private static Set<String> schemaKeys(JsonNode root, String section) {
        JsonNode node = root;
        if (!section.isEmpty()) {
            for (String p : section.split("\\.")) {
                node = node.get("properties").get(p);
            }
        }
        Set<String> keys = new TreeSet<>();
        node.get("properties").fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    @Test
    void everySectionHasTheSameKeysInSchemaAndParser() throws Exception {
        JsonNode root = schemaJson();
        for (String section : SECTIONS) {
            assertThat(schemaKeys(root, section)).as("section '%s'", section).isEqualTo(parserKeys(section));
        }
    }

    @Test
    void everyExampleAndPresetIsValidUnderTheSchema() throws Exception {
        JsonSchema schema = schema();
        YAMLMapper yaml = new YAMLMapper();
        List<JsonNode> docs = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("..", "examples"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                docs.add(yaml.readTree(f.toFile()));
            }
        }
        for (String p : SceneSpecs.PRESETS) {
            try (InputStream in = SceneSpecs.class.getResourceAsStream("presets/" + p + ".yaml")) {
                docs.add(yaml.readTree(in));
            }
        }
        assertThat(docs).hasSizeGreaterThanOrEqualTo(7);
        for (JsonNode d : docs) {
            Set<ValidationMessage> problems = schema.validate(d);
            assertThat(problems).as(d.path("name").asText()).isEmpty();
        }
    }

    @Test
    void bothRejectUnknownKeysAndBadOptions() throws Exception {
        JsonSchema schema = schema();
        YAMLMapper yaml = new YAMLMapper();
        for (String doc : List.of("road: {lanes: 2}", "road: {layout: roundabout}", "camera: {hood: maybe}",
                "labels: {classes: {lorry: car}}", "vehicles: {colour: red}")) {
            assertThat(schema.validate(yaml.readTree(doc))).as(doc).isNotEmpty();
            assertThat(catchThrowableOfType(SceneSpecException.class,
                    () -> SceneSpecs.parse(new StringReader(doc), "t.yaml", null))).as(doc).isNotNull();
        }
    }
}
