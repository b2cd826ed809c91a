package dev.roadsynth.renderer;

/**
 * What a sequence render ({@link Renderer#renderEach}, {@link Renderer#renderEachMade}) hands over besides each
 * frame's RGB, class ids and instance ids, which always come.
 *
 * <p>Ask only for what is used. Depth is a quarter of the bytes each frame brings back from the GPU (4 of 14 per
 * pixel) and one of the four targets every fragment writes; without it, frames have no depth plane
 * ({@link dev.roadsynth.core.Frame#hasDepth()} false) and every other plane is the same, byte for byte. Coverage
 * costs the amodal coverage passes (OpenGL 4.3).
 *
 * @param depth    frames with their depth planes
 * @param coverage each frame's amodal {@link Coverage}, for {@link Annotator}'s amodal boxes, occlusion and truncation
 */
public record Outputs(boolean depth, boolean coverage) {
    /** Frames with depth, no coverage: what {@link Renderer#render} gives. */
    public static final Outputs FRAMES = new Outputs(true, false);

    /** This, with or without coverage. */
    public Outputs withCoverage(boolean coverage) {
        return new Outputs(depth, coverage);
    }

    /** This, with or without depth. */
    public Outputs withDepth(boolean depth) {
        return new Outputs(depth, coverage);
    }
}
