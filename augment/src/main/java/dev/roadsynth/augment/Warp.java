package dev.roadsynth.augment;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.BORDER_REFLECT_101;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.LUT;
import static org.bytedeco.opencv.global.opencv_core.transform;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import java.util.SplittableRandom;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * One sample's warps, shared by {@link Augmenter} and {@link BatchAugmenter}: OpenCV matrices in, OpenCV matrices
 * out (which may be views over arrays the caller owns). The image: one bilinear affine warp, one colour-matrix
 * pass, then gamma, blur and noise; ids (as two 16-bit halves) and depth: one nearest-neighbour warp each.
 */
final class Warp {
    private Warp() {
    }

    static void image(Mat src, Mat dst, int w, int h, AugmentSpec.Params p) {
        try (Mat affine = affine(p.geometry(), w, h); Size size = new Size(w, h); Scalar black = new Scalar(0.0)) {
            boolean colour = !p.colour().equals(ColorParams.IDENTITY);
            PhotometricParams ph = p.photometric();
            boolean after = !ph.equals(PhotometricParams.IDENTITY);
            if (!colour && !after) {
                warpAffine(src, dst, affine, size, INTER_LINEAR, BORDER_CONSTANT, black);
                return;
            }
            try (Mat warped = new Mat(); Mat tmp = new Mat()) {
                warpAffine(src, warped, affine, size, INTER_LINEAR, BORDER_CONSTANT, black);
                Mat current = warped;
                if (colour) {
                    try (Mat matrix = new Mat(3, 4, CV_64F)) {
                        new DoublePointer(matrix.data()).put(p.colour().matrix());
                        transform(current, after ? tmp : dst, matrix); // saturating to 0..255
                    }
                    current = after ? tmp : dst;
                }
                if (after) {
                    photometric(current, dst, ph, w, h);
                }
            }
        }
    }

    /** Gamma, blur and noise from {@code src} into {@code dst} (8-bit, 3 channels). */
    private static void photometric(Mat src, Mat dst, PhotometricParams ph, int w, int h) {
        try (Mat a = new Mat(); Mat b = new Mat()) {
            src.copyTo(a);
            if (ph.gamma() != 1) {
                try (Mat lut = new Mat(1, 256, CV_8UC1)) {
                    byte[] table = new byte[256];
                    for (int i = 0; i < 256; i++) {
                        table[i] = (byte) Math.round(255 * Math.pow(i / 255.0, ph.gamma()));
                    }
                    new BytePointer(lut.data()).put(table);
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
                SplittableRandom rng = new SplittableRandom(ph.noiseSeed());
                byte[] px = new byte[w * h * 3];
                new BytePointer(a.data()).get(px);
                for (int i = 0; i < px.length; i++) {
                    double u1 = 1.0 - rng.nextDouble();
                    double g = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rng.nextDouble());
                    long v = Math.round((px[i] & 0xff) + ph.noiseSigma() * g);
                    px[i] = (byte) Math.max(0, Math.min(255, v));
                }
                new BytePointer(a.data()).put(px);
            }
            a.copyTo(dst);
        }
    }

    static void ids(Mat src, Mat dst, int w, int h, GeometryParams g, int fill) {
        try (Mat affine = affine(g, w, h); Size size = new Size(w, h);
             Scalar border = new Scalar(fill & 0xffff, fill >>> 16, 0, 0)) {
            warpAffine(src, dst, affine, size, INTER_NEAREST, BORDER_CONSTANT, border);
        }
    }

    static void depth(Mat src, Mat dst, int w, int h, GeometryParams g) {
        try (Mat affine = affine(g, w, h); Size size = new Size(w, h); Scalar none = new Scalar(0.0)) {
            warpAffine(src, dst, affine, size, INTER_NEAREST, BORDER_CONSTANT, none);
        }
    }

    /** The geometric map in OpenCV's convention (pixel centres at integers, not at +0.5). */
    private static Mat affine(GeometryParams g, int w, int h) {
        double[] m = g.matrix(w, h);
        double[] cv = {m[0], m[1], m[2] + 0.5 * (m[0] + m[1]) - 0.5, m[3], m[4], m[5] + 0.5 * (m[3] + m[4]) - 0.5};
        Mat affine = new Mat(2, 3, CV_64F);
        new DoublePointer(affine.data()).put(cv);
        return affine;
    }
}
