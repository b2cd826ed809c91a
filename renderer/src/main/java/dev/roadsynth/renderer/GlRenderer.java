package dev.roadsynth.renderer;

import static org.lwjgl.opengl.GL33C.*;

import dev.roadsynth.core.DepthPlane;
import dev.roadsynth.core.Frame;
import dev.roadsynth.core.Rgb;
import dev.roadsynth.scenes.Environment;
import dev.roadsynth.scenes.Scene;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.joml.Matrix3f;
import org.joml.Matrix4f;
import org.joml.Vector3f;
import org.lwjgl.opengl.ARBClipControl;
import org.lwjgl.opengl.GL45C;
import org.lwjgl.opengl.GLCapabilities;
import org.lwjgl.system.MemoryStack;

/**
 * The OpenGL renderer: one framebuffer with four targets, drawn in one pass (after the shadow pass; then the sky
 * and particles), followed by the amodal coverage passes where asked ({@link CoveragePasses}) and read back through
 * a ring of three pixel buffer objects ({@link FrameReadback}). This class sequences a frame's steps and owns the
 * scene's programs and buffers. Confined to the thread that created its context ({@link ThreadedRenderer} owns that
 * thread); nothing here is thread-safe, except that a frame's planes are copied out of its mapped pixel buffer
 * object on copy threads of its own (see {@link #renderAll(Iterator, Outputs, Consumer, RenderTimes)}).
 *
 * <ul>
 *   <li>attachment 0: RGBA8 colour (read back as RGB);</li>
 *   <li>attachment 1: R16UI class id, written from a {@code flat} integer output (every class id fits: a
 *       {@code LabelSet} allows 0..{@value dev.roadsynth.core.LabelSet#MAX_ID}, and a {@code Scene} only ids of its
 *       label set; 16 bits read back instead of 32);</li>
 *   <li>attachment 2: R32UI instance id, likewise;</li>
 *   <li>attachment 3: R32F camera z in metres;</li>
 *   <li>depth: 32-bit float, reversed where {@code glClipControl} exists.</li>
 * </ul>
 * Integer targets are never blended or filtered (GL forbids both for integer formats); blending, dithering and
 * multisampling are off for all targets.
 */
final class GlRenderer implements AutoCloseable {
    /**
     * Pixel buffer objects in the ring. Frame n is read into slot n % RING, collected (fence, map, copy started)
     * after frame n + 1's readback is issued, and its slot is unmapped before frame n + RING's readback: so the copy
     * of a frame has the drawing of about RING - 1 frames to finish before the render thread waits for it.
     */
    private static final int RING = 3;
    /** Shadow map side in texels; it covers {@value #SHADOW_HALF_EXTENT} m either side of its centre. */
    static final int SHADOW_SIZE = 2048;
    static final float SHADOW_HALF_EXTENT = 90f;
    private static final long WAIT_NANOS = 1_000_000_000L;

    private final EglContext context;
    private final boolean reversedDepth;
    /** Scene programs by feature set (bits below), compiled on first use. */
    private final java.util.Map<Integer, SceneProgram> variants = new java.util.HashMap<>();
    private final int particleProgram;
    private final int uParticleProjection;
    private final int particleVao;
    private final int particleVbo;
    private final int shadowProgram;
    private final int uShadowPassFromCamera;
    private final int shadowFbo;
    private final int shadowEbo;
    private final int shadowMap;
    private final int skyProgram;
    private final int uSkyIntrinsics;
    private final int uSkyCameraToWorld;
    private final int uSkyZenith;
    private final int uSkyHorizon;
    private final int uSkyBackgroundClass;
    private final int uSkyClipZ;
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
    /**
     * How the colour target is read back: GL_RGB (3 bytes per pixel), or the 4-byte GL_RGBA or GL_BGRA that the
     * driver names as its own read format for it (GL_IMPLEMENTATION_COLOR_READ_FORMAT), which it need not convert.
     */
    private int colourReadFormat = GL_RGB;
    /** See the constructor. */
    private final boolean beyondGl33;
    /** How frames leave the GPU: the readback buffers and what fills them. */
    private final FrameReadback readback;
    /** The amodal coverage passes (null until first needed) and how they count pixels ({@code -Droadsynth.coverage}). */
    private CoveragePasses coveragePasses;
    private final CoveragePasses.Counting counting;
    private boolean closed;
    /**
     * The usage hint with which each frame's vertices and indices are uploaded: GL_STREAM_DRAW (written once, drawn
     * a few times: what they are) or, with {@code -Droadsynth.vertices=static}, GL_STATIC_DRAW, for measuring whether
     * a driver then keeps them in the GPU's own memory (session 11: the GPU's drawing interval grows under the
     * writers' memory traffic, as if it read vertices from host memory).
     */
    private final int sceneUsage;
    /** Prints the driver's debug messages with {@link EglContext#DEBUG} (null otherwise). */
    private final org.lwjgl.opengl.GLDebugMessageCallback debugMessages;
    /** The smaller of GL_MAX_VIEWPORT_DIMS' width and height, in pixels: bounds the coverage canvas. */
    private final int maxViewport;

