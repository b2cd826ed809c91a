package dev.roadsynth.augment;

import static org.bytedeco.opencv.global.opencv_core.CV_16UC2;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Augmentation of batches held in ND4J arrays, each sample with its own drawn parameters: images NHWC uint8
 * (RGB), class and instance ids N x H x W int32, depth N x H x W float32 (optional). OpenCV warps straight from
 * and into the arrays' native memory: inputs that are already dense row-major arrays are read in place (views and
 * other orders are copied once), outputs are new arrays. Same rules as {@link Augmenter}, through the same code.
 * {@link #toNchw} and {@link #fromNchw} convert images to and from the NCHW float32 layout most training code
 * takes.
 */
public final class BatchAugmenter {
    private BatchAugmenter() {
    }

    /** Augmented copies of the inputs; {@code depth} may be null (and then so is the result's). */
    public record Batch(INDArray images, INDArray classes, INDArray instances, INDArray depth) {
    }

    public static Batch apply(INDArray images, INDArray classes, INDArray instances, INDArray depth,
                              List<AugmentSpec.Params> params, int fillClass) {
        long[] s = images.shape();
        check("images", images, DataType.UINT8, 4, s.length == 4 && s[3] == 3, "N x H x W x 3");
        int n = (int) s[0];
        int h = (int) s[1];
        int w = (int) s[2];
        check("classes", classes, DataType.INT32, 3, Arrays.equals(classes.shape(), new long[] {n, h, w}), n + " x " + h + " x " + w);
        check("instances", instances, DataType.INT32, 3, Arrays.equals(instances.shape(), new long[] {n, h, w}), n + " x " + h + " x " + w);
        if (depth != null) {
            check("depth", depth, DataType.FLOAT, 3, Arrays.equals(depth.shape(), new long[] {n, h, w}), n + " x " + h + " x " + w);
        }
        if (params.size() != n) {
            throw new IllegalArgumentException("params: expected one set per sample (" + n + "), got " + params.size());
        }
        INDArray in = contiguous(images);
        INDArray ci = contiguous(classes);
        INDArray ii = contiguous(instances);
        INDArray di = depth == null ? null : contiguous(depth);
        int ow = n == 0 ? w : params.get(0).geometry().width(w);
        int oh = n == 0 ? h : params.get(0).geometry().height(h);
        for (AugmentSpec.Params p : params) {
            if (p.geometry().width(w) != ow || p.geometry().height(h) != oh) {
                throw new IllegalArgumentException("params: every sample of a batch needs the same output size; got "
                        + ow + "x" + oh + " and " + p.geometry().width(w) + "x" + p.geometry().height(h));
            }
        }
        INDArray outImages = Nd4j.create(DataType.UINT8, n, oh, ow, 3);
        INDArray outClasses = Nd4j.create(DataType.INT32, n, oh, ow);
        INDArray outInstances = Nd4j.create(DataType.INT32, n, oh, ow);
        INDArray outDepth = depth == null ? null : Nd4j.create(DataType.FLOAT, n, oh, ow);
        long pixels = (long) h * w;
        long outPixels = (long) oh * ow;
        for (int k = 0; k < n; k++) {
            AugmentSpec.Params p = params.get(k);
            try (Mat src = view(in, k * pixels * 3, h, w, CV_8UC3); Mat dst = view(outImages, k * outPixels * 3, oh, ow, CV_8UC3)) {
                Warp.image(src, dst, w, h, p);
            }
            // Ids as two 16-bit halves (little-endian int: low half first): nearest neighbour, exact.
            try (Mat cs = view(ci, k * pixels * 4, h, w, CV_16UC2); Mat cd = view(outClasses, k * outPixels * 4, oh, ow, CV_16UC2);
                 Mat is = view(ii, k * pixels * 4, h, w, CV_16UC2); Mat id = view(outInstances, k * outPixels * 4, oh, ow, CV_16UC2)) {
                Warp.ids(cs, cd, w, h, p.geometry(), fillClass);
                Warp.ids(is, id, w, h, p.geometry(), 0);
            }
            if (di != null) {
                try (Mat ds = view(di, k * pixels * 4, h, w, CV_32FC1); Mat dd = view(outDepth, k * outPixels * 4, oh, ow, CV_32FC1)) {
                    Warp.depth(ds, dd, w, h, p.geometry());
                }
            }
        }
        return new Batch(outImages, outClasses, outInstances, outDepth);
    }

    /**
     * NHWC uint8 images as a new NCHW float32 array, each value times {@code scale} (1 / 255f for 0..1).
     */
    public static INDArray toNchw(INDArray images, float scale) {
        long[] s = images.shape();
        check("images", images, DataType.UINT8, 4, s.length == 4 && s[3] == 3, "N x H x W x 3");
        return images.castTo(DataType.FLOAT).permute(0, 3, 1, 2).dup('c').muli(scale);
    }

    /**
     * NCHW float32 images (3 channels) as a new NHWC uint8 array: each value divided by {@code scale}, rounded to
     * the nearest integer and clamped to 0..255. The way in for float batches: augmentation works on 8 bits.
     */
    public static INDArray fromNchw(INDArray images, float scale) {
        long[] s = images.shape();
        check("images", images, DataType.FLOAT, 4, s.length == 4 && s[1] == 3, "N x 3 x H x W");
        INDArray v = images.div(scale);
        v = org.nd4j.linalg.ops.transforms.Transforms.round(v, false);
        v = org.nd4j.linalg.ops.transforms.Transforms.max(v, 0, false);
        v = org.nd4j.linalg.ops.transforms.Transforms.min(v, 255, false);
        return v.permute(0, 2, 3, 1).dup('c').castTo(DataType.UINT8);
    }

    /** The array itself when it is dense and row-major (OpenCV can read it in place), else a dense copy. */
    private static INDArray contiguous(INDArray a) {
        return a.ordering() == 'c' && !a.isView() && a.offset() == 0 ? a : a.dup('c');
    }

    /** An OpenCV matrix over an array's native memory, {@code byteOffset} bytes from its start. No copy. */
    private static Mat view(INDArray a, long byteOffset, int h, int w, int type) {
        Pointer base = a.data().pointer();
        BytePointer at = new BytePointer(base).position(a.offset() * a.dataType().width() + byteOffset);
        return new Mat(h, w, type, at);
    }

    private static void check(String name, INDArray a, DataType type, int rank, boolean shapeOk, String shape) {
        if (a.dataType() != type || a.rank() != rank || !shapeOk) {
            throw new IllegalArgumentException(name + ": expected " + type + " of shape " + shape + ", got "
                    + a.dataType() + " of shape " + Arrays.toString(a.shape()));
        }
    }
}
