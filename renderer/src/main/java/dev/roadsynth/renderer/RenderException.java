package dev.roadsynth.renderer;

/**
 * Rendering failed or no rendering environment could be set up. The message names the step (EGL
 * initialisation, context creation, shader compilation, ...), the EGL or GL error code in hex where there is
 * one, and, where it helps, what to install.
 */
public class RenderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RenderException(String message) {
        super(message);
    }

    public RenderException(String message, Throwable cause) {
        super(message, cause);
    }
}
