package dev.roadsynth.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The ranges docs/augment.md's table of parameters gives ("| `rotation` | -180..180 degrees |") are the ranges a
 * pipeline file's validation enforces, read from its own message for a value far out of range.
 */
class DocRangesTest {
    private static final Pattern ROW = Pattern.compile("^\\| ((?:`[A-Za-z]+`(?:, )?)+) \\| ([^|]*)\\|.*");
    private static final Pattern NAME = Pattern.compile("`([A-Za-z]+)`");
    private static final Pattern DOC_RANGE = Pattern.compile("(?<![0-9.])(-?[0-9]+(?:\\.[0-9]+)?)\\.\\.(-?[0-9]+(?:\\.[0-9]+)?)");
    private static final Pattern SAID = Pattern.compile("out of range \\[([-0-9.eE]+), ([-0-9.eE]+)\\]|an integer (-?[0-9]+)\\.\\.(-?[0-9]+)");

    @Test
    void theParameterTableGivesTheRangesValidationEnforces() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("..", "docs", "augment.md"));
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (int i = 0; i < lines.size(); i++) {
            Matcher row = ROW.matcher(lines.get(i));
            Matcher doc = row.matches() ? DOC_RANGE.matcher(row.group(2)) : null;
            if (doc == null || !doc.find()) {
                continue;
            }
            Matcher names = NAME.matcher(row.group(1));
            while (names.find()) {
                checked++;
                String said = validationSays(names.group(1));
                Matcher v = said == null ? null : SAID.matcher(said);
                if (v == null || !v.find()) {
                    failures.add("docs/augment.md:" + (i + 1) + ": " + names.group(1) + ": documented " + doc.group()
                            + ", validation says: " + said);
                    continue;
                }
                double lo = Double.parseDouble(v.group(1) != null ? v.group(1) : v.group(3));
                double hi = Double.parseDouble(v.group(2) != null ? v.group(2) : v.group(4));
                if (lo != Double.parseDouble(doc.group(1)) || hi != Double.parseDouble(doc.group(2))) {
                    failures.add("docs/augment.md:" + (i + 1) + ": " + names.group(1) + ": documented " + doc.group()
                            + ", validation says: " + said);
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(checked).as("parameters with ranges in docs/augment.md's table").isGreaterThan(10);
    }

    /** Validation's problem for {@code name} set to 1e18 (both fields of output), or null if none. */
    private static String validationSays(String name) {
        String yaml = "version: 1\n" + (name.equals("output") ? "output: {width: 1e18, height: 1e18}" : name + ": 1e18") + "\n";
        AugmentSpecException e = catchThrowableOfType(AugmentSpecException.class,
                () -> Pipelines.parse(new StringReader(yaml), "probe.yaml"));
        return e == null ? null : e.problems().stream().filter(p -> p.contains(" " + name)).findFirst().orElse(null);
    }
}
