package dev.roadsynth.scenes.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roadsynth.scenes.SceneSpecException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The ranges the documentation gives for scene fields ("m, 50..1000" in docs/scenes.md's commented example
 * file, "Main road length, m, 50..1000" in docs/scene.schema.json's descriptions) are the ranges validation
 * enforces, read from its own message for a value far out of range. A bound changed in the code and not in the
 * docs, or the other way round, fails here.
 */
class DocRangesTest {
    private static final Pattern DOC_RANGE = Pattern.compile("(?<![0-9.])(-?[0-9]+(?:\\.[0-9]+)?)\\.\\.(-?[0-9]+(?:\\.[0-9]+)?)");
    private static final Pattern OUT_OF_RANGE = Pattern.compile("out of range \\[([-0-9.eE]+), ([-0-9.eE]+)\\]");
    private static final Pattern INTEGERS = Pattern.compile("an integer (-?[0-9]+)\\.\\.(-?[0-9]+)");
    /** Spacings: "0 = none, else at least 2", which the docs write as "2..500, or 0 = none". */
    private static final Pattern AT_LEAST = Pattern.compile("else at least ([0-9.]+)");
    private static final Pattern KEY_LINE = Pattern.compile("^( *)([A-Za-z]+):(.*)$");

    @Test
    void theScenesReferenceGivesTheRangesValidationEnforces() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("..", "docs", "scenes.md"));
        List<String> failures = new ArrayList<>();
        int checked = 0;
        boolean yaml = false;
        Deque<Integer> indents = new ArrayDeque<>(); // the indent of each open key, beside keys
        Deque<String> keys = new ArrayDeque<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.trim().startsWith("```")) {
                yaml = line.trim().equals("```yaml");
                indents.clear();
                keys.clear();
                continue;
            }
            Matcher m = KEY_LINE.matcher(line);
            if (!yaml || !m.matches()) {
                continue;
            }
            int indent = m.group(1).length();
            while (!indents.isEmpty() && indents.peek() >= indent) {
                indents.pop();
                keys.pop();
            }
            indents.push(indent);
            keys.push(m.group(2));
            int hash = m.group(3).indexOf('#');
            Matcher doc = DOC_RANGE.matcher(hash < 0 ? "" : m.group(3).substring(hash));
            if (doc.find()) {
                List<String> path = new ArrayList<>(keys);
                java.util.Collections.reverse(path);
                checked++;
                String problem = disagreement(String.join(".", path), doc);
                if (problem != null) {
                    failures.add("docs/scenes.md:" + (i + 1) + ": " + problem);
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(checked).as("ranges found in docs/scenes.md").isGreaterThan(15);
    }

    @Test
    void theSchemaDescriptionsGiveTheRangesValidationEnforces() throws Exception {
        JsonNode schema = new ObjectMapper().readTree(Path.of("..", "docs", "scene.schema.json").toFile());
        List<String> failures = new ArrayList<>();
        int[] checked = {0};
        walk(schema, "", failures, checked);
        assertThat(failures).isEmpty();
        assertThat(checked[0]).as("ranges found in the schema's descriptions").isGreaterThan(25);
    }

    /** Checks every property under {@code node} (at {@code path}) whose description gives a range. */
    private static void walk(JsonNode node, String path, List<String> failures, int[] checked) {
        JsonNode props = node.get("properties");
        if (props != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                JsonNode d = e.getValue().get("description");
                Matcher doc = DOC_RANGE.matcher(d == null ? "" : d.asText());
                if (e.getValue().get("properties") == null && doc.find()) {
                    checked[0]++;
                    String problem = disagreement(child, doc);
                    if (problem != null) {
                        failures.add("scene.schema.json " + child + ": " + problem);
                    }
                }
                walk(e.getValue(), child, failures, checked);
            }
        }
        for (String alt : List.of("oneOf", "anyOf", "allOf")) {
            if (node.has(alt)) {
                node.get(alt).forEach(n -> walk(n, path, failures, checked));
            }
        }
    }

    /** Null when validation's range for {@code path} is the documented one; else what differs. */
    private static String disagreement(String path, Matcher doc) {
        double lo = Double.parseDouble(doc.group(1));
        double hi = Double.parseDouble(doc.group(2));
        String said = validationSays(path);
        if (said == null) {
            return "documented " + doc.group() + ", but validation names no range for 1e18";
        }
        Matcher v = OUT_OF_RANGE.matcher(said);
        if (!v.find()) {
            v = INTEGERS.matcher(said);
            v.find(); // validationSays keeps only problems with one of the two
        }
        Matcher least = AT_LEAST.matcher(said);
        double vlo = Double.parseDouble(v.group(1));
        double vhi = Double.parseDouble(v.group(2));
        boolean loAgrees = lo == vlo || least.find() && lo == Double.parseDouble(least.group(1));
        return loAgrees && hi == vhi ? null : "documented " + doc.group() + ", validation says: " + said;
    }

    /** Validation's problem for {@code path} set to 1e18 in an otherwise empty scene file, or null. */
    private static String validationSays(String path) {
        String[] parts = path.split("\\.");
        String yaml = String.join(": {", parts) + ": 1e18" + "}".repeat(parts.length - 1);
        SceneSpecException e = catchThrowableOfType(SceneSpecException.class,
                () -> SceneSpecs.parse(new StringReader(yaml), "probe.yaml", null));
        if (e == null) {
            return null;
        }
        return e.problems().stream().filter(p -> p.contains(" " + path + ": "))
                .filter(p -> OUT_OF_RANGE.matcher(p).find() || INTEGERS.matcher(p).find()).findFirst().orElse(null);
    }
}
