package dev.roadsynth.cli;

import dev.roadsynth.scenes.Intrinsics;
import dev.roadsynth.scenes.spec.SceneSpecs;

/** An image size given as WIDTHxHEIGHT. */
record Size(int width, int height) {
    /** A size for a scene (generate, preview): each side as scene files allow it. */
    static Size parse(String option, String s) {
        return parse(option, s, SceneSpecs.MIN_SIZE, SceneSpecs.MAX_SIZE);
    }

    /** A size for the renderer alone (bench's box field): each side as the camera model allows it. */
    static Size parseForRenderer(String option, String s) {
        return parse(option, s, 1, Intrinsics.MAX_SIZE);
    }

    /** @throws IllegalArgumentException naming the option, the value and the allowed sides */
    private static Size parse(String option, String s, int min, int max) {
        String[] p = s.toLowerCase(java.util.Locale.ROOT).split("x");
        try {
            if (p.length == 2) {
                Size size = new Size(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()));
                if (size.width >= min && size.height >= min && size.width <= max && size.height <= max) {
                    return size;
                }
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(option + ": '" + s + "' is not valid; expected WIDTHxHEIGHT with each side " + min
                + ".." + max + ", e.g. 1024x512");
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }
}
