package dev.roadsynth.scenes;

import dev.roadsynth.core.Rgb;
import java.util.Objects;

/**
 * Surface appearance. Shading only: materials never change labels.
 *
 * @param baseColor diffuse colour (sRGB)
 * @param surface   how the surface responds to the environment
 */
public record Material(Rgb baseColor, Surface surface) {
    /** How a surface responds to weather and light. */
    public enum Surface {
        /** Diffuse only. */
        MATTE,
        /**
         * Ground (road, sidewalk, verge): darkens and reflects the sky when wet, whitens under snow, and casts no
         * shadow (it lies under everything it could shade).
         */
        GROUND,
        /** Glass: reflects the sky. */
        GLASS,
        /** A lamp: glows when the lamps are on. */
        LAMP
    }

    public Material {
        Objects.requireNonNull(baseColor, "baseColor");
        Objects.requireNonNull(surface, "surface");
    }

    public Material(Rgb baseColor) {
        this(baseColor, Surface.MATTE);
    }

    public static Material of(int r, int g, int b) {
        return new Material(new Rgb(r, g, b));
    }
}
