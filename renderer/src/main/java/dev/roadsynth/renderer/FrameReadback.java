package dev.roadsynth.renderer;

import static org.lwjgl.opengl.GL43C.*;

import dev.roadsynth.core.DepthPlane;
import dev.roadsynth.core.Frame;
import dev.roadsynth.core.IdPlane;
import dev.roadsynth.core.LabelSet;
import dev.roadsynth.core.RgbImage;
import dev.roadsynth.scenes.Scene;
import dev.roadsynth.scenes.SceneObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;
import org.lwjgl.opengl.GL44C;

/**
 * How drawn frames leave the GPU: a ring of readback buffers (pixel pack buffers), each filled from the four
 * targets by {@code glReadPixels} or by a compute pass ({@link Path}), mapped once its frame's fence has passed (or
 * mapped since it was made, {@link Readout}) and copied into the frame's Java arrays on copy threads of its own.
 * Owned by {@link GlRenderer}; every method except the copies runs on its context's thread.
 *
 * <p>A slot's life: {@link #issue} (the frame's readback is queued), then after the fence {@link #map} and
 * {@link #copyOut} (the copy starts; the buffer stays mapped while it reads), then {@link #release} before the slot is
 * issued again (waits for the copy, unmaps). A buffer is never unmapped while a copy reads it: reading an unmapped
 * buffer would crash the process.
 */
final class FrameReadback implements AutoCloseable {
    /** Threads copying frames out of mapped buffers; each copy is itself spread over the common fork-join pool. */
    private static final int COPY_THREADS = 2;

    /**
     * How a drawn frame's targets get into its readback buffer. All give the same bytes; which is fastest depends
     * on the driver (PERFORMANCE.md, session 11).
     */
    enum Path {
        /** Four {@code glReadPixels} into the buffer bound as a pixel pack buffer (any OpenGL 3.3 context). */
        PIXELS,
        /**
         * One compute dispatch that reads the targets with {@code texelFetch} and writes the buffer bound as a shader
         * storage buffer (OpenGL 4.3; elsewhere PIXELS). NVIDIA's driver returns from the first {@code glReadPixels}
         * only once the GPU has drawn the frame (session 11); a dispatch is queued like a draw.
         */
        COMPUTE,
        /**
         * As COMPUTE, into a buffer the driver may keep in the GPU's own memory, then copied into the readback
         * buffer with {@code glCopyBufferSubData}: in case shader writes into a buffer meant for reading back go
         * slowly (over the bus, a word at a time) where a copy goes as one transfer.
         */
        COMPUTE_COPY;

        /**
         * The system property that chooses one: {@code -Droadsynth.readback=pixels|compute|compute-copy}; pixels if
         * unset.
         */
        static final String PROPERTY = "roadsynth.readback";

        static Path fromProperty() {
            return Gl.choice(PROPERTY, Path.class);
        }
    }

    /**
     * How a frame's bytes reach the copy threads once its fence has passed: through a mapping of the readback buffer
     * made for the frame (MAP, the default: {@code glMapBufferRange}, then {@code glUnmapBuffer} once the copy is
     * done), or through a mapping made once with the buffer (PERSISTENT), with
     * {@code -Droadsynth.readout=map|persistent}. The bytes are the same. Two other ways were measured on NVIDIA and
     * removed (session 18): the driver's copy into memory of our own ({@code glGetBufferSubData}: the render thread's
     * time per frame rose from 1.67 to 2.67 ms) and mapping and unmapping on the copy threads' own shared contexts
     * (the unmap left the render thread, but its {@code glReadPixels} then waited as long).
     */
    enum Readout {
        MAP,
        /**
         * Each buffer mapped once, as it is made, and left mapped (OpenGL 4.4's immutable storage, mapped persistent
         * and coherent; elsewhere MAP): no map or unmap per frame, so none of the driver's page-table work per
         * frame that a mapping's set-up and tear-down may cost every thread of the process (on NVIDIA's driver the
         * render thread's unmap of a 7.3 MB buffer took 0.7 to 0.9 ms without writers and 2.4 ms beside them,
         * sessions 15 and 18). Coherent: the frame's fence, waited for before the copy, is all that makes the GPU's
         * writes visible to it; and the ring reuses a slot only after its copy has finished, as with MAP. Exact on
         * NVIDIA too (session 19: DriverPathsTest passes, either memory), but not faster there: the driver's time per
         * frame moves from the unmap into {@code glReadPixels} (or, with COMPUTE_COPY, into the wait for the fence),
         * so it stays a choice for measuring other drivers.
         */
        PERSISTENT;

