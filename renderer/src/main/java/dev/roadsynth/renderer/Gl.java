package dev.roadsynth.renderer;

import static org.lwjgl.opengl.GL33C.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Helpers shared by the renderer's GL classes ({@link GlRenderer}, {@link CoveragePasses}, {@link FrameReadback}):
 * shader compilation, error checks and the system-property switches. Static, no state; call on the context's thread.
 */
final class Gl {
    private Gl() {
    }

    /** Compiles a shader resource (next to this class in the jar). */
    static int shader(int type, String resource) {
        return shader(type, resource, "");
    }

    /** Compiles a shader resource with {@code defines} inserted after its #version line. */
    static int shader(int type, String resource, String defines) {
        String source;
        try (InputStream in = Gl.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new RenderException("shader resource " + resource + " is missing from the jar");
            }
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int nl = source.indexOf('\n');
        source = source.substring(0, nl + 1) + defines + source.substring(nl + 1);
        int s = glCreateShader(type);
        glShaderSource(s, source);
        glCompileShader(s);
        if (glGetShaderi(s, GL_COMPILE_STATUS) != GL_TRUE) {
            String log = glGetShaderInfoLog(s);
            glDeleteShader(s);
            throw new RenderException("shader compilation of " + resource + " failed: " + log.strip());
        }
        return s;
    }

    /**
     * The program of {@code NAME.vert} and {@code NAME.frag}, each compiled with {@code defines}. The fragment shader
     * is compiled first: where one variant may fail to compile on a driver (the coverage shader's), that failure
     * leaves nothing behind.
     */
    static int program(String name, String defines) {
        int fs = shader(GL_FRAGMENT_SHADER, name + ".frag", defines);
        int vs;
        try {
            vs = shader(GL_VERTEX_SHADER, name + ".vert", defines);
        } catch (RuntimeException e) {
            glDeleteShader(fs);
            throw e;
        }
        return link(name + ".vert, " + name + ".frag", vs, fs);
    }

    /** Links a program of the given shaders and deletes the shaders; {@code what} names it in the error. */
    static int link(String what, int... shaders) {
        int p = glCreateProgram();
        for (int s : shaders) {
            glAttachShader(p, s);
        }
        glLinkProgram(p);
        for (int s : shaders) {
            glDeleteShader(s);
        }
        if (glGetProgrami(p, GL_LINK_STATUS) != GL_TRUE) {
            String log = glGetProgramInfoLog(p);
            glDeleteProgram(p);
            throw new RenderException("shader program link of " + what + " failed: " + log.strip());
        }
        return p;
    }

    /**
     * Throws if a GL error is set. On NVIDIA's driver glGetError waits until the driver has taken in every call
     * before it, so the per-frame path calls this once, after the frame's fence.
     */
    static void check(String step) {
        int err = glGetError();
        if (err != GL_NO_ERROR) {
            throw new RenderException(step + ": GL error " + hex(err));
        }
    }

    /** Throws, naming {@code what} and the status, unless the bound framebuffer is complete. */
    static void requireComplete(String what) {
        int status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
        if (status != GL_FRAMEBUFFER_COMPLETE) {
            throw new RenderException(what + " is incomplete, status " + hex(status));
        }
    }

    static String hex(int code) {
        return "0x" + Integer.toHexString(code).toUpperCase(Locale.ROOT);
    }

    /**
     * The value of system property {@code name}, one of {@code allowed} (case ignored; {@code allowed[0]} when unset).
     * For the switches that compare a driver's paths (docs/gpu.md).
     *
     * @throws RenderException for any other value, naming the property, the value and what is allowed
     */
    static String choice(String name, String... allowed) {
        String value = System.getProperty(name, allowed[0]).strip();
        for (String a : allowed) {
            if (a.equalsIgnoreCase(value)) {
                return a;
            }
        }
        throw new RenderException("system property " + name + " is '" + value + "'; allowed: " + String.join(", ", allowed));
    }

    /**
     * The constant of {@code type} that system property {@code name} names: its name in lower case, '_' written '-'
     * (case ignored; the first constant when unset), as {@link #choice(String, String...)} allows them.
     *
     * @throws RenderException for any other value, naming the property, the value and what is allowed
     */
    static <E extends Enum<E>> E choice(String name, Class<E> type) {
        E[] constants = type.getEnumConstants();
        String[] allowed = new String[constants.length];
        for (int i = 0; i < constants.length; i++) {
            allowed[i] = constants[i].name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
        String chosen = choice(name, allowed);
        return constants[java.util.Arrays.asList(allowed).indexOf(chosen)];
    }
}
