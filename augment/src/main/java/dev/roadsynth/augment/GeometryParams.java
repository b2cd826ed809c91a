package dev.roadsynth.augment;

/**
 * One draw of the geometric transforms, composed into one projective map: about the input's centre a horizontal
 * flip, then shear along x, then independent scaling in x and y (stretching), then rotation, then a perspective
 * tilt, and finally placement at the output's centre plus a translation. The output may have another size than
 * the input: that is how crop (smaller), pad (larger) and, with the scales, resize are expressed.
 * Image coordinates (x right, y down, pixel (i, j) centred at (i + 0.5, j + 0.5)); angles in degrees, positive
 * turning the content counter-clockwise on screen.
 *
 * @param rotation     degrees
 * @param scaleX       horizontal scale (stretch), > 0
 * @param scaleY       vertical scale, > 0
 * @param shear        degrees of shear along x
 * @param translateX   pixels
 * @param translateY   pixels
 * @param flip         mirror left-right
 * @param tiltX        perspective: the right edge's scale is 1 / (1 + tiltX) and the left's 1 / (1 - tiltX); |tiltX| < 0.9
 * @param tiltY        likewise for the bottom and top edges
 * @param outputWidth  output width in pixels; 0 = the input's
 * @param outputHeight output height in pixels; 0 = the input's
 */
public record GeometryParams(double rotation, double scaleX, double scaleY, double shear, double translateX,
                             double translateY, boolean flip, double tiltX, double tiltY, int outputWidth,
                             int outputHeight) {
    public static final GeometryParams IDENTITY = new GeometryParams(0, 1, 1, 0, 0, 0, false);

    /** An affine draw that keeps the image size. */
    public GeometryParams(double rotation, double scaleX, double scaleY, double shear, double translateX,
                          double translateY, boolean flip) {
        this(rotation, scaleX, scaleY, shear, translateX, translateY, flip, 0, 0, 0, 0);
    }

    public GeometryParams {
        if (!(scaleX > 0) || !(scaleY > 0)) {
            throw new IllegalArgumentException("scale " + scaleX + " x " + scaleY + " must be positive");
        }
        if (!(Math.abs(shear) < 89)) {
            throw new IllegalArgumentException("shear " + shear + " must lie in (-89, 89) degrees");
        }
        if (!(Math.abs(tiltX) < 0.9) || !(Math.abs(tiltY) < 0.9)) {
            throw new IllegalArgumentException("tilt " + tiltX + ", " + tiltY + " must lie in (-0.9, 0.9)");
        }
        if (outputWidth < 0 || outputHeight < 0 || outputWidth > 16384 || outputHeight > 16384) {
            throw new IllegalArgumentException("output size " + outputWidth + "x" + outputHeight + " is out of range 0..16384");
        }
    }

    /** Output width for an input of width {@code w}. */
    public int width(int w) {
        return outputWidth == 0 ? w : outputWidth;
    }

    /** Output height for an input of height {@code h}. */
    public int height(int h) {
        return outputHeight == 0 ? h : outputHeight;
    }

    /** Whether the map is affine (no tilt), so a cheaper affine warp does. */
    public boolean affine() {
        return tiltX == 0 && tiltY == 0;
    }

    /**
     * The map from input to output image coordinates (continuous, pixel centres at +0.5) as a row-major 3x3
     * homography {a, b, c, d, e, f, g, h, i}: x' = (a x + b y + c) / (g x + h y + i), likewise y'.
     */
    public double[] matrix(int width, int height) {
        double cx = width / 2.0;
        double cy = height / 2.0;
        double ox = width(width) / 2.0 + translateX;
        double oy = height(height) / 2.0 + translateY;
        double r = Math.toRadians(rotation);
        double cos = Math.cos(r);
        double sin = Math.sin(r);
        double sh = Math.tan(Math.toRadians(shear));
        double f = flip ? -1 : 1;
        // Linear part L = R * S * H * F: F = diag(f, 1); H = [[1, sh], [0, 1]]; S = diag(sx, sy);
        // R = [[cos, sin], [-sin, cos]] (y down).
        double l00 = cos * scaleX * f;
        double l01 = cos * scaleX * sh + sin * scaleY;
        double l10 = -sin * scaleX * f;
        double l11 = -sin * scaleX * sh + cos * scaleY;
        // Perspective about the output centre: q' = q / (1 + gx q.x + gy q.y), q centred.
        double gx = tiltX / cx;
        double gy = tiltY / cy;
        // H = T(ox, oy) * P * [[L, 0], [0, 1]] * T(-cx, -cy); P = [[1, 0, 0], [0, 1, 0], [gx, gy, 1]].
        double g0 = gx * l00 + gy * l10;
        double g1 = gx * l01 + gy * l11;
        double g2 = 1 - g0 * cx - g1 * cy;
        double a = l00 + ox * g0;
        double b = l01 + ox * g1;
        double c = -(l00 * cx + l01 * cy) + ox * g2;
        double d = l10 + oy * g0;
        double e = l11 + oy * g1;
        double fz = -(l10 * cx + l11 * cy) + oy * g2;
        return new double[] {a, b, c, d, e, fz, g0, g1, g2};
    }
}
