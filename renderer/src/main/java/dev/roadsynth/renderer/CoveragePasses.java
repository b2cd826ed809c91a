package dev.roadsynth.renderer;

import static org.lwjgl.opengl.GL43C.*;

import dev.roadsynth.core.Box2;
import dev.roadsynth.scenes.Intrinsics;
import dev.roadsynth.scenes.Scene;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;

/**
 * The amodal coverage passes (see {@link Coverage}): each instance's triangles drawn alone with no depth test, each
 * covered pixel passing the stencil once, first on the image itself, then on a canvas extending the image by a
 * margin. The shader (coverage.frag) keeps each instance's bounds in a shader storage buffer and, by default, counts
 * its pixels there too, inside and outside the image ({@link Counting}). Needs OpenGL 4.3. Owned by
 * {@link GlRenderer}, on its context's thread.
 *
 * <p>Per readback slot there is one counter buffer (and with {@link Counting#QUERIES} one set of queries), so that a
 * frame's passes are issued before its fence and read ({@link #read}) when the frame is collected, without waiting
 * for the GPU.
 */
final class CoveragePasses implements AutoCloseable {
    /**
     * How the passes count an instance's pixels. Both count the same pixels where the driver's queries are right
     * (tested); docs/gpu.md.
     */
    enum Counting {
        /**
         * The shader counts each pixel with an atomic add, into the pixels inside or outside the image, and the canvas
         * pass draws each instance once. The default: exact on every driver, with no query whose begin and end may
         * hold up a GPU (a query must see every fragment before it counts). Session 12 found llvmpipe's occlusion
         * queries now and then returning garbage for the canvas pass's scissored draws in a pipelined run (a random
         * test scene: 402,109 pixels "inside the image" for a box wholly above it, another count in the next run);
         * the shader's own count cannot go wrong that way.
         */
        ATOMICS,
        /**
         * An occlusion query (GL_SAMPLES_PASSED) around each draw; the canvas pass draws each instance twice, first
         * scissored to the image, so that two queries count the pixels inside and outside it. On llvmpipe the
         * coverage passes take a little less time than with ATOMICS (4.4 to 4.5 against 4.8 to 4.9 ms per urban frame,
         * counted per subgroup), but see above.
         */
        QUERIES;

        /** The system property that chooses one: {@code -Droadsynth.coverage=atomics|queries}; atomics if unset. */
        static final String PROPERTY = "roadsynth.coverage";

        static Counting fromProperty() {
            return Gl.choice(PROPERTY, Counting.class);
        }

        /**
         * Counters per slot: min x, min y, max x, max y of the covered pixels (canvas coordinates); then with ATOMICS
         * the pixels inside and outside the image.
         */
        int stats() {
            return this == ATOMICS ? 6 : 4;
        }
    }

    /**
     * How the passes issue their draws. Both count the same pixels (tested against the CPU reference and against
     * each other); docs/gpu.md.
     */
    enum Draws {
        /**
         * One draw per instance, each with a stencil value of its own, so that each covered pixel passes the stencil
         * once per instance. The default.
         */
        EACH,
        /**
         * One {@code glMultiDrawElements} per 32 instances of a pass, the shader telling them apart by
         * {@code gl_DrawIDARB}: each covered pixel counts once per instance through a bit of its own in a mask image
         * per pixel ({@code imageAtomicOr} returns the bits set before, so exactly one fragment of an instance finds
         * its bit clear, in whatever order fragments run), cleared before each call. For drivers whose own work per
         * draw and state change is what costs: a 1024x512 urban frame has about 38 instance draws in the image pass
         * and a dozen more on the canvas, each with its stencil value and slot set, and on an H100 the passes added
         * about 1.3 ms a frame to the render thread's first call that waits for the driver (sessions 8 and 15).
         * Needs counting by {@link Counting#ATOMICS}, ARB_shader_draw_parameters and OpenGL 4.4's
         * {@code glClearTexSubImage}; where any is missing, {@link #EACH}.
         */
        MULTI;

