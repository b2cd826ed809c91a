package dev.roadsynth.renderer;

import static org.lwjgl.opengl.GL33C.*;

import dev.roadsynth.core.Rgb;
import dev.roadsynth.scenes.Environment;
import dev.roadsynth.scenes.Scene;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.joml.Matrix4f;
import org.joml.Vector3f;
import org.lwjgl.system.MemoryStack;

/**
 * The scene pass's shader programs (scene.vert, scene.frag): one variant per set of features a scene uses (shadows,
 * lamps, reflections, fog, snow; each a {@code #define}), compiled on first use, and the uniforms each scene gives
 * them. Owns the programs; confined to the renderer's context thread, like {@link GlRenderer}.
 */
final class ScenePrograms implements AutoCloseable {
    private static final int SHADOWS = 1;
    private static final int LAMPS = 2;
    private static final int REFLECTIONS = 4;
    private static final int FOG = 8;
    private static final int SNOW = 16;
    private static final String[] FEATURE_NAMES = {"SHADOWS", "LAMPS", "REFLECTIONS", "FOG", "SNOW"};

    /** A compiled variant and its uniform locations (-1 where the variant lacks one). */
    private record Variant(int id, int uProjection, int uTowardsSun, int uSun, int uAmbient, int uUp,
                           int uSkyColor, int uFogDensity, int uFogColor, int uWetness, int uSnow,
                           int uLightFromCamera, int uLampCount, int uLamps, int uLampStrength) {
    }

    /** Variants by feature set (the bits above). */
    private final Map<Integer, Variant> variants = new HashMap<>();
    private final boolean reversedDepth;

    /**
     * Compiles the plain variant on the current context now, so that shader errors surface at set-up;
     * {@code reversedDepth}: as the renderer's depth mapping.
     */
    ScenePrograms(boolean reversedDepth) {
        this.reversedDepth = reversedDepth;
        variant(0);
    }

    /** The features {@code scene}, packed as {@code packed}, is drawn with; {@code shadows}: whether the pass has a shadow map. */
    private static int features(Scene scene, PackedScene packed, boolean shadows) {
        Environment env = scene.environment();
        return (shadows ? SHADOWS : 0)
                | (env.lampStrength() > 0 && !env.lamps().isEmpty() ? LAMPS : 0)
                | (env.wetness() > 0 || packed.hasGlass() ? REFLECTIONS : 0)
                | (env.fogDensity() > 0 ? FOG : 0)
                | (env.snow() > 0 ? SNOW : 0);
    }

    /**
     * Makes current the variant for what {@code scene} (packed as {@code packed}) shows, with shadow lookups if
     * {@code shadows}, and gives it the scene's camera, light, sky and weather, and {@code lightFromCamera} (the
     * shadow pass's clip space from the camera frame) for those lookups.
     */
    void use(Scene scene, PackedScene packed, boolean shadows, Matrix4f lightFromCamera, MemoryStack stack) {
        Environment env = scene.environment();
        int features = features(scene, packed, shadows);
        Variant sp = variant(features);
        glUseProgram(sp.id());
        Matrix4f worldToCamera = new Matrix4f(scene.camera().worldToCamera());
        glUniformMatrix4fv(sp.uProjection(), false,
                Projection.of(scene.camera().intrinsics(), reversedDepth).get(stack.mallocFloat(16)));
        Vector3f sun = worldToCamera.transformDirection(new Vector3f(scene.light().towardsSun())).normalize();
        Vector3f up = worldToCamera.transformDirection(new Vector3f(0, 0, 1)).normalize();
        glUniform3f(sp.uTowardsSun(), sun.x, sun.y, sun.z);
        glUniform3f(sp.uUp(), up.x, up.y, up.z);
        glUniform3f(sp.uSun(), scene.light().sun().x(), scene.light().sun().y(), scene.light().sun().z());
        glUniform3f(sp.uAmbient(), scene.light().ambient().x(), scene.light().ambient().y(), scene.light().ambient().z());
        Rgb sky = env.skyHorizon();
        glUniform3f(sp.uSkyColor(), linear(sky.r()), linear(sky.g()), linear(sky.b()));
        glUniform1f(sp.uFogDensity(), env.fogDensity());
        glUniform3f(sp.uFogColor(), linear(env.fogColour().r()), linear(env.fogColour().g()), linear(env.fogColour().b()));
        glUniform1f(sp.uWetness(), env.wetness());
        glUniform1f(sp.uSnow(), env.snow());
        // Lookup matrix: clip space of the shadow pass mapped to texture coordinates and depth.
        Matrix4f toTexture = new Matrix4f().translate(0.5f, 0.5f, reversedDepth ? 0f : 0.5f)
                .scale(0.5f, 0.5f, reversedDepth ? 1f : 0.5f);
        glUniformMatrix4fv(sp.uLightFromCamera(), false, toTexture.mul(lightFromCamera).get(stack.mallocFloat(16)));
        if ((features & LAMPS) != 0) {
            lamps(scene, sp, worldToCamera, stack);
        }
    }

    private Variant variant(int features) {
        Variant sp = variants.get(features);
        if (sp != null) {
            return sp;
        }
        StringBuilder defines = new StringBuilder();
        for (int i = 0; i < FEATURE_NAMES.length; i++) {
            if ((features & (1 << i)) != 0) {
                defines.append("#define ").append(FEATURE_NAMES[i]).append('\n');
            }
        }
        int id = Gl.program("scene", defines.toString());
        sp = new Variant(id, glGetUniformLocation(id, "uProjection"), glGetUniformLocation(id, "uTowardsSun"),
                glGetUniformLocation(id, "uSun"), glGetUniformLocation(id, "uAmbient"), glGetUniformLocation(id, "uUp"),
                glGetUniformLocation(id, "uSkyColor"), glGetUniformLocation(id, "uFogDensity"),
                glGetUniformLocation(id, "uFogColor"), glGetUniformLocation(id, "uWetness"),
                glGetUniformLocation(id, "uSnow"), glGetUniformLocation(id, "uLightFromCamera"),
                glGetUniformLocation(id, "uLampCount"), glGetUniformLocation(id, "uLamps"),
                glGetUniformLocation(id, "uLampStrength"));
        glUseProgram(id);
        glUniform1i(glGetUniformLocation(id, "uShadowMap"), 0);
        variants.put(features, sp);
        return sp;
    }

    private static float linear(int srgb) {
        float c = srgb / 255f;
        return c * c; // the shaders work in gamma 2
    }

    /** The nearest lamps, in the camera frame, when they are on. */
    private static void lamps(Scene scene, Variant sp, Matrix4f worldToCamera, MemoryStack stack) {
        Environment env = scene.environment();
        List<Vector3f> inCamera = new ArrayList<>();
        for (var l : env.lamps()) {
            inCamera.add(worldToCamera.transformPosition(new Vector3f(l)));
        }
        inCamera.sort(java.util.Comparator.comparingDouble(Vector3f::lengthSquared));
        int n = Math.min(Environment.MAX_LAMPS, inCamera.size());
        var buf = stack.mallocFloat(3 * n);
        for (int i = 0; i < n; i++) {
            inCamera.get(i).get(3 * i, buf);
        }
        glUniform3fv(sp.uLamps(), buf);
        glUniform1i(sp.uLampCount(), n);
        glUniform1f(sp.uLampStrength(), env.lampStrength());
    }

    @Override
    public void close() {
        variants.values().forEach(v -> glDeleteProgram(v.id()));
    }
}
