package dev.roadsynth.scenes;

import java.util.Objects;
import org.joml.Vector3f;
import org.joml.Vector3fc;

/**
 * Lighting: one directional sun plus uniform ambient light.
 *
 * @param towardsSun unit direction from the scene towards the sun, world frame (a normalized copy is kept)
 * @param sun        sun colour and strength as a fraction of full white, each channel 0..1
 * @param ambient    ambient colour and strength, each channel 0..1
 */
public record Light(Vector3fc towardsSun, Vector3fc sun, Vector3fc ambient) {
    public Light {
        Objects.requireNonNull(towardsSun, "towardsSun");
        if (towardsSun.lengthSquared() == 0 || !towardsSun.isFinite()) {
            throw new IllegalArgumentException("light: sun direction " + towardsSun + " must be finite and non-zero");
        }
        towardsSun = new Vector3f(towardsSun).normalize();
        sun = new Vector3f(Objects.requireNonNull(sun, "sun"));
        ambient = new Vector3f(Objects.requireNonNull(ambient, "ambient"));
    }

    /** A sun at {@code elevationDeg} above the horizon and {@code azimuthDeg} counter-clockwise from world x. */
    public static Light sunAt(double elevationDeg, double azimuthDeg, float sunStrength, float ambientStrength) {
        double el = Math.toRadians(elevationDeg);
        double az = Math.toRadians(azimuthDeg);
        Vector3f dir = new Vector3f((float) (Math.cos(el) * Math.cos(az)), (float) (Math.cos(el) * Math.sin(az)),
                (float) Math.sin(el));
        return new Light(dir, new Vector3f(sunStrength), new Vector3f(ambientStrength));
    }
}
