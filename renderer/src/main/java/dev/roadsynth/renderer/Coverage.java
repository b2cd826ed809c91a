package dev.roadsynth.renderer;

import dev.roadsynth.core.Box2;

/**
 * Where one instance would be seen with nothing in front of it. Counted in two passes: on the image itself,
 * rasterized exactly as the frame is (same projection and viewport), so the instance's visible pixels are always a
 * subset of {@code imagePixels}; and on a canvas that extends the image by {@code margin} pixels on every side,
 * for what lies outside it (coverage beyond the margin is not counted).
 *
 * @param instanceId   the instance
 * @param imagePixels  pixels covered inside the image
 * @param imageBox     box around them; null if none
 * @param canvasPixels pixels covered on the whole canvas
 * @param canvasInside of those, the ones inside the image (the canvas pass's own count, for truncation)
 * @param canvasBox    box around the covered canvas pixels, in image coordinates (may extend outside); null if none
 * @param margin       the canvas margin in pixels
 */
public record Coverage(int instanceId, long imagePixels, Box2 imageBox, long canvasPixels, long canvasInside,
                       Box2 canvasBox, int margin) {

    /** The fraction of the instance's projection outside the image, from the canvas pass alone; 1 if it covers nothing. */
    public double truncation() {
        return canvasPixels == 0 ? 1 : 1 - (double) canvasInside / canvasPixels;
    }
}
