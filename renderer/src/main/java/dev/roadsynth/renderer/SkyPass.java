package dev.roadsynth.renderer;

import static org.lwjgl.opengl.GL33C.*;

import dev.roadsynth.scenes.Environment;
import dev.roadsynth.scenes.Scene;
import org.joml.Matrix3f;
import org.lwjgl.system.MemoryStack;

/**
 * The sky gradient from zenith to horizon colour behind everything, written to all four targets (the background
 * class, instance 0, no depth) where no object is, without depth writes: one triangle covering the image. Owns its
 * program; confined to the renderer's context thread, like {@link GlRenderer}.
 */
final class SkyPass implements AutoCloseable {
    private final int program;
    private final int uIntrinsics;
    private final int uCameraToWorld;
    private final int uZenith;
    private final int uHorizon;
    private final int uBackgroundClass;
    private final int uClipZ;
    private final boolean reversedDepth;

    /** Sets up the program on the current context; {@code reversedDepth}: as the renderer's depth mapping. */
    SkyPass(boolean reversedDepth) {
        this.reversedDepth = reversedDepth;
        this.program = Gl.program("sky", "");
        this.uIntrinsics = glGetUniformLocation(program, "uIntrinsics");
        this.uCameraToWorld = glGetUniformLocation(program, "uCameraToWorld");
        this.uZenith = glGetUniformLocation(program, "uZenith");
        this.uHorizon = glGetUniformLocation(program, "uHorizon");
        this.uBackgroundClass = glGetUniformLocation(program, "uBackgroundClass");
        this.uClipZ = glGetUniformLocation(program, "uClipZ");
    }

    /** Whether the sky is a gradient drawn by this pass (else the targets are cleared to its one colour). */
    static boolean gradient(Environment env) {
        return !env.skyZenith().equals(env.skyHorizon());
    }

    /**
     * Draws the sky into the bound framebuffer, after the objects (so that early depth testing shades only the pixels
     * no object covered); {@code vao}: any vertex array (the triangle comes from the vertex ids).
     */
    void draw(Scene scene, int vao, MemoryStack stack) {
        var k = scene.camera().intrinsics();
        Environment env = scene.environment();
        glUseProgram(program);
        glUniform4f(uIntrinsics, (float) k.fx(), (float) k.fy(), (float) k.cx(), (float) k.cy());
        Matrix3f cameraToWorld = scene.camera().worldToCamera().get3x3(new Matrix3f()).transpose();
        glUniformMatrix3fv(uCameraToWorld, false, cameraToWorld.get(stack.mallocFloat(9)));
        glUniform3f(uZenith, env.skyZenith().r() / 255f, env.skyZenith().g() / 255f, env.skyZenith().b() / 255f);
        glUniform3f(uHorizon, env.skyHorizon().r() / 255f, env.skyHorizon().g() / 255f, env.skyHorizon().b() / 255f);
        glUniform1ui(uBackgroundClass, scene.backgroundClassId());
        // The sky lies at the cleared depth value: it passes exactly where the depth buffer still holds it, that
        // is where no object's fragment was written (those passed a strict test against the clear value).
        glUniform1f(uClipZ, reversedDepth ? 0f : 1f);
        glDepthFunc(reversedDepth ? GL_GEQUAL : GL_LEQUAL);
        glDepthMask(false);
        glBindVertexArray(vao);
        glDrawArrays(GL_TRIANGLES, 0, 3);
        glDepthMask(true);
        glDepthFunc(reversedDepth ? GL_GREATER : GL_LESS);
    }

    @Override
    public void close() {
        glDeleteProgram(program);
    }
}
