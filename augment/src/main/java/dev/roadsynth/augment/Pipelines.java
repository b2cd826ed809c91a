package dev.roadsynth.augment;

import dev.roadsynth.core.spec.Dist;
import dev.roadsynth.core.spec.Node;
import dev.roadsynth.core.spec.Problems;
import dev.roadsynth.core.spec.Section;
import dev.roadsynth.core.spec.YamlTree;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads augmentation pipeline files (YAML or JSON) into a {@link Pipeline}, with the scene files' distribution
 * syntax and their error reporting (every problem at once, each as {@code file:line:column: field: message}):
 * <pre>
 * version: 1
 * rotation: {uniform: [-7, 7]}                         # degrees
 * scaleX: {uniform: [0.8, 1.2]}
 * scaleY: {uniform: [0.9, 1.1], probability: 0.5}      # applied half the time, else 1
 * hue: {normal: {mean: 0, std: 8, min: -20, max: 20}}
 * gamma: {choice: [0.8, 1.0, 1.25], weights: [1, 2, 1]}
 * flip: 0.5                                            # probability
 * output: {width: 512, height: 256}                    # crop, pad, resize; default: the input's size
 * exactHsv: false
 * fill: 0                                              # class id for pixels from outside the image
 * boxes: exact                                         # or corners
 * outside: drop                                        # or keep
 * </pre>
 * Every parameter left out stays off. See docs/augment.md for each parameter's unit and allowed range.
 */
public final class Pipelines {
    /**
     * Each ranged parameter: its allowed values (inclusive) and unit. The spec checks its own rules again, but
     * these bounds let the file's messages name the allowed range.
     */
    private static final Map<String, double[]> BOUNDS = new LinkedHashMap<>();
    private static final Map<String, String> UNITS = new LinkedHashMap<>();

    static {
        bound("rotation", -180, 180, "degrees");
        bound("scaleX", 0.01, 100, "");
        bound("scaleY", 0.01, 100, "");
        bound("shear", -85, 85, "degrees");
        bound("translateX", -1, 1, "of the width");
        bound("translateY", -1, 1, "of the height");
        bound("tilt", -0.49, 0.49, "");
        bound("brightness", 0, 10, "gain");
        bound("contrast", 0, 10, "gain");
        bound("saturation", 0, 10, "gain");
        bound("hue", -360, 360, "degrees");
        bound("gamma", 0.05, 20, "");
        bound("blur", 0, 50, "pixels (sigma)");
        bound("noise", 0, 255, "(sigma, 0..255 units)");
        if (!BOUNDS.keySet().equals(new java.util.HashSet<>(AugmentSpec.Builder.PARAMETERS))) {
            throw new IllegalStateException("pipeline file bounds and builder parameters disagree");
        }
    }

    private static void bound(String name, double min, double max, String unit) {
        BOUNDS.put(name, new double[] {min, max});
        UNITS.put(name, unit);
    }

    private Pipelines() {
    }

    /** Loads and validates a pipeline file. */
    public static Pipeline load(Path file) {
        String text = YamlTree.read(file, "augmentation files", AugmentSpecException::new);
        return parse(new StringReader(text), file.toString());
    }

    /**
     * Parses and validates pipeline text.
     *
     * @param source name for messages
     * @throws AugmentSpecException listing every problem
     */
    public static Pipeline parse(Reader text, String source) {
        Node root = YamlTree.parse(text, source, AugmentSpecException::new);
        Problems problems = new Problems(source, AugmentSpecException::new);
        Section doc = Section.root(problems, root, "augmentation parameters");
        doc.integer("version", 1, 1, 1);
        AugmentSpec.Builder b = AugmentSpec.builder();
        for (String name : AugmentSpec.Builder.PARAMETERS) {
            double[] bounds = BOUNDS.get(name);
            Section.Chance c = doc.chance(name, bounds[0], bounds[1], UNITS.get(name));
            if (c != null) {
                b.range(name, Range.of(c.value(), c.probability()));
            }
        }
        double flip = doc.constant("flip", 0, 0, 1, "(probability)");
        Section output = doc.section("output");
        long width = fixed(output, "width", 1, 16384); // 0 when absent: the input's size
        long height = fixed(output, "height", 1, 16384);
        output.finish();
        if (output.has("width") != output.has("height")) {
            doc.problem("output", "give both width and height, or neither (the input's size)");
        }
        boolean exactHsv = fixedBool(doc, "exactHsv", false);
        long fill = fixed(doc, "fill", 0, Integer.MAX_VALUE);
        // Ordered maps: messages list the options in this order.
        Map<String, Pipeline.BoxMode> boxModes = new LinkedHashMap<>();
        boxModes.put("exact", Pipeline.BoxMode.EXACT);
        boxModes.put("corners", Pipeline.BoxMode.CORNERS);
        Pipeline.BoxMode boxes = doc.fixedOption("boxes", Pipeline.BoxMode.EXACT, boxModes);
        Map<String, Boolean> outside = new LinkedHashMap<>();
        outside.put("drop", false);
        outside.put("keep", true);
        boolean keep = doc.fixedOption("outside", false, outside);
        doc.finish();
        problems.throwIfAny();
        try {
            AugmentSpec spec = b.flip(flip).outputSize((int) width, (int) height).exactHsv(exactHsv).build();
            return new Pipeline(spec, (int) fill, boxes, keep);
        } catch (IllegalArgumentException e) {
            throw new AugmentSpecException(List.of(source + ": " + e.getMessage()), e);
        }
    }

    /** A constant integer {@code least..max}, 0 when absent. */
    private static long fixed(Section s, String key, long least, long max) {
        Dist<Long> d = s.integer(key, 0, least, max);
        if (d instanceof Dist.Constant<Long> c) {
            return c.value();
        }
        s.problem(key, "must be a single integer " + least + ".." + max + "; it cannot vary");
        return 0;
    }

    private static boolean fixedBool(Section s, String key, boolean def) {
        Dist<Boolean> d = s.bool(key, def);
        if (d instanceof Dist.Constant<Boolean> c) {
            return c.value();
        }
        s.problem(key, "must be true or false; it cannot vary");
        return def;
    }
}
