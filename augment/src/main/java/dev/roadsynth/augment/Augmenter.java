package dev.roadsynth.augment;

import static org.bytedeco.opencv.global.opencv_core.CV_16UC2;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import dev.roadsynth.core.DepthPlane;
import dev.roadsynth.core.Frame;
import dev.roadsynth.core.IdPlane;
import dev.roadsynth.core.RgbImage;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Applies drawn augmentation parameters to a frame: one warp per target (the geometric transforms already
 * composed into one matrix), one colour pass and the photometric effects for the image, through OpenCV.
 * The image is resampled bilinearly; class ids, instance ids and depth by nearest neighbour, so every output id
 * is an input id or the fill id, exactly (ids are warped as two 16-bit halves, never through floating point).
 * Stateless.
 */
public final class Augmenter {
    private Augmenter() {
    }

    /**
     * The augmented frame, of the geometry's output size (the input's unless it crops, pads or resizes), with depth
     * where the input has it.
     *
     * @param fillClass class id for pixels the warp brings in from outside the image (an ignore class)
     */
    public static Frame apply(Frame frame, AugmentSpec.Params params, int fillClass) {
        int w = frame.width();
        int h = frame.height();
        int ow = params.geometry().width(w);
        int oh = params.geometry().height(h);
        byte[] rgb = new byte[ow * oh * 3];
        int[] cls = new int[ow * oh];
        int[] inst = new int[ow * oh];
        float[] depth = frame.hasDepth() ? new float[ow * oh] : null;
        try (Mat src = new Mat(h, w, CV_8UC3); Mat dst = new Mat(oh, ow, CV_8UC3)) {
            new BytePointer(src.data()).put(frame.rgb().toArray());
            Warp.image(src, dst, w, h, params);
            new BytePointer(dst.data()).get(rgb);
        }
        try (Mat src = new Mat(h, w, CV_16UC2); Mat dst = new Mat(oh, ow, CV_16UC2)) {
            // An int in native (little-endian) order is its low 16 bits, then its high 16 bits.
            new IntPointer(src.data()).put(frame.semantic().toArray());
            Warp.ids(src, dst, w, h, params.geometry(), fillClass);
            new IntPointer(dst.data()).get(cls);
            new IntPointer(src.data()).put(frame.instance().toArray());
            Warp.ids(src, dst, w, h, params.geometry(), 0);
            new IntPointer(dst.data()).get(inst);
        }
        if (depth != null) {
            try (Mat src = new Mat(h, w, CV_32FC1); Mat dst = new Mat(oh, ow, CV_32FC1)) {
                new FloatPointer(src.data()).put(frame.depth().toArray());
                Warp.depth(src, dst, w, h, params.geometry());
                new FloatPointer(dst.data()).get(depth);
            }
        }
        return new Frame(frame.labels(), RgbImage.adopt(ow, oh, rgb), IdPlane.adopt(ow, oh, cls),
                IdPlane.adopt(ow, oh, inst), depth == null ? null : DepthPlane.adopt(ow, oh, depth));
    }

    /** Geometry and colour only. */
    public static Frame apply(Frame frame, GeometryParams geometry, ColorParams colour, int fillClass) {
        return apply(frame, new AugmentSpec.Params(geometry, colour), fillClass);
    }
}
