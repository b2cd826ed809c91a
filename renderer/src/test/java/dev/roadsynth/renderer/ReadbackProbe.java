package dev.roadsynth.renderer;

import static org.lwjgl.opengl.GL33C.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * A measurement tool, not a test: how long glReadPixels into a pixel buffer object takes per target format on
 * the current device, with and without copying the mapped bytes into Java arrays. Run with
 * {@code java -cp ... dev.roadsynth.renderer.ReadbackProbe [WIDTHxHEIGHT] [frames]}.
 */
public final class ReadbackProbe {
    private ReadbackProbe() {
    }

    public static void main(String[] args) {
        String[] size = (args.length > 0 ? args[0] : "1024x512").split("x");
        int w = Integer.parseInt(size[0]);
        int h = Integer.parseInt(size[1]);
        int frames = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        try (EglContext ctx = EglContext.create(GpuSelection.AUTO)) {
            System.out.println("probe on " + ctx.description() + " at " + w + "x" + h);
            int[] tex = new int[3];
            glGenTextures(tex);
            int[][] fmt = {{GL_RGBA8, GL_RGBA, GL_UNSIGNED_BYTE}, {GL_R32UI, GL_RED_INTEGER, GL_UNSIGNED_INT}, {GL_R32F, GL_RED, GL_FLOAT}};
            int fbo = glGenFramebuffers();
            glBindFramebuffer(GL_FRAMEBUFFER, fbo);
            for (int i = 0; i < 3; i++) {
                glBindTexture(GL_TEXTURE_2D, tex[i]);
                glTexImage2D(GL_TEXTURE_2D, 0, fmt[i][0], w, h, 0, fmt[i][1], fmt[i][2], (ByteBuffer) null);
                glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0 + i, GL_TEXTURE_2D, tex[i], 0);
            }
            glPixelStorei(GL_PACK_ALIGNMENT, 1);
            int pbo = glGenBuffers();
            glBindBuffer(GL_PIXEL_PACK_BUFFER, pbo);
            long bytes = (long) w * h * 4;
            glBufferData(GL_PIXEL_PACK_BUFFER, bytes, GL_STREAM_READ);
            Object[][] cases = {
                    {"RGBA8 as RGB/ubyte", 0, GL_RGB, GL_UNSIGNED_BYTE, 3},
                    {"RGBA8 as RGBA/ubyte", 0, GL_RGBA, GL_UNSIGNED_BYTE, 4},
                    {"RGBA8 as BGRA/ubyte", 0, GL_BGRA, GL_UNSIGNED_BYTE, 4},
                    {"R32UI as RED_INTEGER/uint", 1, GL_RED_INTEGER, GL_UNSIGNED_INT, 4},
                    {"R32F as RED/float", 2, GL_RED, GL_FLOAT, 4}};
            byte[] heap = new byte[(int) bytes];
            for (Object[] c : cases) {
                glReadBuffer(GL_COLOR_ATTACHMENT0 + (int) c[1]);
                for (boolean copy : new boolean[] {false, true}) {
                    double best = Double.MAX_VALUE;
                    for (int run = 0; run < 3; run++) {
                        long t0 = System.nanoTime();
                        for (int f = 0; f < frames; f++) {
                            glReadPixels(0, 0, w, h, (int) c[2], (int) c[3], 0L);
                            long fence = glFenceSync(GL_SYNC_GPU_COMMANDS_COMPLETE, 0);
                            glClientWaitSync(fence, GL_SYNC_FLUSH_COMMANDS_BIT, 5_000_000_000L);
                            glDeleteSync(fence);
                            if (copy) {
                                int n = w * h * (int) c[4];
                                ByteBuffer m = glMapBufferRange(GL_PIXEL_PACK_BUFFER, 0, n, GL_MAP_READ_BIT);
                                m.order(ByteOrder.nativeOrder()).get(0, heap, 0, n);
                                glUnmapBuffer(GL_PIXEL_PACK_BUFFER);
                            }
                        }
                        best = Math.min(best, (System.nanoTime() - t0) / 1e6 / frames);
                    }
                    System.out.printf(Locale.ROOT, "  %-28s %-12s %7.3f ms%n", c[0], copy ? "+map+copy" : "readback", best);
                }
            }
            int err = glGetError();
            System.out.println("  GL error after probe: 0x" + Integer.toHexString(err));
            glDeleteBuffers(pbo);
            glDeleteFramebuffers(fbo);
            glDeleteTextures(tex);
        }
    }
}