        /** The system property that chooses one: {@code -Droadsynth.coverageDraws=each|multi}; each if unset. */
        static final String PROPERTY = "roadsynth.coverageDraws";

        static Draws fromProperty() {
            return Gl.choice(PROPERTY, Draws.class);
        }
    }

    /** Instances per multi-draw: one bit each in the mask image's 32-bit texels. */
    static final int MULTI_BATCH = 32;

    private final Counting counting;
    /** With ATOMICS: whether the shader counts per subgroup (see {@link #perSubgroup}) or per pixel. */
    private final boolean subgroups;
    /** Whether the passes multi-draw ({@link Draws#MULTI}, where the context offers it) or draw each instance. */
    private final boolean multi;
    /**
     * With {@link Draws#MULTI}: the mask image (GL_R32UI), a bit per instance of a multi-draw per pixel, as large as
     * the largest target so far; 0 until first needed.
     */
    private int mask;
    private int maskWidth;
    private int maskHeight;
    private final int program;
    private final int uProjection;
    private final int uSlot;
    /** With {@link Draws#MULTI}: the slots of a multi-draw's groups, by draw; -1 otherwise. */
    private final int uSlots;
    /** With ATOMICS: where the image lies on the bound target (see coverage.frag); -1 otherwise. */
    private final int uImage;
    /** Stencil-only framebuffers: the image's size, and the canvas's. */
    private final StencilTarget imageStencil = new StencilTarget();
    private final StencilTarget canvasStencil = new StencilTarget();
    /** The instance groups' indices, bound to the scene's vertex array during the passes. */
    private final int ebo;
    /** One counter buffer per readback slot, so a frame's counters wait for its fence, not for the GPU now. */
    private final int[] ssbos;
    /** Per readback slot, the occlusion queries that count its passes' pixels (grown as needed). */
    private final int[][] queries;
    private final int vao;
    private final int sceneEbo;
    private final boolean reversedDepth;
    private final BufferUploads uploads;
    /** The smaller of GL_MAX_VIEWPORT_DIMS' width and height, in pixels: bounds the canvas. */
    private final int maxViewport;

    /**
     * @param slots         readback slots (frames whose passes may be in flight at once)
     * @param vao           the scene's vertex array, whose vertex buffer holds the frame's upload
     * @param sceneEbo      the scene's index buffer, bound back to {@code vao} after the passes
     * @param reversedDepth whether the renderer's projection maps depth reversed
     * @param uploads       how the per-frame indices are uploaded (the renderer's, with its usage hint)
     * @param maxViewport   the smaller of GL_MAX_VIEWPORT_DIMS' two values
     * @param counting      how pixels are counted
     * @param draws         how the passes issue their draws (multi-draws only where the context offers them)
     * @param caps          the context's capabilities (whether ATOMICS can count per subgroup, whether it multi-draws)
     */
    CoveragePasses(int slots, int vao, int sceneEbo, boolean reversedDepth, BufferUploads uploads, int maxViewport,
                   Counting counting, Draws draws, org.lwjgl.opengl.GLCapabilities caps) {
        this.counting = counting;
        // The shader's variant: multi-drawn where asked and offered (Draws), counting per subgroup (one atomic per
        // group of invocations) where offered, else per pixel (Counting.ATOMICS). A variant that a driver naming the
        // extensions fails to compile is passed over for the next, since each only saves time; the plain one's
        // failure is thrown.
        boolean wantMulti = multiDraws(counting, draws, caps);
        boolean wantBallot = perSubgroup(counting, caps);
        String count = counting == Counting.ATOMICS ? "#define COUNT\n" : "";
        List<Variant> variants = new ArrayList<>(); // the most wanted first
        if (wantMulti && wantBallot) {
            variants.add(new Variant(true, true));
        }
        if (wantMulti) {
            variants.add(new Variant(true, false));
        }
        if (wantBallot) {
            variants.add(new Variant(false, true));
        }
        int linked = 0;
        Variant chosen = new Variant(false, false);
        for (Variant v : variants) {
            try {
                linked = Gl.program("coverage", count + (v.perSubgroup() ? ballotDefines : "")
                        + (v.multiDrawn() ? multiDefines : ""));
                chosen = v;
                break;
            } catch (RenderException e) {
                // the next variant
            }
        }
        this.multi = chosen.multiDrawn();
        this.subgroups = chosen.perSubgroup();
        this.program = linked != 0 ? linked : Gl.program("coverage", count);
        this.uProjection = glGetUniformLocation(program, "uProjection");
        this.uSlot = glGetUniformLocation(program, "uSlot");
        this.uSlots = multi ? glGetUniformLocation(program, "uSlots") : -1;
        this.uImage = glGetUniformLocation(program, "uImage");
        this.ebo = glGenBuffers();
        this.ssbos = new int[slots];
        glGenBuffers(ssbos);
        this.queries = new int[slots][0];
        this.vao = vao;
        this.sceneEbo = sceneEbo;
        this.reversedDepth = reversedDepth;
        this.uploads = uploads;
        this.maxViewport = maxViewport;
    }

