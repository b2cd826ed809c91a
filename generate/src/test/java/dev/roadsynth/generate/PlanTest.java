package dev.roadsynth.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roadsynth.augment.AugmentSpec;
import dev.roadsynth.augment.Pipeline;
import dev.roadsynth.scenes.spec.SceneSpec;
import dev.roadsynth.scenes.spec.SceneSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plan is made only if it obeys the rules of a dataset; each refusal names the component and what is allowed. */
class PlanTest {
    private static final SceneSpec HIGHWAY = SceneSpecs.preset("highway");
    private static final Path OUT = Path.of("target/never-written");

    private static Plan plan(List<SceneSpec> specs, long count, List<String> formats, long[] only,
                                        int shard, int shards, Augmentation augment) {
        return Plan.builder(specs, count, OUT).formats(formats).only(only).shard(shard, shards)
                .augment(augment).version("test").build();
    }

    private static void refused(ThrowingCallable making, String component, String detail) {
        assertThatThrownBy(making).isInstanceOfSatisfying(PlanException.class, e -> {
            assertThat(e.component().key()).isEqualTo(component);
            assertThat(e.detail()).startsWith(detail);
            assertThat(e.getMessage()).isEqualTo(component + ": " + e.detail());
        });
    }

    @Test
    void countsIndicesAndShardsOutsideTheirRangesAreRefused() {
        List<SceneSpec> one = List.of(HIGHWAY);
        List<String> raw = List.of("raw");
        refused(() -> plan(one, 0, raw, null, 0, 1, null), "count", "0 must be at least 1");
        refused(() -> plan(one, 5, raw, new long[] {2, 5}, 0, 1, null), "only", "index 5 is out of range 0..4");
        refused(() -> plan(one, 5, raw, new long[] {-1}, 0, 1, null), "only", "index -1 is out of range 0..4");
        refused(() -> plan(one, 5, raw, new long[] {3, 1, 3}, 0, 1, null), "only", "index 3 is given twice");
        refused(() -> plan(one, 5, raw, null, 2, 2, null), "shard", "2/2 needs 0 <= K < N");
        refused(() -> plan(one, 5, raw, null, -1, 2, null), "shard", "-1/2 needs 0 <= K < N");
        refused(() -> plan(one, 5, raw, null, 0, 0, null), "shard", "0/0 needs 0 <= K < N");
        refused(() -> plan(List.of(), 5, raw, null, 0, 1, null), "specs", "no scene");
        refused(() -> Plan.builder(one, 5, OUT).split("train=0.7,val=0.2").build(), "split",
                "fractions add up to 0.9, not 1");
    }

    @Test
    void theChosenIndicesAreKeptSortedAndCannotBeChangedFromOutside() {
        long[] given = {4, 0, 2};
        Plan p = plan(List.of(HIGHWAY), 5, List.of("raw"), given, 1, 2, null);
        given[0] = 3;
        assertThat(p.only()).containsExactly(0, 2, 4);
        p.only()[0] = 1;
        assertThat(p.only()).containsExactly(0, 2, 4);
        assertThat(p.indices().toArray()).as("shard 1 of 2").containsExactly();
        assertThat(plan(List.of(HIGHWAY), 5, List.of("raw"), new long[] {3, 1}, 1, 2, null).indices().toArray())
                .containsExactly(1, 3);
    }

    @Test
    void formatsMustBeKnownAndNotBothDepthsAndDuplicatesAreDropped() {
        List<SceneSpec> one = List.of(HIGHWAY);
        refused(() -> plan(one, 1, List.of("raw", "png"), null, 0, 1, null), "formats",
                "'png' is not one of raw, cityscapes, coco, kitti, depth, depth-png");
        refused(() -> plan(one, 1, List.of("cityscape"), null, 0, 1, null), "formats",
                "'cityscape' is not one of raw, cityscapes, coco, kitti, depth, depth-png; did you mean 'cityscapes'?");
        refused(() -> plan(one, 1, List.of(), null, 0, 1, null), "formats", "none given");
        refused(() -> plan(one, 1, List.of("depth-png", "depth"), null, 0, 1, null), "formats",
                "depth writes depth-png's PNG as well; give one of the two");
        assertThat(plan(one, 1, List.of("coco", "raw", "coco"), null, 0, 1, null).formats())
                .containsExactly("coco", "raw");
    }

