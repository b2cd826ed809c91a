package dev.roadsynth.core.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roadsynth.core.IdPlane;
import dev.roadsynth.core.Label;
import dev.roadsynth.core.LabelSet;
import dev.roadsynth.core.Rgb;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntBinaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Counts of planes drawn from rectangles, checked against totals worked out by hand from the rectangles' sizes (not
 * from the code), and the weights' formulas applied to those hand counts.
 */
class LabelStatisticsTest {
    private static final int BACKGROUND = 0;
    private static final int ROAD = 1;
    private static final int CAR = 2;
    private static final int PERSON = 3;
    private static final int SIGN = 4;

    /** background ignored; road and sign share no train id; car and person have instances. */
    private static final LabelSet TABLE = LabelSet.of(List.of(
            new Label("background", BACKGROUND, 255, "void", false, true, new Rgb(0, 0, 0)),
            new Label("road", ROAD, 0, "flat", false, false, new Rgb(128, 64, 128)),
            new Label("car", CAR, 1, "vehicle", true, false, new Rgb(0, 0, 142)),
            new Label("person", PERSON, 2, "human", true, false, new Rgb(220, 20, 60)),
            new Label("sign", SIGN, 4, "object", false, false, new Rgb(220, 220, 0))));

    private static IdPlane plane(int w, int h, IntBinaryOperator id) {
        int[] ids = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                ids[y * w + x] = id.applyAsInt(x, y);
            }
        }
        return IdPlane.adopt(w, h, ids);
    }

    /**
     * 40x30: rows 0-9 background, rows 10-29 road; a car (instance 7) on x 0-19, y 10-29; a person (instance 9) on
     * x 30-31, all rows; id 99 at (39, 29) and 0xffffffff at (38, 29), both unknown. A car pixel without an instance
     * at (25, 5) and a background pixel with instance 3 at (0, 0) (background has no instances).
     */
    private static LabelStatistics.Counts first(LabelStatistics s) {
        IdPlane classes = plane(40, 30, (x, y) -> x == 39 && y == 29 ? 99 : x == 38 && y == 29 ? -1
                : x == 30 || x == 31 ? PERSON : x == 25 && y == 5 ? CAR : y < 10 ? BACKGROUND : x < 20 ? CAR : ROAD);
        IdPlane instances = plane(40, 30, (x, y) -> x == 30 || x == 31 ? 9 : x == 0 && y == 0 ? 3
                : y >= 10 && x < 20 ? 7 : 0);
        return s.count("train", classes, instances);
    }

    /** 10x10 road, split val. */
    private static LabelStatistics.Counts second(LabelStatistics s) {
        return s.count("val", plane(10, 10, (x, y) -> ROAD), plane(10, 10, (x, y) -> 0));
    }

    /** 100x100 one car (instance 5); instance 5 again on a person block x 0-49, y 0-0 (another instance: its class differs). */
    private static LabelStatistics.Counts third(LabelStatistics s) {
        return s.count("train", plane(100, 100, (x, y) -> y == 0 && x < 50 ? PERSON : CAR), plane(100, 100, (x, y) -> 5));
    }

    @Test
    void countsMatchTheRectanglesWorkedOutByHand() {
        LabelStatistics s = new LabelStatistics(TABLE);
        LabelStatistics.Counts c = first(s);
        // background: 400 in rows 0-9, less the person's 20 and the car pixel at (25, 5): 379.
        // car: 20 x 20 + 1 = 401. person: 2 x 30 = 60. road: 20 x 20 - 2 x 20 (person) - 2 (unknown) = 358.
        assertThat(c.classPixels()).containsExactly(379, 358, 401, 60, 0);
        assertThat(c.unknownIds()).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of(99L, 1L, 4294967295L, 1L)));
        assertThat(c.instances()).containsExactlyInAnyOrder(
                new LabelStatistics.Instance(CAR, 400, 20, Float.NaN), new LabelStatistics.Instance(PERSON, 60, 30, Float.NaN));
        assertThat(third(s).instances()).containsExactlyInAnyOrder(
                new LabelStatistics.Instance(CAR, 9950, 100, Float.NaN), new LabelStatistics.Instance(PERSON, 50, 1, Float.NaN));
    }

    @Test
    void totalsSharesAndWeightsFollowTheirDefinitions() {
        LabelStatistics s = new LabelStatistics(TABLE);
        s.add(first(s));
        s.add(second(s));
        s.add(third(s));
        LabelStatistics.Report r = s.report();
        assertThat(r.samples()).isEqualTo(3);
        assertThat(r.splits()).containsExactly(Map.entry("train", 2L), Map.entry("val", 1L));
        assertThat(r.sizes()).containsExactly(Map.entry("100x100", 1L), Map.entry("10x10", 1L), Map.entry("40x30", 1L));
        long pixels = 1200 + 100 + 10000;
        assertThat(r.pixels()).isEqualTo(pixels);
        long road = 358 + 100;
        long car = 401 + 9950;
        long person = 60 + 50;
        assertThat(r.ignoredPixels()).isEqualTo(379 + 2);
        assertThat(r.classes()).extracting(LabelStatistics.ClassTotals::pixels).containsExactly(379L, road, car, person, 0L);
        assertThat(r.classes()).extracting(LabelStatistics.ClassTotals::samples).containsExactly(1L, 2L, 2L, 2L, 0L);
        LabelStatistics.ClassTotals cars = r.classes().get(CAR);
        assertThat(cars.pixelShare()).isEqualTo((double) car / pixels);
        // 400 pixels (small), 20 rows (below 25); 9950 pixels (large), 100 rows (at least 40).
        assertThat(List.of(cars.instances(), cars.small(), cars.medium(), cars.large(), cars.tall(), cars.mid(), cars.low()))
                .containsExactly(2L, 1L, 0L, 1L, 1L, 0L, 1L);
        LabelStatistics.ClassTotals people = r.classes().get(PERSON);
        assertThat(List.of(people.instances(), people.small(), people.tall(), people.mid(), people.low()))
                .containsExactly(2L, 2L, 0L, 1L, 1L);
        assertThat(r.unknownIds()).containsOnlyKeys(99L, 4294967295L);

        // Train ids 0 (road), 1 (car), 2 (person), 4 (sign, no pixels); 3 maps to no class.
        assertThat(r.trainIds()).extracting(LabelStatistics.TrainIdTotals::trainId).containsExactly(0, 1, 2, 4);
        double fRoad = (double) road / (1200 + 100);
        double fCar = (double) car / (1200 + 10000);
        double fPerson = (double) person / (1200 + 10000);
        double median = List.of(fRoad, fCar, fPerson).stream().sorted().toList().get(1);
        assertThat(r.medianFrequencyWeights()).containsExactly(
                new double[] {median / fRoad, median / fCar, median / fPerson, 0, 0}, within(1e-12));
        long notIgnored = road + car + person;
        assertThat(r.enetWeights()).containsExactly(new double[] {1 / Math.log(1.02 + (double) road / notIgnored),
                1 / Math.log(1.02 + (double) car / notIgnored), 1 / Math.log(1.02 + (double) person / notIgnored), 0, 0},
                within(1e-12));
        assertThat(r.trainIds().get(3).classes()).containsExactly("sign");
    }

    @Test
    void nearestDepthIsTheSmallestDepthOfAnInstancesPixelsBucketedAtItsBounds() throws Exception {
        // 10x1, five cars of two pixels each; depth 0 (nothing hit) never counts as near.
        float[] metres = {9.5f, 12, 10, 0, 39.99f, 50, 79.9f, 80, 80, 100};
        LabelStatistics s = new LabelStatistics(TABLE);
        LabelStatistics.Counts c = s.count("train", plane(10, 1, (x, y) -> CAR), plane(10, 1, (x, y) -> 1 + x / 2),
                dev.roadsynth.core.DepthPlane.copyOf(10, 1, metres));
        assertThat(c.instances()).extracting(LabelStatistics.Instance::nearestDepth)
                .containsExactly(9.5f, 10f, 39.99f, 79.9f, 80f);
        LabelStatistics without = new LabelStatistics(TABLE);
        without.add(second(without));
        assertThat(without.report().samplesWithDepth()).isZero();
        assertThat(without.report().classes().get(CAR).depth()).isNull();
        assertThat(new ObjectMapper().readTree(without.report().toJson(null)).get("classes").get(CAR).has("nearestDepth")).isFalse();
        s.add(c);
        s.add(second(s)); // a sample without depth adds no instance to the buckets
        LabelStatistics.Report r = s.report();
        assertThat(r.samplesWithDepth()).isEqualTo(1);
        assertThat(r.classes().get(CAR).depth()).isEqualTo(new LabelStatistics.DepthBuckets(1, 1, 1, 1, 1));
        assertThat(r.classes().get(PERSON).depth()).isEqualTo(new LabelStatistics.DepthBuckets(0, 0, 0, 0, 0));
        assertThat(new ObjectMapper().readTree(r.toJson(null)).get("classes").get(CAR).get("nearestDepth").get("below80")
                .asLong()).isEqualTo(1);
        assertThatThrownBy(() -> s.count("train", plane(10, 1, (x, y) -> CAR), plane(10, 1, (x, y) -> 0),
                dev.roadsynth.core.DepthPlane.copyOf(5, 2, metres))).hasMessageContaining("depth plane 5x2");
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        LabelStatistics s = new LabelStatistics(TABLE);
        s.add(s.count("train", plane(4, 1, (x, y) -> x < 3 ? ROAD : CAR), plane(4, 1, (x, y) -> 0)));
        // freq road 3/4, car 1/4; median 1/2.
        assertThat(s.report().medianFrequencyWeights()).containsExactly(new double[] {2.0 / 3, 2, 0, 0, 0}, within(1e-12));
        assertThat(s.report().classes().get(CAR).instances()).isZero(); // car pixels without an instance id
    }

    @Test
    void theReportIsTheSameWhateverTheOrderOfAdding() throws Exception {
        SplittableRandom rng = new SplittableRandom(42);
        LabelStatistics s = new LabelStatistics(TABLE);
        List<LabelStatistics.Counts> counts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            int w = 8 + rng.nextInt(20);
            int h = 4 + rng.nextInt(12);
            int[] cls = rng.ints((long) w * h, 0, 6).toArray(); // 5 is not in the table
            int[] ins = rng.ints((long) w * h, 0, 4).toArray();
            counts.add(s.count(i % 3 == 0 ? "val" : "train", IdPlane.adopt(w, h, cls), IdPlane.adopt(w, h, ins)));
        }
        LabelStatistics forward = new LabelStatistics(TABLE);
        counts.forEach(forward::add);
        Collections.reverse(counts);
        LabelStatistics backward = new LabelStatistics(TABLE);
        counts.forEach(backward::add);
        assertThat(backward.report()).isEqualTo(forward.report());
        byte[] json = forward.report().toJson(null);
        assertThat(backward.report().toJson(null)).isEqualTo(json);
        // Every pixel is counted once: in a class or among the unknown ids.
        LabelStatistics.Report r = forward.report();
        long counted = r.classes().stream().mapToLong(LabelStatistics.ClassTotals::pixels).sum()
                + r.unknownIds().values().stream().mapToLong(Long::longValue).sum();
        assertThat(counted).isEqualTo(r.pixels());
        JsonNode tree = new ObjectMapper().readTree(json);
        assertThat(tree.get("samples").asLong()).isEqualTo(12);
        assertThat(tree.get("unknownIds").get("5").asLong()).isEqualTo(r.unknownIds().get(5L));
        assertThat(tree.get("classes").get(CAR).get("area").get("small").asLong()).isEqualTo(r.classes().get(CAR).small());
        assertThat(tree.get("classes").get(ROAD).has("instances")).isFalse();
        assertThat(tree.get("weights").get("medianFrequency").size()).isEqualTo(5);
    }

    @Test
    void planesOfDifferentSizesAreRefused() {
        LabelStatistics s = new LabelStatistics(TABLE);
        assertThatThrownBy(() -> s.count("train", plane(4, 4, (x, y) -> 0), plane(4, 3, (x, y) -> 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4x3").hasMessageContaining("4x4");
    }
}
