package dev.roadsynth.renderer;

import dev.roadsynth.scenes.Intrinsics;
import org.joml.Matrix4f;

/**
 * The projection from the camera frame (x right, y down, z forward) to GL clip space such that GL window
 * coordinates equal image pixel coordinates: window x = u, window y = v (rows counted from the top). Read back
 * from row 0 up, the framebuffer therefore comes out with rows top-down, with no flip on the CPU.
 *
 * <p>Depth: with {@code glClipControl(GL_LOWER_LEFT, GL_ZERO_TO_ONE)} (GL 4.5) the mapping is reversed
 * (near = 1, far = 0) for nearly uniform relative precision in a float depth buffer; without it, the classic
 * [-1, 1] mapping. The depth values written to the label plane do not come from this buffer but from the
 * interpolated camera z, so the depth buffer only decides visibility.
 */
final class Projection {
    private Projection() {
    }

    static Matrix4f of(Intrinsics k, boolean reversedZeroToOne) {
        double w = k.width();
        double h = k.height();
        double n = k.near();
        double f = k.far();
        double zz;
        double zw;
        if (reversedZeroToOne) {
            zz = -n / (f - n);
            zw = n * f / (f - n);
        } else {
            zz = (f + n) / (f - n);
            zw = -2 * f * n / (f - n);
        }
        // JOML's 16-float constructor is column-major.
        return new Matrix4f(
                (float) (2 * k.fx() / w), 0, 0, 0,
                0, (float) (2 * k.fy() / h), 0, 0,
                (float) (2 * k.cx() / w - 1), (float) (2 * k.cy() / h - 1), (float) zz, 1,
                0, 0, (float) zw, 0);
    }
}
