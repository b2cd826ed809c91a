package dev.roadsynth.scenes;

import dev.roadsynth.core.Rgb;
import java.util.Objects;

/**
 * What surrounds the objects and how they are lit beyond the sun: the sky, drawn where no object is (with the
 * scene's background class), fog, wetness, snow cover, cast shadows and lamps. All of it changes colours only;
 * labels and depth are those of the geometry.
 *
 * @param skyZenith     sky colour straight up
 * @param skyHorizon    sky colour at the horizon (and below it)
 * @param fogDensity    exponential fog density in 1/m along the viewing axis
 * @param fogColour     colour that fog fades to
 * @param wetness       0..1: ground surfaces darken and mirror the sky
 * @param snow          0..1: ground and upward faces whiten
 * @param shadows       whether the sun casts shadows
 * @param lamps         world positions of lamps (street lights), metres
 * @param lampStrength  0..1: how brightly the lamps shine (0 by day)
 * @param rainfall      0..1: density of falling rain streaks drawn in front of the camera
 * @param snowfall      0..1: density of falling snowflakes drawn in front of the camera
 * @param weatherSeed   seeds where the streaks and flakes fall, so that a scene renders the same every time
 */
public record Environment(Rgb skyZenith, Rgb skyHorizon, float fogDensity, Rgb fogColour, float wetness, float snow,
                          boolean shadows, java.util.List<org.joml.Vector3fc> lamps, float lampStrength,
                          float rainfall, float snowfall, long weatherSeed) {
    /** The most lamps the renderer lights with; the nearest to the camera are used. */
    public static final int MAX_LAMPS = 32;

    public Environment {
        lamps = lamps.stream().map(v -> (org.joml.Vector3fc) new org.joml.Vector3f(v)).toList();
        for (float f : new float[] {wetness, snow, lampStrength, rainfall, snowfall}) {
            if (!(f >= 0 && f <= 1)) {
                throw new IllegalArgumentException("environment: wetness, snow, lamp strength, rainfall and snowfall must lie in [0, 1], got " + f);
            }
        }
        Objects.requireNonNull(skyZenith, "skyZenith");
        Objects.requireNonNull(skyHorizon, "skyHorizon");
        Objects.requireNonNull(fogColour, "fogColour");
        if (!(fogDensity >= 0) || !Float.isFinite(fogDensity)) {
            throw new IllegalArgumentException("environment: fog density " + fogDensity + " must be finite and >= 0");
        }
    }

    /** A sky of one colour and no fog. */
    public static Environment uniformSky(Rgb colour) {
        return new Environment(colour, colour, 0f, colour, 0f, 0f, false, java.util.List.of(), 0f, 0f, 0f, 0L);
    }
}
