package dev.roadsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roadsynth.augment.AugmentSpecException;
import dev.roadsynth.augment.Pipelines;
import dev.roadsynth.scenes.SceneSpecException;
import dev.roadsynth.scenes.spec.SceneSpecs;
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
 * The ranges the documentation gives are the ranges validation enforces, read from its own message for a value
 * far out of range: for scene fields in docs/scenes.md's commented example file ("m, 50..1000") and in
 * docs/scene.schema.json's descriptions ("Main road length, m, 50..1000"), for augmentation parameters in
 * docs/augment.md's table ("| `rotation` | -180..180 degrees |"). A bound changed in the code and not in the docs,
 * or the other way round, fails here.
 */
class DocRangesTest {
    private static final Pattern DOC_RANGE = Pattern.compile("(?<![0-9.])(-?[0-9]+(?:\\.[0-9]+)?)\\.\\.(-?[0-9]+(?:\\.[0-9]+)?)");
    /** Validation's two ways to name a range: numbers' "out of range [a, b]", integers' "an integer a..b". */
    private static final Pattern SAID = Pattern.compile(
            "out of range \\[([-0-9.eE]+), ([-0-9.eE]+)\\]|an integer (-?[0-9]+)\\.\\.(-?[0-9]+)");
    /** Spacings: "0 = none, else at least 2", which the docs write as "2..500, or 0 = none". */
    private static final Pattern AT_LEAST = Pattern.compile("else at least ([0-9.]+)");
    private static final Pattern KEY_LINE = Pattern.compile("^( *)([A-Za-z]+):(.*)$");
    /** A row of augment.md's parameter table: its names in backticks, then what is allowed. */
    private static final Pattern TABLE_ROW = Pattern.compile("^\\| ((?:`[A-Za-z]+`(?:, )?)+) \\| ([^|]*)\\|.*");
    private static final Pattern PARAMETER = Pattern.compile("`([A-Za-z]+)`");

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
                String problem = disagreement(doc, sceneSays(String.join(".", path)));
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
                    String problem = disagreement(doc, sceneSays(child));
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

    @Test
    void theAugmentParameterTableGivesTheRangesValidationEnforces() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("..", "docs", "augment.md"));
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (int i = 0; i < lines.size(); i++) {
            Matcher row = TABLE_ROW.matcher(lines.get(i));
            Matcher doc = row.matches() ? DOC_RANGE.matcher(row.group(2)) : null;
            if (doc == null || !doc.find()) {
                continue;
            }
            Matcher names = PARAMETER.matcher(row.group(1));
            while (names.find()) {
                checked++;
                String problem = disagreement(doc, pipelineSays(names.group(1)));
                if (problem != null) {
                    failures.add("docs/augment.md:" + (i + 1) + ": " + names.group(1) + ": " + problem);
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(checked).as("parameters with ranges in docs/augment.md's table").isGreaterThan(10);
    }

    /** Null when validation's message {@code said} names the documented range {@code doc}; else what differs. */
    private static String disagreement(Matcher doc, String said) {
        Matcher v = said == null ? null : SAID.matcher(said);
        if (v == null || !v.find()) {
            return "documented " + doc.group() + ", but validation names no range for 1e18: " + said;
        }
        double lo = Double.parseDouble(v.group(1) != null ? v.group(1) : v.group(3));
        double hi = Double.parseDouble(v.group(2) != null ? v.group(2) : v.group(4));
        Matcher least = AT_LEAST.matcher(said);
        double documentedLo = Double.parseDouble(doc.group(1));
        boolean loAgrees = documentedLo == lo || least.find() && documentedLo == Double.parseDouble(least.group(1));
        return loAgrees && Double.parseDouble(doc.group(2)) == hi ? null
                : "documented " + doc.group() + ", validation says: " + said;
    }

    /** Validation's problem for scene field {@code path} set to 1e18 in an otherwise empty scene file, or null. */
    private static String sceneSays(String path) {
        String[] parts = path.split("\\.");
        String yaml = String.join(": {", parts) + ": 1e18" + "}".repeat(parts.length - 1);
        SceneSpecException e = catchThrowableOfType(SceneSpecException.class,
                () -> SceneSpecs.parse(new StringReader(yaml), "probe.yaml", null));
        return e == null ? null : rangeProblem(e.problems(), " " + path + ": ");
    }

    /** Validation's problem for augmentation parameter {@code name} set to 1e18 (output: both sizes), or null. */
    private static String pipelineSays(String name) {
        String yaml = "version: 1\n" + (name.equals("output") ? "output: {width: 1e18, height: 1e18}" : name + ": 1e18");
        AugmentSpecException e = catchThrowableOfType(AugmentSpecException.class,
                () -> Pipelines.parse(new StringReader(yaml + "\n"), "probe.yaml"));
        return e == null ? null : rangeProblem(e.problems(), " " + name);
    }

    private static String rangeProblem(List<String> problems, String field) {
        return problems.stream().filter(p -> p.contains(field) && SAID.matcher(p).find()).findFirst().orElse(null);
    }
}
