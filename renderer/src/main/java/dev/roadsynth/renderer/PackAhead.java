package dev.roadsynth.renderer;

import dev.roadsynth.scenes.Scene;
import java.util.Iterator;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Takes scenes from an iterator and packs them ({@link PackedScene#pack}) on a thread of its own, a few ahead of
 * the render thread, so that the render thread only uploads and draws. Drawing scenes from the iterator (scene
 * generation) happens on that thread too. The receiver owns, and closes, each {@link Packed} it takes; closing
 * this stops the thread and frees whatever was packed but not taken.
 */
final class PackAhead implements AutoCloseable {
    /** Scenes packed ahead: enough to cover a slow pack, few enough to keep native memory small. */
    private static final int AHEAD = 2;
    private static final Object END = new Object();

    /** A scene and its packed buffers. */
    record Packed(Scene scene, PackedScene packed) implements AutoCloseable {
        @Override
        public void close() {
            packed.close();
        }
    }

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(AHEAD);
    private final Thread thread;
    private volatile boolean stop;
    private boolean ended;

    /** @param groups also build each scene's instance groups (for the coverage pass) on this thread */
    PackAhead(Iterator<? extends Scene> scenes, boolean groups) {
        thread = new Thread(() -> {
            try {
                while (!stop && scenes.hasNext()) {
                    Scene s = scenes.next();
                    Packed p = new Packed(s, PackedScene.pack(s));
                    if (groups) {
                        p.packed().instanceGroups(s);
                    }
                    if (!put(p)) {
                        p.close();
                        return;
                    }
                }
                put(END);
            } catch (Throwable t) {
                put(t);
            }
        }, "roadsynth-pack");
        thread.setDaemon(true);
        thread.start();
    }

    private boolean put(Object o) {
        try {
            while (!stop) {
                if (queue.offer(o, 50, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** The next packed scene, or null after the last; rethrows what the iterator or the packing threw. */
    Packed next() {
        if (ended) {
            return null;
        }
        Object o;
        try {
            o = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RenderException("interrupted while waiting for the next scene");
        }
        if (o == END) {
            ended = true;
            return null;
        }
        if (o instanceof RuntimeException e) {
            ended = true;
            throw e;
        }
        if (o instanceof Error e) {
            ended = true;
            throw e;
        }
        if (o instanceof Throwable t) {
            ended = true;
            throw new RenderException("preparing a scene failed: " + t, t);
        }
        return (Packed) o;
    }

    @Override
    public void close() {
        stop = true;
        drain();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drain(); // what the thread put between the first drain and its exit
    }

    private void drain() {
        Object o;
        while ((o = queue.poll()) != null) {
            if (o instanceof Packed p) {
                p.close();
            }
        }
    }
}
