package dev.roadsynth.renderer;

import static org.lwjgl.opengl.GL11C.glGetError;
import static org.lwjgl.opengl.GL15C.glBindBuffer;
import static org.lwjgl.opengl.GL15C.glBufferData;
import static org.lwjgl.opengl.GL15C.glDeleteBuffers;
import static org.lwjgl.opengl.GL15C.glGenBuffers;
import static org.lwjgl.opengl.GL15C.nglBufferData;
import static org.lwjgl.opengl.GL15C.nglBufferSubData;
import static org.lwjgl.opengl.GL30C.GL_MAP_WRITE_BIT;
import static org.lwjgl.opengl.GL30C.glMapBufferRange;
import static org.lwjgl.opengl.GL31C.GL_COPY_READ_BUFFER;
import static org.lwjgl.opengl.GL31C.glCopyBufferSubData;
import static org.lwjgl.opengl.GL44C.GL_CLIENT_STORAGE_BIT;
import static org.lwjgl.opengl.GL44C.GL_MAP_COHERENT_BIT;
import static org.lwjgl.opengl.GL44C.GL_MAP_PERSISTENT_BIT;
import static org.lwjgl.opengl.GL44C.glBufferStorage;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.util.HashMap;
import java.util.Map;
import org.lwjgl.system.MemoryUtil;

/**
 * How each frame's geometry goes into the renderer's buffer objects (the scene's vertices and indices, the shadow
 * casters' and the coverage passes' indices, rain and snow), all with one usage hint ({@code -Droadsynth.vertices}),
 * and the coverage passes' counters with theirs. The contents are the same every way; the ways differ in how often
 * the driver must find new storage, whose release (once the GPU has done with the old) some drivers do at the next
 * call that waits for the GPU, and in how the bytes reach the GPU: on NVIDIA the render thread spent about 2 ms a
 * frame beside the writers at its first synchronising call after each frame, whatever the readback's size, and the
 * GPU 1.1 ms taking in each frame's 2.8 MB (session 25).
 * <ul>
 *   <li>{@link Mode#DATA} (the default): {@code glBufferData} with the frame's data: new storage of the frame's size,
 *       a size that changes from frame to frame with the scene.</li>
 *   <li>{@link Mode#ORPHAN}: {@code glBufferData} without data at a size that only grows (powers of two from 64 KiB),
 *       then {@code glBufferSubData}: new storage each frame, but of the same size, which drivers recycle.</li>
 *   <li>{@link Mode#SUB}: storage only when a frame needs more (the same sizes), else {@code glBufferSubData} alone
 *       into the storage the previous frames drew from; the driver orders the write after those draws.</li>
 *   <li>{@link Mode#MAPPED}: the storage kept as with SUB, filled by {@code glCopyBufferSubData} from a staging
 *       buffer in client memory mapped once (OpenGL 4.4, else SUB), one per readback slot, into which the render
 *       thread copies the frame's data: the driver neither stages pageable memory nor finds storage per frame.</li>
 * </ul>
 * Draws use only the first bytes, as many as the frame uploaded. Used on the render thread only.
 */
final class BufferUploads implements AutoCloseable {
    /** {@code -Droadsynth.upload=data|orphan|sub|mapped}; data if unset. */
    static final String PROPERTY = "roadsynth.upload";
    private static final long MIN_CAPACITY = 1 << 16;
    /** Where each upload starts in a staging buffer: a multiple of this (any copy alignment a driver prefers). */
    private static final long STAGING_ALIGN = 256;

    enum Mode {
        DATA, ORPHAN, SUB, MAPPED;

        static Mode fromProperty() {
            return Gl.choice(PROPERTY, Mode.class);
        }
    }

    private final Mode mode;
    private final int usage;
    /** Per buffer name, the size of the storage last given it (all but DATA). */
    private final Map<Integer, Long> capacities = new HashMap<>();
    /** With MAPPED: per slot, the staging buffer (0 until first needed), its lasting mapping and its size. */
    private final int[] staging;
    private final ByteBuffer[] stagingMap;
    private final long[] stagingCapacity;
    /** With MAPPED: the slot of the frame being uploaded ({@link #frame}) and how far into its staging buffer. */
    private int slot;
    private long offset;

