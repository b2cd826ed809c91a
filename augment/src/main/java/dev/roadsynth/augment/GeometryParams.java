package dev.roadsynth.augment;

/**
 * One draw of the geometric transforms, composed into one affine map about the image centre: first a horizontal
 * flip, then shear along x, then independent scaling in x and y (stretching), then rotation, then translation.
 * Image coordinates (x right, y down, pixel (i, j) centred at (i + 0.5, j + 0.5)); angles in degrees, positive
 * turning the content counter-clockwise on screen.
 *
 * @param rotation   degrees
 * @param scaleX     horizontal scale (stretch), > 0
 * @param scaleY     vertical scale, > 0
 * @param shear      degrees of shear along x
 * @param translateX pixels
 * @param translateY pixels
 * @param flip       mirror left-right
 */
public record GeometryParams(double rotation, double scaleX, double scaleY, double shear, double translateX,
                             double translateY, boolean flip) {
    public static final GeometryParams IDENTITY = new GeometryParams(0, 1, 1, 0, 0, 0, false);

    public GeometryParams {
        if (!(scaleX > 0) || !(scaleY > 0)) {
            throw new IllegalArgumentException("scale " + scaleX + " x " + scaleY + " must be positive");
        }
        if (!(Math.abs(shear) < 89)) {
            throw new IllegalArgumentException("shear " + shear + " must lie in (-89, 89) degrees");
        }
    }

    /**
     * The map from input to output image coordinates (continuous, pixel centres at +0.5) as a row-major 2x3
     * matrix {a, b, c, d, e, f}: x' = a x + b y + c, y' = d x + e y + f.
     */
    public double[] matrix(int width, int height) {
        double cx = width / 2.0;
        double cy = height / 2.0;
        double r = Math.toRadians(rotation);
        double cos = Math.cos(r);
        double sin = Math.sin(r);
        double sh = Math.tan(Math.toRadians(shear));
        double f = flip ? -1 : 1;
        // Linear part L = R * S * H * F (applied right to left), about the centre.
        // F = diag(f, 1); H = [[1, sh], [0, 1]]; S = diag(sx, sy); R = [[cos, sin], [-sin, cos]] (y down).
        double h00 = f;
        double h01 = sh;
        double h10 = 0;
        double h11 = 1;
        double s00 = scaleX * h00;
        double s01 = scaleX * h01;
        double s10 = scaleY * h10;
        double s11 = scaleY * h11;
        double a = cos * s00 + sin * s10;
        double b = cos * s01 + sin * s11;
        double d = -sin * s00 + cos * s10;
        double e = -sin * s01 + cos * s11;
        double c = cx + translateX - (a * cx + b * cy);
        double g = cy + translateY - (d * cx + e * cy);
        return new double[] {a, b, c, d, e, g};
    }
}
