package dev.roadsynth.cli;

import dev.roadsynth.scenes.Intrinsics;

/** An image size given as WIDTHxHEIGHT. */
record Size(int width, int height) {
    static Size parse(String s) {
        String[] p = s.toLowerCase(java.util.Locale.ROOT).split("x");
        try {
            if (p.length == 2) {
                Size size = new Size(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()));
                if (size.width >= 1 && size.height >= 1 && size.width <= Intrinsics.MAX_SIZE && size.height <= Intrinsics.MAX_SIZE) {
                    return size;
                }
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("size '" + s + "' is not valid; expected WIDTHxHEIGHT with each side 1.."
                + Intrinsics.MAX_SIZE + ", e.g. 1024x512");
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }
}
