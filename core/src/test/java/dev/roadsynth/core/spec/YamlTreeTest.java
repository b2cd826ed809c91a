package dev.roadsynth.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.StringReader;
import org.junit.jupiter.api.Test;

class YamlTreeTest {
    private static String problem(String text, String source) {
        return catchThrowableOfType(SpecException.class, () -> YamlTree.parse(new StringReader(text), source))
                .problems().get(0);
    }

    /** JSON is read as YAML, of which it is a part; a .json file's syntax error is still called what its user wrote. */
    @Test
    void aSyntaxErrorIsCalledJsonInAJsonFileAndYamlElsewhere() {
        String broken = "{\n  \"version\": 1,\n  \"road\": {\"layout\": \"curved\",\n}\n";
        assertThat(problem(broken, "scene.json")).isEqualTo("scene.json:5:1: not valid JSON: expected ',' or '}', but"
                + " got the end of the file (while parsing a flow mapping that begins at 1:1)");
        assertThat(problem(broken, "scene.JSON")).startsWith("scene.JSON:5:1: not valid JSON: ");
        assertThat(problem(broken, "scene.yaml")).startsWith("scene.yaml:5:1: not valid YAML: ");
    }
}
