package dev.roadsynth.scenes;

import dev.roadsynth.core.Rgb;
import java.util.Objects;

/**
 * Surface appearance.
 *
 * @param baseColor diffuse colour (sRGB)
 */
public record Material(Rgb baseColor) {
    public Material {
        Objects.requireNonNull(baseColor, "baseColor");
    }

    public static Material of(int r, int g, int b) {
        return new Material(new Rgb(r, g, b));
    }
}
