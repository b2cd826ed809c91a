package dev.roadsynth.cli;

import static dev.roadsynth.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The COCO files read as pycocotools reads them (src/test/python/check_coco.py: its uncompressed RLE decoded from
 * the definition with numpy, images opened with PIL), against the raw arrays of the same samples: every mask is its
 * instance's pixels, every box and area follows from them, and every instance in view is annotated: kept (iscrowd 0),
 * or left out by the policy (dropped with a reason in the manifest) and an ignore region (iscrowd 1). Required in CI
 * (CI=true); elsewhere skipped, saying why, without numpy and PIL.
 */
class CocoPythonTest {
    @Test
    void masksBoxesAndAreasAreTheInstancesPixelsForBothClassTablesAndAPolicyThatDrops(@TempDir Path dir)
            throws Exception {
        Python.require("python3-numpy python3-pil", "numpy", "PIL");
        Path cityscapes = dir.resolve("cityscapes");
        // spare: a declared split no sample falls in; its JSON (no images) is read and checked like the others.
        assertThat(run("generate", "--count", "8", "--size", "384x192", "--format", "raw,coco", "--split",
                "train=0.5,val=0.499999,spare=0.000001", "--seed", "4", "--min-visible-pixels", "30", "--out",
                cityscapes.toString(), "--quiet").code()).isZero();
        assertThat(cityscapes.resolve("coco/annotations/instances_spare.json")).exists();
        String out = Python.run("check_coco.py", cityscapes.toString());
        assertThat(out).contains(" passed, 0 failed");
        java.util.regex.Matcher crowds = java.util.regex.Pattern.compile("(\\d+) of them ignore regions").matcher(out);
        assertThat(crowds.find()).as(out).isTrue();
        assertThat(Integer.parseInt(crowds.group(1))).as("objects under 30 pixels, as ignore regions").isGreaterThan(10);
        Path minimal = dir.resolve("minimal");
        assertThat(run("generate", "../examples/custom-labels.yaml", "--count", "4", "--size", "384x192",
                "--format", "raw,coco", "--seed", "5", "--out", minimal.toString(), "--quiet").code()).isZero();
        assertThat(Python.run("check_coco.py", minimal.toString())).contains(" passed, 0 failed");
    }
}
