package dev.roadsynth.renderer;

import static org.lwjgl.opengl.GL11C.GL_RGB;
import static org.lwjgl.opengl.GL12C.GL_BGRA;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.IntStream;

/**
 * Copies a frame's planes out of its mapped readback buffer ({@link ReadbackLayout}) into the frame's Java arrays:
 * ids widened where they were read narrower, colour without its alpha. Stateless; called on {@link FrameReadback}'s
 * copy threads, each copy spread over the common fork-join pool.
 */
final class PlaneCopy {
    private PlaneCopy() {
    }

    /** Bytes per copy task: large enough to amortise scheduling, small enough to spread a frame over cores. */
    private static final int CHUNK_PIXELS = 1 << 16;

    /**
     * Copies the mapped readback buffer (laid out as {@code layout} says) into {@code planes}, overwriting every
     * element: planes[0] class ids and [1] instance ids (widened, unsigned, where read narrower), [2] depth (if not
     * null), [3] RGB (from RGBA or BGRA: 4 bytes per pixel, alpha dropped). On a GPU, copying is the largest cost of a
     * frame, so it is spread over the common fork-join pool; each task uses absolute buffer accesses only, so the tasks
     * share no state.
     */
    static void copyPlanes(ByteBuffer map, int pixels, ReadbackLayout layout, Object[] planes) {
        int stride = ReadbackLayout.stride(pixels);
        int chunks = Math.max(1, (pixels + CHUNK_PIXELS - 1) / CHUNK_PIXELS);
        IntStream.range(0, 4 * chunks).parallel().forEach(t -> {
            int k = t / chunks;
            int start = (t % chunks) * CHUNK_PIXELS;
            int n = Math.min(CHUNK_PIXELS, pixels - start);
            switch (k) {
                case 0 -> widen(map, layout.classesAt(stride), layout.classBytes(), start, n, (int[]) planes[0]);
                case 1 -> widen(map, 0, layout.instanceBytes(), start, n, (int[]) planes[1]);
                case 2 -> {
                    if (planes[2] != null) {
                        map.slice(layout.depthAt(stride), pixels * 4).order(ByteOrder.nativeOrder()).asFloatBuffer()
                                .get(start, (float[]) planes[2], start, n);
                    }
                }
                default -> {
                    int at = layout.colourAt(stride);
                    if (layout.colourFormat() == GL_RGB) {
                        map.get(at + 3 * start, (byte[]) planes[3], 3 * start, 3 * n);
                    } else {
                        dropAlpha(map, at, start, n, layout.colourFormat() == GL_BGRA, (byte[]) planes[3]);
                    }
                }
            }
        });
    }

    /**
     * Copies ids {@code start..start+n-1} of the plane at byte {@code offset}, {@code bytes} (1, 2 or 4) per id in
     * native order, into {@code out}, widened as unsigned.
     */
    private static void widen(ByteBuffer map, int offset, int bytes, int start, int n, int[] out) {
        ByteBuffer plane = map.slice(offset, map.capacity() - offset).order(ByteOrder.nativeOrder());
        switch (bytes) {
            case 1 -> {
                for (int i = start; i < start + n; i++) {
                    out[i] = Byte.toUnsignedInt(plane.get(i));
                }
            }
            case 2 -> {
                java.nio.ShortBuffer ids = plane.asShortBuffer();
                for (int i = start; i < start + n; i++) {
                    out[i] = Short.toUnsignedInt(ids.get(i));
                }
            }
            default -> plane.asIntBuffer().get(start, out, start, n);
        }
    }

    /** Scratch for {@link #dropAlpha}, one per copying thread. */
    private static final ThreadLocal<int[]> QUADS = ThreadLocal.withInitial(() -> new int[CHUNK_PIXELS]);

    /**
     * Copies pixels {@code start..start+n-1} of 4-byte colour at {@code offset} into {@code rgb} (3 bytes per pixel),
     * dropping alpha; {@code bgra}: stored blue first.
     */
    static void dropAlpha(ByteBuffer map, int offset, int start, int n, boolean bgra, byte[] rgb) {
        int[] quads = QUADS.get();
        // Little-endian ints: byte 0 of a pixel is bits 0-7.
        map.slice(offset, map.capacity() - offset).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(start, quads, 0, n);
        int first = bgra ? 16 : 0;
        int last = bgra ? 0 : 16;
        for (int i = 0, o = 3 * start; i < n; i++, o += 3) {
            int q = quads[i];
            rgb[o] = (byte) (q >>> first);
            rgb[o + 1] = (byte) (q >>> 8);
            rgb[o + 2] = (byte) (q >>> last);
        }
    }
}
