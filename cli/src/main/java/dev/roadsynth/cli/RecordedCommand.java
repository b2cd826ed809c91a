package dev.roadsynth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command line that made a dataset, said back from its run record ({@code run.json}), so that whoever holds the
 * dataset but not the command (a colleague's, a cluster job's) can rerun it: to resume it, or to mend what
 * {@code validate} found missing or damaged. Run with the same version of roadsynth (the record names it) and from
 * the directory the scene and pipeline files' paths are relative to, it gives the same record, so the run is taken
 * as the same one.
 */
final class RecordedCommand {
    /** A scene in a generate record: its source, its image size, and for a file its digest. */
    private static final Pattern SCENE = Pattern.compile("(.+) (\\d+)x(\\d+)( sha256:[0-9a-f]+)?");

    private RecordedCommand() {
    }

    /**
     * The command that the run record in {@code dir} says, writing into {@code dir}, as one shell line, followed by
     * what its rerun needs besides ("(with roadsynth V, which made it; this is W; from the folder that a.yaml is
     * relative to)"); null where the record says none (none, damaged, or of another kind).
     */
    static String said(Path dir) {
        JsonNode run;
        try {
            run = dev.roadsynth.core.dataset.RunState.record(dir);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
        List<String> args = of(run, dir);
        if (args == null) {
            return null;
        }
        List<String> notes = new ArrayList<>();
        String version = run.path("version").asText();
        if (!version.equals(Main.version())) {
            notes.add("with roadsynth " + version + ", which made it; this is " + Main.version());
        }
        List<String> relative = relativePaths(run);
        if (!relative.isEmpty()) {
            notes.add("from the folder that " + String.join(" and ", relative) + (relative.size() == 1 ? " is" : " are")
                    + " relative to");
        }
        return line(args) + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")");
    }

    /**
     * The merge that joined the dataset in {@code dir} ({@link dev.roadsynth.core.dataset.ShardMerge#MERGED}), as one
     * shell line, where its record still describes the dataset (the run record it wrote is the dataset's: no run
     * extended it since) and each shard it names is still there with a run record (whether they are whole, the
     * merge's rerun checks); else null.
     */
    static String merged(Path dir) {
        try {
            JsonNode merged = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(dir.resolve(dev.roadsynth.core.dataset.ShardMerge.MERGED).toFile());
            JsonNode run = dev.roadsynth.core.dataset.RunState.record(dir);
            if (run == null || !run.equals(merged.path("run")) || merged.path("shards").isEmpty()) {
                return null;
            }
            List<String> args = new ArrayList<>(List.of("roadsynth", "merge"));
            if (merged.path("link").asBoolean()) {
                args.add("--link");
            }
            args.addAll(List.of("--out", dir.toString()));
            for (JsonNode shard : merged.path("shards")) {
                if (!java.nio.file.Files.isRegularFile(Path.of(shard.asText()).resolve("run.json"))) {
                    return null;
                }
                args.add(shard.asText());
            }
            return line(args);
        } catch (java.io.IOException | RuntimeException e) {
            return null; // none, or not readable: nothing to offer
        }
    }

    /**
     * The arguments of the generate or augment command that {@code run} records, writing into {@code out}; null
     * when it is not such a record (damaged, or of another kind).
     */
    static List<String> of(JsonNode run, Path out) {
        if (run == null) {
            return null;
        }
        return "augment".equals(run.path("command").asText()) ? augment(run, out) : generate(run, out);
    }

    private static List<String> generate(JsonNode run, Path out) {
        if (!run.path("count").canConvertToLong() || !run.path("scenes").isArray() || run.get("scenes").isEmpty()) {
            return null;
        }
        List<String> args = new ArrayList<>(List.of("roadsynth", "generate"));
        String size = null;
        boolean oneSize = true;
        for (JsonNode s : run.get("scenes")) {
            Matcher m = SCENE.matcher(s.asText());
            if (!m.matches()) {
                return null;
            }
            args.add(m.group(1));
            String wh = m.group(2) + "x" + m.group(3);
            oneSize &= size == null || size.equals(wh);
            size = wh;
        }
        // Every scene at one size: --size gives that size to each, the record the same; scenes of their own sizes
        // (files, no --size) keep them.
        if (oneSize) {
            args.addAll(List.of("--size", size));
        }
        args.addAll(List.of("--count", run.get("count").asText(), "--seed", run.path("seed").asText("0")));
        List<String> formats = new ArrayList<>();
        run.path("formats").forEach(f -> formats.add(f.asText()));
        if (!formats.isEmpty() && !formats.equals(List.of("cityscapes"))) {
            args.addAll(List.of("--format", String.join(",", formats)));
        }
        option(args, "--split", run, "split", "train=1");
        option(args, "--shard", run, "shard", "0/1");
        option(args, "--min-visible-pixels", run, "minVisiblePixels", "1");
        option(args, "--max-occlusion", run, "maxOcclusion", "1.0");
        if (run.path("only").isArray()) {
            List<String> only = new ArrayList<>();
            run.get("only").forEach(i -> only.add(i.asText()));
            args.addAll(List.of("--only", String.join(",", only)));
        }
        if (run.path("augment").isTextual()) {
            args.addAll(List.of("--augment", withoutDigest(run.get("augment").asText())));
        }
        args.addAll(List.of("--out", out.toString()));
        return args;
    }

    private static List<String> augment(JsonNode run, Path out) {
        if (!run.path("in").isTextual() || !run.path("spec").isTextual()) {
            return null;
        }
        List<String> args = new ArrayList<>(List.of("roadsynth", "augment", run.get("in").asText(), out.toString(),
                "--spec", withoutDigest(run.get("spec").asText()), "--copies", run.path("copies").asText("1"),
                "--seed", run.path("seed").asText("0")));
        if (run.path("split").isTextual()) {
            args.addAll(List.of("--split", run.get("split").asText()));
        }
        return args;
    }

    /** {@code --name VALUE} for a record's field, unless it holds the option's default. */
    private static void option(List<String> args, String name, JsonNode run, String field, String otherwise) {
        JsonNode v = run.path(field);
        if (v.isValueNode() && !v.isNull() && !v.asText().equals(otherwise)) {
            args.addAll(List.of(name, v.asText()));
        }
    }

    /**
     * The relative paths among the files and folders the record names (scene and pipeline files, augment's input):
     * the command is to be run from the folder they start from.
     */
    static List<String> relativePaths(JsonNode run) {
        List<String> paths = new ArrayList<>();
        run.path("scenes").forEach(s -> {
            Matcher m = SCENE.matcher(s.asText());
            if (m.matches() && !m.group(1).startsWith("preset:")) {
                paths.add(m.group(1));
            }
        });
        for (String field : List.of("augment", "in", "spec")) {
            if (run.path(field).isTextual()) {
                paths.add(withoutDigest(run.get(field).asText()));
            }
        }
        paths.removeIf(p -> Path.of(p).isAbsolute());
        return paths;
    }

    /** "FILE sha256:HEX" (a pipeline file as a record names it) to FILE. */
    private static String withoutDigest(String recorded) {
        int at = recorded.lastIndexOf(" sha256:");
        return at < 0 ? recorded : recorded.substring(0, at);
    }

    /** The arguments as one line for a POSIX shell: each quoted where it holds more than plain characters. */
    static String line(List<String> args) {
        List<String> quoted = new ArrayList<>(args.size());
        for (String a : args) {
            quoted.add(!a.isEmpty() && a.matches("[A-Za-z0-9_./:=,+@%^-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return String.join(" ", quoted);
    }
}
