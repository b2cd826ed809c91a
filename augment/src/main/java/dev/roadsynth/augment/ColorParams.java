package dev.roadsynth.augment;

/**
 * One draw of colour jitter, composed into one 3x4 colour matrix applied to RGB values 0..255: hue rotation
 * (degrees, about the grey axis in YIQ space), then saturation (1 = unchanged, 0 = grey), then contrast about
 * mid-grey 128, then brightness (a gain). The composition is one matrix multiply per pixel, however many are
 * drawn.
 * <p>With {@code exactHsv}, hue and saturation go through an 8-bit HSV round trip instead (OpenCV's full-range
 * HSV: hue in 256 steps, shifted by the nearest step; saturation scaled and clipped), as other augmentation
 * libraries do, then contrast and brightness as one linear pass. Slower than the matrix (docs/PERFORMANCE.md); for
 * parity when comparing with a model trained on another library's jitter.
 *
 * @param brightness gain, >= 0
 * @param contrast   gain about 128, >= 0
 * @param saturation gain of chroma, >= 0
 * @param hue        degrees
 * @param exactHsv   HSV round trip for hue and saturation instead of the YIQ matrix
 */
public record ColorParams(double brightness, double contrast, double saturation, double hue, boolean exactHsv) {
    public static final ColorParams IDENTITY = new ColorParams(1, 1, 1, 0);

    /** Colour jitter through the one colour matrix. */
    public ColorParams(double brightness, double contrast, double saturation, double hue) {
        this(brightness, contrast, saturation, hue, false);
    }

    /** The hue shift in OpenCV's full-range 8-bit HSV (256 steps a turn), nearest step, 0..255. */
    int hueSteps() {
        return (int) Math.floorMod(Math.round(hue / 360 * 256), 256L);
    }

    /** Whether hue and saturation leave colours as they are (in the exact-HSV mode). */
    boolean keepsChroma() {
        return saturation == 1 && hueSteps() == 0;
    }

    public ColorParams {
        if (!(brightness >= 0) || !(contrast >= 0) || !(saturation >= 0) || !Double.isFinite(hue)) {
            throw new IllegalArgumentException("colour jitter: brightness " + brightness + ", contrast " + contrast
                    + " and saturation " + saturation + " must be >= 0 and hue " + hue + " finite");
        }
    }

    /** Row-major 3x4 matrix: out = M[:, :3] * rgb + M[:, 3]. */
    public double[] matrix() {
        double[][] toYiq = {{0.299, 0.587, 0.114}, {0.596, -0.274, -0.322}, {0.211, -0.523, 0.312}};
        double[][] toRgb = invert(toYiq);
        double t = Math.toRadians(hue);
        double c = Math.cos(t) * saturation;
        double s = Math.sin(t) * saturation;
        double[][] inYiq = {{1, 0, 0}, {0, c, -s}, {0, s, c}};
        double[][] m = mul(toRgb, mul(inYiq, toYiq));
        double gain = brightness * contrast;
        double offset = brightness * 128 * (1 - contrast);
        double[] out = new double[12];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                out[i * 4 + j] = gain * m[i][j];
            }
            out[i * 4 + 3] = offset;
        }
        return out;
    }

    private static double[][] mul(double[][] a, double[][] b) {
        double[][] r = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    r[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return r;
    }

    private static double[][] invert(double[][] m) {
        double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
                - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
        double[][] r = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double[][] minor = new double[2][2];
                for (int a = 0, mi = 0; a < 3; a++) {
                    if (a == j) {
                        continue;
                    }
                    for (int b = 0, mj = 0; b < 3; b++) {
                        if (b == i) {
                            continue;
                        }
                        minor[mi][mj++] = m[a][b];
                    }
                    mi++;
                }
                double cof = minor[0][0] * minor[1][1] - minor[0][1] * minor[1][0];
                r[i][j] = ((i + j) % 2 == 0 ? 1 : -1) * cof / det;
            }
        }
        return r;
    }
}
