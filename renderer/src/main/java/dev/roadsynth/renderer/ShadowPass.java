package dev.roadsynth.renderer;

import static org.lwjgl.opengl.GL33C.*;

import dev.roadsynth.scenes.Scene;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import org.joml.Matrix4f;
import org.joml.Vector3f;
import org.lwjgl.system.MemoryStack;

/**
 * The sun's shadow map: the scene's shadow casters drawn depth-only, seen along the sun's rays, into a
 * {@value #SIZE}-texel square depth texture covering {@value #HALF_EXTENT} m either side of a point ahead of the
 * camera, which the scene pass then samples with a comparison sampler. Owns its program, texture, framebuffer and
 * the casters' index buffer; confined to the renderer's context thread, like {@link GlRenderer}.
 */
final class ShadowPass implements AutoCloseable {
    /** Shadow map side in texels. */
    static final int SIZE = 2048;
    /** Metres the map covers either side of its centre. */
    static final float HALF_EXTENT = 90f;

    private final int program;
    private final int uLightFromCamera;
    private final int map;
    private final int casterIndices;
    private final int fbo;
    private final boolean reversedDepth;

    /** Sets up the pass's objects on the current context; {@code reversedDepth}: as the renderer's depth mapping. */
    ShadowPass(boolean reversedDepth) {
        this.reversedDepth = reversedDepth;
        this.program = Gl.program("shadow", "");
        this.uLightFromCamera = glGetUniformLocation(program, "uLightFromCamera");
        this.map = glGenTextures();
        glBindTexture(GL_TEXTURE_2D, map);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_DEPTH_COMPONENT32F, SIZE, SIZE, 0, GL_DEPTH_COMPONENT, GL_FLOAT, (ByteBuffer) null);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_COMPARE_MODE, GL_COMPARE_REF_TO_TEXTURE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_COMPARE_FUNC, GL_LEQUAL);
        this.casterIndices = glGenBuffers();
        this.fbo = glGenFramebuffers();
        glBindFramebuffer(GL_FRAMEBUFFER, fbo);
        glFramebufferTexture2D(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_TEXTURE_2D, map, 0);
        glDrawBuffer(GL_NONE);
        glReadBuffer(GL_NONE);
        Gl.requireComplete("shadow map framebuffer");
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
    }

    /**
     * Camera frame to the shadow pass's clip space: an orthographic view along the sun's rays of a square
     * {@value #HALF_EXTENT} m either side of a point 60 m ahead of the camera.
     */
    Matrix4f lightFromCamera(Scene scene) {
        Matrix4f cameraToWorld = new Matrix4f(scene.camera().worldToCamera()).invertAffine();
        Vector3f eye = cameraToWorld.getTranslation(new Vector3f());
        Vector3f forward = cameraToWorld.transformDirection(new Vector3f(0, 0, 1));
        forward.z = 0;
        if (forward.lengthSquared() < 1e-6f) {
            forward.set(1, 0, 0);
        }
        Vector3f centre = new Vector3f(eye).add(forward.normalize().mul(HALF_EXTENT * 0.65f));
        centre.z = 0;
        Vector3f toSun = new Vector3f(scene.light().towardsSun());
        Vector3f up = Math.abs(toSun.z) > 0.99f ? new Vector3f(1, 0, 0) : new Vector3f(0, 0, 1);
        Matrix4f view = new Matrix4f().lookAt(new Vector3f(centre).add(new Vector3f(toSun).mul(400)), centre, up);
        Matrix4f proj = new Matrix4f().setOrtho(-HALF_EXTENT, HALF_EXTENT, -HALF_EXTENT, HALF_EXTENT, 1, 800,
                reversedDepth);
        return proj.mul(view).mul(cameraToWorld);
    }

    /**
     * Draws the casters (indices into the vertices bound to {@code vao}) into the map; their index buffer is bound
     * to the VAO for this pass only, {@code sceneIndices} again afterwards; they go in as {@code uploads} says. Leaves
     * this pass's framebuffer bound.
     */
    void draw(Matrix4f lightFromCamera, IntBuffer casters, int vao, int sceneIndices, BufferUploads uploads) {
        glBindFramebuffer(GL_FRAMEBUFFER, fbo);
        glViewport(0, 0, SIZE, SIZE);
        glDepthFunc(GL_LESS);
        try (MemoryStack stack = MemoryStack.stackPush()) {
            glClearBufferfv(GL_DEPTH, 0, stack.floats(1f));
            glUseProgram(program);
            glUniformMatrix4fv(uLightFromCamera, false, lightFromCamera.get(stack.mallocFloat(16)));
        }
        if (casters.remaining() > 0) {
            glBindVertexArray(vao);
            glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, casterIndices);
            uploads.put(GL_ELEMENT_ARRAY_BUFFER, casterIndices, casters);
            // Only the faces towards the sun: for a closed mesh those are the ones nearest the light anyway.
            GlRenderer.cullBackFaces(GL_CCW);
            glDrawElements(GL_TRIANGLES, casters.remaining(), GL_UNSIGNED_INT, 0L);
            glDisable(GL_CULL_FACE);
            glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, sceneIndices);
        }
    }

    /** Binds the map to the active texture unit, for the scene pass's sampler. */
    void bindMap() {
        glBindTexture(GL_TEXTURE_2D, map);
    }

    @Override
    public void close() {
        glDeleteProgram(program);
        glDeleteFramebuffers(fbo);
        glDeleteBuffers(casterIndices);
        glDeleteTextures(map);
    }
}
