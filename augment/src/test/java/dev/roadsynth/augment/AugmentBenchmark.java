package dev.roadsynth.augment;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_16UC2;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.LUT;
import static org.bytedeco.opencv.global.opencv_core.merge;
import static org.bytedeco.opencv.global.opencv_core.split;
import static org.bytedeco.opencv.global.opencv_core.transform;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_HSV2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2HSV;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import dev.roadsynth.core.Box2;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Issue #5's benchmark: one 1024x512 RGB image, its 32-bit class mask and 20 boxes, augmented by rotation 7 degrees
 * plus a stretch plus colour jitter. Three ways, side by side in one run:
 * <ul>
 *   <li>{@code roadsynth}: what {@link BatchAugmenter} does per sample (one composed warp per target, one 3x4
 *       colour matrix, boxes through the same matrix);</li>
 *   <li>{@code sequentialChain}: the chain Albumentations performs, through the same OpenCV: warp image, warp mask,
 *       brightness and contrast passes, then an HSV round trip for hue and saturation;</li>
 *   <li>{@code bareKernels}: the floor, two preallocated warps and one colour-matrix transform, no bookkeeping.</li>
 * </ul>
 * All three warp the same 32-bit mask (as two 16-bit channels), so the comparison isolates the pipeline's cost.
 * Run: see docs/PERFORMANCE.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AugmentBenchmark {
    static final int W = 1024;
    static final int H = 512;
    static final GeometryParams GEOMETRY = new GeometryParams(7, 1.1, 0.95, 0, 0, 0, false);
    static final ColorParams COLOUR = new ColorParams(1.1, 0.9, 1.2, 10);
    static final AugmentSpec.Params PARAMS = new AugmentSpec.Params(GEOMETRY, COLOUR);

    /** OpenCV's own worker threads inside one call; 0 = OpenCV's default (all cores), 1 = none. */
    @Param("1")
    int openCvThreads;

    Mat image;
    Mat mask;
    Mat outImage;
    Mat outMask;
    Mat scratch;
    Box2[] boxes;
    Mat affineCv;
    Mat colourMatrix;
    Mat hueLut;
    Size size;
    Scalar black;

    @Setup(Level.Trial)
    public void setUp() {
        org.bytedeco.opencv.global.opencv_core.setNumThreads(openCvThreads == 0 ? -1 : openCvThreads);
        SplittableRandom rng = new SplittableRandom(1);
        image = new Mat(H, W, CV_8UC3);
        byte[] rgb = new byte[W * H * 3];
        rng.nextBytes(rgb);
        new BytePointer(image.data()).put(rgb);
        mask = new Mat(H, W, CV_16UC2);
        int[] ids = new int[W * H];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = ((i % W) / 64 + (i / W) / 32) % 19;
        }
        new IntPointer(mask.data()).put(ids);
        outImage = new Mat(H, W, CV_8UC3);
        outMask = new Mat(H, W, CV_16UC2);
        scratch = new Mat(H, W, CV_8UC3);
        boxes = new Box2[20];
        for (int i = 0; i < boxes.length; i++) {
            int x = rng.nextInt(W - 100);
            int y = rng.nextInt(H - 100);
            boxes[i] = new Box2(x, y, x + 20 + rng.nextInt(80), y + 20 + rng.nextInt(80));
        }
        affineCv = Warp.matrix(GEOMETRY, W, H); // 2x3: the geometry has no tilt
        colourMatrix = new Mat(3, 4, CV_64F);
        new DoublePointer(colourMatrix.data()).put(COLOUR.matrix());
        hueLut = new Mat(1, 256, CV_8UC1);
        byte[] lut = new byte[256];
        for (int i = 0; i < 256; i++) {
            // OpenCV's 8-bit hue runs 0..179 (2 degrees a step): shift by 10 degrees = 5 steps, wrapping.
            lut[i] = (byte) (i < 180 ? (i + 5) % 180 : i);
        }
        new BytePointer(hueLut.data()).put(lut);
        size = new Size(W, H);
        black = new Scalar(0.0);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (var p : new org.bytedeco.javacpp.Pointer[] {image, mask, outImage, outMask, scratch, affineCv,
                colourMatrix, hueLut, size, black}) {
            p.close();
        }
    }

    @Benchmark
    public void roadsynth(Blackhole bh) {
        pipeline(PARAMS, bh);
    }

    private void pipeline(AugmentSpec.Params params, Blackhole bh) {
        Warp.image(image, outImage, W, H, params);
        Warp.ids(mask, outMask, W, H, params.geometry(), 0);
        for (Box2 b : boxes) {
            bh.consume(Boxes.transform(b, params.geometry(), W, H));
        }
    }

    static final AugmentSpec.Params PARAMS_HSV = new AugmentSpec.Params(GEOMETRY,
            new ColorParams(1.1, 0.9, 1.2, 10, true));

    /** The same with {@code exactHsv}: an HSV round trip instead of the colour matrix. */
    @Benchmark
    public void roadsynthExactHsv(Blackhole bh) {
        pipeline(PARAMS_HSV, bh);
    }

    @Benchmark
    public void sequentialChain(Blackhole bh) {
        warpAffine(image, scratch, affineCv, size, INTER_LINEAR, BORDER_CONSTANT, black);
        warpAffine(mask, outMask, affineCv, size, INTER_NEAREST, BORDER_CONSTANT, black);
        scratch.convertTo(outImage, -1, 1.1, 0); // brightness
        outImage.convertTo(scratch, -1, 0.9, 128 * (1 - 0.9)); // contrast about mid-grey
        try (Mat hsv = new Mat(); MatVector ch = new MatVector()) {
            cvtColor(scratch, hsv, COLOR_RGB2HSV);
            split(hsv, ch);
            try (Mat h = ch.get(0); Mat s = ch.get(1); Mat h2 = new Mat(); Mat s2 = new Mat()) {
                LUT(h, hueLut, h2);
                s.convertTo(s2, -1, 1.2, 0);
                try (MatVector out = new MatVector(h2, s2, ch.get(2))) {
                    merge(out, hsv);
                }
            }
            cvtColor(hsv, outImage, COLOR_HSV2RGB);
        }
        for (Box2 b : boxes) {
            bh.consume(Boxes.transform(b, GEOMETRY, W, H));
        }
    }

    @Benchmark
    public void bareKernels() {
        warpAffine(image, scratch, affineCv, size, INTER_LINEAR, BORDER_CONSTANT, black);
        warpAffine(mask, outMask, affineCv, size, INTER_NEAREST, BORDER_CONSTANT, black);
        transform(scratch, outImage, colourMatrix);
    }
}
