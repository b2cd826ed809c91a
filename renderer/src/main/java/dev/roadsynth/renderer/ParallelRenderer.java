package dev.roadsynth.renderer;

import dev.roadsynth.core.Frame;
import dev.roadsynth.scenes.Scene;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A {@link Renderer} that draws sequences on several GL contexts of one device at once, each a
 * {@link ThreadedRenderer} with its own render thread (a lane), and hands the frames on in the sequence's order.
 * Scene {@code i} of a sequence is drawn by lane {@code i mod lanes}; every lane draws a scene exactly as one
 * renderer alone would (a renderer keeps nothing from one frame to the next), so the frames are the same whatever the
 * number of lanes.
 *
 * <p>Why: on an H100 the render thread set {@code generate}'s pace at about 3.6 ms per frame, two thirds of it in
 * the driver's unmapping and mapping of readback buffers (which takes twice as long beside the writers as without
 * them), while the GPU was busy a third of the time (PERFORMANCE.md, sessions 18 and 19). Contexts on threads of
 * their own take such driver work in parallel.
 *
 * <p>Single renders and coverage go to the first lane.
 */
final class ParallelRenderer implements Renderer {
    /**
     * The system property choosing the render threads (lanes): {@code -Droadsynth.renderThreads=auto|1|2|3|4}. Auto
     * is one on a software rasterizer (llvmpipe spreads each frame over the cores itself) and {@link #ON_GPU} on a
     * GPU.
     */
    static final String PROPERTY = "roadsynth.renderThreads";
    /** Lanes with {@code auto} on a GPU. */
    static final int ON_GPU = 1;
    /** Frames a lane may have ready ahead of the consumer, besides those its renderer holds. */
    private static final int AHEAD = 2;
    private static final Object END = new Object();

    private final List<ThreadedRenderer> lanes;

    private ParallelRenderer(List<ThreadedRenderer> lanes) {
        this.lanes = List.copyOf(lanes);
    }

    /**
     * Opens the renderer {@link Renderer#open} gives: one {@link ThreadedRenderer}, or with more than one lane
     * ({@link #PROPERTY}) this over that many.
     */
    static Renderer open(GpuSelection gpu) {
        String choice = Gl.choice(PROPERTY, "auto", "1", "2", "3", "4");
        ThreadedRenderer first = ThreadedRenderer.open(gpu);
        int lanes = choice.equals("auto") ? (first.software() ? 1 : ON_GPU) : Integer.parseInt(choice);
        return lanes == 1 ? first : open(first, lanes, () -> ThreadedRenderer.open(gpu));
    }

    /** This over {@code first} and {@code lanes - 1} more from {@code more}; on failure closes what it opened. */
    static ParallelRenderer open(ThreadedRenderer first, int lanes, Supplier<ThreadedRenderer> more) {
        List<ThreadedRenderer> opened = new ArrayList<>(List.of(first));
        try {
            while (opened.size() < lanes) {
                opened.add(more.get());
            }
        } catch (RuntimeException | Error e) {
            opened.forEach(ThreadedRenderer::close);
            throw e;
        }
        return new ParallelRenderer(opened);
    }

    /** Lanes, for tests. */
    int lanes() {
        return lanes.size();
    }

    @Override
    public Frame render(Scene scene) {
        return lanes.get(0).render(scene);
    }

    @Override
    public List<Coverage> coverage(Scene scene) {
        return lanes.get(0).coverage(scene);
    }

    @Override
    public void renderAll(Iterator<? extends Scene> scenes, Consumer<? super Frame> sink) {
        renderEachMade(PackAhead.made(scenes), false, r -> sink.accept(r.frame()), new RenderTimes());
    }

    @Override
    public void renderEach(Iterator<? extends Scene> scenes, boolean withCoverage, Consumer<? super Rendered> sink,
                           RenderTimes times) {
        renderEachMade(PackAhead.made(scenes), withCoverage, sink, times);
    }