    /**
     * @param mode  how geometry goes in; MAPPED only where the context has OpenGL 4.4 (the caller falls back to SUB)
     * @param usage the usage hint of the buffers' storage
     * @param slots frames whose uploads may be in flight at once (MAPPED keeps a staging buffer per slot)
     */
    BufferUploads(Mode mode, int usage, int slots) {
        this.mode = mode;
        this.usage = usage;
        this.staging = new int[mode == Mode.MAPPED ? slots : 0];
        this.stagingMap = new ByteBuffer[staging.length];
        this.stagingCapacity = new long[staging.length];
    }

    /**
     * Starts a frame's uploads (before its first {@link #put}): with MAPPED into slot {@code slot}'s staging buffer,
     * whose earlier frame the GPU must have finished (the renderer's ring waits for that frame's fence first).
     */
    void frame(int slot) {
        this.slot = slot;
        this.offset = 0;
    }

    /** Puts {@code data} (position to limit) at the start of {@code buffer}, which is bound to {@code target}. */
    void put(int target, int buffer, ByteBuffer data) {
        put(target, buffer, MemoryUtil.memAddress(data), data.remaining(), usage);
    }

    /** As {@link #put(int, int, ByteBuffer)}, for indices. */
    void put(int target, int buffer, IntBuffer data) {
        put(target, buffer, data, usage);
    }

    /**
     * As {@link #put(int, int, IntBuffer)}, with storage of another usage hint than the geometry's: the coverage
     * passes' counters, which the GPU writes and the frame's readback reads, so that no storage is found for them
     * per frame either where the mode keeps it.
     */
    void put(int target, int buffer, IntBuffer data, int usage) {
        put(target, buffer, MemoryUtil.memAddress(data), (long) data.remaining() * Integer.BYTES, usage);
    }

    private void put(int target, int buffer, long address, long bytes, int usage) {
        if (!storage(target, buffer, bytes, usage)) {
            nglBufferData(target, bytes, address, usage);
        } else if (mode == Mode.MAPPED) {
            staged(target, address, bytes);
        } else {
            nglBufferSubData(target, 0, bytes, address);
        }
    }

    /**
     * Gives the bound buffer storage for {@code bytes} as the mode says; false where the data must come with the
     * storage ({@link Mode#DATA}).
     */
    private boolean storage(int target, int buffer, long bytes, int usage) {
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

    /** Copies {@code data} into this frame's staging buffer and queues its copy to the start of {@code target}'s buffer. */
    private void staged(int target, long address, long bytes) {
        long at = (offset + STAGING_ALIGN - 1) / STAGING_ALIGN * STAGING_ALIGN;
        if (at + bytes > stagingCapacity[slot]) {
            // A new, larger one; copies queued from the old one still read it (GL deletes it once they are done).
            growStaging(Math.max(2 * stagingCapacity[slot], capacity(bytes)));
            at = 0;
        }
        MemoryUtil.memCopy(address, MemoryUtil.memAddress(stagingMap[slot]) + at, bytes);
        glBindBuffer(GL_COPY_READ_BUFFER, staging[slot]);
        glCopyBufferSubData(GL_COPY_READ_BUFFER, target, at, 0, bytes);
        glBindBuffer(GL_COPY_READ_BUFFER, 0);
        offset = at + bytes;
    }

    private void growStaging(long bytes) {
        if (staging[slot] != 0) {
            glDeleteBuffers(staging[slot]);
        }
        int flags = GL_MAP_WRITE_BIT | GL_MAP_PERSISTENT_BIT | GL_MAP_COHERENT_BIT;
        staging[slot] = glGenBuffers();
        glBindBuffer(GL_COPY_READ_BUFFER, staging[slot]);
        glBufferStorage(GL_COPY_READ_BUFFER, bytes, flags | GL_CLIENT_STORAGE_BIT);
        stagingMap[slot] = glMapBufferRange(GL_COPY_READ_BUFFER, 0, bytes, flags);
        glBindBuffer(GL_COPY_READ_BUFFER, 0);
        if (stagingMap[slot] == null) {
            throw new RenderException("glMapBufferRange of a staging buffer for geometry failed, GL error "
                    + Gl.hex(glGetError()));
        }
        stagingCapacity[slot] = bytes;
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
            case MAPPED -> ", geometry uploaded through client memory mapped once";
        };
    }

    /** Deletes the staging buffers (deleting a buffer unmaps it). */
    @Override
    public void close() {
        for (int s = 0; s < staging.length; s++) {
            if (staging[s] != 0) {
                glDeleteBuffers(staging[s]);
                staging[s] = 0;
                stagingMap[s] = null;
            }
        }
    }
}
