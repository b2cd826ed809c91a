package dev.roadsynth.renderer;

import dev.roadsynth.scenes.Scene;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Makes scenes and packs them ({@link PackedScene#pack}) on threads of their own, a few ahead of the render thread,
 * so that the render thread only uploads and draws; {@link #next} hands them out in the iterator's order. The
 * iterator hands out what makes each scene (cheaply, one packing thread at a time, under a lock); making (scene
 * generation) and packing run in parallel. The receiver owns, and closes, each {@link Packed} it takes; closing this
 * stops the threads and frees whatever was packed but not taken.
 */
final class PackAhead implements AutoCloseable {
    private static final Object END = new Object();

    /** Scenes already made, as makers of themselves (for callers that hold scenes, not ways to make them). */
    static Iterator<Supplier<Scene>> made(Iterator<? extends Scene> scenes) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return scenes.hasNext();
            }

            @Override
            public Supplier<Scene> next() {
                Scene s = scenes.next();
                return () -> s;
            }
        };
    }

    /** A scene and its packed buffers. */
    record Packed(Scene scene, PackedScene packed) implements AutoCloseable {
        @Override
        public void close() {
            packed.close();
        }
    }

    /**
     * Packing threads for a machine with {@code cores} cores: one up to 7 cores, then one per four cores, at most
     * four. On a 16-core GPU machine one thread packed an urban scene in about 4 ms, more than the GPU needs to
     * draw it; on two cores a second thread would only take time from the writers.
     */
    static int threadsFor(int cores) {
        return Math.max(1, Math.min(4, cores / 4));
    }

    private final Iterator<? extends Supplier<? extends Scene>> scenes;
    private final boolean groups;
    /** Scenes taken from the iterator and not yet handed out: bounds native memory however slow the receiver. */
    private final Semaphore room;
    private final List<Thread> threads = new ArrayList<>();
    /** Guards the iterator, {@link #taken} and {@link #exhausted}. */
    private final Object source = new Object();
    private long taken;
    private boolean exhausted;
    /** Guards {@link #ready}: packed scenes (or END, or what was thrown) by their index in the iterator. */
    private final Map<Long, Object> ready = new HashMap<>();
    private long handedOut;
    private volatile boolean stop;
    private boolean ended;

    /**
     * @param groups also build each scene's instance groups (for the coverage pass) on the packing threads
     * @param threads packing threads, at least 1
     */
    PackAhead(Iterator<? extends Supplier<? extends Scene>> scenes, boolean groups, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("packing threads: " + threads + ", need at least 1");
        }
        this.scenes = scenes;
        this.groups = groups;
        // Each thread may hold one scene in packing while two wait for the render thread.
        this.room = new Semaphore(threads + 2);
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(this::work, "roadsynth-pack" + (threads > 1 ? "-" + t : ""));
            thread.setDaemon(true);
            this.threads.add(thread);
        }
        this.threads.forEach(Thread::start);
    }

    private void work() {
        while (!stop) {
            try {
                if (!room.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            }
            long index;
            Supplier<? extends Scene> maker;
            synchronized (source) {
                if (exhausted) {
                    room.release();
                    return;
                }
                index = taken;
                try {
                    if (!scenes.hasNext()) {
                        exhausted = true;
                        deliver(index, END);
                        return;
                    }
                    maker = scenes.next();
                    taken++;
                } catch (Throwable t) {
                    exhausted = true;
                    deliver(index, t);
                    return;
                }
            }
            Object result;
            try {
                // Made here, outside the lock: the packing threads make their scenes (a scene generator's work,
                // about a millisecond for an urban scene) at the same time, not one after another.
                Scene scene = maker.get();
                Packed p = new Packed(scene, PackedScene.pack(scene));
                try {
                    if (groups) {
                        p.packed().instanceGroups(scene);
                    }
                } catch (Throwable t) {
                    p.close();
                    throw t;
                }
                result = p;
            } catch (Throwable t) {
                synchronized (source) {
                    exhausted = true; // no scene after a failed one is needed
                }
                result = t;
            }
            deliver(index, result);
        }
    }

    private void deliver(long index, Object o) {
        synchronized (ready) {
            ready.put(index, o);
            ready.notifyAll();
        }
    }

    /** The next packed scene, or null after the last; rethrows what the iterator or the packing threw. */
    Packed next() {
        if (ended) {
            return null;
        }
        Object o;
        synchronized (ready) {
            try {
                while ((o = ready.remove(handedOut)) == null) {
                    ready.wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RenderException("interrupted while waiting for the next scene");
            }
            handedOut++;
        }
        if (o instanceof Packed p) {
            room.release();
            return p;
        }
        ended = true;
        if (o == END) {
            return null;
        }
        if (o instanceof RuntimeException e) {
            throw e;
        }
        if (o instanceof Error e) {
            throw e;
        }
        throw new RenderException("preparing a scene failed: " + o, (Throwable) o);
    }

    @Override
    public void close() {
        stop = true;
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (ready) {
            for (Object o : ready.values()) {
                if (o instanceof Packed p) {
                    p.close();
                }
            }
            ready.clear();
        }
    }
}