        static final String PROPERTY = "roadsynth.readout";

        static Readout fromProperty() {
            return Gl.choice(PROPERTY, Readout.class);
        }
    }

    /**
     * How frames leave the GPU, all told: the {@link Path}, the {@link Readout} and, with PERSISTENT, whether the
     * buffers ask for client memory. Every way gives the same bytes (DriverPathsTest); they differ in where a driver
     * spends its time.
     */
    record Way(Path path, Readout readout, boolean clientStorage) {
        /** {@code -Droadsynth.clientStorage=true|false}: see {@link FrameReadback#clientStorage}. */
        static final String CLIENT_STORAGE_PROPERTY = "roadsynth.clientStorage";
        /** {@code glReadPixels} into buffers mapped per frame: any driver's way unless it is NVIDIA's. */
        static final Way PLAIN = new Way(Path.PIXELS, Readout.MAP, false);
        /**
         * NVIDIA's way: the compute pass, its copy into buffers in client memory mapped once. Its driver spends about
         * 2 ms of the render thread's time per frame beside the writers at the first synchronising call after each
         * frame's readback, whichever way (the unmap when mapped per frame); this way there is no unmap and no
         * {@code glReadPixels}, and the render thread took 3.57 ms a frame instead of 4.23: over 10,000 samples on an
         * H200 263.2 samples/s against 222.2 the plain way, in one run of each on one machine; over 3,000, 227.0
         * against 186.7 to 202.3 (session 25). Output identical.
         */
        static final Way NVIDIA = new Way(Path.COMPUTE_COPY, Readout.PERSISTENT, true);

        /**
         * The way for a driver whose GL_VENDOR is {@code vendor}: NVIDIA's for NVIDIA's driver, else PLAIN; but where
         * any of {@code roadsynth.readback}, {@code roadsynth.readout} and {@code roadsynth.clientStorage} is set, the
         * switches alone decide, each unset one at PLAIN's choice (so that a switch means the same on every driver).
         */
        static Way chosen(String vendor) {
            return switched().orElseGet(() -> forDriver(vendor));
        }

        /** The switches' way where any is set (each checked: an unknown value throws), else empty. */
        static Optional<Way> switched() {
            boolean any = System.getProperty(Path.PROPERTY) != null || System.getProperty(Readout.PROPERTY) != null
                    || System.getProperty(CLIENT_STORAGE_PROPERTY) != null;
            return any ? Optional.of(fromProperties(Path.fromProperty())) : Optional.empty();
        }

        /** NVIDIA's way for NVIDIA's driver ({@code vendor} is GL_VENDOR), else PLAIN. */
        static Way forDriver(String vendor) {
            return vendor != null && vendor.startsWith("NVIDIA") ? NVIDIA : PLAIN;
        }

        /** {@code path} with the readout and the client memory the switches give (PLAIN's where unset). */
        static Way fromProperties(Path path) {
            return new Way(path, Readout.fromProperty(), Gl.choice(CLIENT_STORAGE_PROPERTY, "false", "true").equals("true"));
        }

        /** The switches that give this way, as a user would set them. */
        String switches() {
            return "-D" + Path.PROPERTY + "=" + path.name().toLowerCase(Locale.ROOT).replace('_', '-') + " -D"
                    + Readout.PROPERTY + "=" + readout.name().toLowerCase(Locale.ROOT) + " -D" + CLIENT_STORAGE_PROPERTY
                    + "=" + clientStorage;
        }

        /** This way where the context offers it: the compute passes need OpenGL 4.3, buffers mapped once 4.4. */
        Way within(boolean gl43, boolean gl44) {
            Path p = gl43 ? path : Path.PIXELS;
            Readout r = gl44 ? readout : Readout.MAP;
            return new Way(p, r, clientStorage && r == Readout.PERSISTENT);
        }
    }

