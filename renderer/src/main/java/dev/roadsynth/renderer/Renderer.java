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
 * <p>Threading: each renderer owns a render thread on which its GL context lives; its methods may be called from
 * any thread, and calls are served one at a time. Several renderers in one process do not interfere.
 */
public interface Renderer extends AutoCloseable {
    /**
     * The environment variable that says where {@link GpuSelection#AUTO} begins among the GPUs it tries: at the
     * (value mod their number)-th in its order (CUDA's, see {@code docs/gpu.md}), then the rest in turn; 0 where
     * unset. {@code generate --processes} sets it to j for its process j, so that its processes spread over the GPUs.
     */
    String GPU_TURN = "ROADSYNTH_GPU_TURN";

    /**
     * Mesa's environment variable for llvmpipe's rasterizer threads (its default: one per core). {@code generate
     * --processes} sets it to each process's share of the cores, unless the environment sets it.
     */
    String SOFTWARE_THREADS = "LP_NUM_THREADS";

    /**
     * Opens a headless renderer on the selected EGL device.
     *
     * @throws RenderException when no usable rendering environment exists; the message says what to install
     */
    static Renderer open(GpuSelection gpu) {
        return ThreadedRenderer.open(gpu);
    }

    /** The devices EGL lists, for {@code --gpu N} and diagnostics. */
    static List<String> devices() {
        return EglContext.describeDevices();
    }

    /** Renders one scene and reads all its targets back (depth included). */
    Frame render(Scene scene);

    /**
     * Renders a sequence of scenes and hands each frame to {@code sink}, in order. Readback is pipelined: the
     * GPU draws scene n+1 while the CPU copies frame n out of a pixel buffer object, so on a GPU this is
     * faster than calling {@link #render(Scene)} repeatedly. The scenes are taken from the iterator on the render
     * thread; the sink runs on the calling thread, overlapping with the rendering of the next frames. If the sink
     * throws, rendering stops and the exception is rethrown here.
     */
    void renderAll(Iterator<? extends Scene> scenes, Consumer<? super Frame> sink);

    /**
     * The amodal coverage of every instance of the scene: the pixels each would cover with nothing in front of
     * it, inside the image and on a canvas extending it (for truncation), rasterized exactly as
     * {@link #render(Scene)} rasterizes. One entry per non-zero instance id and per {@link Scene#groups() group} id,
     * in ascending (unsigned) id order; a group's is the union of its members' coverage, each pixel counted once.
     *
     * @throws RenderException on contexts below OpenGL 4.3
     */
    List<Coverage> coverage(Scene scene);

    /**
     * As {@link #renderAll}, handing over each scene with its frame and what {@code outputs} asks for besides: the
     * frame's depth plane (else the frame has none), and the scene's {@link #coverage} for {@link Annotator} (which
     * needs OpenGL 4.3).
     */
    default void renderEach(Iterator<? extends Scene> scenes, Outputs outputs, Consumer<? super Rendered> sink) {
        renderEach(scenes, outputs, sink, new RenderTimes());
    }

    /**
     * As {@link #renderEach(Iterator, Outputs, Consumer)}, adding to {@code times} where the render thread's time
     * went (for diagnosing what sets the pace: the GPU, the copies, or the consumer); read it once this returns.
     */
    void renderEach(Iterator<? extends Scene> scenes, Outputs outputs, Consumer<? super Rendered> sink,
                    RenderTimes times);

    /**
     * As {@link #renderEach(Iterator, Outputs, Consumer, RenderTimes)}, taking what makes each scene instead of the
     * scene: {@code makers} hands out, in order and cheaply, one maker per scene (a call of the scene generator for
     * one sample, say), and the renderer makes several scenes at once on threads of its own, ahead of drawing them.
     * A maker must give the same scene whenever, and on whichever thread, it runs. This default makes each scene
     * as it is taken, in order.
     */
    default void renderEachMade(Iterator<? extends java.util.function.Supplier<? extends Scene>> makers,
                                Outputs outputs, Consumer<? super Rendered> sink, RenderTimes times) {
        renderEach(new Iterator<Scene>() {
            @Override
            public boolean hasNext() {
                return makers.hasNext();
            }

            @Override
            public Scene next() {
                return makers.next().get();
            }
        }, outputs, sink, times);
    }

    /**
     * Hands back a frame this renderer made, once nothing will read it again, so that a later frame reuses its
     * arrays instead of allocating new ones (a 1024x512 frame is 7.5 MB; allocated per frame, such arrays make the
     * JVM collect often and grow its heap over a long run). Optional: a frame not handed back is collected as
     * usual. Frames made elsewhere, or handed back before, are ignored. Any thread.
     *
     * <p>After this call the frame's planes may change at any time: neither the frame nor anything that reads its
     * planes lazily may be used again.
     */
    default void recycle(Frame frame) {
        // Renderers that keep no arrays for reuse (test doubles, say) need do nothing.
    }

    /** The device, GL renderer and GL version in use. */
    String description();

    /**
     * What decides the frames' bytes: the GL renderer and its driver's version (GL_RENDERER, GL_VERSION) and the depth
     * mapping, e.g. "llvmpipe (LLVM 15.0.6, 256 bits), OpenGL 4.5 (Core Profile) Mesa 22.3.6, reversed float depth";
     * not the device's index or the switches that change only how frames travel (docs/gpu.md). Renderers of the same
     * identity give the same frames for the same scene; others may differ where two surfaces lie too close to call
     * and in the colours' low bits. Recorded in each sample's manifest line ({@code renderer}).
     */
    String identity();

    /** Whether rendering runs on a software rasterizer (Mesa llvmpipe) rather than a GPU. */
    boolean software();

    /**
     * Where {@code --gpu auto} ended on a software rasterizer on a machine that has a GPU, why, as one sentence for
     * the user (an NVIDIA GPU whose EGL library is missing, say, or every GPU failing or hidden); null otherwise,
     * and on a machine without a GPU.
     */
    default String softwareNote() {
        return null;
    }

    /**
     * Frees the GL context and its objects. A sequence being rendered on another thread meanwhile ends at its next
     * frame, throwing {@link RenderException} there (so that a shutdown hook can close a renderer in use promptly).
     */
    @Override
    void close();
}