    @Test
    void everySceneMustLabelWithOneClassTable(@TempDir Path dir) throws Exception {
        SceneSpec custom = SceneSpecs.load(Path.of("../examples/custom-labels.yaml"));
        refused(() -> plan(List.of(custom, HIGHWAY), 1, List.of("raw"), null, 0, 1, null), "specs",
                HIGHWAY.source() + " labels with another class table than " + custom.source()
                        + " (34 classes: unlabeled, ego vehicle, rectification border, out of roi, ... against"
                        + " 6 classes: background, ");
        Path ignoring = dir.resolve("ignoring.yaml");
        Files.writeString(ignoring, "labels:\n  ignore: [bicycle]\n");
        refused(() -> plan(List.of(HIGHWAY, SceneSpecs.load(ignoring)), 1, List.of("raw"), null, 0, 1, null), "specs",
                ignoring + " labels with another class table than " + HIGHWAY.source() + " (class 'bicycle' is ");
        assertThat(plan(List.of(HIGHWAY, SceneSpecs.preset("urban-intersection")), 1, List.of("raw"), null, 0, 1, null)
                .specs()).hasSize(2);
    }

    @Test
    void cityscapesNeedsClassIdsThatFitItsEightBitImages(@TempDir Path dir) throws Exception {
        Path labels = Files.createDirectories(dir.resolve("labels")).resolve("driving-minimal.yaml");
        Files.writeString(labels, Files.readString(Path.of("../examples/labels/driving-minimal.yaml"))
                .replace("{name: vehicle, id: 3,", "{name: vehicle, id: 300,"));
        Path scene = dir.resolve("scene.yaml");
        Files.copy(Path.of("../examples/custom-labels.yaml"), scene);
        List<SceneSpec> wide = List.of(SceneSpecs.load(scene));
        refused(() -> plan(wide, 1, List.of("cityscapes"), null, 0, 1, null), "formats",
                "cityscapes: class 'vehicle' has id 300, more than the 8-bit labelIds images hold (0..255)");
        assertThat(plan(wide, 1, List.of("raw", "coco"), null, 0, 1, null).formats()).containsExactly("raw", "coco");
    }

    @Test
    void anAugmentationMustFillWithAClassOfTheTableAndCannotGoWithKitti() {
        List<SceneSpec> one = List.of(HIGHWAY);
        var filling255 = new Augmentation(Pipeline.of(AugmentSpec.NONE).withFill(255), "aug.yaml", "0");
        refused(() -> plan(one, 1, List.of("raw"), null, 0, 1, filling255), "augment",
                "fill: 255 is not a class id of the dataset's class table");
        var filling0 = new Augmentation(Pipeline.of(AugmentSpec.NONE), "aug.yaml", "0");
        refused(() -> plan(one, 1, List.of("coco", "kitti"), null, 0, 1, filling0), "augment",
                "kitti's 3D boxes and calibration do not follow 2D warps");
        assertThat(plan(one, 1, List.of("coco"), null, 0, 1, filling0).augment()).isSameAs(filling0);
    }

    /**
     * With kitti, scenes whose cameras pitch or roll are named in a note (KITTI's camera-upright boxes only
     * approximate world-upright objects there); level cameras, or no kitti, give none.
     */
    @Test
    void kittiWithTiltedCamerasIsNoted() {
        SceneSpec level = SceneSpecs.parse(new java.io.StringReader(
                "version: 1\ncamera: {pitch: 0, roll: {uniform: [0, 0]}}\n"), "level.yaml", Path.of("."));
        SceneSpec pitched = SceneSpecs.parse(new java.io.StringReader(
                "version: 1\ncamera: {pitch: {uniform: [-2, 2]}, roll: 0}\n"), "pitched.yaml", Path.of("."));
        assertThat(plan(List.of(level), 4, List.of("kitti"), null, 0, 1, null).caveats()).isEmpty();
        assertThat(plan(List.of(level, pitched, HIGHWAY), 4, List.of("kitti", "coco"), null, 0, 1, null).caveats())
                .singleElement().asString().startsWith("kitti: the cameras of pitched.yaml, preset:highway pitch or roll;");
        assertThat(plan(List.of(pitched), 4, List.of("coco"), null, 0, 1, null).caveats()).isEmpty();
    }
}
