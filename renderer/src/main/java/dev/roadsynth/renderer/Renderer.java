package dev.roadsynth.renderer;

import dev.roadsynth.core.Frame;
import dev.roadsynth.scenes.Scene;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Draws scenes into frames: RGB plus exact semantic ids, instance ids and depth (see {@link Frame} for the
 * conventions). A renderer owns a GL context and its GL objects; close it to free them. Rendering results
 * depend only on the scene: nothing of one call carries over into the next.
 *
 * <p>Threading: a renderer's GL context is current on one thread at a time; use a renderer from one thread (it
 * makes its context current on the calling thread at each call).
 */
public interface Renderer extends AutoCloseable {

    /**
     * Opens a headless renderer on the selected EGL device.
     *
     * @throws RenderException when no usable rendering environment exists; the message says what to install
     */
    static Renderer open(GpuSelection gpu) {
        return new GlRenderer(EglContext.create(gpu));
    }

    /** The devices EGL lists, for {@code --gpu N} and diagnostics. */
    static List<String> devices() {
        return EglContext.describeDevices();
    }

    /** Renders one scene and reads all its targets back. */
    Frame render(Scene scene);

    /**
     * Renders a sequence of scenes and hands each frame to {@code sink}, in order. Readback is pipelined: the
     * GPU draws scene n+1 while the CPU copies frame n out of a pixel buffer object, so on a GPU this is
     * faster than calling {@link #render(Scene)} repeatedly. The sink runs on the calling thread.
     */
    void renderAll(Iterator<? extends Scene> scenes, Consumer<? super Frame> sink);

    /** The device, GL renderer and GL version in use. */
    String description();

    /** Whether rendering runs on a software rasterizer (Mesa llvmpipe) rather than a GPU. */
    boolean software();

    @Override
    void close();
}