    /** Inserted into pack.comp after its #version line; tests add an {@code #error} to see a driver fail the pass. */
    static volatile String packDefines = "";

    private final Path path;
    private final Readout readout;
    /** {@code -Droadsynth.packUsage}: see {@link #packUsage}. */
    static final String PACK_USAGE_PROPERTY = "roadsynth.packUsage";
    /** {@code -Droadsynth.packInvalidate}: see {@link #invalidate}. */
    static final String INVALIDATE_PROPERTY = "roadsynth.packInvalidate";
    /**
     * The usage hint of the readback buffers mapped per frame: GL_STREAM_READ, or with
     * {@code -Droadsynth.packUsage=dynamic|static} GL_DYNAMIC_READ or GL_STATIC_READ, for measuring whether a driver
     * then places them where its per-frame readback costs less (drivers choose memory by the hint; on NVIDIA the render
     * thread's unmap of a frame took 1 to 2 ms, session 19). The bytes are the same.
     */
    private final int packUsage;
    /**
     * With {@code -Droadsynth.packInvalidate=true}: each readback buffer's contents are invalidated
     * ({@code glInvalidateBufferData}) once unmapped, telling the driver that nothing of them need survive, in case
     * its unmap otherwise keeps a copy coherent (OpenGL 4.3; ignored below). The bytes are the same (the next frame's
     * readback writes them all).
     */
    private final boolean invalidate;
    /**
     * With {@link Readout#PERSISTENT}: whether its buffers ask for client memory ({@code GL_CLIENT_STORAGE_BIT}; else
     * the driver chooses). A hint only; with {@code glReadPixels} into such buffers NVIDIA's took 1.0 ms instead of
     * 0.13 (session 15), with the compute pass's copy into them it is NVIDIA's default ({@link Way#NVIDIA}).
     */
    private final boolean clientStorage;
    /** With {@link Readout#PERSISTENT}: per slot, its buffer's lasting mapping (null until the buffer is made). */
    private final ByteBuffer[] persistent;
    private final int[] pbos;
    private final long[] pboCapacity;
    /** Per slot, the copy out of its mapped buffer (null while the slot is not mapped). */
    private final CompletableFuture<Rendered>[] copies;
    private final ExecutorService copyThreads;
    /** Plane arrays of frames handed back ({@link #recycle}), for the copies out of later frames. */
    private final PlaneRecycler recycler = new PlaneRecycler();
    /** The compute pass that packs the targets into a readback buffer (0 with {@link Path#PIXELS}). */
    private final int packProgram;
    private final int uPackWidth;
    private final int uPackPixels;
    private final int uPackStride;
    private final int uPackDepthWords;

    /**
     * @param slots readback buffers in the ring
     * @param way   how frames get into them and out; one the context offers ({@link Way#within})
     */
    @SuppressWarnings("unchecked")
    FrameReadback(int slots, Way way) {
        this.path = way.path();
        this.readout = way.readout();
        this.clientStorage = way.clientStorage();
        this.fitIds = Gl.choice(ID_BYTES_PROPERTY, "full", "fit").equals("fit");
        this.packUsage = switch (Gl.choice(PACK_USAGE_PROPERTY, "stream", "dynamic", "static")) {
            case "dynamic" -> GL_DYNAMIC_READ;
            case "static" -> GL_STATIC_READ;
            default -> GL_STREAM_READ;
        };
        this.invalidate = Boolean.getBoolean(INVALIDATE_PROPERTY) && org.lwjgl.opengl.GL.getCapabilities().OpenGL43;
        if (path != Path.PIXELS) {
            this.packProgram = Gl.link("pack.comp", Gl.shader(GL_COMPUTE_SHADER, "pack.comp", packDefines));
            this.uPackWidth = glGetUniformLocation(packProgram, "uWidth");
            this.uPackPixels = glGetUniformLocation(packProgram, "uPixels");
            this.uPackStride = glGetUniformLocation(packProgram, "uStride");
            this.uPackDepthWords = glGetUniformLocation(packProgram, "uDepthWords");
        } else {
            this.packProgram = 0;
            this.uPackWidth = -1;
            this.uPackPixels = -1;
            this.uPackStride = -1;
            this.uPackDepthWords = -1;
        }
        this.persistent = new ByteBuffer[slots];
        this.pbos = new int[slots];
        glGenBuffers(pbos);
        this.pboCapacity = new long[slots];
        this.copies = new CompletableFuture[slots];
        this.copyThreads = Executors.newFixedThreadPool(COPY_THREADS, r -> {
            Thread t = new Thread(r, "roadsynth-copy");
            t.setDaemon(true);
            return t;
        });
    }

