package dev.roadsynth.renderer;

import static org.lwjgl.opengl.GL11C.GL_RGB;

/**
 * Where a frame's planes lie in its readback buffer: one after another, widest data first (a pack buffer offset
 * must be a multiple of the datum size): instance ids ({@code instanceBytes} per pixel: 4, or 2 where every
 * instance id of the scene is below 65,536), depth ({@code depthBytes}: 4, float; 0 where frames are made without
 * depth), class ids ({@code classBytes}: 2, or 1 where every class id is below 256), colour ({@code colourFormat}:
 * 3 bytes for GL_RGB, else 4). Each plane takes {@link #stride} pixels (the frame's pixel count rounded up to a
 * multiple of 4, so that the compute pass's words never straddle two planes), so every offset is a multiple of 4
 * bytes.
 *
 * <p>Why ids narrower ({@code -Droadsynth.idBytes=fit}): on NVIDIA the driver's time per frame at the readback
 * (at the unmap, about 1 ms without writers and 2 beside them, session 19) is the render thread's largest part,
 * and an urban frame's ids fit 1 and 2 bytes, 3 of the 14 bytes per pixel; but that time turned out not to follow
 * the bytes (2.1 ms a frame at 7 bytes per pixel as at 14, session 25), so it stays a switch. Exact by
 * construction: the widths are chosen from every id the scene can draw, and the renderer draws the frame into id
 * targets of these widths (R8UI, R16UI), which hold every id that fits them and are read back in their own format,
 * with no conversion by the driver.
 */
record ReadbackLayout(int instanceBytes, int depthBytes, int classBytes, int colourFormat, int tailBytes) {
    /** The compute pass's layout (pack.comp): ids at their targets' widths, depth, RGB colour. */
    static final ReadbackLayout PACKED = new ReadbackLayout(4, 2, GL_RGB);

    /** With depth, no tail. */
    ReadbackLayout(int instanceBytes, int classBytes, int colourFormat) {
        this(instanceBytes, 4, classBytes, colourFormat, 0);
    }

    /** This without the depth plane. */
    ReadbackLayout withoutDepth() {
        return new ReadbackLayout(instanceBytes, 0, classBytes, colourFormat, tailBytes);
    }

    /**
     * This with a tail of {@code bytes} (a multiple of 4) after the planes: a buffer's contents copied in with
     * the frame ({@link FrameReadback#issue}'s {@code tailFrom}), such as the coverage passes' counters, so that they reach the
     * copy threads with the frame's planes instead of being read on the render thread (a glGetBufferSubData per
     * frame, which may wait for a transfer from the GPU: on NVIDIA the phase it sat in took 0.4 ms, session 19).
     */
    ReadbackLayout withTail(int bytes) {
        return new ReadbackLayout(instanceBytes, depthBytes, classBytes, colourFormat, bytes);
    }

    int colourBytes() {
        return colourFormat == GL_RGB ? 3 : 4;
    }

    int depthAt(int stride) {
        return instanceBytes * stride;
    }

    int classesAt(int stride) {
        return (instanceBytes + depthBytes) * stride;
    }

    int colourAt(int stride) {
        return (instanceBytes + depthBytes + classBytes) * stride;
    }

    /**
     * Ids as narrow as a frame's allow: instance ids in 2 bytes if {@code maxInstanceId} (unsigned) is below
     * 65,536, class ids in 1 if {@code maxClassId} is below 256.
     */
    static ReadbackLayout fitting(int colourFormat, int maxClassId, int maxInstanceId) {
        return new ReadbackLayout(Integer.compareUnsigned(maxInstanceId, 0xFFFF) <= 0 ? 2 : 4,
                Integer.compareUnsigned(maxClassId, 0xFF) <= 0 ? 1 : 2, colourFormat);
    }

    /** Where the tail starts (after the colour plane: a multiple of 4 bytes, as the stride is). */
    int tailAt(int stride) {
        return (instanceBytes + depthBytes + classBytes + colourBytes()) * stride;
    }

    /** Readback bytes for a frame of {@code pixels} pixels, tail included. */
    long bytes(int pixels) {
        return (long) tailAt(stride(pixels)) + tailBytes;
    }

    /** Pixels per plane of the readback buffer: the frame's, rounded up to a multiple of 4. */
    static int stride(int pixels) {
        return (pixels + 3) & ~3;
    }
}
