package dev.roadsynth.scenes;

/**
 * A pinhole camera's intrinsics in pixels, OpenCV/KITTI convention: a point (x, y, z) in the camera frame
 * (x right, y down, z forward, metres) projects to pixel coordinates u = fx * x / z + cx, v = fy * y / z + cy,
 * where (0, 0) is the top-left corner of the image and pixel (i, j) has its centre at (i + 0.5, j + 0.5).
 *
 * @param fx     focal length along x, pixels
 * @param fy     focal length along y, pixels
 * @param cx     principal point x, pixels from the left edge
 * @param cy     principal point y, pixels from the top edge
 * @param width  image width, pixels
 * @param height image height, pixels
 * @param near   near clipping distance along z, metres (> 0)
 * @param far    far clipping distance along z, metres (> near)
 */
public record Intrinsics(double fx, double fy, double cx, double cy, int width, int height, double near,
                         double far) {
    /** The largest image side the renderer accepts. */
    public static final int MAX_SIZE = 16384;

    public Intrinsics {
        if (!(fx > 0) || !(fy > 0) || !Double.isFinite(fx) || !Double.isFinite(fy)) {
            throw new IllegalArgumentException("intrinsics: focal lengths fx=" + fx + ", fy=" + fy + " must be positive and finite");
        }
        if (!Double.isFinite(cx) || !Double.isFinite(cy)) {
            throw new IllegalArgumentException("intrinsics: principal point (" + cx + ", " + cy + ") must be finite");
        }
        if (width < 1 || height < 1 || width > MAX_SIZE || height > MAX_SIZE) {
            throw new IllegalArgumentException("intrinsics: size " + width + "x" + height + " is out of range 1.." + MAX_SIZE);
        }
        if (!(near > 0) || !(far > near) || !Double.isFinite(far)) {
            throw new IllegalArgumentException("intrinsics: clip range near=" + near + ", far=" + far + " needs 0 < near < far < infinity");
        }
    }

    /** {fx, fy, cx, cy}: the pinhole parameters as a sample and its writers hold them ({@code Sample#intrinsics}). */
    public double[] pinhole() {
        return new double[] {fx, fy, cx, cy};
    }

    /** Intrinsics with square pixels, the principal point at the image centre and the given horizontal field of view. */
    public static Intrinsics ofHorizontalFov(double fovDegrees, int width, int height, double near, double far) {
        if (!(fovDegrees > 0 && fovDegrees < 180)) {
            throw new IllegalArgumentException("intrinsics: horizontal field of view " + fovDegrees + " is out of range (0, 180) degrees");
        }
        double f = width / 2.0 / Math.tan(Math.toRadians(fovDegrees) / 2);
        return new Intrinsics(f, f, width / 2.0, height / 2.0, width, height, near, far);
    }
}