    Path path() {
        return path;
    }

    /**
     * The format frames' colour comes back in, given the driver's own read format for the colour target (GL_RGBA or
     * GL_BGRA bytes, which {@code glReadPixels} need not convert, else GL_RGB): the compute pass packs RGB.
     */
    int colourFormat(int driverFormat) {
        return path == Path.PIXELS ? driverFormat : GL_RGB;
    }

    /**
     * {@code -Droadsynth.idBytes=full|fit}: ids drawn and read back in 4 bytes for instance ids and 2 for class ids
     * (the default), or as narrow as a scene's ids allow ({@link ReadbackLayout#fitting}; the renderer gives its id
     * targets the same widths, so nothing is converted on the way out). Not the default: on llvmpipe it makes no
     * difference beyond the host's drift (sessions 19 and 24), and on an H200 the bench was no faster, 3,000-sample
     * runs within their spread, and the driver's time per frame did not follow the bytes (session 25).
     */
    static final String ID_BYTES_PROPERTY = "roadsynth.idBytes";
    private final boolean fitIds;

    /**
     * The layout of {@code scene}'s frame, its colour in {@code colourFormat} ({@link #colourFormat}): with
     * {@code glReadPixels} and {@code -Droadsynth.idBytes=fit} ids as narrow as every id the scene can draw allows
     * (its objects' and its background's: sky and clear value), else at the widths of {@link ReadbackLayout#PACKED}. Only
     * then are the scene's objects looked at (on the render thread, once per frame). Without {@code depth} no depth
     * plane is read or packed (the compute pass packs {@link ReadbackLayout#PACKED}, with depth or without).
     */
    ReadbackLayout layout(int colourFormat, Scene scene, boolean depth) {
        if (path != Path.PIXELS) {
            // Without depth the pass leaves out its 4 bytes a pixel: on NVIDIA's way 2 MB a frame at 1024x512 that
            // the GPU would write and copy into client memory for nothing.
            return depth ? ReadbackLayout.PACKED : ReadbackLayout.PACKED.withoutDepth();
        }
        ReadbackLayout full = fitIds ? fitting(colourFormat, scene) : new ReadbackLayout(4, 2, colourFormat);
        return depth ? full : full.withoutDepth();
    }

    private static ReadbackLayout fitting(int colourFormat, Scene scene) {
        int maxClass = scene.backgroundClassId();
        int maxInstance = 0;
        for (SceneObject o : scene.objects()) {
            maxClass = Integer.compareUnsigned(o.classId(), maxClass) > 0 ? o.classId() : maxClass;
            maxInstance = Integer.compareUnsigned(o.instanceId(), maxInstance) > 0 ? o.instanceId() : maxInstance;
        }
        return ReadbackLayout.fitting(colourFormat, maxClass, maxInstance);
    }

