package dev.roadsynth.renderer;

import static org.lwjgl.opengl.GL33C.*;

import dev.roadsynth.core.DepthPlane;
import dev.roadsynth.core.Frame;
import dev.roadsynth.core.Rgb;
import dev.roadsynth.scenes.Environment;
import dev.roadsynth.scenes.Scene;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.joml.Matrix4f;
import org.lwjgl.opengl.ARBClipControl;
import org.lwjgl.opengl.GL45C;
import org.lwjgl.opengl.GLCapabilities;
import org.lwjgl.system.MemoryStack;

/**
 * The OpenGL renderer: one framebuffer with four targets, drawn in one pass (after the shadow pass; then the sky
 * and particles), followed by the amodal coverage passes where asked ({@link CoveragePasses}) and read back through
 * a ring of three pixel buffer objects ({@link FrameReadback}). This class sequences a frame's steps and owns the
 * framebuffer, the scene's buffers and the passes that draw ({@link ScenePrograms}, {@link ShadowPass},
 * {@link SkyPass}, {@link ParticlePass}). Confined to the thread that created its context ({@link ThreadedRenderer} owns that
 * thread); nothing here is thread-safe, except that a frame's planes are copied out of its mapped pixel buffer
 * object on copy threads of its own (see {@link #renderAll(Iterator, Outputs, Consumer, RenderTimes)}).
 *
 * <ul>
 *   <li>attachment 0: RGBA8 colour (read back as RGB);</li>
 *   <li>attachment 1: R16UI class id, written from a {@code flat} integer output (every class id fits: a
 *       {@code LabelSet} allows 0..{@value dev.roadsynth.core.LabelSet#MAX_ID}, and a {@code Scene} only ids of its
 *       label set; 16 bits read back instead of 32); R8UI with {@code -Droadsynth.idBytes=fit} for a frame whose
 *       class ids all fit 8 bits;</li>
 *   <li>attachment 2: R32UI instance id, likewise; R16UI with {@code idBytes=fit} for a frame whose instance ids all
 *       fit 16 bits (the id targets always have the widths their frame is read back in,
 *       {@link #fitIdTargets}: the driver reads them in their own format, converting nothing);</li>
 *   <li>attachment 3: R32F camera z in metres (out of the draw buffers, and not read back, for frames asked for
 *       without depth: {@link Outputs});</li>
 *   <li>depth: 32-bit float, reversed where {@code glClipControl} exists.</li>
 * </ul>
 * Integer targets are never blended or filtered (GL forbids both for integer formats); blending, dithering and
 * multisampling are off for all targets.
 */
final class GlRenderer implements AutoCloseable {
    /**
     * Pixel buffer objects in the ring. Frame n is read into slot n % RING, collected (fence, map, copy started)
     * after frame n + {@link #inflight}'s readback is issued, and its slot is unmapped before frame n + RING's
     * readback: so the copy of a frame has the drawing of about RING - inflight frames to finish before the render
     * thread waits for it.
     */
    private static final int RING = 3;
    /**
     * {@code -Droadsynth.inflight=1|2}: frames drawn but not yet collected when the render thread waits for the oldest's
     * fence: 1 (the default) waits for frame n - 1 right after issuing frame n; 2 for frame n - 2, so that the GPU
     * has a frame queued behind the one it works on while the render thread waits. At most RING - 1: a slot's staging
     * and queries are used again RING frames on, after that frame's fence. For measuring whether NVIDIA's render
     * thread and GPU take turns instead of overlapping (session 25: 3.57 ms a frame, about the render thread's own
     * 1.0 ms plus the GPU's 2.5). The frames are the same.
     */
    static final String INFLIGHT_PROPERTY = "roadsynth.inflight";
    private final int inflight;
    private static final long WAIT_NANOS = 1_000_000_000L;

