package dev.roadsynth.renderer;

import static org.lwjgl.opengl.GL33C.*;

import dev.roadsynth.scenes.Environment;
import dev.roadsynth.scenes.Scene;
import java.nio.ByteBuffer;
import org.joml.Matrix4f;
import org.joml.Vector3f;
import org.lwjgl.system.MemoryStack;

/**
 * Falling rain streaks and snowflakes, placed from the scene's weather seed in the camera's view between 0.6 and
 * 25 m. Colour only: the label targets are masked off and only the colour target blends, so labels and depth stay
 * those of the geometry. Owns its program, vertex array and buffer; confined to the renderer's context thread, like
 * {@link GlRenderer}.
 */
final class ParticlePass implements AutoCloseable {
    private static final int STRIDE = 16;

    private final int program;
    private final int uProjection;
    private final int vao;
    private final int vbo;
    private final boolean reversedDepth;

    /** Sets up the pass's objects on the current context; {@code reversedDepth}: as the renderer's depth mapping. */
    ParticlePass(boolean reversedDepth) {
        this.reversedDepth = reversedDepth;
        this.program = Gl.program("particles", "");
        this.uProjection = glGetUniformLocation(program, "uProjection");
        this.vao = glGenVertexArrays();
        this.vbo = glGenBuffers();
        glBindVertexArray(vao);
        glBindBuffer(GL_ARRAY_BUFFER, vbo);
        glEnableVertexAttribArray(0);
        glVertexAttribPointer(0, 3, GL_FLOAT, false, STRIDE, 0);
        glEnableVertexAttribArray(2);
        glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, true, STRIDE, 12);
    }

    /** Whether the scene has falling rain or snow to draw. */
    static boolean wanted(Environment env) {
        return env.rainfall() > 0 || env.snowfall() > 0;
    }

    /**
     * Draws the scene's particles into the bound framebuffer's colour target (draw buffer 0), with its other
     * {@code targets - 1} draw buffers (the labels and depth) masked off; their vertices go in through
     * {@code uploads}, as the frame's geometry does.
     */
    void draw(Scene scene, int targets, BufferUploads uploads) {
        Environment env = scene.environment();
        var k = scene.camera().intrinsics();
        java.util.SplittableRandom rng = new java.util.SplittableRandom(env.weatherSeed());
        int streaks = Math.round(env.rainfall() * 4000);
        int flakes = Math.round(env.snowfall() * 2500);
        Vector3f down = new Matrix4f(scene.camera().worldToCamera()).transformDirection(new Vector3f(0, 0, -1)).normalize();
        ByteBuffer v = org.lwjgl.system.MemoryUtil.memAlloc((streaks + flakes) * 6 * STRIDE)
                .order(java.nio.ByteOrder.nativeOrder());
        try {
            for (int i = 0; i < streaks + flakes; i++) {
                boolean flake = i >= streaks;
                double z = 0.6 + Math.pow(rng.nextDouble(), 1.5) * 24.4;
                double x = (rng.nextDouble(-0.1, 1.1) * k.width() - k.cx()) / k.fx() * z;
                double y = (rng.nextDouble(-0.1, 1.1) * k.height() - k.cy()) / k.fy() * z;
                Vector3f p = new Vector3f((float) x, (float) y, (float) z);
                float pixel = (float) (z / k.fx());
                Vector3f along;
                Vector3f across;
                int rgba;
                if (flake) {
                    float r = Math.max(0.8f * pixel, (float) rng.nextDouble(0.003, 0.007));
                    along = new Vector3f(0, 2 * r, 0);
                    across = new Vector3f(2 * r, 0, 0);
                    p.sub(r, r, 0);
                    rgba = 0xff | (0xf8 << 8) | (0xf8 << 16) | (0xe0 << 24);
                } else {
                    along = new Vector3f(down).mul((float) rng.nextDouble(0.25, 0.55)).add(0.03f, 0, 0);
                    across = new Vector3f(1.2f * pixel, 0, 0);
                    rgba = 0xc8 | (0xcd << 8) | (0xd7 << 16) | (0x5a << 24);
                }
                Vector3f[] quad = {new Vector3f(p), new Vector3f(p).add(across), new Vector3f(p).add(across).add(along),
                        new Vector3f(p), new Vector3f(p).add(across).add(along), new Vector3f(p).add(along)};
                for (Vector3f q : quad) {
                    v.putFloat(q.x).putFloat(q.y).putFloat(q.z).putInt(rgba);
                }
            }
            v.flip();
            glBindVertexArray(vao);
            glBindBuffer(GL_ARRAY_BUFFER, vbo);
            uploads.put(GL_ARRAY_BUFFER, vbo, v);
        } finally {
            org.lwjgl.system.MemoryUtil.memFree(v);
        }
        glUseProgram(program);
        try (MemoryStack stack = MemoryStack.stackPush()) {
            glUniformMatrix4fv(uProjection, false, Projection.of(k, reversedDepth).get(stack.mallocFloat(16)));
        }
        for (int i = 1; i < targets; i++) {
            glColorMaski(i, false, false, false, false);
        }
        glDepthMask(false);
        glEnablei(GL_BLEND, 0);
        glBlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
        glDrawArrays(GL_TRIANGLES, 0, (streaks + flakes) * 6);
        glDisablei(GL_BLEND, 0);
        glDepthMask(true);
        for (int i = 1; i < targets; i++) {
            glColorMaski(i, true, true, true, true);
        }
    }

    @Override
    public void close() {
        glDeleteProgram(program);
        glDeleteBuffers(vbo);
        glDeleteVertexArrays(vao);
    }
}