    /** A variant of the coverage shader beyond the plain one (see the constructor). */
    private record Variant(boolean multiDrawn, boolean perSubgroup) {
    }

    /** The per-subgroup variants' define; tests add an {@code #error} to see the fallback to per-pixel counting. */
    static volatile String ballotDefines = "#define BALLOT\n";

    /** The multi-draw variants' define; tests add an {@code #error} to see the fallback to a draw per instance. */
    static volatile String multiDefines = "#define MULTI\n";

    /** Whether these passes multi-draw (asked, offered, and the variant's shader compiled). */
    boolean multiDrawn() {
        return multi;
    }

    /**
     * How this counts pixels: "queries", "atomics per subgroup" or "atomics per pixel", the last two followed by
     * ", multi-drawn" with {@link Draws#MULTI}.
     */
    String counting() {
        return counting == Counting.QUERIES ? "queries"
                : (subgroups ? "atomics per subgroup" : "atomics per pixel") + (multi ? ", multi-drawn" : "");
    }

    /**
     * Whether the passes multi-draw: {@link Draws#MULTI} asked for, counting by {@link Counting#ATOMICS} (queries
     * count per draw), and the context offering {@code gl_DrawIDARB} and {@code glClearTexSubImage}.
     */
    static boolean multiDraws(Counting counting, Draws draws, org.lwjgl.opengl.GLCapabilities caps) {
        return draws == Draws.MULTI && counting == Counting.ATOMICS
                && (caps.OpenGL46 || caps.GL_ARB_shader_draw_parameters) && caps.OpenGL44;
    }

    /** Tests set this false to run the per-pixel atomics that drivers without ARB_shader_ballot get. */
    static volatile boolean allowBallot = true;

    /**
     * Whether ATOMICS counts per subgroup: where the driver offers ARB_shader_ballot, ARB_gpu_shader_int64 and
     * ARB_ES3_1_compatibility (for gl_HelperInvocation), as llvmpipe and NVIDIA do. On llvmpipe this brought the
     * coverage passes from 7.1 to 8.0 ms per urban frame down to 4.8 to 4.9, beside 4.4 to 4.5 with queries.
     */
    static boolean perSubgroup(Counting counting, org.lwjgl.opengl.GLCapabilities caps) {
        return allowBallot && counting == Counting.ATOMICS && caps.GL_ARB_shader_ballot && caps.GL_ARB_gpu_shader_int64
                && caps.GL_ARB_ES3_1_compatibility;
    }

    /**
     * What the passes left in counter buffer and query set {@code slot}: the instance ids in slot order, which of
     * them lie inside the image (not drawn on the canvas: their canvas figures are their image figures) and the
     * margin.
     */
    record Job(int slot, List<Integer> ids, boolean[] inside, int margin) {
    }