    private final EglContext context;
    private final boolean reversedDepth;
    private final ScenePrograms scenePrograms;
    private final ShadowPass shadowPass;
    private final SkyPass skyPass;
    private final ParticlePass particlePass;
    private final int vao;
    private final int vbo;
    private final int ebo;
    private final int fbo;
    private final int[] targets = new int[4];
    private final int depthBuffer;
    /**
     * Per slot, {@value #STAMPS} GL_TIMESTAMP queries: before the frame's upload, after it, after the shadow pass,
     * after the rest of the drawing, after the coverage passes and after the readback, read when the frame is
     * collected (its fence passed, so the results are there).
     */
    private static final int STAMPS = 6;
    private final int[] timestamps = new int[RING * STAMPS];
    private int fbWidth;
    private int fbHeight;
    /** Bytes per pixel of the class id target (2: R16UI, or 1: R8UI) and of the instance id target (4: R32UI, or 2: R16UI). */
    private int classTargetBytes = 2;
    private int instanceTargetBytes = 4;
    /**
     * How the colour target is read back: GL_RGB (3 bytes per pixel), or the 4-byte GL_RGBA or GL_BGRA that the
     * driver names as its own read format for it (GL_IMPLEMENTATION_COLOR_READ_FORMAT), which it need not convert.
     */
    private int colourReadFormat = GL_RGB;
    /** See the constructor. */
    private final boolean beyondGl33;
    /** See the constructor's {@code wayNote}. */
    private final String wayNote;
    /** How frames leave the GPU: the readback buffers and what fills them. */
    private final FrameReadback readback;
    /** The amodal coverage passes (null until first needed) and how they count pixels ({@code -Droadsynth.coverage}). */
    private CoveragePasses coveragePasses;
    private final CoveragePasses.Counting counting;
    /** How the coverage passes issue their draws ({@code -Droadsynth.coverageDraws}). */
    private final CoveragePasses.Draws coverageDraws;
    private boolean closed;
    /**
     * The usage hint with which each frame's vertices and indices are uploaded: GL_STREAM_DRAW (written once, drawn
     * a few times: what they are) or, with {@code -Droadsynth.vertices=static}, GL_STATIC_DRAW, for measuring whether
     * a driver then keeps them in the GPU's own memory (session 11: the GPU's drawing interval grows under the
     * writers' memory traffic, as if it read vertices from host memory).
     */
    private final int sceneUsage;
    /** How each frame's geometry goes into the buffers ({@code -Droadsynth.upload}), with {@link #sceneUsage}. */
    private final BufferUploads uploads;
    /** Prints the driver's debug messages with {@link EglContext#DEBUG} (null otherwise). */
    private final org.lwjgl.opengl.GLDebugMessageCallback debugMessages;
    /** The smaller of GL_MAX_VIEWPORT_DIMS' width and height, in pixels: bounds the coverage canvas. */
    private final int maxViewport;

    GlRenderer(EglContext context) {
        this(context, true, FrameReadback.Way.PLAIN);
    }

    GlRenderer(EglContext context, boolean beyondGl33, FrameReadback.Way way) {
        this(context, beyondGl33, way, "");
    }

    /** {@code -Droadsynth.vertices=stream|static}: the usage hint of the per-frame scene buffers (see {@link #sceneUsage}). */
    static final String VERTICES_PROPERTY = "roadsynth.vertices";

