package dev.roadsynth.renderer;

import dev.roadsynth.core.Frame;
import dev.roadsynth.scenes.Scene;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.lwjgl.opengl.GL11C;

/**
 * A {@link Renderer} whose GL context lives on a thread of its own. GL contexts are bound to one thread at a
 * time and drivers differ in how well they switch contexts on one thread; giving each renderer its own thread
 * makes the renderer usable from any thread and keeps several renderers in one process apart.
 *
 * <p>{@link #renderAll} renders on that thread and hands frames to the calling thread through a small bounded
 * queue, so the sink's work (annotation, encoding) overlaps with rendering while memory stays bounded. Each frame
 * travels as the future of its copy out of the readback buffer (made on the renderer's copy threads); the calling
 * thread waits for it, so the render thread never does.
 */
final class ThreadedRenderer implements Renderer {
    /** Frames handed ahead of the sink (each copied out or being copied): at most four frames are in Java memory. */
    private static final int HANDOFF = 2;
    private static final Object END = new Object();

    private final ExecutorService thread;
    private final GlRenderer gl;
    private final String description;
    private final String softwareNote;
    private final String identity;
    private final boolean software;
    private volatile boolean closed;
    /**
     * The stop flags of the runs under way ({@link #renderAll}): {@link #close}, called on another thread (a shutdown
     * hook's, say), sets them, so that each run ends at its next frame instead of drawing the rest of its scenes
     * before the context can close.
     */
    private final java.util.Set<AtomicBoolean> runs = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private ThreadedRenderer(ExecutorService thread, GlRenderer gl) {
        this.thread = thread;
        this.gl = gl;
        this.description = call(thread, gl::description);
        this.identity = call(thread, gl::identity);
        this.software = call(thread, gl::software);
        this.softwareNote = call(thread, gl::softwareNote);
    }

    /** A renderer on {@code gpu} whose frames leave the GPU the way chosen for its driver ({@link FrameReadback.Way#chosen}). */
    static ThreadedRenderer open(GpuSelection gpu) {
        // The switches are read (and a bad value refused) before any context exists; the driver is known only after.
        Optional<FrameReadback.Way> switched = FrameReadback.Way.switched();
        return open(() -> {
            EglContext context = EglContext.create(gpu);
            return switched.isPresent() ? new GlRenderer(context, true, switched.get())
                    : wayOrPlain(gpu, context, FrameReadback.Way.forDriver(GL11C.glGetString(GL11C.GL_VENDOR)));
        });
    }

    /** As {@link #open(GpuSelection)} where the driver's way is {@code way}, whatever the driver (for tests). */
    static ThreadedRenderer openOrPlain(GpuSelection gpu, FrameReadback.Way way) {
        return open(() -> wayOrPlain(gpu, EglContext.create(gpu), way));
    }

    /**
     * A renderer on {@code context} whose frames leave the GPU {@code way}; where that way fails to set up on the
     * driver (its compute pass not compiling, say: it is chosen by the vendor alone, whatever the driver's version),
     * one on a new context for {@code gpu} that reads them out the plain way, its description saying why, rather
     * than no renderer on this GPU at all.
     */
    private static GlRenderer wayOrPlain(GpuSelection gpu, EglContext context, FrameReadback.Way way) {
        try {
            return new GlRenderer(context, true, way); // closes the context if it throws
        } catch (RenderException e) {
            if (way.equals(FrameReadback.Way.PLAIN)) {
                throw e;
            }
            String why = e.getMessage().lines().findFirst().orElse("").strip();
            return new GlRenderer(EglContext.create(gpu), true, FrameReadback.Way.PLAIN,
                    ", read out by glReadPixels since the driver's way (" + way.switches() + ") failed here (" + why + ")");
        }
    }

    /** A renderer whose frames leave the GPU {@code way} whatever the driver (for tests). */
    static ThreadedRenderer open(GpuSelection gpu, FrameReadback.Way way) {
        return open(() -> new GlRenderer(EglContext.create(gpu), true, way));
    }

    static ThreadedRenderer open(GpuSelection gpu, boolean gl33Only) {
        return open(gpu, gl33Only, FrameReadback.Path.PIXELS);
    }

    /**
     * @param gl33Only request only a GL 3.3 core context and use the classic depth mapping and RGB readback, as on
     *                 drivers without GL 4.1 or 4.5 (to test that fallback on any machine)
     * @param readback how frames leave the GPU, with the readout and client memory the switches give; the compute
     *                 passes fall back to PIXELS without OpenGL 4.3 and with gl33Only
     */
    static ThreadedRenderer open(GpuSelection gpu, boolean gl33Only, FrameReadback.Path readback) {
        return open(() -> gl33Only
                ? new GlRenderer(EglContext.create(gpu, new int[][] {{3, 3}}), false, FrameReadback.Way.PLAIN)
                : new GlRenderer(EglContext.create(gpu), true, FrameReadback.Way.fromProperties(readback)));
    }