    /**
     * Each lane renders its share of the scenes on a thread of this call's (which waits for its lane's copies) into a
     * small queue of its own; the calling thread takes from the lanes' queues in turn, so the sink gets the frames in
     * order. The makers are dealt out by {@link Dealer}. If the sink or a lane throws, every lane is stopped, and
     * this returns, rethrowing, only once every lane's thread has ended.
     */
    @Override
    public void renderEachMade(Iterator<? extends Supplier<? extends Scene>> makers, boolean withCoverage,
                               Consumer<? super Rendered> sink, RenderTimes times) {
        int n = lanes.size();
        // The packing threads one renderer would have, shared out.
        int packThreads = Math.max(1, PackAhead.threadsFor(Runtime.getRuntime().availableProcessors()) / n);
        Dealer<Supplier<? extends Scene>> dealer = new Dealer<>(makers, n);
        AtomicBoolean stop = new AtomicBoolean();
        List<BlockingQueue<Object>> ready = new ArrayList<>();
        List<RenderTimes> laneTimes = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            BlockingQueue<Object> queue = new ArrayBlockingQueue<>(AHEAD);
            RenderTimes t = new RenderTimes();
            ThreadedRenderer lane = lanes.get(k);
            Iterator<Supplier<? extends Scene>> share = dealer.hand(k);
            Thread thread = new Thread(() -> {
                Object last = END;
                try {
                    lane.renderEachMade(share, withCoverage, r -> offer(queue, r, stop), t, packThreads);
                } catch (Stopped s) {
                    return;
                } catch (Throwable e) {
                    last = e;
                }
                try {
                    offer(queue, last, stop);
                } catch (Stopped s) {
                    // the caller stopped taking
                }
            }, "roadsynth-lane-" + k);
            thread.setDaemon(true);
            ready.add(queue);
            laneTimes.add(t);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        Throwable failure = null;
        try {
            for (long i = 0; ; i++) {
                Object item = ready.get((int) (i % n)).take();
                if (item == END) {
                    break; // the scenes ended before scene i: the other lanes have nothing more either
                }
                if (item instanceof Throwable t) {
                    failure = t;
                    break;
                }
                sink.accept((Rendered) item);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = new RenderException("interrupted while rendering");
        } catch (RuntimeException | Error e) {
            failure = e;
        } finally {
            stop.set(true);
            ready.forEach(BlockingQueue::clear);
            joinQuietly(threads);
        }
        times.add(laneTimes);
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new RenderException("rendering failed: " + failure, failure);
        }
    }

    /** Thrown in a lane's thread when the caller has stopped taking frames. */
    private static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super(null, null, false, false);
        }
    }

    private static void offer(BlockingQueue<Object> queue, Object item, AtomicBoolean stop) {
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

    /** Waits for every thread to end, even if interrupted meanwhile (then the interrupt is kept). */
    private static void joinQuietly(List<Thread> threads) {
        boolean interrupted = false;
        for (Thread t : threads) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Deals a sequence out to {@code n} hands: item {@code i} to hand {@code i mod n}, in order. Each hand is an
     * iterator that one thread (its lane's packing threads, under their own lock) takes from; the source is read
     * under this dealer's lock, so it need not be thread-safe. Items dealt to a hand that has not yet asked wait for
     * it; as the lanes' frames are taken in turn, no hand runs far ahead of another. What the source throws is
     * rethrown to every hand once it has taken the items dealt to it before.
     */
    static final class Dealer<T> {
        private final Iterator<? extends T> source;
        private final List<ArrayDeque<T>> hands = new ArrayList<>();
        private long dealt;
        private boolean exhausted;
        private RuntimeException failure;

        Dealer(Iterator<? extends T> source, int n) {
            this.source = source;
            for (int k = 0; k < n; k++) {
                hands.add(new ArrayDeque<>());
            }
        }

        Iterator<T> hand(int k) {
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return Dealer.this.hasNext(k);
                }

                @Override
                public T next() {
                    return Dealer.this.next(k);
                }
            };
        }

        private synchronized boolean hasNext(int k) {
            ArrayDeque<T> hand = hands.get(k);
            while (hand.isEmpty()) {
                if (failure != null) {
                    throw failure;
                }
                if (exhausted) {
                    return false;
                }
                try {
                    if (!source.hasNext()) {
                        // Latched: a source may say otherwise later (generate's stops after a signal).
                        exhausted = true;
                        return false;
                    }
                    hands.get((int) (dealt % hands.size())).add(source.next());
                    dealt++;
                } catch (RuntimeException e) {
                    failure = e;
                    throw e;
                }
            }
            return true;
        }

        private synchronized T next(int k) {
            if (!hasNext(k)) {
                throw new NoSuchElementException();
            }
            return hands.get(k).poll();
        }
    }

    @Override
    public void recycle(Frame frame) {
        lanes.forEach(l -> l.recycle(frame)); // the lane that lent the frame's arrays takes them; the others ignore it
    }

    @Override
    public String description() {
        return lanes.get(0).description() + ", " + lanes.size() + " render threads";
    }

    @Override
    public String identity() {
        return lanes.get(0).identity();
    }

    @Override
    public boolean software() {
        return lanes.get(0).software();
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (ThreadedRenderer lane : lanes) {
            try {
                lane.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