    /**
     * @param beyondGl33 whether to use what drivers beyond GL 3.3 offer where it exists (reversed float depth through
     *                   {@code glClipControl}, the driver's own colour read format); false forces the paths of GL 3.3
     *                   drivers, the classic depth mapping and RGB readback (for testing them anywhere)
     * @param way        how frames leave the GPU, where the context offers it ({@link FrameReadback.Way#within})
     * @param wayNote    appended to the description after the way out: why it is not the one chosen for the driver
     *                   ({@link ThreadedRenderer}), or empty
     */
    GlRenderer(EglContext context, boolean beyondGl33, FrameReadback.Way way, String wayNote) {
        this.context = context;
        this.beyondGl33 = beyondGl33;
        this.wayNote = wayNote;
        org.lwjgl.opengl.GLDebugMessageCallback debug = null;
        FrameReadback frames = null;
        try {
            GLCapabilities caps = context.capabilities();
            debug = EglContext.DEBUG && caps.OpenGL43 ? debugMessages() : null;
            this.sceneUsage = Gl.choice(VERTICES_PROPERTY, "stream", "static").equals("static") ? GL_STATIC_DRAW : GL_STREAM_DRAW;
            BufferUploads.Mode upload = BufferUploads.Mode.fromProperty();
            if (upload == BufferUploads.Mode.MAPPED && !(beyondGl33 && caps.OpenGL44)) {
                upload = BufferUploads.Mode.SUB; // buffers mapped once need immutable storage, OpenGL 4.4's
            }
            this.uploads = new BufferUploads(upload, sceneUsage, RING);
            this.inflight = Integer.parseInt(Gl.choice(INFLIGHT_PROPERTY, "1", "2"));
            this.counting = CoveragePasses.Counting.fromProperty();
            this.coverageDraws = CoveragePasses.Draws.fromProperty();
            frames = new FrameReadback(RING, way.within(beyondGl33 && caps.OpenGL43, beyondGl33 && caps.OpenGL44));
            boolean clipControl = beyondGl33 && (caps.OpenGL45 || caps.GL_ARB_clip_control);
            if (clipControl) {
                if (caps.OpenGL45) {
                    GL45C.glClipControl(GL_LOWER_LEFT, GL45C.GL_ZERO_TO_ONE);
                } else {
                    ARBClipControl.glClipControl(GL_LOWER_LEFT, ARBClipControl.GL_ZERO_TO_ONE);
                }
            }
            this.reversedDepth = clipControl;
            // Depth (metres) is read back from a float target with GL_FLOAT: never clamped to [0, 1]. GL's default
            // (GL_FIXED_ONLY) already clamps fixed-point buffers only; said outright, so that no driver path differs.
            glClampColor(GL_CLAMP_READ_COLOR, GL_FALSE);
            Gl.check("renderer set-up: context and clip control");
            try (MemoryStack stack = MemoryStack.stackPush()) {
                // Read once: a glGet waits for the driver to take in every call before it (NVIDIA). Two values
                // (width, height): glGetInteger's one-int buffer would take a write past its end.
                java.nio.IntBuffer dims = stack.mallocInt(2);
                glGetIntegerv(GL_MAX_VIEWPORT_DIMS, dims);
                this.maxViewport = Math.min(dims.get(0), dims.get(1));
            }
            // In this order: the scene's plain variant first, so that shader errors surface at set-up.
            this.scenePrograms = new ScenePrograms(reversedDepth);
            this.particlePass = new ParticlePass(reversedDepth);
            this.shadowPass = new ShadowPass(reversedDepth);
            this.skyPass = new SkyPass(reversedDepth);
            Gl.check("renderer set-up: shader program");
            this.vao = glGenVertexArrays();
            this.vbo = glGenBuffers();
            this.ebo = glGenBuffers();
            glBindVertexArray(vao);
            glBindBuffer(GL_ARRAY_BUFFER, vbo);
            glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, ebo);
            glEnableVertexAttribArray(0);
            glVertexAttribPointer(0, 3, GL_FLOAT, false, PackedScene.STRIDE, 0);
            glEnableVertexAttribArray(1);
            glVertexAttribPointer(1, 3, GL_FLOAT, false, PackedScene.STRIDE, PackedScene.OFFSET_NORMAL);
            glEnableVertexAttribArray(2);
            glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, true, PackedScene.STRIDE, PackedScene.OFFSET_COLOR);
            glEnableVertexAttribArray(3);
            glVertexAttribIPointer(3, 1, GL_UNSIGNED_INT, PackedScene.STRIDE, PackedScene.OFFSET_CLASS);
            glEnableVertexAttribArray(4);
            glVertexAttribIPointer(4, 1, GL_UNSIGNED_INT, PackedScene.STRIDE, PackedScene.OFFSET_INSTANCE);
            Gl.check("renderer set-up: vertex layout");
            this.fbo = glGenFramebuffers();
            glGenTextures(targets);
            this.depthBuffer = glGenRenderbuffers();
            glGenQueries(timestamps);
            glDisable(GL_BLEND);
            glDisable(GL_DITHER);
            glDisable(GL_MULTISAMPLE);
            glDisable(GL_CULL_FACE);
            glEnable(GL_DEPTH_TEST);
            glDepthFunc(reversedDepth ? GL_GREATER : GL_LESS);
            glPixelStorei(GL_PACK_ALIGNMENT, 1);
            Gl.check("renderer set-up: framebuffer objects and state");
            resize(16, 16); // small targets for now, so that the colour read format is known from the start
        } catch (RuntimeException e) {
            if (frames != null) {
                frames.close();
            }
            context.close();
            if (debug != null) {
                debug.free();
            }
            throw e;
        }
        this.debugMessages = debug;
        this.readback = frames;
    }

    /**
     * Prints each distinct driver message (by source, type and id) the first {@value #DEBUG_REPEATS} times to stderr,
     * then every {@value #DEBUG_EVERY}th time with its count: a per-frame warning shows how often it comes without
     * flooding the log.
     */
    private static org.lwjgl.opengl.GLDebugMessageCallback debugMessages() {
        java.util.Map<String, Long> seen = new java.util.concurrent.ConcurrentHashMap<>();
        var callback = org.lwjgl.opengl.GLDebugMessageCallback.create((source, type, id, severity, length, message, user) -> {
            String key = Integer.toHexString(source) + "/" + Integer.toHexString(type) + "/" + Integer.toHexString(id);
            long n = seen.merge(key, 1L, Long::sum);
            if (n <= DEBUG_REPEATS || n % DEBUG_EVERY == 0) {
                System.err.println("GL debug [" + key + ", severity 0x" + Integer.toHexString(severity) + "] #" + n + ": "
                        + org.lwjgl.opengl.GLDebugMessageCallback.getMessage(length, message).strip());
            }
        });
        glEnable(org.lwjgl.opengl.GL43C.GL_DEBUG_OUTPUT);
        org.lwjgl.opengl.GL43C.glDebugMessageCallback(callback, 0L);
        org.lwjgl.opengl.GL43C.glDebugMessageControl(GL_DONT_CARE, GL_DONT_CARE, GL_DONT_CARE, (java.nio.IntBuffer) null, true);
        return callback;
    }

    private static final int DEBUG_REPEATS = 3;
    private static final int DEBUG_EVERY = 1000;

    /** See {@link Renderer#recycle}; any thread. */
    void recycle(Frame frame) {
        readback.recycle(frame);
    }

    PlaneRecycler recycler() {
        return readback.recycler();
    }

    String description() {
        return context.description() + (reversedDepth ? ", reversed float depth" : ", classic depth")
                + (sceneUsage == GL_STATIC_DRAW ? ", scene buffers hinted static" : "")
                + uploads.description()
                + (inflight > 1 ? ", " + inflight + " frames in flight" : "")
                + readback.description() + wayNote
                + (counting == CoveragePasses.Counting.QUERIES ? ", coverage counted by occlusion queries" : "")
                + (coverageDraws != CoveragePasses.Draws.MULTI ? ""
                        : !CoveragePasses.multiDraws(counting, coverageDraws, context.capabilities())
                        ? ", coverage drawn per instance (multi-draws need atomics counting, ARB_shader_draw_parameters"
                          + " and OpenGL 4.4)"
                        // offered: what the passes made of it, since a driver may yet fail the variant's shader
                        : coveragePasses().multiDrawn() ? ", coverage multi-drawn"
                        : ", coverage drawn per instance (the driver failed the multi-draw shader)")
                + ", colour read as " + switch (readback.colourFormat(colourReadFormat)) {
                    case GL_RGBA -> "RGBA";
                    case GL_BGRA -> "BGRA";
                    default -> "RGB";
                };
    }

    /** See {@link Renderer#identity}. */
    String identity() {
        return context.rasterizer() + (reversedDepth ? ", reversed float depth" : ", classic depth");
    }

    /**
     * How the coverage passes count pixels here: "queries", "atomics per subgroup", "atomics per pixel" or "atomics
     * per pixel, multi-drawn" (for tests and `bench`).
     */
    String coverageCounting() {
        ensureOpen();
        context.makeCurrent();
        return coveragePasses().counting();
    }

    /** GL_SUBPIXEL_BITS: window coordinates are snapped to a grid of 2^-bits pixels before rasterization. */
    int subpixelBits() {
        ensureOpen();
        context.makeCurrent();
        return glGetInteger(GL_SUBPIXEL_BITS);
    }

    boolean software() {
        return context.software();
    }

    String softwareNote() {
        return context.softwareNote();
    }

    /**
     * Renders the scenes and then hands their frames to {@code sink} in order, on this thread. Every frame is held
     * until the last is rendered, so this is for single renders ({@link ThreadedRenderer#render}); sequences go
     * through {@link #renderAll(Iterator, Outputs, Consumer, RenderTimes)}.
     */
    void renderAll(Iterator<? extends Scene> scenes, Consumer<? super Frame> sink) {
        List<CompletableFuture<Rendered>> frames = new ArrayList<>();
        renderAll(PackAhead.made(scenes), Outputs.FRAMES, frames::add, new RenderTimes());
        // Every copy has finished once renderAll returns (it unmaps every buffer).
        frames.forEach(f -> sink.accept(f.join().frame()));
    }

    /**
     * Makes (on the packing threads, see {@link PackAhead}) and renders the scenes in order and hands each frame on
     * as it starts being copied out: {@code sink} gets, on
     * this thread and in order, one future per scene, completed on a copy thread once the frame's planes are in
     * Java arrays; the receiver waits for it (the render thread does not). Frames have depth planes if
     * {@code outputs} asks for them (else their depth target is neither drawn nor read back), and each scene's
     * amodal coverage is included if it asks for that. The coverage passes run right after the scene's draw, before its readback's
     * fence; their counters are copied into the frame's readback buffer with its planes (or, with occlusion
     * queries, the results read when the frame is collected, one frame later), so that nothing waits for the GPU.
     * When this returns, normally or not, every copy has finished and no buffer is mapped.
     */
    void renderAll(Iterator<? extends java.util.function.Supplier<? extends Scene>> scenes, Outputs outputs,
                   Consumer<? super CompletableFuture<Rendered>> sink, RenderTimes times) {
        boolean coverage = outputs.coverage();
        ensureOpen();
        context.makeCurrent();
        ArrayDeque<Pending> pending = new ArrayDeque<>(); // oldest first
        int slot = 0;
        times.start();
        // Scenes are generated and packed on other threads, a few ahead; this thread uploads, draws and reads.
        try (PackAhead ahead = new PackAhead(scenes, coverage, PackAhead.threadsFor(Runtime.getRuntime().availableProcessors()))) {
            PackAhead.Packed item;
            while ((item = ahead.next()) != null) {
                try (PackAhead.Packed current = item) {
                    times.end(RenderTimes.Phase.SCENES);
                    Scene scene = current.scene();
                    if (scene.width() != fbWidth || scene.height() != fbHeight) {
                        // The framebuffer is about to change size; drain the frames in flight first.
                        while (!pending.isEmpty()) {
                            handOn(sink, collect(pending.poll(), times), times);
                        }
                        resize(scene.width(), scene.height());
                    }
                    drawDepth(outputs.depth());
                    ReadbackLayout layout = readback.layout(readback.colourFormat(colourReadFormat), scene, outputs.depth());
                    fitIdTargets(layout);
                    glQueryCounter(timestamps[STAMPS * slot], GL_TIMESTAMP);
                    draw(scene, current.packed(), slot);
                    glQueryCounter(timestamps[STAMPS * slot + 3], GL_TIMESTAMP);
                    times.end(RenderTimes.Phase.DRAW);
                    // The coverage pass goes in before the readback's fence, so that its counters are read when
                    // the frame is collected (one frame later) instead of stalling on the GPU now.
                    CoveragePasses.Job job = coverage ? coveragePasses().issue(scene, current.packed(), slot) : null;
                    glQueryCounter(timestamps[STAMPS * slot + 4], GL_TIMESTAMP);
                    times.end(RenderTimes.Phase.COVERAGE);
                    readback.release(slot, times);
                    pending.add(readInto(slot, scene, layout, job, outputs.depth()));
                    times.end(RenderTimes.Phase.READBACK);
                    if (pending.size() > inflight) {
                        handOn(sink, collect(pending.poll(), times), times);
                    }
                    slot = (slot + 1) % RING;
                }
            }
            while (!pending.isEmpty()) {
                handOn(sink, collect(pending.poll(), times), times);
            }
        } finally {
            for (Pending p : pending) {
                glDeleteSync(p.fence()); // abandoned by an exception: free its fence
            }
            for (int s = 0; s < RING; s++) {
                readback.release(s, times);
            }
        }
    }

    /** Readback buffers now mapped (for tests: none once {@link #renderAll} has returned). */
    int mappedBuffers() {
        return readback.mapped();
    }

    long largestReadbackBuffer() {
        return readback.largestBuffer();
    }

    private static void handOn(Consumer<? super CompletableFuture<Rendered>> sink, CompletableFuture<Rendered> rendered,
                               RenderTimes times) {
        sink.accept(rendered);
        times.end(RenderTimes.Phase.HANDOFF);
        times.frameDone();
    }

    /** A frame whose pixels are on their way into a pixel buffer object. */
    private record Pending(int slot, long fence, Scene scene, int width, int height, ReadbackLayout layout,
                           boolean depth, CoveragePasses.Job coverage) {
    }

    /** Whether the framebuffer's draw buffers include the depth target (attachment 3); set by {@link #drawBuffers}. */
    private boolean drawingDepth;

    /**
     * Draws into the depth target or not (GL_NONE in its place: the fragment shader's depth output is dropped, and
     * the target keeps what it held; it is then not read back either). A state change, made only when it changes.
     */
    private void drawDepth(boolean depth) {
        if (depth != drawingDepth) {
            glBindFramebuffer(GL_FRAMEBUFFER, fbo);
            drawBuffers(depth);
        }
    }

    /** Sets the bound framebuffer's draw buffers: the four targets, or without {@code depth} the first three. */
    private void drawBuffers(boolean depth) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            glDrawBuffers(stack.ints(GL_COLOR_ATTACHMENT0, GL_COLOR_ATTACHMENT1, GL_COLOR_ATTACHMENT2,
                    depth ? GL_COLOR_ATTACHMENT3 : GL_NONE));
        }
        drawingDepth = depth;
    }

    private void resize(int w, int h) {
        glBindFramebuffer(GL_FRAMEBUFFER, fbo);
        int[][] formats = {
                {GL_RGBA8, GL_RGBA, GL_UNSIGNED_BYTE},
                idFormat(classTargetBytes),
                idFormat(instanceTargetBytes),
                {GL_R32F, GL_RED, GL_FLOAT}};
        for (int i = 0; i < targets.length; i++) {
            specifyTarget(i, formats[i], w, h);
            glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0 + i, GL_TEXTURE_2D, targets[i], 0);
        }
        glBindRenderbuffer(GL_RENDERBUFFER, depthBuffer);
        glRenderbufferStorage(GL_RENDERBUFFER, GL_DEPTH_COMPONENT32F, w, h);
        glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER, depthBuffer);
        drawBuffers(true);
        Gl.requireComplete("framebuffer " + w + "x" + h);
        // The driver's own read format for the colour target: RGB is one it may have to convert to on the CPU.
        // (A query of OpenGL 4.1 or ARB_ES2_compatibility; a 3.3 context without either reads RGB.)
        GLCapabilities caps = context.capabilities();
        colourReadFormat = GL_RGB;
        if (beyondGl33 && (caps.OpenGL41 || caps.GL_ARB_ES2_compatibility)) {
            glBindFramebuffer(GL_READ_FRAMEBUFFER, fbo);
            glReadBuffer(GL_COLOR_ATTACHMENT0);
            int readFormat = glGetInteger(org.lwjgl.opengl.GL41C.GL_IMPLEMENTATION_COLOR_READ_FORMAT);
            int readType = glGetInteger(org.lwjgl.opengl.GL41C.GL_IMPLEMENTATION_COLOR_READ_TYPE);
            if (readType == GL_UNSIGNED_BYTE && (readFormat == GL_RGBA || readFormat == GL_BGRA)) {
                colourReadFormat = readFormat;
            }
        }
        Gl.check("framebuffer allocation " + w + "x" + h);
        fbWidth = w;
        fbHeight = h;
    }

    /** Internal format, format and type of an unsigned integer id target {@code bytes} wide (1, 2 or 4). */
    private static int[] idFormat(int bytes) {
        return switch (bytes) {
            case 1 -> new int[] {GL_R8UI, GL_RED_INTEGER, GL_UNSIGNED_BYTE};
            case 2 -> new int[] {GL_R16UI, GL_RED_INTEGER, GL_UNSIGNED_SHORT};
            case 4 -> new int[] {GL_R32UI, GL_RED_INTEGER, GL_UNSIGNED_INT};
            default -> throw new IllegalArgumentException("id target of " + bytes + " bytes");
        };
    }

    /** (Re)specifies target {@code i}'s image: {@code format} as {internal format, format, type}, {@code w x h}. */
    private void specifyTarget(int i, int[] format, int w, int h) {
        glBindTexture(GL_TEXTURE_2D, targets[i]);
        glTexImage2D(GL_TEXTURE_2D, 0, format[0], w, h, 0, format[1], format[2], (ByteBuffer) null);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    }

    /**
     * Gives the id targets the widths {@code layout} reads them in, before the frame is drawn: R8UI or R16UI class
     * ids, R16UI or R32UI instance ids. Why: an id target read back in a narrower type than its own
     * ({@code idBytes=fit} alone) asks the driver to convert every pixel, and a conversion may be where a driver's
     * time goes; drawn narrow, the ids are read back as they lie, and the GPU writes fewer bytes too. Exact by
     * construction, as the narrow read is: the layout is narrow only where every id the frame can draw fits.
     * A target is specified anew only when its width changes (its attachment stays: same texture, new image); the
     * readback of the frame before, already queued, reads the old image.
     */
    private void fitIdTargets(ReadbackLayout layout) {
        if (layout.classBytes() == classTargetBytes && layout.instanceBytes() == instanceTargetBytes) {
            return;
        }
        if (layout.classBytes() != classTargetBytes) {
            classTargetBytes = layout.classBytes();
            specifyTarget(1, idFormat(classTargetBytes), fbWidth, fbHeight);
        }
        if (layout.instanceBytes() != instanceTargetBytes) {
            instanceTargetBytes = layout.instanceBytes();
            specifyTarget(2, idFormat(instanceTargetBytes), fbWidth, fbHeight);
        }
        Gl.check("id targets of " + classTargetBytes + " and " + instanceTargetBytes + " bytes, " + fbWidth + "x" + fbHeight);
    }

    /** The id targets' internal formats as the driver reports them (class ids, instance ids): for tests. */
    int[] idTargetFormats() {
        int[] formats = new int[2];
        for (int i = 0; i < 2; i++) {
            glBindTexture(GL_TEXTURE_2D, targets[1 + i]);
            formats[i] = glGetTexLevelParameteri(GL_TEXTURE_2D, 0, GL_TEXTURE_INTERNAL_FORMAT);
        }
        glBindTexture(GL_TEXTURE_2D, 0);
        return formats;
    }

    /**
     * Uploads and draws the scene: shadow pass, main pass, sky, particles. {@code slot}: the frame's readback slot,
     * whose timestamp queries the ones after the upload and after the shadow pass are, and whose staging the uploads
     * use.
     */
    private void draw(Scene scene, PackedScene packed, int slot) {
        int stamps = STAMPS * slot;
        Environment env = scene.environment();
        uploads.frame(slot);
        if (packed.indexCount() > 0) {
            glBindVertexArray(vao);
            glBindBuffer(GL_ARRAY_BUFFER, vbo);
            uploads.put(GL_ARRAY_BUFFER, vbo, packed.vertices());
            uploads.put(GL_ELEMENT_ARRAY_BUFFER, ebo, packed.indices());
        }
        glQueryCounter(timestamps[stamps + 1], GL_TIMESTAMP);
        boolean shadows = env.shadows() && packed.indexCount() > 0 && scene.light().sun().lengthSquared() > 0;
        Matrix4f lightFromCamera = shadows ? shadowPass.lightFromCamera(scene) : new Matrix4f();
        if (shadows) {
            shadowPass.draw(lightFromCamera, packed.casterIndices(), vao, ebo, uploads);
        }
        glQueryCounter(timestamps[stamps + 2], GL_TIMESTAMP);
        glBindFramebuffer(GL_FRAMEBUFFER, fbo);
        glViewport(0, 0, fbWidth, fbHeight);
        glDepthFunc(reversedDepth ? GL_GREATER : GL_LESS);
        try (MemoryStack stack = MemoryStack.stackPush()) {
            glClearBufferfv(GL_DEPTH, 0, stack.floats(reversedDepth ? 0f : 1f));
            if (!SkyPass.gradient(env)) {
                Rgb bg = env.skyHorizon();
                glClearBufferfv(GL_COLOR, 0, stack.floats(bg.r() / 255f, bg.g() / 255f, bg.b() / 255f, 1f));
                glClearBufferuiv(GL_COLOR, 1, stack.ints(scene.backgroundClassId(), 0, 0, 0));
                glClearBufferuiv(GL_COLOR, 2, stack.ints(0, 0, 0, 0));
                glClearBufferfv(GL_COLOR, 3, stack.floats(DepthPlane.NO_DEPTH, 0, 0, 0));
            }
            scenePrograms.use(scene, packed, shadows, lightFromCamera, stack);
            glActiveTexture(GL_TEXTURE0);
            shadowPass.bindMap();
        }
        if (packed.indexCount() > 0) {
            glBindVertexArray(vao);
            cullBackFaces(IMAGE_FRONT_FACE);
            glDrawElements(GL_TRIANGLES, packed.indexCount(), GL_UNSIGNED_INT, 0L);
            glDisable(GL_CULL_FACE);
        }
        if (SkyPass.gradient(env)) {
            try (MemoryStack stack = MemoryStack.stackPush()) {
                skyPass.draw(scene, vao, stack);
            }
        }
        if (ParticlePass.wanted(env)) {
            particlePass.draw(scene, targets.length, uploads);
        }
    }

    /**
     * Amodal coverage of every instance of the scene (see {@link Coverage}): each instance's triangles drawn
     * alone with no depth test onto a canvas extending the image by a margin, each covered pixel passing the
     * stencil once: counted by occlusion queries, its bounds kept by the shader in a shader storage buffer. Needs
     * OpenGL 4.3.
     */
    List<Coverage> coverage(Scene scene) {
        ensureOpen();
        context.makeCurrent();
        try (PackedScene packed = PackedScene.pack(scene)) {
            glBindVertexArray(vao);
            glBindBuffer(GL_ARRAY_BUFFER, vbo);
            // Through the uploads, which know the buffers' storage; slot 0's staging, idle between runs.
            uploads.frame(0);
            uploads.put(GL_ARRAY_BUFFER, vbo, packed.vertices());
            // glGetBufferSubData and the query results wait for the passes to finish.
            CoveragePasses passes = coveragePasses();
            return passes.read(passes.issue(scene, packed, 0));
        }
    }

    /** The coverage passes, set up on first use. */
    private CoveragePasses coveragePasses() {
        if (coveragePasses == null) {
            if (!context.capabilities().OpenGL43) {
                throw new RenderException("amodal coverage needs OpenGL 4.3 (shader storage buffers); this context is "
                        + context.description());
            }
            coveragePasses = new CoveragePasses(RING, vao, ebo, reversedDepth, uploads, maxViewport, counting,
                    coverageDraws, context.capabilities());
        }
        return coveragePasses;
    }

    /**
     * The winding, in GL's window coordinates, of a triangle seen from its front through {@link Projection}: the
     * packed triangles are wound counter-clockwise seen from their front in the camera frame (x right, y down, z
     * forward; see {@code PackedScene.orientedIndices}), and the projection keeps image row 0 (the top) at window
     * row 0, a mirror image of GL's y-up convention, so they come out clockwise. The shadow pass's orthographic
     * view along the sun (a right-handed look-at) mirrors nothing: counter-clockwise there.
     */
    static final int IMAGE_FRONT_FACE = GL_CW;

    /** Draws both sides of every triangle when false; for tests that compare frames with and without culling. */
    static volatile boolean backFaceCulling = true;

    /**
     * Culls the triangles seen from behind (their winding against {@code frontFace}) in the draws that follow,
     * until {@code glDisable(GL_CULL_FACE)}. On a software rasterizer this takes a fifth off the main pass: the
     * far sides of closed meshes no longer get set up, rasterized and depth-tested only to lose.
     */
    static void cullBackFaces(int frontFace) {
        if (!backFaceCulling) {
            return;
        }
        glEnable(GL_CULL_FACE);
        glFrontFace(frontFace);
        glCullFace(GL_BACK);
    }

    /**
     * Waits for the frame's fence and maps its buffer on this thread, then starts the copy of its planes on a copy
     * thread, which also turns the coverage counters that came with the frame into coverages (with occlusion queries
     * their results are read here); {@link #release} unmaps the buffer once that copy has finished.
     */
    private CompletableFuture<Rendered> collect(Pending p, RenderTimes times) {
        try {
            int r;
            do {
                r = glClientWaitSync(p.fence(), GL_SYNC_FLUSH_COMMANDS_BIT, WAIT_NANOS);
            } while (r == GL_TIMEOUT_EXPIRED);
            if (r == GL_WAIT_FAILED) {
                throw new RenderException("glClientWaitSync failed, GL error " + Gl.hex(glGetError()));
            }
        } finally {
            glDeleteSync(p.fence());
        }
        int q = STAMPS * p.slot();
        long[] t = new long[STAMPS];
        for (int i = 0; i < STAMPS; i++) {
            t[i] = glGetQueryObjectui64(timestamps[q + i], GL_QUERY_RESULT);
        }
        times.gpu(t[1] - t[0], t[2] - t[1], t[3] - t[2], t[4] - t[3], t[5] - t[4]);
        times.end(RenderTimes.Phase.GPU);
        ByteBuffer map = readback.map(p.slot(), p.width(), p.height(), p.layout());
        times.end(RenderTimes.Phase.COPY);
        CompletableFuture<Rendered> copy;
        try {
            // One error check per frame, after the fence wait: glGetError synchronises with the driver, and here
            // everything up to this frame's readback has completed anyway.
            Gl.check("drawing, coverage passes and readback");
            times.end(RenderTimes.Phase.CHECK);
            CoveragePasses.Job job = p.coverage();
            // The counters came with the frame (its readback's tail) where they hold all there is; else read here.
            boolean withFrame = job != null && p.layout().tailBytes() > 0;
            List<Coverage> coverage = job == null || withFrame ? List.of() : coveragePasses.read(job);
            CoveragePasses passes = coveragePasses;
            copy = readback.copyOut(p.slot(), map, p.width(), p.height(), p.layout(), p.depth(), p.scene().labels(),
                    (frame, tail) -> new Rendered(p.scene(), frame, withFrame ? passes.parse(job, tail) : coverage),
                    times);
        } catch (RuntimeException | Error e) {
            readback.unmap(p.slot());
            throw e;
        }
        times.end(RenderTimes.Phase.COPY);
        return copy;
    }

    /**
     * Queues the frame's readback into {@code slot} (released), then its last timestamp and its fence. The fence
     * covers everything issued for the frame: drawing, coverage passes and readback. {@code planes}: the layout of
     * the frame's planes, whose id widths its targets were given before it was drawn ({@link #fitIdTargets}).
     */
    private Pending readInto(int slot, Scene scene, ReadbackLayout planes, CoveragePasses.Job coverage, boolean depth) {
        ReadbackLayout layout = planes;
        int counters = 0;
        if (coverage != null && coveragePasses.countsInBuffer()) {
            // The coverage counters travel with the frame, read on a copy thread instead of this one.
            layout = layout.withTail(coveragePasses.counterBytes(coverage));
            counters = coveragePasses.counterBuffer(coverage);
        }
        readback.issue(slot, fbo, targets, fbWidth, fbHeight, layout, counters);
        glQueryCounter(timestamps[STAMPS * slot + 5], GL_TIMESTAMP);
        long fence = glFenceSync(GL_SYNC_GPU_COMMANDS_COMPLETE, 0);
        glFlush();
        return new Pending(slot, fence, scene, fbWidth, fbHeight, layout, depth, coverage);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("renderer is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            context.makeCurrent();
            readback.close(); // idle: renderAll waits for every copy before it returns
            glDeleteQueries(timestamps);
            glDeleteRenderbuffers(depthBuffer);
            glDeleteTextures(targets);
            glDeleteFramebuffers(fbo);
            glDeleteBuffers(vbo);
            glDeleteBuffers(ebo);
            uploads.close();
            glDeleteVertexArrays(vao);
            scenePrograms.close();
            skyPass.close();
            shadowPass.close();
            particlePass.close();
            if (coveragePasses != null) {
                coveragePasses.close();
            }
        } finally {
            context.close();
            if (debugMessages != null) {
                debugMessages.free(); // after the context: no message can come any more
            }
        }
    }
}
