package dev.roadsynth.core;

/** Size checks shared by the image and label planes. */
final class Planes {
    private Planes() {
    }

    static void checkSize(int width, int height, int length, int channels, String what) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException(what + ": size " + width + "x" + height + " must be positive");
        }
        long expected = (long) width * height * channels;
        if (expected != length) {
            throw new IllegalArgumentException(what + ": " + width + "x" + height + "x" + channels
                    + " needs " + expected + " values, got " + length);
        }
    }

    static int index(int x, int y, int width, int height) {
        if (x < 0 || y < 0 || x >= width || y >= height) {
            throw new IndexOutOfBoundsException("pixel (" + x + ", " + y + ") is outside " + width + "x" + height);
        }
        return y * width + x;
    }
}
