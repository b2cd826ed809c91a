package dev.roadsynth.renderer;

import static org.lwjgl.egl.EGL10.*;
import static org.lwjgl.egl.EGL12.eglBindAPI;
import static org.lwjgl.egl.EGL13.EGL_RENDERABLE_TYPE;
import static org.lwjgl.egl.EGL14.EGL_OPENGL_API;
import static org.lwjgl.egl.EGL14.EGL_OPENGL_BIT;
import static org.lwjgl.egl.EGL14.eglGetCurrentContext;
import static org.lwjgl.egl.EGL15.EGL_CONTEXT_MAJOR_VERSION;
import static org.lwjgl.egl.EGL15.EGL_CONTEXT_MINOR_VERSION;
import static org.lwjgl.egl.EGL15.EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT;
import static org.lwjgl.egl.EGL15.EGL_CONTEXT_OPENGL_PROFILE_MASK;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.IntBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lwjgl.PointerBuffer;
import org.lwjgl.egl.EGL;
import org.lwjgl.egl.EGL12;
import org.lwjgl.opengl.GL;
import org.lwjgl.opengl.GL11C;
import org.lwjgl.opengl.GLCapabilities;
import org.lwjgl.system.Configuration;
import org.lwjgl.system.JNI;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;

/**
 * A headless OpenGL context through EGL: no window, no display server, no surface (the context is made current
 * with {@code EGL_NO_SURFACE} and renders into framebuffer objects). Owns the EGL context; closing it destroys
 * the context. EGL displays are process-wide and left initialised, since other contexts may share them.
 *
 * <p>Which displays it tries, in order, is {@link EglDevices}'s to say ({@link GpuSelection#AUTO}: hardware in
 * CUDA's order, then Mesa's software device, then Mesa's surfaceless platform); it takes the first that gives a
 * context. OpenGL 4.5 core is requested first, 3.3 core as the fallback.
 */
final class EglContext implements AutoCloseable {
    private static final String INSTALL_HINT = "install an EGL driver: on Debian/Ubuntu without a GPU driver, "
            + "'apt-get install libegl1 libegl-mesa0 libgl1-mesa-dri libgbm1'; with an NVIDIA GPU, the NVIDIA driver's EGL libraries";
    static final int[][] GL_VERSIONS = {{4, 5}, {3, 3}};

    private static boolean loaded;
    /** What {@link DriverEnvironment#apply} set for the driver, for descriptions ("" for nothing). */
    private static String driverNote = "";
    /** Live contexts per EGL display: the display is terminated when its last context closes. */
    private static final java.util.Map<Long, Integer> LIVE = new java.util.HashMap<>();

    private final long display;
    private final long context;
    private final GLCapabilities caps;
    private final String device;
    private final String rasterizer;
    private final boolean software;
    /** See {@link #softwareNote()}; set by {@link #create} once the context is made. */
    private String softwareNote;

    /**
     * {@code -Droadsynth.gldebug=true}: debug contexts, whose driver messages (NVIDIA's performance warnings among
     * them) the renderer prints to stderr; for diagnosing a driver, not for production runs.
     */
    static final boolean DEBUG = Boolean.getBoolean("roadsynth.gldebug");

    private EglContext(long display, long context, GLCapabilities caps, String device, String rasterizer,
                       boolean software) {
        this.display = display;
        this.context = context;
        this.caps = caps;
        this.device = device;
        this.rasterizer = rasterizer;
        this.software = software;
    }

    /**
     * Loads libEGL and LWJGL's natives once per process, one process at a time ({@link NativesLock}); failures become
     * a {@link RenderException}.
     */
    static synchronized void loadLibraries() {
        if (loaded) {
            return;
        }
        if (!Configuration.DEBUG.get(false)) {
            // LWJGL prints a multi-line advice block of its own when a library fails to load; our
            // RenderException already says what to install, in one line. -Dorg.lwjgl.util.Debug=true restores it.
            Configuration.DEBUG_STREAM.set(new PrintStream(OutputStream.nullOutputStream()));
        }
        DriverEnvironment.yieldSetting(); // a bad value said as such, not as a library that failed to load
        try {
            Configuration.EGL_EXPLICIT_INIT.set(true);
            Configuration.OPENGL_EXPLICIT_INIT.set(true);
            NativesLock.holding(() -> {
                driverNote = DriverEnvironment.apply(); // before EGL loads the driver, which reads it
                EGL.create(); // extracts and loads liblwjgl.so first, unless the line above did
                GL.create(EGL.getFunctionProvider()); // and liblwjgl_opengl.so
            });
        } catch (Throwable t) {
            // UnsatisfiedLinkError and friends: the EGL library or LWJGL's own natives are missing.
            throw new RenderException("EGL initialisation: cannot load the EGL library (" + t + "); " + INSTALL_HINT, t);
        }
        loaded = true;
    }

