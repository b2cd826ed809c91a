package dev.roadsynth.core.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roadsynth.core.LabelSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Levels at their boundaries, from COCO files written here by hand. */
class AnnotationStatisticsTest {
    private static final int PERSON = 24;
    private static final int CAR = 26;

    private static String annotation(int id, int category, double visible, double truncation, int height) {
        return "{\"id\": " + id + ", \"image_id\": 0, \"category_id\": " + category + ", \"bbox\": [0, 0, 1, 1],"
                + " \"segmentation\": {\"size\": [9, 9], \"counts\": [0, 1]}, \"amodal_bbox\": [3, 4, 10, " + height + "],"
                + " \"visible_fraction\": " + visible + ", \"truncation\": " + truncation + "}";
    }

    private static Path coco(Path dir, String... annotations) throws Exception {
        Path f = dir.resolve("instances_train.json");
        // Other members before and after the annotations, nested, as in real files.
        Files.writeString(f, "{\"images\": [{\"id\": 0, \"file_name\": \"train/000000.png\"}], \"annotations\": ["
                + String.join(", ", annotations) + "], \"categories\": [{\"id\": 24, \"name\": \"person\"}]}");
        return f;
    }

    @Test
    void levelsFollowKittisThresholdsAtTheirBoundaries(@TempDir Path dir) throws Exception {
        AnnotationStatistics s = new AnnotationStatistics(LabelSet.cityscapes());
        s.add(coco(dir,
                annotation(1, CAR, 0.99, 0.15, 40),   // visible, <= .15, easy
                annotation(2, CAR, 0.989, 0.15, 40),  // partly, moderate
                annotation(3, CAR, 0.5, 0.30, 25),    // partly, <= .30, moderate
                annotation(4, CAR, 0.49, 0.30, 25),   // largely, hard
                annotation(5, CAR, 1.0, 0.50, 100),   // visible, <= .50, hard
                annotation(6, CAR, 1.0, 0.51, 100),   // > .50, beyond
                annotation(7, CAR, 1.0, 0.0, 24),     // too low: beyond
                annotation(8, PERSON, 1.0, 0.0, 39),  // visible, moderate (below 40 px)
                // An object the policy left out: an ignore region, not counted.
                annotation(9, CAR, 1.0, 0.0, 100).replace("\"image_id\"", "\"iscrowd\": 1, \"image_id\"")));
        AnnotationStatistics.Report r = s.report();
        assertThat(r.annotations()).isEqualTo(8);
        AnnotationStatistics.CategoryTotals car = r.categories().stream()
                .filter(c -> c.label().id() == CAR).findFirst().orElseThrow();
        assertThat(List.of(car.annotations(), car.visible(), car.partly(), car.largely()))
                .containsExactly(7L, 4L, 2L, 1L);
        assertThat(List.of(car.truncatedAtMost15(), car.truncatedAtMost30(), car.truncatedAtMost50(), car.truncatedMore()))
                .containsExactly(3L, 2L, 1L, 1L);
        assertThat(List.of(car.easy(), car.moderate(), car.hard(), car.beyond())).containsExactly(1L, 2L, 2L, 2L);
        AnnotationStatistics.CategoryTotals person = r.categories().get(0);
        assertThat(person.label().id()).isEqualTo(PERSON);
        assertThat(List.of(person.easy(), person.moderate())).containsExactly(0L, 1L);
        // Only classes with instances are categories, in table order.
        assertThat(r.categories()).extracting(c -> c.label().name()).containsExactly(
                "person", "rider", "car", "truck", "bus", "caravan", "trailer", "train", "motorcycle", "bicycle");
    }

    @Test
    void annotationsOfOtherFilesAreRefusedNamingTheFileAndAnnotation(@TempDir Path dir) throws Exception {
        AnnotationStatistics s = new AnnotationStatistics(LabelSet.cityscapes());
        Path road = coco(dir, annotation(11, 7, 1, 0, 50)); // road has no instances
        assertThatThrownBy(() -> s.add(road)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("instances_train.json").hasMessageContaining("annotation 11 has category 7");
        Path plain = coco(dir, "{\"id\": 12, \"category_id\": 26, \"bbox\": [0, 0, 1, 1]}"); // a COCO file of another tool
        assertThatThrownBy(() -> s.add(plain)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("annotation 12 lacks").hasMessageContaining("visible_fraction");
    }
}
