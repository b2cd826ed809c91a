package dev.roadsynth.augment;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.BORDER_REFLECT_101;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.LUT;
import static org.bytedeco.opencv.global.opencv_core.transform;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_HSV2RGB_FULL;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2HSV_FULL;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;
import static org.bytedeco.opencv.global.opencv_imgproc.warpPerspective;

import java.util.SplittableRandom;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * One sample's warps, shared by {@link Augmenter} and {@link BatchAugmenter}: OpenCV matrices in, OpenCV matrices
 * out (which may be views over arrays the caller owns). The image: one bilinear warp (affine, or perspective under
 * tilt), one colour pass (the colour matrix, or the exact-HSV round trip), then gamma, blur and noise; ids (as two
 * 16-bit halves) and depth: one nearest-neighbour warp each.
 */
final class Warp {
    private Warp() {
    }

    /** Warps with the geometry's matrix: affine when it is, perspective otherwise. */
    private static void warp(Mat src, Mat dst, GeometryParams g, int w, int h, int interpolation, Scalar border) {
        try (Mat m = matrix(g, w, h); Size size = new Size(g.width(w), g.height(h))) {
            if (g.affine()) {
                warpAffine(src, dst, m, size, interpolation, BORDER_CONSTANT, border);
            } else {
                warpPerspective(src, dst, m, size, interpolation, BORDER_CONSTANT, border);
            }
        }
    }

    static void image(Mat src, Mat dst, int w, int h, AugmentSpec.Params p) {
        try (Scalar black = new Scalar(0.0)) {
            boolean colour = !p.colour().equals(ColorParams.IDENTITY);
            PhotometricParams ph = p.photometric();
            boolean after = !ph.equals(PhotometricParams.IDENTITY);
            if (!colour && !after) {
                warp(src, dst, p.geometry(), w, h, INTER_LINEAR, black);
                return;
            }
            try (Mat warped = new Mat(); Mat tmp = new Mat()) {
                warp(src, warped, p.geometry(), w, h, INTER_LINEAR, black);
                Mat current = warped;
                if (colour) {
                    Mat target = after ? tmp : dst;
                    if (p.colour().exactHsv()) {
                        hsv(current, target, p.colour());
                    } else {
                        try (Mat matrix = new Mat(3, 4, CV_64F)) {
                            new DoublePointer(matrix.data()).put(p.colour().matrix());
                            transform(current, target, matrix); // saturating to 0..255
                        }
                    }
                    current = target;
                }
                if (after) {
                    photometric(current, dst, ph);
                }
            }
        }
    }

    /** Colour jitter by an 8-bit HSV round trip (see {@link ColorParams}), then contrast and brightness. */
    private static void hsv(Mat src, Mat dst, ColorParams c) {
        if (c.keepsChroma()) {
            src.copyTo(dst);
        } else {
            byte[] table = new byte[256 * 3];
            for (int i = 0; i < 256; i++) {
                table[3 * i] = (byte) (i + c.hueSteps());
                table[3 * i + 1] = (byte) Math.min(255, Math.round(i * c.saturation()));
                table[3 * i + 2] = (byte) i;
            }
            try (Mat hsv = new Mat(); Mat lut = lut(table, CV_8UC3)) {
                cvtColor(src, hsv, COLOR_RGB2HSV_FULL);
                LUT(hsv, lut, hsv); // element-wise, safe in place
                cvtColor(hsv, dst, COLOR_HSV2RGB_FULL);
            }
        }
        // out = brightness * (contrast * (v - 128) + 128), rounded and saturated by OpenCV; in place.
        dst.convertTo(dst, -1, c.brightness() * c.contrast(), c.brightness() * 128 * (1 - c.contrast()));
    }

    /** A 1 x 256 lookup table of the given type (one or three channels) holding {@code table}. */
    private static Mat lut(byte[] table, int type) {
        Mat lut = new Mat(1, 256, type);
        new BytePointer(lut.data()).put(table);
        return lut;
    }