    GlRenderer(EglContext context) {
        this(context, true, FrameReadback.Path.PIXELS);
    }

    /** {@code -Droadsynth.vertices=stream|static}: the usage hint of the per-frame scene buffers (see {@link #sceneUsage}). */
    static final String VERTICES_PROPERTY = "roadsynth.vertices";

    /**
     * @param beyondGl33 whether to use what drivers beyond GL 3.3 offer where it exists (reversed float depth through
     *                   {@code glClipControl}, the driver's own colour read format); false forces the paths of GL 3.3
     *                   drivers, the classic depth mapping and RGB readback (for testing them anywhere)
     */
    GlRenderer(EglContext context, boolean beyondGl33, FrameReadback.Path path) {
        this.context = context;
        this.beyondGl33 = beyondGl33;
        org.lwjgl.opengl.GLDebugMessageCallback debug = null;
        FrameReadback frames = null;
        try {
            GLCapabilities caps = context.capabilities();
            debug = EglContext.DEBUG && caps.OpenGL43 ? debugMessages() : null;
            this.sceneUsage = Gl.choice(VERTICES_PROPERTY, "stream", "static").equals("static") ? GL_STATIC_DRAW : GL_STREAM_DRAW;
            this.counting = CoveragePasses.Counting.fromProperty();
            FrameReadback.Readout readout = FrameReadback.Readout.fromProperty();
            if (readout == FrameReadback.Readout.PERSISTENT && !(beyondGl33 && caps.OpenGL44)) {
                readout = FrameReadback.Readout.MAP; // immutable buffer storage is OpenGL 4.4's
            }
            frames = new FrameReadback(RING, path != FrameReadback.Path.PIXELS && beyondGl33 && caps.OpenGL43
                    ? path : FrameReadback.Path.PIXELS, readout);
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
            variant(0); // the plain variant now, so that shader errors surface at set-up
            this.particleProgram = Gl.program("particles", "");
            this.uParticleProjection = glGetUniformLocation(particleProgram, "uProjection");
            this.particleVao = glGenVertexArrays();
            this.particleVbo = glGenBuffers();
            glBindVertexArray(particleVao);
            glBindBuffer(GL_ARRAY_BUFFER, particleVbo);
            glEnableVertexAttribArray(0);
            glVertexAttribPointer(0, 3, GL_FLOAT, false, PARTICLE_STRIDE, 0);
            glEnableVertexAttribArray(2);
            glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, true, PARTICLE_STRIDE, 12);
            this.shadowProgram = Gl.program("shadow", "");
            this.uShadowPassFromCamera = glGetUniformLocation(shadowProgram, "uLightFromCamera");
            this.shadowMap = glGenTextures();
            glBindTexture(GL_TEXTURE_2D, shadowMap);
            glTexImage2D(GL_TEXTURE_2D, 0, GL_DEPTH_COMPONENT32F, SHADOW_SIZE, SHADOW_SIZE, 0, GL_DEPTH_COMPONENT, GL_FLOAT, (ByteBuffer) null);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_COMPARE_MODE, GL_COMPARE_REF_TO_TEXTURE);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_COMPARE_FUNC, GL_LEQUAL);
            this.shadowEbo = glGenBuffers();
            this.shadowFbo = glGenFramebuffers();
            glBindFramebuffer(GL_FRAMEBUFFER, shadowFbo);
            glFramebufferTexture2D(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_TEXTURE_2D, shadowMap, 0);
            glDrawBuffer(GL_NONE);
            glReadBuffer(GL_NONE);
            Gl.requireComplete("shadow map framebuffer");
            glBindFramebuffer(GL_FRAMEBUFFER, 0);
            this.skyProgram = Gl.program("sky", "");
            this.uSkyIntrinsics = glGetUniformLocation(skyProgram, "uIntrinsics");
            this.uSkyCameraToWorld = glGetUniformLocation(skyProgram, "uCameraToWorld");
            this.uSkyZenith = glGetUniformLocation(skyProgram, "uZenith");
            this.uSkyHorizon = glGetUniformLocation(skyProgram, "uHorizon");
            this.uSkyBackgroundClass = glGetUniformLocation(skyProgram, "uBackgroundClass");
            this.uSkyClipZ = glGetUniformLocation(skyProgram, "uClipZ");
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
                + readback.description()
                + (counting == CoveragePasses.Counting.QUERIES ? ", coverage counted by occlusion queries" : "")
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

    /** How the coverage passes count pixels here: "queries", "atomics per subgroup" or "atomics per pixel" (for tests). */
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
        Pending pending = null;
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
                        // The framebuffer is about to change size; drain the frame in flight first.
                        if (pending != null) {
                            Pending p = pending;
                            pending = null;
                            handOn(sink, collect(p, times), times);
                        }
                        resize(scene.width(), scene.height());
                    }
                    drawDepth(outputs.depth());
                    glQueryCounter(timestamps[STAMPS * slot], GL_TIMESTAMP);
                    draw(scene, current.packed(), STAMPS * slot);
                    glQueryCounter(timestamps[STAMPS * slot + 3], GL_TIMESTAMP);
                    times.end(RenderTimes.Phase.DRAW);
                    // The coverage pass goes in before the readback's fence, so that its counters are read when
                    // the frame is collected (one frame later) instead of stalling on the GPU now.
                    CoveragePasses.Job job = coverage ? coveragePasses().issue(scene, current.packed(), slot) : null;
                    glQueryCounter(timestamps[STAMPS * slot + 4], GL_TIMESTAMP);
                    times.end(RenderTimes.Phase.COVERAGE);
                    readback.release(slot, times);
                    Pending next = readInto(slot, scene, job, outputs.depth());
                    times.end(RenderTimes.Phase.READBACK);
                    if (pending != null) {
                        Pending p = pending;
                        pending = next;
                        handOn(sink, collect(p, times), times);
                    } else {
                        pending = next;
                    }
                    slot = (slot + 1) % RING;
                }
            }
            if (pending != null) {
                Pending p = pending;
                pending = null;
                handOn(sink, collect(p, times), times);
            }
        } finally {
            if (pending != null) {
                glDeleteSync(pending.fence()); // abandoned by an exception: free its fence
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

    private static void handOn(Consumer<? super CompletableFuture<Rendered>> sink, CompletableFuture<Rendered> rendered,
                               RenderTimes times) {
        sink.accept(rendered);
        times.end(RenderTimes.Phase.HANDOFF);
        times.frameDone();
    }

    /** A frame whose pixels are on their way into a pixel buffer object. */
    private record Pending(int slot, long fence, Scene scene, int width, int height, FrameReadback.Layout layout,
                           boolean depth, CoveragePasses.Job coverage) {
    }

    /** Whether the framebuffer's draw buffers include the depth target (attachment 3); set by {@link #drawDepth}. */
    private boolean drawingDepth;

    /**
     * Draws into the depth target or not (GL_NONE in its place: the fragment shader's depth output is dropped, and
     * the target keeps what it held; it is then not read back either). A state change, made only when it changes.
     */
    private void drawDepth(boolean depth) {
        if (depth == drawingDepth) {
            return;
        }
        glBindFramebuffer(GL_FRAMEBUFFER, fbo);
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
                {GL_R16UI, GL_RED_INTEGER, GL_UNSIGNED_SHORT},
                {GL_R32UI, GL_RED_INTEGER, GL_UNSIGNED_INT},
                {GL_R32F, GL_RED, GL_FLOAT}};
        for (int i = 0; i < targets.length; i++) {
            glBindTexture(GL_TEXTURE_2D, targets[i]);
            glTexImage2D(GL_TEXTURE_2D, 0, formats[i][0], w, h, 0, formats[i][1], formats[i][2], (ByteBuffer) null);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
            glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0 + i, GL_TEXTURE_2D, targets[i], 0);
        }
        glBindRenderbuffer(GL_RENDERBUFFER, depthBuffer);
        glRenderbufferStorage(GL_RENDERBUFFER, GL_DEPTH_COMPONENT32F, w, h);
        glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER, depthBuffer);
        try (MemoryStack stack = MemoryStack.stackPush()) {
            glDrawBuffers(stack.ints(GL_COLOR_ATTACHMENT0, GL_COLOR_ATTACHMENT1, GL_COLOR_ATTACHMENT2, GL_COLOR_ATTACHMENT3));
        }
        drawingDepth = true;
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

    /**
     * Uploads and draws the scene: shadow pass, main pass, sky, particles. {@code stamps}: where this frame's
     * timestamp queries start; the ones after the upload and after the shadow pass are issued here.
     */
    private void draw(Scene scene, PackedScene packed, int stamps) {
        Environment env = scene.environment();
        if (packed.indexCount() > 0) {
            glBindVertexArray(vao);
            glBindBuffer(GL_ARRAY_BUFFER, vbo);
            glBufferData(GL_ARRAY_BUFFER, packed.vertices(), sceneUsage);
            glBufferData(GL_ELEMENT_ARRAY_BUFFER, packed.indices(), sceneUsage);
        }
        glQueryCounter(timestamps[stamps + 1], GL_TIMESTAMP);
        boolean shadows = env.shadows() && packed.indexCount() > 0 && scene.light().sun().lengthSquared() > 0;
        Matrix4f lightFromCamera = shadows ? lightFromCamera(scene) : new Matrix4f();
        if (shadows) {
            drawShadowMap(lightFromCamera, packed.casterIndices());
        }
        glQueryCounter(timestamps[stamps + 2], GL_TIMESTAMP);
        glBindFramebuffer(GL_FRAMEBUFFER, fbo);
        glViewport(0, 0, fbWidth, fbHeight);
        glDepthFunc(reversedDepth ? GL_GREATER : GL_LESS);
        try (MemoryStack stack = MemoryStack.stackPush()) {
            glClearBufferfv(GL_DEPTH, 0, stack.floats(reversedDepth ? 0f : 1f));
            if (!skyGradient(env)) {
                Rgb bg = env.skyHorizon();
                glClearBufferfv(GL_COLOR, 0, stack.floats(bg.r() / 255f, bg.g() / 255f, bg.b() / 255f, 1f));
                glClearBufferuiv(GL_COLOR, 1, stack.ints(scene.backgroundClassId(), 0, 0, 0));
                glClearBufferuiv(GL_COLOR, 2, stack.ints(0, 0, 0, 0));
                glClearBufferfv(GL_COLOR, 3, stack.floats(DepthPlane.NO_DEPTH, 0, 0, 0));
            }
            int features = (shadows ? SHADOWS : 0)
                    | (env.lampStrength() > 0 && !env.lamps().isEmpty() ? LAMPS : 0)
                    | (env.wetness() > 0 || packed.hasGlass() ? REFLECTIONS : 0)
                    | (env.fogDensity() > 0 ? FOG : 0)
                    | (env.snow() > 0 ? SNOW : 0);
            SceneProgram sp = variant(features);
            glUseProgram(sp.id());
            Matrix4f worldToCamera = new Matrix4f(scene.camera().worldToCamera());
            glUniformMatrix4fv(sp.uProjection(), false,
                    Projection.of(scene.camera().intrinsics(), reversedDepth).get(stack.mallocFloat(16)));
            Vector3f sun = worldToCamera.transformDirection(new Vector3f(scene.light().towardsSun())).normalize();
            Vector3f up = worldToCamera.transformDirection(new Vector3f(0, 0, 1)).normalize();
            glUniform3f(sp.uTowardsSun(), sun.x, sun.y, sun.z);
            glUniform3f(sp.uUp(), up.x, up.y, up.z);
            glUniform3f(sp.uSun(), scene.light().sun().x(), scene.light().sun().y(), scene.light().sun().z());
            glUniform3f(sp.uAmbient(), scene.light().ambient().x(), scene.light().ambient().y(), scene.light().ambient().z());
            Rgb sky = env.skyHorizon();
            glUniform3f(sp.uSkyColor(), linear(sky.r()), linear(sky.g()), linear(sky.b()));
            glUniform1f(sp.uFogDensity(), env.fogDensity());
            glUniform3f(sp.uFogColor(), linear(env.fogColour().r()), linear(env.fogColour().g()), linear(env.fogColour().b()));
            glUniform1f(sp.uWetness(), env.wetness());
            glUniform1f(sp.uSnow(), env.snow());
            // Lookup matrix: clip space of the shadow pass mapped to texture coordinates and depth.
            Matrix4f toTexture = new Matrix4f().translate(0.5f, 0.5f, reversedDepth ? 0f : 0.5f)
                    .scale(0.5f, 0.5f, reversedDepth ? 1f : 0.5f);
            glUniformMatrix4fv(sp.uLightFromCamera(), false, toTexture.mul(lightFromCamera).get(stack.mallocFloat(16)));
            if ((features & LAMPS) != 0) {
                lamps(scene, sp, worldToCamera, stack);
            }
            glActiveTexture(GL_TEXTURE0);
            glBindTexture(GL_TEXTURE_2D, shadowMap);
        }
        if (packed.indexCount() > 0) {
            glBindVertexArray(vao);
            cullBackFaces(IMAGE_FRONT_FACE);
            glDrawElements(GL_TRIANGLES, packed.indexCount(), GL_UNSIGNED_INT, 0L);
            glDisable(GL_CULL_FACE);
        }
        if (skyGradient(env)) {
            // After the objects, so that early depth testing shades only the pixels no object covered.
            try (MemoryStack stack = MemoryStack.stackPush()) {
                drawSky(scene, stack);
            }
        }
        if (env.rainfall() > 0 || env.snowfall() > 0) {
            drawParticles(scene);
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
            glBufferData(GL_ARRAY_BUFFER, packed.vertices(), GL_STREAM_DRAW);
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
            coveragePasses = new CoveragePasses(RING, vao, ebo, reversedDepth, sceneUsage, maxViewport, counting,
                    context.capabilities());
        }
        return coveragePasses;
    }

    private static final int PARTICLE_STRIDE = 16;

    /**
     * Falling rain streaks and snowflakes, placed from the scene's weather seed in the camera's view between
     * 0.6 and 25 m. Colour only: the label targets are masked off and only the colour target blends, so labels
     * and depth stay those of the geometry.
     */
    private void drawParticles(Scene scene) {
        Environment env = scene.environment();
        var k = scene.camera().intrinsics();
        java.util.SplittableRandom rng = new java.util.SplittableRandom(env.weatherSeed());
        int streaks = Math.round(env.rainfall() * 4000);
        int flakes = Math.round(env.snowfall() * 2500);
        Vector3f down = new Matrix4f(scene.camera().worldToCamera()).transformDirection(new Vector3f(0, 0, -1)).normalize();
        ByteBuffer v = org.lwjgl.system.MemoryUtil.memAlloc((streaks + flakes) * 6 * PARTICLE_STRIDE)
                .order(java.nio.ByteOrder.nativeOrder());
        try {
            for (int i = 0; i < streaks + flakes; i++) {
                boolean flake = i >= streaks;
                double z = 0.6 + Math.pow(rng.nextDouble(), 1.5) * 24.4;
                double x = (rng.nextDouble(-0.1, 1.1) * k.width() - k.cx()) / k.fx() * z;
                double y = (rng.nextDouble(-0.1, 1.1) * k.height() - k.cy()) / k.fy() * z;
                Vector3f p = new Vector3f((float) x, (float) y, (float) z);
                float pixel = (float) (z / k.fx());
                Vector3f along;
                Vector3f across;
                int rgba;
                if (flake) {
                    float r = Math.max(0.8f * pixel, (float) rng.nextDouble(0.003, 0.007));
                    along = new Vector3f(0, 2 * r, 0);
                    across = new Vector3f(2 * r, 0, 0);
                    p.sub(r, r, 0);
                    rgba = 0xff | (0xf8 << 8) | (0xf8 << 16) | (0xe0 << 24);
                } else {
                    along = new Vector3f(down).mul((float) rng.nextDouble(0.25, 0.55)).add(0.03f, 0, 0);
                    across = new Vector3f(1.2f * pixel, 0, 0);
                    rgba = 0xc8 | (0xcd << 8) | (0xd7 << 16) | (0x5a << 24);
                }
                Vector3f[] quad = {new Vector3f(p), new Vector3f(p).add(across), new Vector3f(p).add(across).add(along),
                        new Vector3f(p), new Vector3f(p).add(across).add(along), new Vector3f(p).add(along)};
                for (Vector3f q : quad) {
                    v.putFloat(q.x).putFloat(q.y).putFloat(q.z).putInt(rgba);
                }
            }
            v.flip();
            glBindVertexArray(particleVao);
            glBindBuffer(GL_ARRAY_BUFFER, particleVbo);
            glBufferData(GL_ARRAY_BUFFER, v, GL_STREAM_DRAW);
        } finally {
            org.lwjgl.system.MemoryUtil.memFree(v);
        }
        glUseProgram(particleProgram);
        try (MemoryStack stack = MemoryStack.stackPush()) {
            glUniformMatrix4fv(uParticleProjection, false,
                    Projection.of(k, reversedDepth).get(stack.mallocFloat(16)));
        }
        for (int i = 1; i < targets.length; i++) {
            glColorMaski(i, false, false, false, false);
        }
        glDepthMask(false);
        glEnablei(GL_BLEND, 0);
        glBlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
        glDrawArrays(GL_TRIANGLES, 0, (streaks + flakes) * 6);
        glDisablei(GL_BLEND, 0);
        glDepthMask(true);
        for (int i = 1; i < targets.length; i++) {
            glColorMaski(i, true, true, true, true);
        }
    }

    private static final int SHADOWS = 1;
    private static final int LAMPS = 2;
    private static final int REFLECTIONS = 4;
    private static final int FOG = 8;
    private static final int SNOW = 16;
    private static final String[] FEATURE_NAMES = {"SHADOWS", "LAMPS", "REFLECTIONS", "FOG", "SNOW"};

    /** A compiled variant of the scene shaders and its uniform locations (-1 where the variant lacks one). */
    private record SceneProgram(int id, int uProjection, int uTowardsSun, int uSun, int uAmbient, int uUp,
                                int uSkyColor, int uFogDensity, int uFogColor, int uWetness, int uSnow,
                                int uLightFromCamera, int uLampCount, int uLamps, int uLampStrength) {
    }

    private SceneProgram variant(int features) {
        SceneProgram sp = variants.get(features);
        if (sp != null) {
            return sp;
        }
        StringBuilder defines = new StringBuilder();
        for (int i = 0; i < FEATURE_NAMES.length; i++) {
            if ((features & (1 << i)) != 0) {
                defines.append("#define ").append(FEATURE_NAMES[i]).append('\n');
            }
        }
        int id = Gl.program("scene", defines.toString());
        sp = new SceneProgram(id, glGetUniformLocation(id, "uProjection"), glGetUniformLocation(id, "uTowardsSun"),
                glGetUniformLocation(id, "uSun"), glGetUniformLocation(id, "uAmbient"), glGetUniformLocation(id, "uUp"),
                glGetUniformLocation(id, "uSkyColor"), glGetUniformLocation(id, "uFogDensity"),
                glGetUniformLocation(id, "uFogColor"), glGetUniformLocation(id, "uWetness"),
                glGetUniformLocation(id, "uSnow"), glGetUniformLocation(id, "uLightFromCamera"),
                glGetUniformLocation(id, "uLampCount"), glGetUniformLocation(id, "uLamps"),
                glGetUniformLocation(id, "uLampStrength"));
        glUseProgram(id);
        glUniform1i(glGetUniformLocation(id, "uShadowMap"), 0);
        variants.put(features, sp);
        return sp;
    }

    private static float linear(int srgb) {
        float c = srgb / 255f;
        return c * c; // the shaders work in gamma 2
    }

    /** The nearest lamps, in the camera frame, when they are on. */
    private static void lamps(Scene scene, SceneProgram sp, Matrix4f worldToCamera, MemoryStack stack) {
        Environment env = scene.environment();
        List<Vector3f> inCamera = new ArrayList<>();
        for (var l : env.lamps()) {
            inCamera.add(worldToCamera.transformPosition(new Vector3f(l)));
        }
        inCamera.sort(java.util.Comparator.comparingDouble(Vector3f::lengthSquared));
        int n = Math.min(Environment.MAX_LAMPS, inCamera.size());
        var buf = stack.mallocFloat(3 * n);
        for (int i = 0; i < n; i++) {
            inCamera.get(i).get(3 * i, buf);
        }
        glUniform3fv(sp.uLamps(), buf);
        glUniform1i(sp.uLampCount(), n);
        glUniform1f(sp.uLampStrength(), env.lampStrength());
    }

    /**
     * Camera frame to the shadow pass's clip space: an orthographic view along the sun's rays of a square
     * {@value #SHADOW_HALF_EXTENT} m either side of a point 60 m ahead of the camera.
     */
    private Matrix4f lightFromCamera(Scene scene) {
        Matrix4f cameraToWorld = new Matrix4f(scene.camera().worldToCamera()).invertAffine();
        Vector3f eye = cameraToWorld.getTranslation(new Vector3f());
        Vector3f forward = cameraToWorld.transformDirection(new Vector3f(0, 0, 1));
        forward.z = 0;
        if (forward.lengthSquared() < 1e-6f) {
            forward.set(1, 0, 0);
        }
        Vector3f centre = new Vector3f(eye).add(forward.normalize().mul(SHADOW_HALF_EXTENT * 0.65f));
        centre.z = 0;
        Vector3f toSun = new Vector3f(scene.light().towardsSun());
        Vector3f up = Math.abs(toSun.z) > 0.99f ? new Vector3f(1, 0, 0) : new Vector3f(0, 0, 1);
        Matrix4f view = new Matrix4f().lookAt(new Vector3f(centre).add(new Vector3f(toSun).mul(400)), centre, up);
        Matrix4f proj = new Matrix4f().setOrtho(-SHADOW_HALF_EXTENT, SHADOW_HALF_EXTENT, -SHADOW_HALF_EXTENT,
                SHADOW_HALF_EXTENT, 1, 800, reversedDepth);
        return proj.mul(view).mul(cameraToWorld);
    }

    private void drawShadowMap(Matrix4f lightFromCamera, java.nio.IntBuffer casters) {
        glBindFramebuffer(GL_FRAMEBUFFER, shadowFbo);
        glViewport(0, 0, SHADOW_SIZE, SHADOW_SIZE);
        glDepthFunc(GL_LESS);
        try (MemoryStack stack = MemoryStack.stackPush()) {
            glClearBufferfv(GL_DEPTH, 0, stack.floats(1f));
            glUseProgram(shadowProgram);
            glUniformMatrix4fv(uShadowPassFromCamera, false, lightFromCamera.get(stack.mallocFloat(16)));
        }
        if (casters.remaining() > 0) {
            // The casters' own index buffer, bound to the VAO for this pass only.
            glBindVertexArray(vao);
            glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, shadowEbo);
            glBufferData(GL_ELEMENT_ARRAY_BUFFER, casters, sceneUsage);
            // Only the faces towards the sun: for a closed mesh those are the ones nearest the light anyway.
            cullBackFaces(GL_CCW);
            glDrawElements(GL_TRIANGLES, casters.remaining(), GL_UNSIGNED_INT, 0L);
            glDisable(GL_CULL_FACE);
            glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, ebo);
        }
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

    /** The sky gradient behind everything, written to all four targets where no object is; no depth writes. */
    private void drawSky(Scene scene, MemoryStack stack) {
        var k = scene.camera().intrinsics();
        Environment env = scene.environment();
        glUseProgram(skyProgram);
        glUniform4f(uSkyIntrinsics, (float) k.fx(), (float) k.fy(), (float) k.cx(), (float) k.cy());
        Matrix3f cameraToWorld = scene.camera().worldToCamera().get3x3(new Matrix3f()).transpose();
        glUniformMatrix3fv(uSkyCameraToWorld, false, cameraToWorld.get(stack.mallocFloat(9)));
        glUniform3f(uSkyZenith, env.skyZenith().r() / 255f, env.skyZenith().g() / 255f, env.skyZenith().b() / 255f);
        glUniform3f(uSkyHorizon, env.skyHorizon().r() / 255f, env.skyHorizon().g() / 255f, env.skyHorizon().b() / 255f);
        glUniform1ui(uSkyBackgroundClass, scene.backgroundClassId());
        // The sky lies at the cleared depth value: it passes exactly where the depth buffer still holds it, that
        // is where no object's fragment was written (those passed a strict test against the clear value).
        glUniform1f(uSkyClipZ, reversedDepth ? 0f : 1f);
        glDepthFunc(reversedDepth ? GL_GEQUAL : GL_LEQUAL);
        glDepthMask(false);
        glBindVertexArray(vao);
        glDrawArrays(GL_TRIANGLES, 0, 3);
        glDepthMask(true);
        glDepthFunc(reversedDepth ? GL_GREATER : GL_LESS);
    }

    /** Whether the sky is a gradient drawn by the sky pass (else the targets are cleared to its one colour). */
    private static boolean skyGradient(Environment env) {
        return !env.skyZenith().equals(env.skyHorizon());
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
        CompletableFuture<Rendered> copy;
        try {
            // One error check per frame, after the fence wait: glGetError synchronises with the driver, and here
            // everything up to this frame's readback has completed anyway.
            Gl.check("drawing, coverage passes and readback");
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
     * covers everything issued for the frame: drawing, coverage passes and readback.
     */
    private Pending readInto(int slot, Scene scene, CoveragePasses.Job coverage, boolean depth) {
        FrameReadback.Layout layout = readback.layout(readback.colourFormat(colourReadFormat), scene, depth);
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
            glDeleteVertexArrays(vao);
            variants.values().forEach(v -> glDeleteProgram(v.id()));
            glDeleteProgram(skyProgram);
            glDeleteProgram(shadowProgram);
            glDeleteProgram(particleProgram);
            if (coveragePasses != null) {
                coveragePasses.close();
            }
            glDeleteBuffers(particleVbo);
            glDeleteVertexArrays(particleVao);
            glDeleteFramebuffers(shadowFbo);
            glDeleteBuffers(shadowEbo);
            glDeleteTextures(shadowMap);
        } finally {
            context.close();
            if (debugMessages != null) {
                debugMessages.free(); // after the context: no message can come any more
            }
        }
    }
}
