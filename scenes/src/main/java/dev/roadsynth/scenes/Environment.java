package dev.roadsynth.scenes;

import dev.roadsynth.core.Rgb;
import java.util.Objects;

/**
 * What surrounds the objects: the sky, drawn where no object is (with the scene's background class), and fog.
 *
 * @param skyZenith  sky colour straight up
 * @param skyHorizon sky colour at the horizon (and below it)
 * @param fogDensity exponential fog density in 1/m along the viewing axis; colour only, labels are unaffected
 * @param fogColour  colour that fog fades to
 */
public record Environment(Rgb skyZenith, Rgb skyHorizon, float fogDensity, Rgb fogColour) {
    public Environment {
        Objects.requireNonNull(skyZenith, "skyZenith");
        Objects.requireNonNull(skyHorizon, "skyHorizon");
        Objects.requireNonNull(fogColour, "fogColour");
        if (!(fogDensity >= 0) || !Float.isFinite(fogDensity)) {
            throw new IllegalArgumentException("environment: fog density " + fogDensity + " must be finite and >= 0");
        }
    }

    /** A sky of one colour and no fog. */
    public static Environment uniformSky(Rgb colour) {
        return new Environment(colour, colour, 0f, colour);
    }
}
