package dev.roadsynth.renderer;

import static org.lwjgl.egl.EGL10.EGL_EXTENSIONS;
import static org.lwjgl.egl.EGL10.EGL_NO_DISPLAY;
import static org.lwjgl.egl.EGL10.eglGetError;
import static org.lwjgl.egl.EGL10.eglQueryString;

import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.List;
import org.lwjgl.PointerBuffer;
import org.lwjgl.egl.EGL;
import org.lwjgl.egl.EXTDeviceEnumeration;
import org.lwjgl.egl.EXTDeviceQuery;
import org.lwjgl.egl.EXTPlatformDevice;
import org.lwjgl.egl.NVDeviceCUDA;
import org.lwjgl.system.MemoryStack;

/**
 * What EGL offers to render on, and which of it a {@link GpuSelection} tries, in order: the devices of EGL's device
 * enumeration ({@code EGL_EXT_device_enumeration}: GPUs and Mesa's software device), then Mesa's surfaceless
 * platform. {@link GpuSelection#AUTO} tries hardware first, in {@link CudaOrder}'s order, then software. Callers
 * have loaded libEGL ({@link EglContext}).
 */
final class EglDevices {
    private static final int EGL_PLATFORM_SURFACELESS_MESA = 0x31DD;
    private static final int EGL_DRM_DEVICE_FILE_EXT = 0x3233;
    private static final int EGL_RENDERER_EXT = 0x335F;

    private EglDevices() {
    }

    /**
     * A candidate display: how to open it and what to call it; for EGL devices, whether the driver maps the device
     * to CUDA devices and which one it is in this process (-1: none reported; see {@link CudaOrder}).
     */
    record Candidate(String name, boolean software, int platform, long nativeDisplay, boolean cudaCapable,
                     int cudaDevice) {
    }

