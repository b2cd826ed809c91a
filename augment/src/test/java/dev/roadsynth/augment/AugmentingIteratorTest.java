package dev.roadsynth.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roadsynth.core.Frame;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

class AugmentingIteratorTest {
    static final Frame FRAME = AugmenterTest.frame();
    static final int FILL = 0;

    static List<DataSet> epoch(AugmentingIterator it) {
        List<DataSet> out = new ArrayList<>();
        while (it.hasNext()) {
            out.add(it.next());
        }
        return out;
    }

    @Test
    void batchesAreTheFramePathsResultsInIndexOrderWhateverTheThreads() {
        int count = 7;
        List<DataSet> one;
        List<DataSet> two;
        try (var a = new AugmentingIterator(i -> FRAME, count, 3, SpecAndBoxesTest.SPEC, 42, FILL, 1, 1);
             // The same through a pipeline carrying the spec and the fill class.
             var b = new AugmentingIterator(i -> FRAME, count, 3,
                     new Pipeline(SpecAndBoxesTest.SPEC, FILL, Pipeline.BoxMode.EXACT, false), 42, 2, 3)) {
            one = epoch(a);
            two = epoch(b);
            assertThat(one).hasSize(3);
            assertThat(one.get(2).getFeatures().shape()).containsExactly(1, 3, FRAME.height(), FRAME.width());
            assertThat(one.get(0).getLabels().shape()).containsExactly(3, 1, FRAME.height(), FRAME.width());
            for (int k = 0; k < 3; k++) {
                assertThat(two.get(k).getFeatures()).isEqualTo(one.get(k).getFeatures());
                assertThat(two.get(k).getLabels()).isEqualTo(one.get(k).getLabels());
            }
            // Sample 4 (batch 1, row 1) is the frame path with params(0, 4): pixel by pixel.
            Frame expected = Augmenter.apply(FRAME, a.params(0, 4, FRAME.width(), FRAME.height()), FILL);
            DataSet ds = one.get(1);
            for (int y = 0; y < FRAME.height(); y += 3) {
                for (int x = 0; x < FRAME.width(); x += 3) {
                    assertThat(ds.getLabels().getFloat(1, 0, y, x)).isEqualTo((float) expected.semantic().get(x, y));
                    int rgb = expected.rgb().rgb(x, y);
                    assertThat(ds.getFeatures().getFloat(1, 0, y, x)).isEqualTo(((rgb >> 16) & 0xff) / 255f);
                    assertThat(ds.getFeatures().getFloat(1, 2, y, x)).isEqualTo((rgb & 0xff) / 255f);
                }
            }
        }
    }

    @Test
    void resetStartsANewEpochWithNewDrawsAndLabelsStayValid() {
        Set<Float> allowed = new HashSet<>();
        for (int id : AugmenterTest.values(FRAME.semantic())) {
            allowed.add((float) id);
        }
        allowed.add((float) FILL);
        try (var it = new AugmentingIterator(i -> FRAME, 4, 4, SpecAndBoxesTest.SPEC, 7, FILL, 2, 2)) {
            DataSet first = epoch(it).get(0);
            assertThat(it.hasNext()).isFalse();
            assertThatThrownBy(it::next).hasMessageContaining("reset()");
            it.reset();
            assertThat(it.epoch()).isEqualTo(1);
            DataSet second = epoch(it).get(0);
            assertThat(second.getFeatures()).isNotEqualTo(first.getFeatures());
            for (float v : second.getLabels().data().asFloat()) {
                assertThat(allowed).contains(v);
            }
            assertThat(it.params(1, 2, 97, 61)).isEqualTo(it.params(1, 2, 97, 61)).isNotEqualTo(it.params(0, 2, 97, 61));
        }
    }

    @Test
    void framesOfDifferentOutputSizesInOneBatchAreNamed() {
        Frame small = Augmenter.apply(FRAME, new GeometryParams(0, 1, 1, 0, 0, 0, false, 0, 0, 50, 40),
                ColorParams.IDENTITY, FILL);
        try (var it = new AugmentingIterator(i -> i == 1 ? small : FRAME, 2, 2, AugmentSpec.NONE, 1, FILL, 1, 1)) {
            assertThatThrownBy(it::next).hasMessageContaining("frame 1: augmented to 50x40, but this batch is 97x61");
        }
        assertThatThrownBy(() -> new AugmentingIterator(i -> FRAME, 2, 0, AugmentSpec.NONE, 1, FILL, 1, 1))
                .hasMessageContaining("batchSize 0");
    }
}
