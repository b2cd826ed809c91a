package dev.roadsynth.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roadsynth.core.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The ND4J batch path gives, sample by sample, exactly what the frame path gives. */
class BatchAugmenterTest {
    @Test
    void eachSampleOfABatchEqualsTheSingleSampleResult() {
        assertBatchMatchesFrames(SpecAndBoxesTest.SPEC);
    }

    @Test
    void tiltedCroppedAndExactHsvBatchesEqualTheFramePathToo() {
        assertBatchMatchesFrames(new AugmentSpec(Range.of(-5, 5), Range.of(0.9, 1.1), Range.off(1), Range.off(0),
                Range.of(-0.1, 0.1), Range.of(-0.1, 0.1), 0.5, Range.of(0.8, 1.2), Range.off(1), Range.of(0.5, 1.5),
                Range.of(-20, 20), Range.off(1), Range.off(0), Range.off(0), Range.of(-0.3, 0.3), 64, 40, true));
    }

    @Test
    void aBatchWithMixedOutputSizesIsRejected() {
        INDArray images = Nd4j.create(DataType.UINT8, 2, 4, 4, 3);
        INDArray ids = Nd4j.create(DataType.INT32, 2, 4, 4);
        var same = new AugmentSpec.Params(GeometryParams.IDENTITY, ColorParams.IDENTITY);
        var crop = new AugmentSpec.Params(new GeometryParams(0, 1, 1, 0, 0, 0, false, 0, 0, 2, 2), ColorParams.IDENTITY);
        assertThatThrownBy(() -> BatchAugmenter.apply(images, ids, ids, null, List.of(same, crop), 0))
                .hasMessageContaining("same output size; got 4x4 and 2x2");
    }