    /**
     * Queues the readback of the {@code w x h} frame drawn into {@code targets} (colour, class ids, instance ids, depth:
     * the attachments 0 to 3 of {@code fbo}) into readback buffer {@code slot}, which must be released.
     */
    void issue(int slot, int fbo, int[] targets, int w, int h, ReadbackLayout layout, int tailFrom) {
        long bytes = layout.bytes(w * h);
        if (pboCapacity[slot] < bytes) {
            grow(slot, bytes);
        }
        glBindBuffer(GL_PIXEL_PACK_BUFFER, pbos[slot]);
        if (path != Path.PIXELS) {
            ReadbackLayout planes = layout.withTail(0);
            if (!planes.equals(ReadbackLayout.PACKED) && !planes.equals(ReadbackLayout.PACKED.withoutDepth())) {
                throw new IllegalArgumentException("the compute pass packs " + ReadbackLayout.PACKED
                        + " with depth or without, not " + layout);
            }
            pack(slot, targets, w, h, layout.depthBytes() / 4, bytes);
        } else {
            int stride = ReadbackLayout.stride(w * h);
            glBindFramebuffer(GL_READ_FRAMEBUFFER, fbo);
            glReadBuffer(GL_COLOR_ATTACHMENT2);
            glReadPixels(0, 0, w, h, GL_RED_INTEGER, layout.instanceBytes() == 2 ? GL_UNSIGNED_SHORT : GL_UNSIGNED_INT,
                    0L);
            if (layout.depthBytes() > 0) {
                glReadBuffer(GL_COLOR_ATTACHMENT3);
                glReadPixels(0, 0, w, h, GL_RED, GL_FLOAT, layout.depthAt(stride));
            }
            glReadBuffer(GL_COLOR_ATTACHMENT1);
            glReadPixels(0, 0, w, h, GL_RED_INTEGER, layout.classBytes() == 1 ? GL_UNSIGNED_BYTE : GL_UNSIGNED_SHORT,
                    layout.classesAt(stride));
            glReadBuffer(GL_COLOR_ATTACHMENT0);
            glReadPixels(0, 0, w, h, layout.colourFormat(), GL_UNSIGNED_BYTE, layout.colourAt(stride));
        }
        glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
        if (layout.tailBytes() > 0) {
            // Queued like the reads: the frame's fence covers it. Writes by shaders into tailFrom must have been
            // made visible to buffer commands (GL_BUFFER_UPDATE_BARRIER_BIT) by whoever wrote them.
            glBindBuffer(GL_COPY_READ_BUFFER, tailFrom);
            glBindBuffer(GL_COPY_WRITE_BUFFER, pbos[slot]);
            glCopyBufferSubData(GL_COPY_READ_BUFFER, GL_COPY_WRITE_BUFFER, 0, layout.tailAt(ReadbackLayout.stride(w * h)),
                    layout.tailBytes());
            glBindBuffer(GL_COPY_READ_BUFFER, 0);
            glBindBuffer(GL_COPY_WRITE_BUFFER, 0);
        }
    }

    /** The largest readback buffer's size in bytes, for tests: the most one frame has needed. */
    long largestBuffer() {
        return Arrays.stream(pboCapacity).max().orElse(0);
    }

    /**
     * Gives released slot {@code slot} a buffer of {@code bytes}; with {@link Readout#PERSISTENT} a new one (immutable
     * storage cannot grow; deleting the old one unmaps it, and no copy reads it once its slot is released), mapped.
     */
    private void grow(int slot, long bytes) {
        if (readout == Readout.PERSISTENT) {
            if (pboCapacity[slot] > 0) {
                persistent[slot] = null;
                glDeleteBuffers(pbos[slot]);
                pbos[slot] = glGenBuffers();
            }
            int flags = GL_MAP_READ_BIT | GL44C.GL_MAP_PERSISTENT_BIT | GL44C.GL_MAP_COHERENT_BIT;
            glBindBuffer(GL_PIXEL_PACK_BUFFER, pbos[slot]);
            GL44C.glBufferStorage(GL_PIXEL_PACK_BUFFER, bytes, flags | (clientStorage ? GL44C.GL_CLIENT_STORAGE_BIT : 0));
            persistent[slot] = glMapBufferRange(GL_PIXEL_PACK_BUFFER, 0, bytes, flags);
            glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
            if (persistent[slot] == null) {
                throw new RenderException("glMapBufferRange of a persistent readback buffer failed, GL error "
                        + Gl.hex(glGetError()));
            }
        } else {
            glBindBuffer(GL_PIXEL_PACK_BUFFER, pbos[slot]);
            glBufferData(GL_PIXEL_PACK_BUFFER, bytes, packUsage);
            glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
        }
        pboCapacity[slot] = bytes;
    }

    /** Work groups of pack.comp (its local_size_x) and the widest grid row GL guarantees (GL_MAX_COMPUTE_WORK_GROUP_COUNT). */
    private static final int PACK_GROUP = 64;
    private static final int MAX_GROUPS_X = 65_535;

    /** With {@link Path#COMPUTE_COPY}: what pack.comp writes into before the copy (0 until first needed). */
    private int packScratch;
    private long packScratchCapacity;