    /** Makes the renderer with {@code make} on a new render thread, which it then runs on. */
    private static ThreadedRenderer open(Callable<GlRenderer> make) {
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "roadsynth-render");
            t.setDaemon(true);
            return t;
        });
        try {
            return new ThreadedRenderer(thread, call(thread, make));
        } catch (RuntimeException | Error e) {
            thread.shutdownNow();
            throw e;
        }
    }

    /** Runs {@code task} on the render thread and waits for it; its exceptions are rethrown here. */
    private static <T> T call(ExecutorService thread, Callable<T> task) {
        Future<T> f = thread.submit(task);
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            waitQuietly(f);
            throw new RenderException("interrupted while waiting for the render thread");
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new RenderException("render thread failed: " + t, t);
    }

    private static void waitQuietly(Future<?> f) {
        boolean interrupted = false;
        while (true) {
            try {
                f.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Frame render(Scene scene) {
        ensureOpen();
        return call(thread, () -> {
            Frame[] out = new Frame[1];
            gl.renderAll(List.of(scene).iterator(), f -> out[0] = f);
            return out[0];
        });
    }

    /** Thrown inside the render thread when the consumer has stopped taking frames. */
    private static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super(null, null, false, false);
        }
    }

    @Override
    public void renderAll(Iterator<? extends Scene> scenes, Consumer<? super Frame> sink) {
        renderAll(PackAhead.made(scenes), Outputs.FRAMES, r -> sink.accept(r.frame()), new RenderTimes());
    }

    @Override
    public void renderEach(Iterator<? extends Scene> scenes, Outputs outputs, Consumer<? super Rendered> sink,
                           RenderTimes times) {
        renderAll(PackAhead.made(scenes), outputs, sink, times);
    }

    @Override
    public void renderEachMade(Iterator<? extends java.util.function.Supplier<? extends Scene>> makers,
                               Outputs outputs, Consumer<? super Rendered> sink, RenderTimes times) {
        renderAll(makers, outputs, sink, times);
    }

    private void renderAll(Iterator<? extends java.util.function.Supplier<? extends Scene>> scenes, Outputs outputs,
                           Consumer<? super Rendered> sink,
                           RenderTimes times) {
        java.util.Objects.requireNonNull(outputs, "outputs");
        ensureOpen();
        BlockingQueue<Object> handoff = new ArrayBlockingQueue<>(HANDOFF);
        AtomicBoolean stop = new AtomicBoolean();
        runs.add(stop);
        if (closed) {
            stop.set(true); // close came between the check above and the line before: end at the first frame
        }
        Future<?> producer = thread.submit(() -> {
            try {
                gl.renderAll(scenes, outputs, rendered -> put(handoff, rendered, stop), times);
                put(handoff, END, stop);
            } catch (Stopped s) {
                // the consumer gave up, or close stopped the run: nothing to report
            } catch (Throwable t) {
                try {
                    put(handoff, t, stop);
                } catch (Stopped s) {
                    // the consumer gave up first
                }
            }
            return null;
        });
        Throwable failure = null;
        try {
            while (true) {
                Object item = handoff.poll(50, TimeUnit.MILLISECONDS);
                if (item == null) {
                    if (closed) {
                        // close stopped the render thread, which hands on nothing more
                        failure = new RenderException("the renderer was closed while rendering");
                        break;
                    }
                    continue;
                }
                if (item == END) {
                    break;
                }
                if (item instanceof Throwable t) {
                    failure = t;
                    break;
                }
                sink.accept(copied(item));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = new RenderException("interrupted while rendering");
        } catch (RuntimeException | Error e) {
            failure = e;
        } finally {
            // Whatever happened, return only once the render thread is idle, so the renderer stays usable.
            stop.set(true);
            handoff.clear();
            waitQuietly(producer);
            runs.remove(stop);
        }
        if (failure != null) {
            throw rethrow(failure);
        }
    }

    /** The frame a render-thread future stands for, once its copy out has finished; what the copy threw, as is. */
    @SuppressWarnings("unchecked")
    private static Rendered copied(Object item) throws InterruptedException {
        try {
            return ((CompletableFuture<Rendered>) item).get();
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    private static void put(BlockingQueue<Object> queue, Object item, AtomicBoolean stop) {
        if (stop.get()) {
            throw new Stopped();
        }
        try {
            while (!queue.offer(item, 20, TimeUnit.MILLISECONDS)) {
                if (stop.get()) {
                    throw new Stopped();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopped();
        }
    }

    @Override
    public void recycle(Frame frame) {
        gl.recycle(frame); // not on the render thread: the recycler is thread-safe, and the render thread is busy
    }

    /** For tests. */
    PlaneRecycler recycler() {
        return gl.recycler();
    }

    @Override
    public List<Coverage> coverage(Scene scene) {
        ensureOpen();
        return call(thread, () -> gl.coverage(scene));
    }

    /** Readback buffers left mapped, for tests: none between calls. */
    int mappedBuffers() {
        return call(thread, gl::mappedBuffers);
    }

    /** The largest readback buffer's size in bytes, for tests: the most one frame has needed. */
    long largestReadbackBuffer() {
        return call(thread, gl::largestReadbackBuffer);
    }

    /** The id targets' internal formats as the driver reports them (class ids, instance ids), for tests. */
    int[] idTargetFormats() {
        return call(thread, gl::idTargetFormats);
    }

    /** GL_SUBPIXEL_BITS of the context, for tests that model rasterization. */
    int subpixelBits() {
        return call(thread, gl::subpixelBits);
    }

    String coverageCounting() {
        return call(thread, gl::coverageCounting);
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public String identity() {
        return identity;
    }

    @Override
    public boolean software() {
        return software;
    }

    @Override
    public String softwareNote() {
        return softwareNote;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("renderer is closed");
        }
    }

    /**
     * Closes the context on the render thread. A run under way on another thread ends at its next frame, throwing
     * {@link RenderException} there; this waits for that, then closes.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        runs.forEach(stop -> stop.set(true));
        try {
            call(thread, () -> {
                gl.close();
                return null;
            });
        } finally {
            thread.shutdown();
        }
    }
}