    private static void assertBatchMatchesFrames(AugmentSpec spec) {
        Frame f = AugmenterTest.frame();
        int n = 3;
        int h = f.height();
        int w = f.width();
        INDArray images = Nd4j.create(DataType.UINT8, n, h, w, 3);
        INDArray classes = Nd4j.create(DataType.INT32, n, h, w);
        INDArray instances = Nd4j.create(DataType.INT32, n, h, w);
        INDArray depth = Nd4j.create(DataType.FLOAT, n, h, w);
        byte[] rgb = f.rgb().toArray();
        int[] cls = f.semantic().toArray();
        int[] inst = f.instance().toArray();
        float[] d = f.depth().toArray();
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < w * h; i++) {
                for (int c = 0; c < 3; c++) {
                    images.putScalar(new long[] {k, i / w, i % w, c}, rgb[3 * i + c] & 0xff);
                }
                classes.putScalar(new long[] {k, i / w, i % w}, cls[i]);
                instances.putScalar(new long[] {k, i / w, i % w}, inst[i]);
                depth.putScalar(new long[] {k, i / w, i % w}, d[i]);
            }
        }
        SplittableRandom rng = new SplittableRandom(4);
        List<AugmentSpec.Params> params = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            params.add(spec.sample(rng, w, h));
        }
        var out = BatchAugmenter.apply(images, classes, instances, depth, params, 0);
        for (int k = 0; k < n; k++) {
            Frame single = Augmenter.apply(f, params.get(k), 0);
            w = single.width();
            h = single.height();
            assertThat(out.classes().shape()).containsExactly(n, h, w);
            byte[] srgb = single.rgb().toArray();
            for (int i = 0; i < w * h; i++) {
                for (int c = 0; c < 3; c++) {
                    assertThat(out.images().getInt(k, i / w, i % w, c)).as("sample %d pixel %d", k, i).isEqualTo(srgb[3 * i + c] & 0xff);
                }
                assertThat(out.classes().getInt(k, i / w, i % w)).isEqualTo(single.semantic().get(i % w, i / w));
                assertThat(out.instances().getInt(k, i / w, i % w)).isEqualTo(single.instance().get(i % w, i / w));
                assertThat(out.depth().getFloat(k, i / w, i % w)).isEqualTo(single.depth().get(i % w, i / w));
            }
        }
    }

    @Test
    void wrongShapesAndTypesNameExpectedAndActual() {
        INDArray images = Nd4j.create(DataType.FLOAT, 1, 4, 4, 3);
        INDArray ids = Nd4j.create(DataType.INT32, 1, 4, 4);
        assertThatThrownBy(() -> BatchAugmenter.apply(images, ids, ids, null, List.of(), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("images: expected UBYTE of shape N x H x W x 3, got FLOAT of shape [1, 4, 4, 3]");
        INDArray ok = Nd4j.create(DataType.UINT8, 1, 4, 4, 3);
        assertThatThrownBy(() -> BatchAugmenter.apply(ok, Nd4j.create(DataType.INT32, 1, 4, 5), ids, null, List.of(), 0))
                .hasMessageContaining("classes: expected INT of shape 1 x 4 x 4, got INT of shape [1, 4, 5]");
        assertThatThrownBy(() -> BatchAugmenter.apply(ok, ids, ids, null, List.of(), 0))
                .hasMessageContaining("expected one set per sample (1), got 0");
    }

    @Test
    void nchwFloatConversionMatchesElementArithmeticBothWays() {
        INDArray nhwc = Nd4j.create(DataType.UINT8, 2, 3, 4, 3);
        for (int k = 0; k < 2; k++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 4; x++) {
                    for (int c = 0; c < 3; c++) {
                        nhwc.putScalar(new long[] {k, y, x, c}, (k * 97 + y * 61 + x * 37 + c * 89) % 256);
                    }
                }
            }
        }
        INDArray nchw = BatchAugmenter.toNchw(nhwc, 1 / 255f);
        assertThat(nchw.shape()).containsExactly(2, 3, 3, 4);
        assertThat(nchw.dataType()).isEqualTo(DataType.FLOAT);
        for (int k = 0; k < 2; k++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 4; x++) {
                    for (int c = 0; c < 3; c++) {
                        int v = (k * 97 + y * 61 + x * 37 + c * 89) % 256;
                        assertThat(nchw.getFloat(k, c, y, x)).isEqualTo(v / 255f, org.assertj.core.data.Offset.offset(1e-6f));
                    }
                }
            }
        }
        assertThat(BatchAugmenter.fromNchw(nchw, 1 / 255f)).isEqualTo(nhwc);
        // Out-of-range floats clamp; halves round to the nearest integer.
        INDArray f = Nd4j.create(DataType.FLOAT, 1, 3, 1, 1);
        f.putScalar(new long[] {0, 0, 0, 0}, -3f);
        f.putScalar(new long[] {0, 1, 0, 0}, 300f);
        f.putScalar(new long[] {0, 2, 0, 0}, 7.6f);
        INDArray u = BatchAugmenter.fromNchw(f, 1);
        assertThat(new int[] {u.getInt(0, 0, 0, 0), u.getInt(0, 0, 0, 1), u.getInt(0, 0, 0, 2)}).containsExactly(0, 255, 8);
        assertThatThrownBy(() -> BatchAugmenter.fromNchw(Nd4j.create(DataType.FLOAT, 1, 4, 2, 2), 1))
                .hasMessageContaining("expected FLOAT of shape N x 3 x H x W, got FLOAT of shape [1, 4, 2, 2]");
    }

    @Test
    void viewsAndColumnMajorInputsGiveTheSameResultAsDenseOnes() {
        Frame f = AugmenterTest.frame();
        INDArray classes = Nd4j.create(DataType.INT32, 2, f.height(), f.width());
        int[] cls = f.semantic().toArray();
        for (int i = 0; i < cls.length; i++) {
            classes.putScalar(new long[] {1, i / f.width(), i % f.width()}, cls[i]);
        }
        INDArray images = Nd4j.create(DataType.UINT8, 2, f.height(), f.width(), 3);
        var p = new AugmentSpec.Params(new GeometryParams(9, 1.1, 0.9, 0, 3, -2, true), ColorParams.IDENTITY);
        var dense = BatchAugmenter.apply(images.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 2)).dup('c'),
                classes.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 2)).dup('c'),
                classes.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 2)).dup('c'), null, List.of(p), 0);
        var view = BatchAugmenter.apply(images.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 2)),
                classes.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 2)),
                classes.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 2)).dup('f'), null, List.of(p), 0);
        assertThat(view.classes()).isEqualTo(dense.classes());
        assertThat(view.instances()).isEqualTo(dense.classes());
        assertThat(dense.classes().getInt(0, f.height() / 2, f.width() / 2)).isNotZero();
    }
}