    /**
     * Issues pack.comp for the {@code w x h} targets into readback buffer {@code slot} (see the shader), with a depth
     * plane if {@code depthWords} is 1 and without if 0, or with {@link Path#COMPUTE_COPY} into the scratch buffer and
     * then a copy of its {@code bytes} into the slot's.
     */
    private void pack(int slot, int[] targets, int w, int h, int depthWords, long bytes) {
        boolean copy = path == Path.COMPUTE_COPY;
        if (copy && packScratchCapacity < bytes) {
            if (packScratch == 0) {
                packScratch = glGenBuffers();
            }
            glBindBuffer(GL_COPY_WRITE_BUFFER, packScratch);
            glBufferData(GL_COPY_WRITE_BUFFER, bytes, GL_DYNAMIC_COPY); // written and read by the GPU only
            packScratchCapacity = bytes;
        }
        int pixels = w * h;
        int stride = ReadbackLayout.stride(pixels);
        glUseProgram(packProgram);
        glUniform1i(uPackWidth, w);
        glUniform1i(uPackPixels, pixels);
        glUniform1i(uPackStride, stride);
        glUniform1i(uPackDepthWords, depthWords);
        // Sampler units as the shader's bindings say: classes, instances, depth, colour.
        int[] order = {targets[1], targets[2], targets[3], targets[0]};
        for (int unit = 0; unit < order.length; unit++) {
            glActiveTexture(GL_TEXTURE0 + unit);
            glBindTexture(GL_TEXTURE_2D, order[unit]);
        }
        glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 1, copy ? packScratch : pbos[slot]);
        int groups = (stride / 4 + PACK_GROUP - 1) / PACK_GROUP;
        int gx = Math.min(groups, MAX_GROUPS_X);
        glDispatchCompute(gx, (groups + gx - 1) / gx, 1);
        // The buffer is mapped once the frame's fence has passed (or first copied): shader writes must be visible to
        // that mapping, and to the copy (both "buffer updates"); to a lasting mapping, the client-mapped barrier too
        // (shader stores are incoherent even with a coherent mapping).
        glMemoryBarrier(GL_BUFFER_UPDATE_BARRIER_BIT
                | (readout == Readout.PERSISTENT ? GL44C.GL_CLIENT_MAPPED_BUFFER_BARRIER_BIT : 0));
        if (copy) {
            glBindBuffer(GL_COPY_READ_BUFFER, packScratch);
            glBindBuffer(GL_COPY_WRITE_BUFFER, pbos[slot]);
            glCopyBufferSubData(GL_COPY_READ_BUFFER, GL_COPY_WRITE_BUFFER, 0, 0, bytes);
        }
        // Leave no target bound to a texture unit while the next frame draws into it.
        for (int unit = order.length - 1; unit >= 0; unit--) {
            glActiveTexture(GL_TEXTURE0 + unit);
            glBindTexture(GL_TEXTURE_2D, 0);
        }
    }

    /**
     * Maps readback buffer {@code slot} for reading, once its frame's fence has passed (with {@link Readout#PERSISTENT}
     * its lasting mapping); {@link #unmap} or {@link #copyOut} next.
     */
    ByteBuffer map(int slot, int w, int h, ReadbackLayout layout) {
        if (readout == Readout.PERSISTENT) {
            return persistent[slot]; // mapped since the buffer was made; the frame's fence has passed
        }
        glBindBuffer(GL_PIXEL_PACK_BUFFER, pbos[slot]);
        ByteBuffer map = glMapBufferRange(GL_PIXEL_PACK_BUFFER, 0, layout.bytes(w * h), GL_MAP_READ_BIT);
        glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
        if (map == null) {
            throw new RenderException("glMapBufferRange of the readback buffer failed, GL error " + Gl.hex(glGetError()));
        }
        return map;
    }

    /** Unmaps a buffer mapped by {@link #map} (nothing with {@link Readout#PERSISTENT}). */
    void unmap(int slot) {
        if (readout == Readout.MAP) {
            glBindBuffer(GL_PIXEL_PACK_BUFFER, pbos[slot]);
            glUnmapBuffer(GL_PIXEL_PACK_BUFFER);
            if (invalidate) {
                glInvalidateBufferData(pbos[slot]);
            }
            glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
        }
    }

    /**
     * Starts copying the planes out of {@code map} (slot {@code slot}'s mapping) on a copy thread, into recycled
     * arrays; the future completes there with {@code result} of the frame (with a depth plane if {@code depth}, which
     * the layout must then hold) and the layout's tail (as ints, in native order). The slot stays mapped until
     * {@link #release}.
     */
    CompletableFuture<Rendered> copyOut(int slot, ByteBuffer map, int w, int h, ReadbackLayout layout, boolean depth,
                                        LabelSet labels, BiFunction<Frame, int[], Rendered> result, RenderTimes times) {
        if (depth && layout.depthBytes() == 0) {
            throw new IllegalArgumentException("a frame with depth from a readback without it: " + layout);
        }
        int pixels = w * h;
        long queued = System.nanoTime();
        CompletableFuture<Rendered> copy = CompletableFuture.supplyAsync(() -> {
            long started = System.nanoTime();
            Object[] planes = recycler.take(pixels, depth);
            PlaneCopy.copyPlanes(map, pixels, layout, planes);
            times.copied(started - queued, System.nanoTime() - started);
            Frame frame = new Frame(labels, RgbImage.adopt(w, h, (byte[]) planes[3]),
                    IdPlane.adopt(w, h, (int[]) planes[0]), IdPlane.adopt(w, h, (int[]) planes[1]),
                    depth ? DepthPlane.adopt(w, h, (float[]) planes[2]) : null);
            recycler.lend(frame, planes);
            int[] tail = new int[layout.tailBytes() / Integer.BYTES];
            map.slice(layout.tailAt(ReadbackLayout.stride(pixels)), layout.tailBytes()).order(ByteOrder.nativeOrder()).asIntBuffer()
                    .get(tail);
            return result.apply(frame, tail);
        }, copyThreads);
        copies[slot] = copy;
        return copy;
    }

    /**
     * Waits for the copy out of {@code slot}'s buffer, if one is under way, and unmaps the buffer, adding the wait
     * and the unmap to {@code times} apart (NVIDIA's unmap of a 7.3 MB buffer took 0.7 ms, session 15). What the copy
     * threw is left to the receiver of its future; the buffer is unmapped either way.
     */
    void release(int slot, RenderTimes times) {
        CompletableFuture<Rendered> copy = copies[slot];
        if (copy == null) {
            return;
        }
        try {
            copy.join(); // not interruptible: the mapping must outlive every read of it
        } catch (CompletionException | CancellationException e) {
            // the receiver gets it from the future
        }
        copies[slot] = null;
        times.end(RenderTimes.Phase.COPIES);
        unmap(slot);
        times.end(RenderTimes.Phase.UNMAP);
    }

    /** Readback buffers now mapped (for tests: none once a render has returned). */
    int mapped() {
        return (int) Arrays.stream(copies).filter(Objects::nonNull).count();
    }

    /** See {@link Renderer#recycle}; any thread. */
    void recycle(Frame frame) {
        recycler.recycle(frame);
    }

    PlaneRecycler recycler() {
        return recycler;
    }

    /** For the renderer's description: how frames are packed, if not by {@code glReadPixels}. */
    String description() {
        return switch (path) {
            case PIXELS -> "";
            case COMPUTE -> ", frames packed by a compute pass";
            case COMPUTE_COPY -> ", frames packed by a compute pass, then copied";
        } + (fitIds && path == Path.PIXELS ? ", ids drawn and read as narrow as they fit" : "")
                + (packUsage == GL_STREAM_READ ? ""
                        : ", readback buffers hinted " + (packUsage == GL_DYNAMIC_READ ? "dynamic" : "static"))
                + (invalidate ? ", readback buffers invalidated after reading" : "") + switch (readout) {
            case MAP -> "";
            case PERSISTENT -> ", readback buffers mapped once" + (clientStorage ? " (client storage)" : "");
        };
    }

    /** Deletes the buffers and the pack program; every slot must have been released. */
    @Override
    public void close() {
        copyThreads.shutdown(); // idle: the renderer waits for every copy before it returns
        glDeleteBuffers(pbos);
        if (packProgram != 0) {
            glDeleteProgram(packProgram);
        }
        if (packScratch != 0) {
            glDeleteBuffers(packScratch);
        }
    }
}