    /** Gamma, blur and noise from {@code src} into {@code dst} (8-bit, 3 channels). */
    private static void photometric(Mat src, Mat dst, PhotometricParams ph) {
        try (Mat a = new Mat(); Mat b = new Mat()) {
            src.copyTo(a);
            if (ph.gamma() != 1) {
                byte[] table = new byte[256];
                for (int i = 0; i < 256; i++) {
                    table[i] = (byte) Math.round(255 * Math.pow(i / 255.0, ph.gamma()));
                }
                try (Mat lut = lut(table, CV_8UC1)) {
                    LUT(a, lut, b);
                    b.copyTo(a);
                }
            }
            if (ph.blurSigma() > 0) {
                int k = 2 * (int) Math.ceil(3 * ph.blurSigma()) + 1;
                try (Size kernel = new Size(k, k)) {
                    GaussianBlur(a, b, kernel, ph.blurSigma(), ph.blurSigma(), BORDER_REFLECT_101);
                }
                b.copyTo(a);
            }
            if (ph.noiseSigma() > 0) {
                // Noise from the recorded seed, through a generator of its own: replays add the same values.
                // Each value is a Gaussian quantile picked by 12 random bits (five per nextLong): rounded to whole
                // 8-bit steps it is the same noise as a transcendental draw per value, at a fraction of the cost.
                // Since the pixel is an integer, round(p + s * g) = p + round(s * g): one table per call.
                int[] add = new int[GAUSSIAN_QUANTILES.length];
                for (int i = 0; i < add.length; i++) {
                    add[i] = (int) Math.round(ph.noiseSigma() * GAUSSIAN_QUANTILES[i]);
                }
                SplittableRandom rng = new SplittableRandom(ph.noiseSeed());
                byte[] px = new byte[(int) a.total() * 3];
                new BytePointer(a.data()).get(px);
                long bits = 0;
                int left = 0;
                for (int i = 0; i < px.length; i++) {
                    if (left == 0) {
                        bits = rng.nextLong();
                        left = 5;
                    }
                    int v = (px[i] & 0xff) + add[(int) (bits & 4095)];
                    bits >>>= 12;
                    left--;
                    px[i] = (byte) Math.max(0, Math.min(255, v));
                }
                new BytePointer(a.data()).put(px);
            }
            a.copyTo(dst);
        }
    }

    /**
     * The standard normal's quantiles at the midpoints of 4096 equal-probability bins, for {@code photometric}'s
     * noise (|values| up to 3.5).
     */
    static final double[] GAUSSIAN_QUANTILES = gaussianQuantiles(4096);

    private static double[] gaussianQuantiles(int n) {
        double[] q = new double[n];
        for (int i = 0; i < n; i++) {
            q[i] = inverseNormal((i + 0.5) / n);
        }
        return q;
    }

    /** The standard normal's inverse CDF (P. J. Acklam's rational approximation, relative error below 1.2e-9). */
    static double inverseNormal(double p) {
        double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
            -3.066479806614716e+01, 2.506628277459239e+00};
        double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
            -1.328068155288572e+01};
        double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
            4.374664141464968e+00, 2.938163982698783e+00};
        double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
        double low = 0.02425;
        if (p < low) {
            double q = Math.sqrt(-2 * Math.log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - low) {
            return -inverseNormal(1 - p);
        }
        double q = p - 0.5;
        double r = q * q;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }

    static void ids(Mat src, Mat dst, int w, int h, GeometryParams g, int fill) {
        try (Scalar border = new Scalar(fill & 0xffff, fill >>> 16, 0, 0)) {
            warp(src, dst, g, w, h, INTER_NEAREST, border);
        }
    }

    static void depth(Mat src, Mat dst, int w, int h, GeometryParams g) {
        try (Scalar none = new Scalar(0.0)) {
            warp(src, dst, g, w, h, INTER_NEAREST, none);
        }
    }

    /**
     * The geometric map in OpenCV's convention (pixel centres at integers, not at +0.5): H' = T(-0.5) H T(+0.5);
     * 2x3 when affine, else 3x3.
     */
    static Mat matrix(GeometryParams g, int w, int h) {
        double[] m = g.matrix(w, h);
        // H T(0.5): add 0.5 * (first two columns) to the third; then T(-0.5) H': subtract 0.5 * the last row.
        double[] r = m.clone();
        for (int row = 0; row < 3; row++) {
            r[row * 3 + 2] += 0.5 * (m[row * 3] + m[row * 3 + 1]);
        }
        for (int col = 0; col < 3; col++) {
            r[col] -= 0.5 * r[6 + col];
            r[3 + col] -= 0.5 * r[6 + col];
        }
        Mat out = new Mat(g.affine() ? 2 : 3, 3, CV_64F);
        new DoublePointer(out.data()).put(java.util.Arrays.copyOf(r, g.affine() ? 6 : 9));
        return out;
    }
}
