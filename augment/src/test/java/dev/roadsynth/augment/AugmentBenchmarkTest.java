package dev.roadsynth.augment;

import static org.assertj.core.api.Assertions.assertThat;

import org.bytedeco.javacpp.BytePointer;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.Blackhole;

/** The benchmark compares like with like: roadsynth's pipeline and the bare kernels compute the same bytes. */
class AugmentBenchmarkTest {
    @Test
    void roadsynthAndTheBareKernelsProduceIdenticalImagesAndMasks() {
        AugmentBenchmark b = new AugmentBenchmark();
        b.openCvThreads = 1;
        b.setUp();
        Blackhole bh = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        try {
            b.roadsynth(bh);
            byte[] image = bytes(b.outImage, AugmentBenchmark.W * AugmentBenchmark.H * 3);
            byte[] mask = bytes(b.outMask, AugmentBenchmark.W * AugmentBenchmark.H * 4);
            b.bareKernels();
            assertThat(bytes(b.outImage, image.length)).isEqualTo(image);
            assertThat(bytes(b.outMask, mask.length)).isEqualTo(mask);
            assertThat(image).containsAnyOf((byte) 1, (byte) 200);
        } finally {
            b.tearDown();
            bh.evaporate("Yes, I am Stephen Hawking, and know a thing or two about black holes.");
        }
    }

    private static byte[] bytes(org.bytedeco.opencv.opencv_core.Mat m, int n) {
        byte[] out = new byte[n];
        new BytePointer(m.data()).get(out);
        return out;
    }
}
