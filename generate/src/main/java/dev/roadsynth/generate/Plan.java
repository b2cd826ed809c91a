package dev.roadsynth.generate;

import static dev.roadsynth.generate.PlanException.Component.AUGMENT;
import static dev.roadsynth.generate.PlanException.Component.COUNT;
import static dev.roadsynth.generate.PlanException.Component.FORMATS;
import static dev.roadsynth.generate.PlanException.Component.ONLY;
import static dev.roadsynth.generate.PlanException.Component.SHARD;
import static dev.roadsynth.generate.PlanException.Component.SPECS;
import static dev.roadsynth.generate.PlanException.Component.SPLIT;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roadsynth.core.Label;
import dev.roadsynth.core.LabelSet;
import dev.roadsynth.core.dataset.CityscapesWriter;
import dev.roadsynth.core.dataset.Formats;
import dev.roadsynth.core.dataset.Manifest;
import dev.roadsynth.core.dataset.Shards;
import dev.roadsynth.core.dataset.Splits;
import dev.roadsynth.renderer.Annotator;
import dev.roadsynth.scenes.spec.SceneSpec;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.LongStream;

/**
 * What a generation run ({@link Generation#run}) makes: sample indices 0..count-1 (only those in {@code only},
 * sorted, when not null) with {@code i mod shards == shard}, from {@code specs} in turn with seeds from
 * {@code seed}, into {@code out} in {@code formats}, split by {@code split} (name=fraction,..., as the user spelled it:
 * run.json records the spelling),
 * with objects kept by {@code policy}, augmented when {@code augment} is not null; {@code version} is the build's,
 * recorded in run.json and every manifest line. {@link #builder} fills in generate's defaults.
 *
 * <p>Made only if it obeys the rules of a dataset, checked here so that no caller can write a broken one:
 * at least one sample and one scene; {@code only} within 0..count-1, each index once (kept sorted: samples are
 * made and listed in index order, whatever the order given); {@code 0 <= shard < shards}; known formats
 * (duplicates dropped), not both {@code depth} and {@code depth-png}; one class table for every scene (a class id
 * and a COCO category must mean one class in every sample), whose ids fit Cityscapes' 8-bit labelIds when that
 * format is written; and an augmentation that fills with a class of that table and is not asked for beside
 * {@code kitti}, whose 3D boxes do not follow 2D warps.
 *
 * @throws PlanException naming the component that breaks a rule and what is allowed
 */
