package dev.roadsynth.renderer;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where a render thread's time went during one {@link Renderer#renderEach(java.util.Iterator, boolean,
 * java.util.function.Consumer, RenderTimes)} run, in nanoseconds per {@link Phase}, measured with
 * {@link System#nanoTime()} between the phases' ends, and the copies' own times. The phases are written by the render
 * thread only, the copies' times by the copy threads; read it after the run has returned (the run waits for every
 * copy, and its return orders the writes before the reads).
 *
 * <p>The phases say where the render thread spends its time, not where the GPU does its work: a driver may defer
 * work to a later call and block there (llvmpipe rasterizes the main pass when the coverage pass switches
 * framebuffers, or at the readback without one; NVIDIA's driver blocked in the readback on an H100 under load).
 */
public final class RenderTimes {
    /** The phases of a frame on the render thread, in the order they happen. */
    public enum Phase {
        /** Waiting for the next generated and packed scene. */
        SCENES("waiting for scenes"),
        /** Uploading the vertex buffers and issuing the shadow, main, sky and particle passes. */
        DRAW("upload and draw"),
        /** Issuing the coverage passes (annotations). */
        COVERAGE("coverage passes"),
        /**
         * Waiting for the copy out of the pixel buffer object about to be reused (copy threads copy each frame's
         * planes while the render thread goes on).
         */
        COPIES("waiting for copies"),
        /** Unmapping that buffer. */
        UNMAP("unmapping"),
        /** Issuing the readback of the four targets into the pixel buffer object, and the fence. */
        READBACK("readback"),
        /** Waiting for a frame's fence, i.e. for the GPU to finish the frame and its readback. */
        GPU("waiting for the GPU"),
        /**
         * Mapping the pixel buffer object (nothing with {@code -Droadsynth.readout=persistent}), reading the coverage
         * passes' results where they did not come with the frame (occlusion queries), starting the copy out.
         */
        COPY("mapping"),
        /**
         * The frame's one {@code glGetError}, after its fence: it synchronises with the driver, and on NVIDIA with the
         * readback buffers mapped once the render thread spent 2 ms a frame there (session 25), told apart from the
         * mapping since.
         */
        CHECK("checking errors"),
        /** Handing a finished frame on; blocked while the consumer (the writers) is behind. */
        HANDOFF("handing on");

        private final String label;

        Phase(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** The phases' labels, in their order. */
    private static final List<String> PHASE_LABELS = Arrays.stream(Phase.values()).map(Phase::label).toList();

    /**
     * Stretches of the GPU's timeline per frame, between GL_TIMESTAMP queries issued around the frame's commands:
     * the time from when the GPU reached one point of the frame's command stream to when it reached the next. That
     * includes any time the GPU spent waiting for the commands in between to arrive, so it bounds the GPU's work
     * from above; a sum well below the render thread's time per frame means the GPU is not what sets the pace.
     */
    public enum GpuPhase {
        /** Taking in the frame's vertex and index buffers. */
        UPLOAD("upload"),
        /** The shadow map's pass (none where the scene has no shadows). */
        SHADOW("shadow pass"),
        /** Main, sky and particle passes. */
        DRAW("drawing"),
        /** The amodal coverage passes (only when annotations are made). */
        COVERAGE("coverage passes"),
        /** Reading the four targets into the pixel buffer object. */
        READBACK("readback");

        private final String label;

        GpuPhase(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * Copies out of the readback buffers, written by the copy threads: nanoseconds from a copy's start to its end,
     * and from its submission to its start (waiting for a free copy thread).
     */
    private final java.util.concurrent.atomic.LongAdder copyNanos = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder copyQueuedNanos = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder copies = new java.util.concurrent.atomic.LongAdder();
    private final long[] nanos = new long[Phase.values().length];
    private final long[] gpuNanos = new long[GpuPhase.values().length];
    private long gpuFrames;
    private long frames;
    private long last;
    /** The frames a run is expected to hand on (0: unknown), and the phases' sums when each quarter of them was. */
    private final long expected;
    private final long[][] atQuarter = new long[5][];

    /** Times for a run of unknown length. */
    public RenderTimes() {
        this(0);
    }

    /**
     * Times for a run expected to hand on {@code frames} frames, which also keeps the phases' sums at each quarter of
     * them ({@link #quarterSummaries}): whether a run's slow start is the render thread's, and in which phase.
     */
    public RenderTimes(long frames) {
        this.expected = frames;
        atQuarter[0] = new long[nanos.length];
    }

    /** Starts the clock: the next {@link #end} counts from now. */
    void start() {
        last = System.nanoTime();
    }

    /** Adds the time since the last end (or the start) to {@code phase}. */
    void end(Phase phase) {
        long now = System.nanoTime();
        nanos[phase.ordinal()] += now - last;
        last = now;
    }

    /** Adds one frame's GPU stretches, in nanoseconds. */
    void gpu(long upload, long shadow, long draw, long coverage, long readback) {
        gpuNanos[GpuPhase.UPLOAD.ordinal()] += upload;
        gpuNanos[GpuPhase.SHADOW.ordinal()] += shadow;
        gpuNanos[GpuPhase.DRAW.ordinal()] += draw;
        gpuNanos[GpuPhase.COVERAGE.ordinal()] += coverage;
        gpuNanos[GpuPhase.READBACK.ordinal()] += readback;
        gpuFrames++;
    }

    /** Nanoseconds of GPU timeline in {@code phase}, summed over frames. */
    public long gpuNanos(GpuPhase phase) {
        return gpuNanos[phase.ordinal()];
    }

    /** One line: the GPU's time per frame in each {@link GpuPhase}, e.g. "0.90 ms per frame: 0.05 upload, 0.20 shadow pass, 0.40 drawing, ...". */
    public String gpuSummary() {
        return perFrame(gpuNanos, Arrays.stream(GpuPhase.values()).map(GpuPhase::label).toList(), gpuFrames);
    }

    /** Adds one copy out of a readback buffer (any thread; the render thread waits for every copy before it returns). */
    void copied(long queuedNanos, long copyingNanos) {
        copyQueuedNanos.add(queuedNanos);
        copyNanos.add(copyingNanos);
        copies.increment();
    }

    void frameDone() {
        frames++;
        for (int q = 1; q <= 4 && expected >= 4; q++) {
            if (frames == expected * q / 4) {
                atQuarter[q] = nanos.clone();
            }
        }
    }

    /**
     * One line per quarter of the expected frames, as {@link #summary} gives the whole run's phases ("Q1 1.40 ms per
     * frame: ..."); none when the run was of unknown length, shorter than four frames or did not hand on all of them.
     */
    public List<String> quarterSummaries() {
        if (atQuarter[4] == null) {
            return List.of();
        }
        List<String> out = new java.util.ArrayList<>();
        for (int q = 1; q <= 4; q++) {
            long[] in = new long[nanos.length];
            for (int i = 0; i < in.length; i++) {
                in[i] = atQuarter[q][i] - atQuarter[q - 1][i];
            }
            out.add("Q" + q + " " + perFrame(in, PHASE_LABELS, expected * q / 4 - expected * (q - 1) / 4));
        }
        return out;
    }

    /** Nanoseconds spent in {@code phase}. */
    public long nanos(Phase phase) {
        return nanos[phase.ordinal()];
    }

    /** Frames handed on. */
    public long frames() {
        return frames;
    }

    /**
     * One line: milliseconds per frame in each phase, e.g. "1.20 ms per frame: 0.02 waiting for scenes, ...", then
     * how long a copy out of a readback buffer took on its copy thread, e.g. "; a copy took 1.10 ms, after 0.01 ms
     * waiting for a copy thread" (wall-clock time: the render thread waits for copies that take longer than the
     * drawing of the ring's other frames).
     */
    public String summary() {
        String line = perFrame(nanos, PHASE_LABELS, frames);
        long n = copies.sum();
        return n == 0 ? line : line + String.format(Locale.ROOT, "; a copy took %.2f ms, after %.2f ms waiting for a copy thread",
                copyNanos.sum() / 1e6 / n, copyQueuedNanos.sum() / 1e6 / n);
    }

    /** "T ms per frame: t1 label1, t2 label2, ...", or "no frames". */
    private static String perFrame(long[] nanos, List<String> labels, long frames) {
        if (frames == 0) {
            return "no frames";
        }
        long total = 0;
        StringBuilder parts = new StringBuilder();
        for (int i = 0; i < nanos.length; i++) {
            total += nanos[i];
            parts.append(i == 0 ? "" : ", ")
                    .append(String.format(Locale.ROOT, "%.2f %s", nanos[i] / 1e6 / frames, labels.get(i)));
        }
        return String.format(Locale.ROOT, "%.2f ms per frame: ", total / 1e6 / frames) + parts;
    }
}
