package dev.roadsynth.renderer;

import static org.lwjgl.opengl.GL15C.glBufferData;
import static org.lwjgl.opengl.GL15C.glBufferSubData;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How each frame's geometry goes into the renderer's buffer objects (the scene's vertices and indices, the shadow
 * casters' and the coverage passes' indices), all with one usage hint ({@code -Droadsynth.vertices}). The contents
 * are the same every way; the ways differ in how often the driver must find new storage, whose release (once the
 * GPU has done with the old) some drivers do at the next call that waits for the GPU: on NVIDIA the render thread
 * spent about 2 ms a frame there beside the writers whatever the readback's size (session 25).
 * <ul>
 *   <li>{@link Mode#DATA} (the default): {@code glBufferData} with the frame's data: new storage of the frame's size,
 *       a size that changes from frame to frame with the scene.</li>
 *   <li>{@link Mode#ORPHAN}: {@code glBufferData} without data at a size that only grows (powers of two from 64 KiB),
 *       then {@code glBufferSubData}: new storage each frame, but of the same size, which drivers recycle.</li>
 *   <li>{@link Mode#SUB}: storage only when a frame needs more (the same sizes), else {@code glBufferSubData} alone
 *       into the storage the previous frames drew from; the driver orders the write after those draws.</li>
 * </ul>
 * Draws use only the first bytes, as many as the frame uploaded. Used on the render thread only.
 */
final class BufferUploads {
    /** {@code -Droadsynth.upload=data|orphan|sub}; data if unset. */
    static final String PROPERTY = "roadsynth.upload";
    private static final long MIN_CAPACITY = 1 << 16;

    enum Mode {
        DATA, ORPHAN, SUB;

        static Mode fromProperty() {
            return valueOf(Gl.choice(PROPERTY, "data", "orphan", "sub").toUpperCase(Locale.ROOT));
        }
    }

    private final Mode mode;
    private final int usage;
    /** Per buffer name, the size of the storage last given it (ORPHAN and SUB). */
    private final Map<Integer, Long> capacities = new HashMap<>();

    BufferUploads(Mode mode, int usage) {
        this.mode = mode;
        this.usage = usage;
    }

    Mode mode() {
        return mode;
    }

    int usage() {
        return usage;
    }

    /** Puts {@code data} (position to limit) at the start of {@code buffer}, which is bound to {@code target}. */
    void put(int target, int buffer, ByteBuffer data) {
        if (storage(target, buffer, data.remaining())) {
            glBufferSubData(target, 0, data);
        } else {
            glBufferData(target, data, usage);
        }
    }

    /** As {@link #put(int, int, ByteBuffer)}, for indices. */
    void put(int target, int buffer, IntBuffer data) {
        if (storage(target, buffer, (long) data.remaining() * Integer.BYTES)) {
            glBufferSubData(target, 0, data);
        } else {
            glBufferData(target, data, usage);
        }
    }

    /**
     * Gives the bound buffer storage for {@code bytes} as the mode says; false where the data must come with the
     * storage ({@link Mode#DATA}).
     */
    private boolean storage(int target, int buffer, long bytes) {
        if (mode == Mode.DATA) {
            return false;
        }
        long had = capacities.getOrDefault(buffer, 0L);
        long capacity = Math.max(had, capacity(bytes));
        if (mode == Mode.ORPHAN || capacity > had) {
            glBufferData(target, capacity, usage);
            capacities.put(buffer, capacity);
        }
        return true;
    }

    /** The power of two at or above {@code bytes}, at least 64 KiB. */
    static long capacity(long bytes) {
        return bytes <= MIN_CAPACITY ? MIN_CAPACITY : Long.highestOneBit(bytes - 1) << 1;
    }

    /** For the renderer's description: how frames' geometry is uploaded, if not the default way. */
    String description() {
        return switch (mode) {
            case DATA -> "";
            case ORPHAN -> ", geometry uploaded into storage orphaned at steady sizes";
            case SUB -> ", geometry uploaded into storage kept from frame to frame";
        };
    }
}
