package dev.roadsynth.core;

import java.util.Objects;

/**
 * One rendered view: the RGB image and its pixel-exact label planes, all of the same size.
 *
 * <p>Conventions shared by every plane: rows run top-down and pixels left to right; pixel (x, y) covers
 * [x, x+1) x [y, y+1) and its centre, where every label is sampled, is (x + 0.5, y + 0.5).
 * <ul>
 *   <li>{@code rgb}: 8-bit sRGB colour.</li>
 *   <li>{@code semantic}: the class id ({@link Label#id()} of {@code labels}) of the surface seen at the pixel
 *       centre; background pixels hold the scene's background class.</li>
 *   <li>{@code instance}: the unsigned 32-bit instance id of that surface; 0 = no instance.</li>
 *   <li>{@code depth}: metres along the camera's viewing axis; {@link DepthPlane#NO_DEPTH} where nothing was hit.
 *       Optional: null where the frame was made without depth (a renderer asked for none because no output
 *       needs it, or images and masks read without depth files); {@link #hasDepth()} says which.</li>
 * </ul>
 *
 * @param labels   the class table the semantic ids refer to
 * @param rgb      colour image
 * @param semantic class id plane
 * @param instance instance id plane
 * @param depth    depth plane, or null: none
 */
public record Frame(LabelSet labels, RgbImage rgb, IdPlane semantic, IdPlane instance, DepthPlane depth) {
    public Frame {
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(rgb, "rgb");
        Objects.requireNonNull(semantic, "semantic");
        Objects.requireNonNull(instance, "instance");
        int w = rgb.width();
        int h = rgb.height();
        if (semantic.width() != w || semantic.height() != h || instance.width() != w || instance.height() != h
                || depth != null && (depth.width() != w || depth.height() != h)) {
            throw new IllegalArgumentException("frame planes differ in size: rgb " + rgb + ", semantic " + semantic
                    + ", instance " + instance + ", depth " + depth);
        }
    }

    /** Whether the frame has a depth plane ({@link #depth()} is not null). */
    public boolean hasDepth() {
        return depth != null;
    }

    /**
     * The depth plane.
     *
     * @throws IllegalStateException if the frame has none (see {@link #hasDepth()}): a caller that needs depth asks
     *                               for it where the frame is made
     */
    public DepthPlane requireDepth() {
        if (depth == null) {
            throw new IllegalStateException("this " + width() + "x" + height() + " frame was made without depth");
        }
        return depth;
    }

    public int width() {
        return rgb.width();
    }

    public int height() {
        return rgb.height();
    }
}
