package dev.roadsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** What a run shows: progress only when not quiet, but notes and skipped inputs always, one line each. */
class RunProgressTest {
    @Test
    void progressFollowsTheCountsAndNotesAndSkipsAreToldEvenWhenQuiet() {
        StringWriter loud = new StringWriter();
        try (RunProgress p = new RunProgress(new PrintWriter(loud), false, "inputs", "outputs")) {
            p.making(2, 3);
            p.committed();
            p.committed();
            p.committed(); // the last one always prints its line
            p.skipped("images/broken.png", "not a PNG or JPEG image");
        }
        // Not a terminal here: plain lines (the first step's and the last's; the rate depends on the clock). The
        // progress counts what this run makes (3), not the 2 done before.
        assertThat(loud.toString().lines().toList()).satisfiesExactly(
                first -> assertThat(first).matches("1/3 inputs, [0-9.]+ inputs/s, 0:00:00 left"),
                last -> assertThat(last).matches("3/3 inputs, [0-9.]+ inputs/s, 0:00:00 left"),
                skip -> assertThat(skip).isEqualTo("roadsynth: skipped images/broken.png: not a PNG or JPEG image"));

        StringWriter quiet = new StringWriter();
        try (RunProgress p = new RunProgress(new PrintWriter(quiet), true, "samples", "samples")) {
            p.checking(40);
            p.making(40, 2);
            p.committed();
            p.committed();
            p.note("of the 40 samples kept from an earlier run, some were drawn by another rasterizer");
        }
        assertThat(quiet.toString().lines().toList()).containsExactly(
                "roadsynth: note: of the 40 samples kept from an earlier run, some were drawn by another rasterizer");
    }
}