    /**
     * Creates a context on the selected device and makes it current on the calling thread.
     *
     * @throws RenderException naming every device tried and why each failed
     */
    static EglContext create(GpuSelection selection) {
        return create(selection, GL_VERSIONS);
    }

    /** As {@link #create(GpuSelection)}, trying the given GL core versions ({major, minor}) in order. */
    static EglContext create(GpuSelection selection, int[][] glVersions) {
        return create(selection, glVersions, Path.of("/"));
    }

    /**
     * As {@link #create(GpuSelection, int[][])}, looking for NVIDIA GPUs under {@code root} ("/"; another for tests)
     * when auto ends on a software rasterizer ({@link #softwareNote()}).
     */
    static EglContext create(GpuSelection selection, int[][] glVersions, Path root) {
        loadLibraries();
        List<EglDevices.Candidate> all = EglDevices.enumerate();
        List<EglDevices.Candidate> candidates = EglDevices.candidates(selection, all);
        List<String> failures = new ArrayList<>();
        List<String> hardwareFailures = new ArrayList<>();
        for (EglDevices.Candidate c : candidates) {
            try {
                EglContext opened = open(c, glVersions);
                if (opened.software && selection.mode() == GpuSelection.Mode.AUTO) {
                    opened.softwareNote = SoftwareFallback.note(hardwareFailures, EglDevices.hidden(all),
                            SoftwareFallback.nvidiaGpus(root));
                }
                return opened;
            } catch (RenderException e) {
                failures.add(c.name() + ": " + e.getMessage());
                if (!c.software()) {
                    hardwareFailures.add(c.name() + ": " + e.getMessage());
                }
            }
        }
        if (selection.mode() == GpuSelection.Mode.AUTO) {
            failures.addAll(EglDevices.hidden(all));
        }
        if (candidates.isEmpty()) {
            failures.add("EGL lists no usable device for '" + selection + "'");
        }
        throw new RenderException("EGL context creation failed for device selection " + selection + ": "
                + String.join("; ", failures) + "; " + INSTALL_HINT);
    }

    /** The devices EGL enumerates, as {@link EglDevices#lines} describes them, for diagnostics. */
    static List<String> describeDevices() {
        loadLibraries();
        try {
            return EglDevices.lines(EglDevices.enumerate());
        } finally {
            // Leave no EGL state on the calling thread: NVIDIA's EGL crashed at process exit when a thread that
            // had queried it (and never released it) was still around.
            EGL12.eglReleaseThread();
        }
    }