public record Plan(List<SceneSpec> specs, long count, long seed, Path out, List<String> formats, long[] only,
                   Annotator.Policy policy, int shard, int shards, String split, Augmentation augment, String version) {
    public Plan {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(version, "version");
        specs = List.copyOf(specs);
        formats = List.copyOf(new LinkedHashSet<>(formats));
        if (count < 1) {
            throw new PlanException(COUNT, count + " must be at least 1");
        }
        only = only == null ? null : sortedIndices(only, count);
        if (shards < 1 || shard < 0 || shard >= shards) {
            throw new PlanException(SHARD, shard + "/" + shards + " needs 0 <= K < N");
        }
        parseSplit(split);
        LabelSet table = oneClassTable(specs);
        requireWritable(formats, table, specs.get(0).source());
        if (augment != null) {
            requireAugmentable(augment, formats, table);
        }
    }

    /** The splits, as {@link #split} spells them. */
    public Splits splits() {
        return parseSplit(split);
    }

    /** The split spelling parsed, or a PlanException naming component split. */
    private static Splits parseSplit(String split) {
        try {
            return Splits.parse(Objects.requireNonNull(split, "split"));
        } catch (IllegalArgumentException e) {
            throw new PlanException(SPLIT, e.getMessage(), e);
        }
    }

    /** The class table every scene labels with, or a PlanException naming the first that differs. */
    private static LabelSet oneClassTable(List<SceneSpec> specs) {
        if (specs.isEmpty()) {
            throw new PlanException(SPECS, "no scene to make samples of");
        }
        LabelSet table = specs.get(0).labels().set();
        for (SceneSpec sp : specs) {
            if (!sp.labels().set().equals(table)) {
                throw new PlanException(SPECS, sp.source() + " labels with another class table than "
                        + specs.get(0).source() + " (" + difference(sp.labels().set(), table) + "); a dataset"
                        + " needs one class table, so generate these scenes into separate datasets");
            }
        }
        return table;
    }

    /** Refuses formats that are unknown, none, both depths, or cityscapes with ids {@code table} cannot hold. */
    private static void requireWritable(List<String> formats, LabelSet table, String tableSource) {
        String unknown = Formats.unknownIn(formats);
        if (unknown != null || formats.isEmpty()) {
            throw new PlanException(FORMATS, unknown != null ? unknown : "none given; give one or more of "
                    + String.join(", ", Formats.NAMES));
        }
        if (formats.contains("depth") && formats.contains("depth-png")) {
            throw new PlanException(FORMATS, "depth writes depth-png's PNG as well; give one of the two");
        }
        if (formats.contains("cityscapes")) {
            try {
                CityscapesWriter.requireEncodable(table);
            } catch (IllegalArgumentException e) {
                throw new PlanException(FORMATS, "cityscapes: " + e.getMessage() + " (" + tableSource
                        + "); give such classes smaller ids, or write raw, coco or depth, which hold 16-bit ids",
                        e);
            }
        }
    }

    /** Refuses an augmentation beside kitti, or one that fills with a class {@code table} does not have. */
    private static void requireAugmentable(Augmentation augment, List<String> formats, LabelSet table) {
        if (formats.contains("kitti")) {
            throw new PlanException(AUGMENT, "kitti's 3D boxes and calibration do not follow 2D warps;"
                    + " write kitti unaugmented, or augment the other formats");
        }
        try {
            augment.pipeline().requireFillClassIn(table);
        } catch (IllegalArgumentException e) {
            throw new PlanException(AUGMENT, e.getMessage(), e);
        }
    }

    /**
     * A builder of a plan of {@code count} samples of {@code specs} (in turn) into {@code out}, with generate's
     * defaults for the rest: seed 0, cityscapes, split train=1, every index, {@link Annotator.Policy#DEFAULT},
     * unsharded, unaugmented, version "dev".
     */
    public static Builder builder(List<SceneSpec> specs, long count, Path out) {
        return new Builder(specs, count, out);
    }

    /** The chosen sample indices, sorted, or null for all of 0..count-1 (a copy: the plan stays as made). */
    @Override
    public long[] only() {
        return only == null ? null : only.clone();
    }

    /** The sample indices to make: all of 0..count-1 (or the chosen ones) that fall in this shard. */
    LongStream indices() {
        return Shards.indices(count, only, shard, shards);
    }

    /** What makes two runs the same dataset: a rerun with these resumes, with others is refused. */
    Map<String, Object> parameters() {
        return Manifest.ordered("version", version, "count", count, "seed", seed,
                "scenes", specs.stream().map(Plan::sceneRecord).toList(),
                "formats", formats, "split", split, "shard", shard + "/" + shards,
                "minVisiblePixels", policy.minVisiblePixels(), "maxOcclusion", policy.maxOcclusion(),
                "only", only == null ? null : Arrays.stream(only).boxed().toList(),
                "augment", augment == null ? null : augment.file() + " sha256:" + augment.sha256());
    }

    /**
     * A scene as the run record names it: its source and image size, and for a file its digest (text and class
     * table), so that a rerun or a merge with an edited file is refused as one with other parameters is. A preset's
     * text changes only with roadsynth's version, which the record names apart.
     */
    private static String sceneRecord(SceneSpec s) {
        String named = s.source() + " " + s.camera().width() + "x" + s.camera().height();
        return s.source().startsWith("preset:") ? named : named + " sha256:" + s.digest();
    }

    /**
     * The first scene file of this plan that an earlier run's {@code record} lists with another digest (the file, or
     * the class table it names, edited since that run began), said as "FILE, changed since (sha256 ... before, ...
     * now)"; null if none is (or there is no record). For a clearer refusal than the records' difference alone.
     */
    String editedScene(JsonNode record) {
        if (record == null || !record.path("scenes").isArray() || record.get("scenes").size() != specs.size()) {
            return null;
        }
        for (int i = 0; i < specs.size(); i++) {
            String before = record.get("scenes").get(i).asText();
            String now = sceneRecord(specs.get(i));
            int b = before.lastIndexOf(" sha256:");
            int n = now.lastIndexOf(" sha256:");
            if (b > 0 && n > 0 && !before.equals(now) && before.substring(0, b).equals(now.substring(0, n))) {
                return specs.get(i).source() + " (or the class table it names), changed since (sha256 "
                        + before.substring(b + 8, b + 20) + "... before, " + now.substring(n + 8, n + 20) + "... now)";
            }
        }
        return null;
    }

    /** Builds a {@link Plan}; {@link #build} checks it. Each setter replaces what was set before. */
    public static final class Builder {
        private final List<SceneSpec> specs;
        private final long count;
        private final Path out;
        private long seed;
        private List<String> formats = List.of("cityscapes");
        private String split = "train=1";
        private long[] only;
        private Annotator.Policy policy = Annotator.Policy.DEFAULT;
        private int shard;
        private int shards = 1;
        private Augmentation augment;
        private String version = "dev";

        private Builder(List<SceneSpec> specs, long count, Path out) {
            this.specs = specs;
            this.count = count;
            this.out = out;
        }

        /** The base seed: sample i is drawn from {@code Seeds.forSample(seed, i)}. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The formats to write, by name ({@code Formats.NAMES}). */
        public Builder formats(List<String> formats) {
            this.formats = formats;
            return this;
        }

        /** The splits as name=fraction,... (fractions adding up to 1), e.g. {@code train=0.8,val=0.2}. */
        public Builder split(String split) {
            this.split = split;
            return this;
        }

        /** Only these sample indices (in any order), or null for all of 0..count-1. */
        public Builder only(long... only) {
            this.only = only;
            return this;
        }

        /** Which objects the annotations (COCO, KITTI) keep. */
        public Builder policy(Annotator.Policy policy) {
            this.policy = policy;
            return this;
        }

        /** Shard {@code k} of {@code n}: only the samples i with i mod n = k. */
        public Builder shard(int k, int n) {
            this.shard = k;
            this.shards = n;
            return this;
        }

        /** The augmentation of every sample before it is written, or null for none. */
        public Builder augment(Augmentation augment) {
            this.augment = augment;
            return this;
        }

        /** The build's version, recorded in run.json and every manifest line (a rerun by another is refused). */
        public Builder version(String version) {
            this.version = version;
            return this;
        }

        /**
         * The plan.
         *
         * @throws PlanException where it breaks a rule of a dataset (see {@link Plan}), or where the split is not
         *                       name=fraction,... adding up to 1 (component {@code split})
         */
        public Plan build() {
            return new Plan(specs, count, seed, out, formats, only, policy, shard, shards, split, augment, version);
        }
    }

    /** {@code only}, sorted, each index within 0..count-1 and given once, else a PlanException naming it. */
    private static long[] sortedIndices(long[] only, long count) {
        long[] sorted = only.clone();
        Arrays.sort(sorted);
        for (int k = 0; k < sorted.length; k++) {
            if (sorted[k] < 0 || sorted[k] >= count) {
                throw new PlanException(ONLY, "index " + sorted[k] + " is out of range 0.." + (count - 1));
            }
            if (k > 0 && sorted[k] == sorted[k - 1]) {
                throw new PlanException(ONLY, "index " + sorted[k] + " is given twice");
            }
        }
        return sorted;
    }

    /** How class table {@code a} differs from {@code b}, in a few words. */
    private static String difference(LabelSet a, LabelSet b) {
        List<String> names = a.labels().stream().map(Label::name).toList();
        List<String> otherNames = b.labels().stream().map(Label::name).toList();
        if (!names.equals(otherNames)) {
            return names.size() + " classes: " + first(names) + " against " + otherNames.size() + " classes: "
                    + first(otherNames);
        }
        for (int i = 0; i < names.size(); i++) { // same classes: some flag, id or colour differs (e.g. ignore:)
            Label x = a.labels().get(i);
            Label y = b.labels().get(i);
            if (!x.equals(y)) {
                return "class '" + x.name() + "' is " + x + " against " + y;
            }
        }
        return "they differ";
    }

    private static String first(List<String> names) {
        return String.join(", ", names.subList(0, Math.min(4, names.size()))) + (names.size() > 4 ? ", ..." : "");
    }

    /**
     * Caveats about this plan's output, known before it is made, one sentence each (without "note:"):
     * with {@code kitti}, scenes whose cameras pitch or roll, since KITTI's 3D boxes are upright in the camera frame
     * and so only approximate objects upright in the world (docs/formats.md).
     */
    public List<String> caveats() {
        if (!formats.contains("kitti")) {
            return List.of();
        }
        List<String> tilted = specs.stream()
                .filter(s -> !s.camera().pitch().always(0.0) || !s.camera().roll().always(0.0))
                .map(SceneSpec::source).distinct().toList();
        if (tilted.isEmpty()) {
            return List.of();
        }
        return List.of("kitti: the cameras of " + String.join(", ", tilted) + " pitch or roll; KITTI's 3D boxes are"
                + " upright in the camera frame, so theirs miss the objects' outlines by a few pixels (docs/formats.md);"
                + " camera pitch: 0 and roll: 0 make them exact (examples/kitti-like.yaml)");
    }
}
