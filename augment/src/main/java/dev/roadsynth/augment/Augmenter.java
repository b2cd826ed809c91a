package dev.roadsynth.augment;

import static org.bytedeco.opencv.global.opencv_core.CV_16UC2;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.transform;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import dev.roadsynth.core.DepthPlane;
import dev.roadsynth.core.Frame;
import dev.roadsynth.core.IdPlane;
import dev.roadsynth.core.RgbImage;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Applies drawn augmentation parameters to a frame: one affine warp per target (the geometric transforms already
 * composed into one matrix) and one colour-matrix pass for the image, through OpenCV. The image is resampled
 * bilinearly; class ids, instance ids and depth by nearest neighbour, so every output id is an input id or the
 * fill id, exactly (ids are warped as two 16-bit halves, never through floating point). Stateless.
 */
public final class Augmenter {
    private Augmenter() {
    }

    /**
     * The augmented frame, same size as the input.
     *
     * @param fillClass class id for pixels the warp brings in from outside the image (an ignore class)
     */
    public static Frame apply(Frame frame, GeometryParams geometry, ColorParams colour, int fillClass) {
        int w = frame.width();
        int h = frame.height();
        double[] m = geometry.matrix(w, h);
        // OpenCV puts pixel centres at integer coordinates: shift by half a pixel on both sides.
        double[] cv = {m[0], m[1], m[2] + 0.5 * (m[0] + m[1]) - 0.5, m[3], m[4], m[5] + 0.5 * (m[3] + m[4]) - 0.5};
        try (Mat affine = new Mat(2, 3, CV_64F)) {
            new DoublePointer(affine.data()).put(cv);
            byte[] rgb = warpRgb(frame.rgb(), w, h, affine, colour);
            int[] cls = warpIds(frame.semantic(), w, h, affine, fillClass);
            int[] inst = warpIds(frame.instance(), w, h, affine, 0);
            float[] depth = warpDepth(frame.depth(), w, h, affine);
            return new Frame(frame.labels(), RgbImage.adopt(w, h, rgb), IdPlane.adopt(w, h, cls), IdPlane.adopt(w, h, inst),
                    DepthPlane.adopt(w, h, depth));
        }
    }

    private static byte[] warpRgb(RgbImage image, int w, int h, Mat affine, ColorParams colour) {
        try (Mat src = new Mat(h, w, CV_8UC3); Mat dst = new Mat(); Mat out = new Mat();
             Size size = new Size(w, h); Scalar black = new Scalar(0.0)) {
            new BytePointer(src.data()).put(image.toArray());
            warpAffine(src, dst, affine, size, INTER_LINEAR, BORDER_CONSTANT, black);
            Mat result = dst;
            if (!colour.equals(ColorParams.IDENTITY)) {
                double[] cm = colour.matrix();
                try (Mat matrix = new Mat(3, 4, CV_64F)) {
                    new DoublePointer(matrix.data()).put(cm);
                    transform(dst, out, matrix); // saturates to 0..255
                }
                result = out;
            }
            byte[] rgb = new byte[w * h * 3];
            new BytePointer(result.data()).get(rgb);
            return rgb;
        }
    }

    private static int[] warpIds(IdPlane plane, int w, int h, Mat affine, int fill) {
        try (Mat src = new Mat(h, w, CV_16UC2); Mat dst = new Mat(); Size size = new Size(w, h);
             Scalar border = new Scalar(fill & 0xffff, fill >>> 16, 0, 0)) {
            // An int in native (little-endian) order is its low 16 bits, then its high 16 bits.
            new IntPointer(src.data()).put(plane.toArray());
            warpAffine(src, dst, affine, size, INTER_NEAREST, BORDER_CONSTANT, border);
            int[] out = new int[w * h];
            new IntPointer(dst.data()).get(out);
            return out;
        }
    }

    private static float[] warpDepth(DepthPlane plane, int w, int h, Mat affine) {
        try (Mat src = new Mat(h, w, CV_32FC1); Mat dst = new Mat(); Size size = new Size(w, h);
             Scalar none = new Scalar(DepthPlane.NO_DEPTH)) {
            new FloatPointer(src.data()).put(plane.toArray());
            warpAffine(src, dst, affine, size, INTER_NEAREST, BORDER_CONSTANT, none);
            float[] out = new float[w * h];
            new FloatPointer(dst.data()).get(out);
            return out;
        }
    }
}
