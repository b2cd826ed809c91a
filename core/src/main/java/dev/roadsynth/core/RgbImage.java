package dev.roadsynth.core;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An 8-bit RGB image, rows top-down, pixels left to right, 3 bytes per pixel in the order R, G, B (sRGB).
 * Pixel (x, y) covers [x, x+1) x [y, y+1) in image coordinates; its centre is (x + 0.5, y + 0.5).
 * Immutable: the pixel array is never handed out.
 */
public final class RgbImage {
    private final int width;
    private final int height;
    private final byte[] rgb;

    private RgbImage(int width, int height, byte[] rgb) {
        Planes.checkSize(width, height, rgb.length, 3, "RGB image");
        this.width = width;
        this.height = height;
        this.rgb = rgb;
    }

    /** An image holding a copy of {@code rgb} ({@code width * height * 3} bytes). */
    public static RgbImage copyOf(int width, int height, byte[] rgb) {
        return new RgbImage(width, height, rgb.clone());
    }

    /**
     * An image that takes ownership of {@code rgb}: the caller must neither keep nor modify it. For producers
     * (the renderer, decoders) that made the array for this image alone and want to spare a copy.
     */
    public static RgbImage adopt(int width, int height, byte[] rgb) {
        return new RgbImage(width, height, rgb);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The colour of pixel (x, y) packed as 0xRRGGBB. */
    public int rgb(int x, int y) {
        int i = Planes.index(x, y, width, height) * 3;
        return ((rgb[i] & 0xff) << 16) | ((rgb[i + 1] & 0xff) << 8) | (rgb[i + 2] & 0xff);
    }

    /** A read-only view of all pixels, {@code width * height * 3} bytes, rows top-down. */
    public ByteBuffer pixels() {
        return ByteBuffer.wrap(rgb).asReadOnlyBuffer();
    }

    /** A copy of all pixels, {@code width * height * 3} bytes, rows top-down. */
    public byte[] toArray() {
        return rgb.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RgbImage other && width == other.width && height == other.height
                && Arrays.equals(rgb, other.rgb);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(rgb);
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }
}
