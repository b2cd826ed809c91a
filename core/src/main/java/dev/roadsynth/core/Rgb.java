package dev.roadsynth.core;

/**
 * An 8-bit sRGB colour, each channel 0 to 255.
 *
 * @param r red, 0..255
 * @param g green, 0..255
 * @param b blue, 0..255
 */
public record Rgb(int r, int g, int b) {
    public Rgb {
        check("r", r);
        check("g", g);
        check("b", b);
    }

    private static void check(String channel, int v) {
        if (v < 0 || v > 255) {
            throw new IllegalArgumentException("colour channel " + channel + ": " + v + " is out of range 0..255");
        }
    }

    /** The colour packed as 0xRRGGBB. */
    public int packed() {
        return (r << 16) | (g << 8) | b;
    }

    @Override
    public String toString() {
        return "[" + r + ", " + g + ", " + b + "]";
    }
}
