package dev.roadsynth.augment;

import dev.roadsynth.core.Frame;
import dev.roadsynth.core.Seeds;
import dev.roadsynth.core.io.ContactSheet;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * See what a setting does before training on it: one frame augmented at each point of a sweep, and a contact sheet
 * of the results (one row per variant: image, classes, instances, depth; see {@link ContactSheet}).
 */
public final class Sweep {
    private Sweep() {
    }

    /**
     * One augmented frame and what made it.
     *
     * @param label  for people: "rotation = 7.0", or "draw 3"
     * @param params the parameters applied; replay with {@link Augmenter#apply(Frame, AugmentSpec.Params, int)}
     * @param frame  the result
     */
    public record Variant(String label, AugmentSpec.Params params, Frame frame) {
    }

    /**
     * A grid along one parameter: for each value, that parameter fixed at it and every other one neutral. For
     * {@code tilt} both axes take the value.
     *
     * @param parameter one of {@link AugmentSpec.Builder#PARAMETERS}
     */
    public static List<Variant> grid(Frame frame, String parameter, double[] values, int fillClass) {
        List<Variant> out = new ArrayList<>();
        for (double v : values) {
            AugmentSpec spec = AugmentSpec.builder().range(parameter, v, v, 1).build();
            // The range is a single value, so the draw does not depend on the generator's state.
            AugmentSpec.Params p = spec.sample(new SplittableRandom(0), frame.width(), frame.height());
            out.add(new Variant(parameter + " = " + v, p, Augmenter.apply(frame, p, fillClass)));
        }
        return out;
    }

    /** {@code count} random draws from {@code spec}; draw {@code k} uses {@code Seeds.forSample(seed, k)}. */
    public static List<Variant> random(Frame frame, AugmentSpec spec, int count, long seed, int fillClass) {
        List<Variant> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            AugmentSpec.Params p = spec.sample(new SplittableRandom(Seeds.forSample(seed, k)), frame.width(),
                    frame.height());
            out.add(new Variant("draw " + k, p, Augmenter.apply(frame, p, fillClass)));
        }
        return out;
    }

    /** The contact sheet of the variants, top to bottom in order; they must share one size. */
    public static BufferedImage contactSheet(List<Variant> variants) {
        return ContactSheet.of(variants.stream().map(Variant::frame).toList());
    }
}