    /** The devices of EGL's device enumeration, in its order (their indices are what {@code --gpu N} takes). */
    static List<Candidate> enumerate() {
        // Read the client extension string ourselves: LWJGL's EGLCapabilities flags stay false for these
        // client extensions on Mesa although the functions work.
        String clientExt = EglContext.nullToEmpty(eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS));
        List<String> client = List.of(clientExt.split(" "));
        List<Candidate> devices = new ArrayList<>();
        // NVIDIA advertises EGL_EXT_device_base, which includes enumeration and query.
        boolean enumeration = client.contains("EGL_EXT_device_enumeration") || client.contains("EGL_EXT_device_base");
        if (!enumeration || !client.contains("EGL_EXT_platform_device") || EGL.getCapabilities().eglQueryDevicesEXT == 0) {
            return devices;
        }
        try (MemoryStack stack = MemoryStack.stackPush()) {
            IntBuffer n = stack.mallocInt(1);
            if (!EXTDeviceEnumeration.eglQueryDevicesEXT(null, n) || n.get(0) <= 0) {
                return devices;
            }
            PointerBuffer list = stack.mallocPointer(n.get(0));
            if (!EXTDeviceEnumeration.eglQueryDevicesEXT(list, n)) {
                return devices;
            }
            for (int i = 0; i < n.get(0); i++) {
                long dev = list.get(i);
                String ext = EglContext.nullToEmpty(EXTDeviceQuery.eglQueryDeviceStringEXT(dev, EGL_EXTENSIONS));
                boolean sw = ext.contains("EGL_MESA_device_software");
                boolean cuda = ext.contains("EGL_NV_device_cuda");
                String name = sw ? "Mesa software device" : "EGL device " + i;
                if (ext.contains("EGL_EXT_device_query_name")) {
                    String r = EXTDeviceQuery.eglQueryDeviceStringEXT(dev, EGL_RENDERER_EXT);
                    if (r != null) {
                        name += " [" + r + "]";
                    }
                } else if (ext.contains("EGL_EXT_device_drm")) {
                    String f = EXTDeviceQuery.eglQueryDeviceStringEXT(dev, EGL_DRM_DEVICE_FILE_EXT);
                    if (f != null) {
                        name += " [" + f + "]";
                    }
                } else if (cuda) {
                    name += " [NVIDIA CUDA device]";
                }
                devices.add(new Candidate(name, sw, EXTPlatformDevice.EGL_PLATFORM_DEVICE_EXT, dev, cuda,
                        cuda ? cudaDevice(dev) : -1));
            }
        }
        return devices;
    }

    /**
     * {@code -Droadsynth.cudaOrder=off}: no device is asked for its CUDA device, so auto keeps EGL's order and hides
     * nothing (as before the order existed), for a driver whose answer would be wrong or worse.
     */
    static final String CUDA_ORDER_PROPERTY = "roadsynth.cudaOrder";

    /** The CUDA device ordinal NVIDIA's EGL reports for a device in this process, or -1 if it reports none. */
    private static int cudaDevice(long device) {
        if (EGL.getCapabilities().eglQueryDeviceAttribEXT == 0
                || Gl.choice(CUDA_ORDER_PROPERTY, "on", "off").equals("off")) {
            return -1;
        }
        try (MemoryStack stack = MemoryStack.stackPush()) {
            PointerBuffer value = stack.mallocPointer(1);
            if (!EXTDeviceQuery.eglQueryDeviceAttribEXT(device, NVDeviceCUDA.EGL_CUDA_DEVICE_NV, value)) {
                eglGetError(); // a device CUDA_VISIBLE_DEVICES hides: clear the error it leaves
                return -1;
            }
            long v = value.get(0);
            return v >= 0 && v <= Integer.MAX_VALUE ? (int) v : -1;
        }
    }

    /** Auto's order of the hardware devices in {@code all} (EGL's list), by {@link CudaOrder}. */
    private static CudaOrder.Order autoOrder(List<Candidate> all) {
        List<CudaOrder.Device> hardware = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (!all.get(i).software()) {
                hardware.add(new CudaOrder.Device(i, all.get(i).cudaCapable(), all.get(i).cudaDevice()));
            }
        }
        return CudaOrder.auto(hardware, System.getenv("CUDA_VISIBLE_DEVICES") != null).turned(gpuTurn());
    }

    /**
     * Where auto begins among the GPUs ({@link CudaOrder.Order#turned}): the environment's
     * {@link Renderer#GPU_TURN}, which {@code generate --processes} sets for each of its processes; 0 without it.
     *
     * @throws RenderException for a value other than a whole number of 0 or more
     */
    static int gpuTurn() {
        String v = System.getenv(Renderer.GPU_TURN);
        if (v == null) {
            return 0;
        }
        try {
            int turn = Integer.parseInt(v.trim());
            if (turn >= 0) {
                return turn;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new RenderException("environment variable " + Renderer.GPU_TURN + " is '" + v + "'; want a whole number, 0 or more");
    }

    /**
     * The displays to try for {@code selection}, in order, from {@code all} ({@link #enumerate()}).
     *
     * @throws RenderException for a device index that EGL does not list
     */
    static List<Candidate> candidates(GpuSelection selection, List<Candidate> all) {
        List<Candidate> out = new ArrayList<>();
        switch (selection.mode()) {
            case INDEX -> {
                if (selection.index() >= all.size()) {
                    throw new RenderException("EGL device selection: device " + selection.index() + ", but EGL lists "
                            + all.size() + " device(s): " + describe(all));
                }
                out.add(all.get(selection.index()));
            }
            case SOFTWARE -> {
                all.stream().filter(Candidate::software).forEach(out::add);
                addSurfaceless(out);
            }
            case AUTO -> {
                autoOrder(all).tried().forEach(i -> out.add(all.get(i)));
                all.stream().filter(Candidate::software).forEach(out::add);
                addSurfaceless(out);
            }
        }
        return out;
    }

    private static void addSurfaceless(List<Candidate> out) {
        String clientExt = EglContext.nullToEmpty(eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS));
        if (clientExt.contains("EGL_MESA_platform_surfaceless")) {
            // Mesa's by origin, but glvnd may hand it to a GPU vendor; the GL renderer string tells which.
            out.add(new Candidate("surfaceless platform", false, EGL_PLATFORM_SURFACELESS_MESA, 0L, false, -1));
        }
    }

    private static String describe(List<Candidate> all) {
        List<String> s = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            s.add(i + "=" + all.get(i).name());
        }
        return s.toString();
    }

    /** One line per device of {@code all} (EGL's list): "index: name (kind)", with its CUDA device where known. */
    static List<String> lines(List<Candidate> all) {
        List<Integer> hidden = autoOrder(all).hidden();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Candidate c = all.get(i);
            String kind = c.software() ? "software" : hidden.contains(i) ? "hardware, hidden by CUDA_VISIBLE_DEVICES"
                    : c.cudaDevice() >= 0 ? "hardware, CUDA device " + c.cudaDevice() : "hardware";
            out.add(i + ": " + c.name() + " (" + kind + ")");
        }
        return out;
    }

    /** "name: hidden by CUDA_VISIBLE_DEVICES=..." for each device of {@code all} that auto leaves out. */
    static List<String> hidden(List<Candidate> all) {
        return autoOrder(all).hidden().stream().map(i -> all.get(i).name() + ": hidden by CUDA_VISIBLE_DEVICES="
                + System.getenv("CUDA_VISIBLE_DEVICES")).toList();
    }
}
