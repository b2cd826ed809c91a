package dev.roadsynth.augment;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * What to draw augmentations from: a {@link Range} per parameter. {@link #sample} draws one set of parameters
 * from an explicit generator, as typed records that can be recorded and replayed; nothing here keeps state.
 *
 * @param rotation   degrees
 * @param scaleX     horizontal scale
 * @param scaleY     vertical scale (with scaleX: stretching and aspect ratio)
 * @param shear      degrees
 * @param translateX fraction of the width
 * @param translateY fraction of the height
 * @param flip       probability of a left-right mirror (its range is ignored)
 * @param brightness gain
 * @param contrast   gain about mid-grey
 * @param saturation gain
 * @param hue        degrees
 * @param gamma      exponent
 * @param blur       Gaussian blur sigma, pixels
 * @param noise      Gaussian noise sigma, 0..255 units
 * @param tilt       perspective tilt, drawn independently for x and y (see {@link GeometryParams}); within (-0.5, 0.5)
 * @param outputWidth  output width in pixels, 0 = the input's; with scales and translations: crop, pad, resize
 * @param outputHeight output height in pixels, 0 = the input's
 * @param exactHsv   hue and saturation by an 8-bit HSV round trip rather than the colour matrix (see {@link ColorParams})
 */
public record AugmentSpec(Range rotation, Range scaleX, Range scaleY, Range shear, Range translateX, Range translateY,
                          double flip, Range brightness, Range contrast, Range saturation, Range hue, Range gamma,
                          Range blur, Range noise, Range tilt, int outputWidth, int outputHeight,
                          boolean exactHsv) {
    /** Draws nothing: every parameter neutral. */
    public static final AugmentSpec NONE = new AugmentSpec(Range.off(0), Range.off(1), Range.off(1), Range.off(0),
            Range.off(0), Range.off(0), 0, Range.off(1), Range.off(1), Range.off(1), Range.off(0), Range.off(1),
            Range.off(0), Range.off(0), Range.off(0), 0, 0, false);

    /** Geometry with tilt and output size, colour through the matrix, photometric effects. */
    public AugmentSpec(Range rotation, Range scaleX, Range scaleY, Range shear, Range translateX, Range translateY,
                       double flip, Range brightness, Range contrast, Range saturation, Range hue, Range gamma,
                       Range blur, Range noise, Range tilt, int outputWidth, int outputHeight) {
        this(rotation, scaleX, scaleY, shear, translateX, translateY, flip, brightness, contrast, saturation, hue,
                gamma, blur, noise, tilt, outputWidth, outputHeight, false);
    }

    /** Affine geometry, colour and photometric effects; the input's size. */
    public AugmentSpec(Range rotation, Range scaleX, Range scaleY, Range shear, Range translateX, Range translateY,
                       double flip, Range brightness, Range contrast, Range saturation, Range hue, Range gamma,
                       Range blur, Range noise) {
        this(rotation, scaleX, scaleY, shear, translateX, translateY, flip, brightness, contrast, saturation, hue,
                gamma, blur, noise, Range.off(0), 0, 0);
    }

    /** Geometry and colour only. */
    public AugmentSpec(Range rotation, Range scaleX, Range scaleY, Range shear, Range translateX, Range translateY,
                       double flip, Range brightness, Range contrast, Range saturation, Range hue) {
        this(rotation, scaleX, scaleY, shear, translateX, translateY, flip, brightness, contrast, saturation, hue,
                Range.off(1), Range.off(0), Range.off(0), Range.off(0), 0, 0);
    }

    public AugmentSpec {
        Objects.requireNonNull(rotation, "rotation");
        if (scaleX.min() <= 0 || scaleY.min() <= 0) {
            throw new IllegalArgumentException("scale ranges must stay above 0: scaleX " + scaleX + ", scaleY " + scaleY);
        }
        if (Math.max(Math.abs(shear.min()), Math.abs(shear.max())) >= 89) {
            throw new IllegalArgumentException("shear " + shear + " must stay within (-89, 89) degrees");
        }
        if (!(flip >= 0 && flip <= 1)) {
            throw new IllegalArgumentException("flip probability " + flip + " is out of range [0, 1]");
        }
        if (brightness.min() < 0 || contrast.min() < 0 || saturation.min() < 0) {
            throw new IllegalArgumentException("brightness, contrast and saturation ranges must stay >= 0");
        }
        if (gamma.min() <= 0 || blur.min() < 0 || noise.min() < 0) {
            throw new IllegalArgumentException("gamma must stay > 0 (" + gamma + "), blur and noise >= 0 (" + blur
                    + ", " + noise + ")");
        }
        Objects.requireNonNull(tilt, "tilt");
        if (Math.max(Math.abs(tilt.min()), Math.abs(tilt.max())) >= 0.5) {
            throw new IllegalArgumentException("tilt " + tilt + " must stay within (-0.5, 0.5)");
        }
        if (outputWidth < 0 || outputHeight < 0 || outputWidth > 16384 || outputHeight > 16384) {
            throw new IllegalArgumentException("output size " + outputWidth + "x" + outputHeight
                    + " is out of range: 0 (the input's) to 16384");
        }
    }

    /** A builder with every parameter off: set only what you want to vary. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Fluent construction by parameter name. Each setter takes [min, max] and optionally the probability of
     * applying (default 1); a bad range fails at once naming the parameter, and {@link #build()} checks the whole
     * spec. The spec it builds is an immutable record; the builder may be reused.
     */
    public static final class Builder {
        private final java.util.Map<String, Range> ranges = new java.util.HashMap<>();
        private double flip;
        private int outputWidth;
        private int outputHeight;
        private boolean exactHsv;

        private Builder() {
        }

        /** The names {@link #range} takes: every ranged parameter. */
        public static final java.util.List<String> PARAMETERS = java.util.List.of("rotation", "scaleX", "scaleY",
                "shear", "translateX", "translateY", "tilt", "brightness", "contrast", "saturation", "hue", "gamma",
                "blur", "noise");

        /** Sets a ranged parameter by name (one of {@link #PARAMETERS}), as its named setter does. */
        public Builder range(String name, double min, double max, double probability) {
            checkName(name);
            return set(name, min, max, probability);
        }

        /**
         * Sets a ranged parameter by name to any distribution (a pipeline file's normal or choice, for example);
         * {@code name} is one of {@link #PARAMETERS}.
         */
        public Builder range(String name, Range range) {
            checkName(name);
            ranges.put(name, java.util.Objects.requireNonNull(range, name));
            return this;
        }

        private static void checkName(String name) {
            if (!PARAMETERS.contains(name)) {
                throw new IllegalArgumentException("unknown augmentation parameter '" + name + "'; allowed: "
                        + String.join(", ", PARAMETERS));
            }
        }

        private Builder set(String name, double min, double max, double probability) {
            try {
                ranges.put(name, new Range(min, max, probability));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
            }
            return this;
        }

        private Range get(String name, double neutral) {
            return ranges.getOrDefault(name, Range.off(neutral));
        }

        /** Degrees, positive counter-clockwise. */
        public Builder rotation(double min, double max) { return rotation(min, max, 1); }
        public Builder rotation(double min, double max, double p) { return set("rotation", min, max, p); }
        /** Horizontal scale (stretch). */
        public Builder scaleX(double min, double max) { return scaleX(min, max, 1); }
        public Builder scaleX(double min, double max, double p) { return set("scaleX", min, max, p); }
        /** Vertical scale. */
        public Builder scaleY(double min, double max) { return scaleY(min, max, 1); }
        public Builder scaleY(double min, double max, double p) { return set("scaleY", min, max, p); }
        /** Degrees of shear along x. */
        public Builder shear(double min, double max) { return shear(min, max, 1); }
        public Builder shear(double min, double max, double p) { return set("shear", min, max, p); }
        /** Fractions of the width. */
        public Builder translateX(double min, double max) { return translateX(min, max, 1); }
        public Builder translateX(double min, double max, double p) { return set("translateX", min, max, p); }
        /** Fractions of the height. */
        public Builder translateY(double min, double max) { return translateY(min, max, 1); }
        public Builder translateY(double min, double max, double p) { return set("translateY", min, max, p); }
        /** Perspective tilt, x and y drawn independently, within (-0.5, 0.5). */
        public Builder tilt(double min, double max) { return tilt(min, max, 1); }
        public Builder tilt(double min, double max, double p) { return set("tilt", min, max, p); }
        public Builder brightness(double min, double max) { return brightness(min, max, 1); }
        public Builder brightness(double min, double max, double p) { return set("brightness", min, max, p); }
        public Builder contrast(double min, double max) { return contrast(min, max, 1); }
        public Builder contrast(double min, double max, double p) { return set("contrast", min, max, p); }
        public Builder saturation(double min, double max) { return saturation(min, max, 1); }
        public Builder saturation(double min, double max, double p) { return set("saturation", min, max, p); }
        /** Degrees. */
        public Builder hue(double min, double max) { return hue(min, max, 1); }
        public Builder hue(double min, double max, double p) { return set("hue", min, max, p); }
        public Builder gamma(double min, double max) { return gamma(min, max, 1); }
        public Builder gamma(double min, double max, double p) { return set("gamma", min, max, p); }
        /** Sigma in pixels. */
        public Builder blur(double min, double max) { return blur(min, max, 1); }
        public Builder blur(double min, double max, double p) { return set("blur", min, max, p); }
        /** Sigma in 0..255 units. */
        public Builder noise(double min, double max) { return noise(min, max, 1); }
        public Builder noise(double min, double max, double p) { return set("noise", min, max, p); }

        /** Probability of a left-right mirror. */
        public Builder flip(double probability) {
            if (!(probability >= 0 && probability <= 1)) {
                throw new IllegalArgumentException("flip: probability " + probability + " is out of range [0, 1]");
            }
            flip = probability;
            return this;
        }

        /** Output size in pixels (crop, pad, resize with the scales); 0, 0 = the input's. */
        public Builder outputSize(int width, int height) {
            outputWidth = width;
            outputHeight = height;
            return this;
        }

        /** Hue and saturation by an 8-bit HSV round trip rather than the colour matrix. */
        public Builder exactHsv(boolean exact) {
            exactHsv = exact;
            return this;
        }

        public AugmentSpec build() {
            return new AugmentSpec(get("rotation", 0), get("scaleX", 1), get("scaleY", 1), get("shear", 0),
                    get("translateX", 0), get("translateY", 0), flip, get("brightness", 1), get("contrast", 1),
                    get("saturation", 1), get("hue", 0), get("gamma", 1), get("blur", 0), get("noise", 0),
                    get("tilt", 0), outputWidth, outputHeight, exactHsv);
        }
    }

    /** One draw, for an image of the given size. */
    public Params sample(SplittableRandom rng, int width, int height) {
        double rot = rotation.sample(rng, 0);
        double sx = scaleX.sample(rng, 1);
        double sy = scaleY.sample(rng, 1);
        double sh = shear.sample(rng, 0);
        double tx = translateX.sample(rng, 0) * width;
        double ty = translateY.sample(rng, 0) * height;
        boolean mirror = rng.nextDouble() < flip;
        ColorParams c = new ColorParams(brightness.sample(rng, 1), contrast.sample(rng, 1), saturation.sample(rng, 1),
                hue.sample(rng, 0), exactHsv);
        double gm = gamma.sample(rng, 1);
        double bl = blur.sample(rng, 0);
        double ns = noise.sample(rng, 0);
        long seed = rng.nextLong();
        // Drawn last, so that specs without tilt draw the same values as before it existed.
        double tiltX = tilt.sample(rng, 0);
        double tiltY = tilt.sample(rng, 0);
        GeometryParams g = new GeometryParams(rot, sx, sy, sh, tx, ty, mirror, tiltX, tiltY, outputWidth, outputHeight);
        return new Params(g, c, new PhotometricParams(gm, bl, ns, ns > 0 ? seed : 0));
    }

    /** One drawn set of parameters: record it to replay the augmentation exactly. */
    public record Params(GeometryParams geometry, ColorParams colour, PhotometricParams photometric) {
        private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

        public Params(GeometryParams geometry, ColorParams colour) {
            this(geometry, colour, PhotometricParams.IDENTITY);
        }

        /**
         * One line of JSON with every field by name, for a manifest or a log. Doubles are written in their shortest
         * exact form, so {@link #fromJson} gives back an equal record and the same augmented bytes.
         */
        public String toJson() {
            try {
                return JSON.writeValueAsString(this);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("cannot write " + this, e);
            }
        }

        /** The parameters {@link #toJson} wrote; a bad field fails naming it and the allowed range. */
        public static Params fromJson(String json) {
            try {
                return JSON.readValue(json, Params.class);
            } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
                throw new IllegalArgumentException("augmentation parameters: " + e.getCause().getMessage(), e);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException("augmentation parameters: " + e.getOriginalMessage(), e);
            }
        }
    }
}