    /**
     * Issues the passes for a scene whose vertices are in the vertex array's buffer (the draw's upload) into counter
     * buffer and query set {@code slot}; {@link #read} reads them back.
     */
    Job issue(Scene scene, PackedScene packed, int slot) {
        int w = scene.width();
        int h = scene.height();
        int margin = Math.max(0, Math.min(Math.max(w, h), (Math.min(maxViewport, 16384) - Math.max(w, h)) / 2));
        int cw = w + 2 * margin;
        int ch = h + 2 * margin;
        imageStencil.resize(w, h);
        canvasStencil.resize(cw, ch);
        var k = scene.camera().intrinsics();
        var canvas = new Intrinsics(k.fx(), k.fy(), k.cx() + margin, k.cy() + margin, cw, ch, k.near(), k.far());
        PackedScene.InstanceGroups groups = packed.instanceGroups(scene);
        int n = groups.ids().length;
        if (n == 0) {
            return new Job(slot, List.of(), new boolean[0], margin);
        }
        int stride = counting.stats();
        if (counting == Counting.QUERIES) {
            ensureQueries(slot, 3 * n);
        }
        try {
            glBindVertexArray(vao);
            glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, ebo);
            uploads.put(GL_ELEMENT_ARRAY_BUFFER, ebo, groups.indices());
            glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 0, ssbos[slot]);
            IntBuffer counters = MemoryUtil.memCallocInt(2 * n * stride);
            for (int i = 0; i < 2 * n; i++) {
                counters.put(i * stride, -1).put(i * stride + 1, -1); // unsigned maximum, for atomicMin
            }
            try { // as the geometry goes in (a size per frame, or storage kept)
                uploads.put(GL_SHADER_STORAGE_BUFFER, ssbos[slot], counters, GL_STREAM_READ);
            } finally {
                MemoryUtil.memFree(counters);
            }
            glDisable(GL_DEPTH_TEST);
            if (!multi) {
                glEnable(GL_STENCIL_TEST);
            } else {
                ensureMask(cw, ch);
                org.lwjgl.opengl.GL42C.glBindImageTexture(0, mask, 0, false, 0, GL_READ_WRITE, GL_R32UI);
            }
            // As in the main pass, so that an instance's visible pixels stay a subset of its coverage.
            GlRenderer.cullBackFaces(GlRenderer.IMAGE_FRONT_FACE);
            glStencilMask(0xff);
            glStencilOp(GL_KEEP, GL_KEEP, GL_REPLACE);
            // Pass 1 on the image itself, with the frame's own projection and viewport, so that it rasterizes
            // exactly as the frame did: visible pixels are then always a subset of these. Pass 2 on the
            // canvas, for what lies outside the image.
            pass(imageStencil, groups, k, w, h, w, h, 0, 0, null, queries[slot]);
            // An instance inside the image with a margin covers nothing outside it: the canvas would count the
            // same pixels again, shifted by the margin.
            pass(canvasStencil, groups, canvas, cw, ch, w, h, margin, n, groups.inside(), queries[slot]);
            glMemoryBarrier(GL_BUFFER_UPDATE_BARRIER_BIT);
        } finally {
            glDisable(GL_CULL_FACE);
            glDisable(GL_STENCIL_TEST);
            glEnable(GL_DEPTH_TEST);
            glBindVertexArray(vao);
            glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, sceneEbo);
        }
        // No glGetError here: on NVIDIA's driver it waits until the driver has taken in every call so far (47% of
        // the render thread's samples in native code, at 157 samples/s on an H100). Errors stay set until read,
        // and the frame's collection reads them once its fence has passed.
        return new Job(slot, Arrays.stream(groups.ids()).boxed().toList(), groups.inside(), margin);
    }

    /**
     * Whether a job's results are all in its counter buffer ({@link #counterBuffer}), so that they can travel with the
     * frame's readback and be turned into coverages by {@link #parse} on any thread: with ATOMICS; with QUERIES the
     * query results are read on the context's thread ({@link #read}).
     */
    boolean countsInBuffer() {
        return counting == Counting.ATOMICS;
    }

    /** The buffer holding {@code job}'s counters once its passes have run (its first {@link #counterBytes} bytes). */
    int counterBuffer(Job job) {
        return ssbos[job.slot()];
    }

    /** Bytes of {@code job}'s counters: two ints of bounds per corner and the counts, per instance and pass. */
    int counterBytes(Job job) {
        return 2 * job.ids().size() * counting.stats() * Integer.BYTES;
    }

    /** Reads a job's counters and query results (at once when its frame's fence has passed) into coverages. */
    List<Coverage> read(Job job) {
        int[] stats = new int[counterBytes(job) / Integer.BYTES];
        if (stats.length == 0) {
            return List.of();
        }
        glBindBuffer(GL_SHADER_STORAGE_BUFFER, ssbos[job.slot()]);
        glGetBufferSubData(GL_SHADER_STORAGE_BUFFER, 0, stats);
        Gl.check("amodal coverage readback");
        return parse(job, stats);
    }

    /**
     * The coverages of {@code job} from its counters ({@code stats}, as {@link #counterBuffer} held them); with
     * QUERIES also reads the query results (the context's thread only), with ATOMICS touches no GL (any thread).
     */
    List<Coverage> parse(Job job, int[] stats) {
        List<Coverage> out = new ArrayList<>();
        int n = job.ids().size();
        if (n == 0) {
            return out;
        }
        int margin = job.margin();
        int stride = counting.stats();
        // With queries, query slot holds the image pass's count, n + 2 * slot and n + 2 * slot + 1 the canvas pass's
        // inside and outside the image; with atomics the counters after each slot's bounds hold them.
        boolean atomics = counting == Counting.ATOMICS;
        int[] q = queries[job.slot()];
        int slot = 0;
        for (int id : job.ids()) {
            int a = slot * stride;
            int b = (n + slot) * stride;
            long imagePixels = atomics ? Integer.toUnsignedLong(stats[a + 4]) + Integer.toUnsignedLong(stats[a + 5])
                    : Integer.toUnsignedLong(glGetQueryObjectui(q[slot], GL_QUERY_RESULT));
            Box2 imageBox = imagePixels == 0 ? null
                    : new Box2(stats[a], stats[a + 1], stats[a + 2] + 1, stats[a + 3] + 1);
            boolean inside = job.inside()[slot];
            long canvasInside = inside ? imagePixels
                    : atomics ? Integer.toUnsignedLong(stats[b + 4])
                    : Integer.toUnsignedLong(glGetQueryObjectui(q[n + 2 * slot], GL_QUERY_RESULT));
            long canvasPixels = inside ? imagePixels
                    : canvasInside + (atomics ? Integer.toUnsignedLong(stats[b + 5])
                    : Integer.toUnsignedLong(glGetQueryObjectui(q[n + 2 * slot + 1], GL_QUERY_RESULT)));
            Box2 canvasBox = inside ? imageBox : canvasPixels == 0 ? null
                    : new Box2(stats[b] - margin, stats[b + 1] - margin, stats[b + 2] - margin + 1, stats[b + 3] - margin + 1);
            out.add(new Coverage(id, imagePixels, imageBox, canvasPixels, canvasInside, canvasBox, margin));
            slot++;
        }
        return out;
    }

    /**
     * One coverage pass: each group drawn alone, each pixel it covers passing the stencil test once, its bounds into
     * stats slots slotBase.. and its pixel count into an occlusion query (counting with queries instead of shader
     * atomics took a third off the coverage passes on llvmpipe). The image pass (slotBase 0) uses query slot;
     * the canvas pass (slotBase n) draws each group twice, first scissored to the image (query n + 2 * slot: pixels inside
     * it), then on the whole canvas (query n + 2 * slot + 1: the rest, since the stencil now holds the first). With
     * {@link Counting#ATOMICS} each group is drawn once and the shader counts, inside and outside the image.
     */
    private void pass(StencilTarget target, PackedScene.InstanceGroups groups, Intrinsics k,
                      int width, int height, int imageWidth, int imageHeight, int margin, int slotBase,
                      boolean[] skip, int[] slotQueries) {
        glBindFramebuffer(GL_FRAMEBUFFER, target.fbo);
        glUseProgram(program);
        glViewport(0, 0, width, height);
        try (MemoryStack stack = MemoryStack.stackPush()) {
            glUniformMatrix4fv(uProjection, false,
                    Projection.of(k, reversedDepth).get(stack.mallocFloat(16)));
        }
        boolean atomics = counting == Counting.ATOMICS;
        if (atomics) {
            glUniform4ui(uImage, margin, margin, margin + imageWidth, margin + imageHeight);
        }
        if (multi) {
            multiDraw(width, height, groups, slotBase, skip);
            return;
        }
        boolean canvas = slotBase > 0; // the canvas pass's slots follow the image pass's n
        int n = groups.counts().length;
        long offset = 0;
        int slot = 0;
        for (int count : groups.counts()) {
            if (skip == null || !skip[slot]) {
                glStencilFunc(GL_NOTEQUAL, target.nextRef(), 0xff);
                glUniform1ui(uSlot, slotBase + slot);
                if (atomics) {
                    glDrawElements(GL_TRIANGLES, count, GL_UNSIGNED_INT, offset * 4);
                } else if (canvas) {
                    glEnable(GL_SCISSOR_TEST);
                    glScissor(margin, margin, imageWidth, imageHeight);
                    glBeginQuery(GL_SAMPLES_PASSED, slotQueries[n + 2 * slot]);
                    glDrawElements(GL_TRIANGLES, count, GL_UNSIGNED_INT, offset * 4);
                    glEndQuery(GL_SAMPLES_PASSED);
                    glDisable(GL_SCISSOR_TEST);
                    glBeginQuery(GL_SAMPLES_PASSED, slotQueries[n + 2 * slot + 1]);
                    glDrawElements(GL_TRIANGLES, count, GL_UNSIGNED_INT, offset * 4);
                    glEndQuery(GL_SAMPLES_PASSED);
                } else {
                    glBeginQuery(GL_SAMPLES_PASSED, slotQueries[slot]);
                    glDrawElements(GL_TRIANGLES, count, GL_UNSIGNED_INT, offset * 4);
                    glEndQuery(GL_SAMPLES_PASSED);
                }
            }
            offset += count;
            slot++;
        }
    }

    /**
     * One pass's draws with {@link Draws#MULTI}: the groups drawn, in runs of up to {@link #MULTI_BATCH}, each run one
     * {@code glMultiDrawElements} after the mask image's {@code width} x {@code height} corner is cleared, with the
     * slots of its groups in {@code uSlots} (the shader's {@code gl_DrawIDARB} indexes them). Groups skipped or
     * without triangles are left out of the runs, not drawn with no indices: on Mesa here, with such draws in a
     * multi-draw the canvas pass's counts came out wrong (CoverageTest's groups), as if {@code gl_DrawIDARB} skipped
     * them.
     */
    private void multiDraw(int width, int height, PackedScene.InstanceGroups groups, int slotBase, boolean[] skip) {
        int[] counts = groups.counts();
        long offset = 0;
        try (MemoryStack stack = MemoryStack.stackPush()) {
            java.nio.IntBuffer runCounts = stack.mallocInt(MULTI_BATCH);
            org.lwjgl.PointerBuffer runOffsets = stack.mallocPointer(MULTI_BATCH);
            java.nio.IntBuffer runSlots = stack.mallocInt(MULTI_BATCH);
            for (int i = 0; i < counts.length; i++) {
                if ((skip == null || !skip[i]) && counts[i] > 0) {
                    runCounts.put(counts[i]);
                    runOffsets.put(offset * Integer.BYTES);
                    runSlots.put(slotBase + i);
                }
                offset += counts[i];
                if (runCounts.position() == MULTI_BATCH || (i == counts.length - 1 && runCounts.position() > 0)) {
                    // The previous run's (or frame's) atomics on the mask finish before the clear overwrites it;
                    // the clear is ordered before the draws that follow it, as any GL command is.
                    glMemoryBarrier(GL_TEXTURE_UPDATE_BARRIER_BIT);
                    org.lwjgl.opengl.GL44C.glClearTexSubImage(mask, 0, 0, 0, 0, width, height, 1, GL_RED_INTEGER,
                            GL_UNSIGNED_INT, (java.nio.ByteBuffer) null);
                    glUniform1uiv(uSlots, runSlots.flip());
                    glMultiDrawElements(GL_TRIANGLES, runCounts.flip(), GL_UNSIGNED_INT, runOffsets.flip());
                    runCounts.clear();
                    runOffsets.clear();
                    runSlots.clear();
                }
            }
        }
    }

    /** A mask image of at least {@code w} x {@code h} (made, or made again larger, as needed). */
    private void ensureMask(int w, int h) {
        if (mask != 0 && w <= maskWidth && h <= maskHeight) {
            return;
        }
        if (mask != 0) {
            glDeleteTextures(mask);
        }
        maskWidth = Math.max(w, maskWidth);
        maskHeight = Math.max(h, maskHeight);
        mask = glGenTextures();
        glBindTexture(GL_TEXTURE_2D, mask);
        glTexStorage2D(GL_TEXTURE_2D, 1, GL_R32UI, maskWidth, maskHeight);
        glBindTexture(GL_TEXTURE_2D, 0);
    }

    /**
     * A stencil-only framebuffer for the coverage passes. The image pass has one of the image's size and the canvas
     * pass one of the canvas's: llvmpipe records every query begin and end in every 64x64 tile of the bound
     * framebuffer, so on the canvas (the image with a margin of its longer side all round: 1,920 tiles for a
     * 1024x512 image against 128) the image pass's queries cost fifteen times as much.
     */
    private static final class StencilTarget {
        final int fbo = glGenFramebuffers();
        final int renderbuffer = glGenRenderbuffers();
        int width;
        int height;
        /** The last stencil value handed out; 255: the stencil must be cleared first. */
        int ref = 255;

        /** Makes this target {@code w} x {@code h} (new storage has undefined contents: cleared before first use). */
        void resize(int w, int h) {
            if (w == width && h == height) {
                return;
            }
            glBindRenderbuffer(GL_RENDERBUFFER, renderbuffer);
            glRenderbufferStorage(GL_RENDERBUFFER, GL_STENCIL_INDEX8, w, h);
            glBindFramebuffer(GL_FRAMEBUFFER, fbo);
            glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_STENCIL_ATTACHMENT, GL_RENDERBUFFER, renderbuffer);
            glDrawBuffer(GL_NONE);
            glReadBuffer(GL_NONE);
            Gl.requireComplete("coverage framebuffer " + w + "x" + h);
            width = w;
            height = h;
            ref = 255;
        }

        /**
         * A stencil value that no pixel of this target holds, for the next draw to mark its pixels with (so that each
         * pixel passes once per draw): 1, 2, ... 255 across passes and frames, with a clear (of the bound target;
         * scissor is off between draws) only when they run out.
         */
        int nextRef() {
            if (ref == 255) {
                glClear(GL_STENCIL_BUFFER_BIT);
                ref = 0;
            }
            return ++ref;
        }

        void delete() {
            glDeleteFramebuffers(fbo);
            glDeleteRenderbuffers(renderbuffer);
        }
    }

    /** At least {@code count} query objects for readback slot {@code slot}. */
    private void ensureQueries(int slot, int count) {
        int[] have = queries[slot];
        if (have.length < count) {
            int[] more = new int[Math.max(count, 2 * have.length) - have.length];
            glGenQueries(more);
            int[] all = Arrays.copyOf(have, have.length + more.length);
            System.arraycopy(more, 0, all, have.length, more.length);
            queries[slot] = all;
        }
    }

    @Override
    public void close() {
        glDeleteProgram(program);
        if (mask != 0) {
            glDeleteTextures(mask);
        }
        imageStencil.delete();
        canvasStencil.delete();
        glDeleteBuffers(ebo);
        glDeleteBuffers(ssbos);
        for (int[] q : queries) {
            if (q.length > 0) {
                glDeleteQueries(q);
            }
        }
    }
}