    private static EglContext open(EglDevices.Candidate c, int[][] glVersions) {
        long getPlatformDisplay = EGL.getCapabilities().eglGetPlatformDisplayEXT;
        if (getPlatformDisplay == 0) {
            throw new RenderException("eglGetPlatformDisplayEXT is not available (EGL_EXT_platform_base missing)");
        }
        // Called through the function pointer: LWJGL's wrapper rejects the NULL native display that the
        // surfaceless platform takes.
        long display = JNI.callPPP(c.platform(), c.nativeDisplay(), 0L, getPlatformDisplay);
        if (display == EGL_NO_DISPLAY) {
            throw new RenderException("eglGetPlatformDisplayEXT failed, EGL error " + eglErrorHex());
        }
        retain(display);
        try (MemoryStack stack = MemoryStack.stackPush()) {
            IntBuffer major = stack.mallocInt(1);
            IntBuffer minor = stack.mallocInt(1);
            if (!eglInitialize(display, major, minor)) {
                throw new RenderException("eglInitialize failed, EGL error " + eglErrorHex());
            }
            String displayExt = nullToEmpty(eglQueryString(display, EGL_EXTENSIONS));
            if (!displayExt.contains("EGL_KHR_surfaceless_context")) {
                throw new RenderException("display lacks EGL_KHR_surfaceless_context");
            }
            if (!eglBindAPI(EGL_OPENGL_API)) {
                throw new RenderException("eglBindAPI(EGL_OPENGL_API) failed, EGL error " + eglErrorHex());
            }
            long config = chooseConfig(stack, display, displayExt);
            List<String> tried = new ArrayList<>();
            for (int[] v : glVersions) {
                long ctx = createContext(stack, display, config, v[0], v[1]);
                if (ctx == EGL_NO_CONTEXT) {
                    tried.add("GL " + v[0] + "." + v[1] + " core: EGL error " + eglErrorHex());
                    continue;
                }
                if (!eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, ctx)) {
                    String err = eglErrorHex();
                    eglDestroyContext(display, ctx);
                    tried.add("GL " + v[0] + "." + v[1] + " core: eglMakeCurrent failed, EGL error " + err);
                    continue;
                }
                GLCapabilities caps = GL.createCapabilities();
                String renderer = GL11C.glGetString(GL11C.GL_RENDERER);
                String version = GL11C.glGetString(GL11C.GL_VERSION);
                // Which CUDA device it is, where the driver says: on a machine with several GPUs, each shard's
                // "rendering with" line then names the GPU that CUDA, and so PyTorch, call by that number.
                String cuda = c.cudaDevice() >= 0 ? " (CUDA device " + c.cudaDevice() + ")" : "";
                String name = c.name() + cuda + ": " + renderer + ", OpenGL " + version;
                return new EglContext(display, ctx, caps, name, renderer + ", OpenGL " + version,
                        c.software() || isSoftwareRenderer(renderer));
            }
            throw new RenderException("context creation failed: " + String.join(", ", tried));
        } catch (RuntimeException e) {
            release(display);
            throw e;
        }
    }

    /** An OpenGL GL_MAJOR.GL_MINOR core context (a debug one with {@link #DEBUG}), or EGL_NO_CONTEXT. */
    private static long createContext(MemoryStack stack, long display, long config, int major, int minor) {
        IntBuffer attribs = DEBUG
                ? stack.ints(EGL_CONTEXT_MAJOR_VERSION, major, EGL_CONTEXT_MINOR_VERSION, minor,
                        EGL_CONTEXT_OPENGL_PROFILE_MASK, EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT,
                        org.lwjgl.egl.EGL15.EGL_CONTEXT_OPENGL_DEBUG, org.lwjgl.egl.EGL10.EGL_TRUE, EGL_NONE)
                : stack.ints(EGL_CONTEXT_MAJOR_VERSION, major, EGL_CONTEXT_MINOR_VERSION, minor,
                        EGL_CONTEXT_OPENGL_PROFILE_MASK, EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT, EGL_NONE);
        // Through the function pointer: LWJGL's wrapper rejects EGL_NO_CONFIG_KHR (0).
        return JNI.callPPPPP(display, config, EGL_NO_CONTEXT, MemoryUtil.memAddress(attribs),
                EGL.getCapabilities().eglCreateContext);
    }

    /**
     * Contexts open now, on every display (a renderer holds one): for tests, none once every renderer is closed (the
     * renderer suite's JVM ended in SIGABRT on NVIDIA, session 15, at a time when it left four contexts open).
     */
    static synchronized int openContexts() {
        return LIVE.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static synchronized void retain(long display) {
        LIVE.merge(display, 1, Integer::sum);
    }

    /**
     * Drops one use of {@code display}, terminating it after the last. NVIDIA's EGL can crash at process exit
     * when displays are left initialised and threads still hold EGL state, so both are cleaned up here.
     */
    private static synchronized void release(long display) {
        int left = LIVE.merge(display, -1, Integer::sum);
        if (left <= 0) {
            LIVE.remove(display);
            eglTerminate(display);
        }
        EGL12.eglReleaseThread();
    }

    private static boolean isSoftwareRenderer(String renderer) {
        String r = nullToEmpty(renderer).toLowerCase(java.util.Locale.ROOT);
        return r.contains("llvmpipe") || r.contains("softpipe") || r.contains("swrast");
    }

    private static long chooseConfig(MemoryStack stack, long display, String displayExt) {
        PointerBuffer configs = stack.mallocPointer(1);
        IntBuffer count = stack.mallocInt(1);
        // EGL_SURFACE_TYPE defaults to EGL_WINDOW_BIT, which headless displays lack: ask for pbuffers.
        IntBuffer attribs = stack.ints(EGL_SURFACE_TYPE, EGL_PBUFFER_BIT, EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT, EGL_NONE);
        if (eglChooseConfig(display, attribs, configs, count) && count.get(0) > 0) {
            return configs.get(0);
        }
        if (displayExt.contains("EGL_KHR_no_config_context")) {
            return 0L; // EGL_NO_CONFIG_KHR: we never draw to a surface, so no config is needed.
        }
        throw new RenderException("eglChooseConfig found no OpenGL config, EGL error " + eglErrorHex());
    }

    private static String eglErrorHex() {
        return "0x" + Integer.toHexString(eglGetError()).toUpperCase(java.util.Locale.ROOT);
    }

    static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** Makes this context current on the calling thread (a no-op if it already is). */
    void makeCurrent() {
        if (eglGetCurrentContext() != context) {
            if (!eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, context)) {
                throw new RenderException("eglMakeCurrent failed, EGL error " + eglErrorHex());
            }
        }
        GL.setCapabilities(caps);
    }

    GLCapabilities capabilities() {
        return caps;
    }

    /** Device, GL renderer and version, for logs and benchmark records. */
    String description() {
        return device + driverNote;
    }

    /** GL_RENDERER and GL_VERSION (the driver's version), without the device's index: what rasterizes. */
    String rasterizer() {
        return rasterizer;
    }

    boolean software() {
        return software;
    }

    /** Why auto ended on a software rasterizer on a machine with a GPU ({@link SoftwareFallback}), or null. */
    String softwareNote() {
        return softwareNote;
    }

    @Override
    public void close() {
        if (eglGetCurrentContext() == context) {
            eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
            GL.setCapabilities(null);
        }
        eglDestroyContext(display, context);
        release(display);
    }
}
