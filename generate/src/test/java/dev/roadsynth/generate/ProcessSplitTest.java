package dev.roadsynth.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roadsynth.core.batch.RunListener;
import dev.roadsynth.scenes.spec.SceneSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When a run in one process suggests several: at the two ends measured, and at each threshold. How a split tells
 * its progress while its processes start at different times.
 */
class ProcessSplitTest {
    /** What a split told its listener ("making D T", "committed") and passed on of its processes' stdout. */
    private record Heard(List<String> events, List<String> output, ProcessSplit.Outcome outcome) {
    }

    /**
     * Runs {@code split} with stand-in processes: process j runs {@code scripts[j]} in sh, with M for its part's
     * manifest and SAY for the start of the line that says what it found done ({@link ProcessSplit#partLine}).
     */
    private static Heard run(ProcessSplit split, String... scripts) throws Exception {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        String say = "echo '" + ProcessSplit.partLine(0, 0).replace("0 0", "");
        ProcessSplit.Outcome outcome = split.run((process, part, shard) -> List.of("sh", "-c", scripts[process]
                .replace("SAY ", say).replace("M", "'" + part.resolve("manifest.jsonl") + "'")), new RunListener() {
                    @Override
                    public void making(long done, long toMake) {
                        events.add("making " + done + " " + toMake);
                    }

                    @Override
                    public void committed() {
                        events.add("committed");
                    }
                }, output::add, line -> { });
        return new Heard(events, output, outcome);
    }

    private static ProcessSplit split(Path dir, long count, int processes) throws Exception {
        return ProcessSplit.of(Plan.builder(List.of(SceneSpecs.preset("highway").withResolution(64, 32)), count, dir)
                .formats(List.of("raw")).version("test").build(), processes);
    }

    /**
     * A process can commit samples while another's JVM still starts (more processes than cores, a loaded machine):
     * its commits are told after the count of what is to be made, never before (the progress line had been made
     * only then, and `generate --processes 6 --count 2` failed on a null progress about one run in three). Process
     * 0 makes its sample at once, the others a second later; process 2 then fails, so that the split ends without
     * merging these parts that are no run's.
     */
    @Test
    void commitsAreToldOnlyAfterWhatIsToBeMade(@TempDir Path dir) throws Exception {
        Heard h = run(split(dir, 2, 3),
                "SAY 0 1'; echo 'rendering with a stand-in'; printf '{}\\n' > M",
                "sleep 1; SAY 0 1'; printf '{}\\n' > M",
                "sleep 1; SAY 0 0'; : > M; sleep 0.5; exit 3");
        assertThat(h.events()).containsExactly("making 0 2", "committed", "committed");
        assertThat(h.outcome().failedProcess()).isEqualTo(2);
        assertThat(h.outcome().exitCode()).isEqualTo(3);
        assertThat(h.outcome().made()).isEqualTo(2);
        assertThat(h.output()).as("what the processes say for the split alone stays with it")
                .containsExactly("rendering with a stand-in");
    }

    /**
     * A rerun counts what the processes found done once they checked their parts, not the parts' manifests before:
     * a part whose first sample's file was damaged is cut back to the samples before it and makes the rest again
     * (the summary had said "266 samples; 134 were done before" of a run that made 337 and had 63 left).
     */
    @Test
    void aRerunCountsWhatTheProcessesFoundDone(@TempDir Path dir) throws Exception {
        ProcessSplit split = split(dir, 6, 2);
        Files.createDirectories(split.part(0));
        Files.createDirectories(split.part(1));
        Files.writeString(split.part(0).resolve("manifest.jsonl"), "{}\n{}\n{}\n"); // all 3 of part 0's
        Files.writeString(split.part(1).resolve("manifest.jsonl"), "{}\n{}\n"); // 2 of part 1's 3
        Heard h = run(split,
                "printf '{}\\n' > M.cut; mv M.cut M; SAY 1 2'; printf '{}\\n{}\\n' >> M",
                "SAY 2 1'; sleep 0.5; printf '{}\\n' >> M; sleep 0.5; exit 3");
        assertThat(h.events()).containsExactly("making 3 3", "committed", "committed", "committed");
        assertThat(h.outcome().doneBefore()).isEqualTo(3);
        assertThat(h.outcome().made()).isEqualTo(3);
    }

    @Test
    void theH200RunOfSession25GetsTheSuggestion() {
        // 10,000 samples in 38.0 s, the render thread waiting 4% of the time, 10.9 of 16 cores busy.
        assertThat(ProcessSplit.suggestion(38.0, 0.04, 10.9, 16)).isEqualTo("the render thread set the pace (it"
                + " waited for the writers 4% of the time) and 10.9 of 16 cores were busy: --processes 2 may make more"
                + " samples a second here (docs/running.md)");
    }

    @Test
    void aMachineWhoseCoresAreBusyDoesNot() {
        // This project's 2-core machine on llvmpipe: 1.9 of 2 cores busy.
        assertThat(ProcessSplit.suggestion(60, 0.02, 1.9, 2)).isNull();
        assertThat(ProcessSplit.suggestion(60, 0.02, 12.0, 16)).isNull(); // three quarters busy
        assertThat(ProcessSplit.suggestion(60, 0.02, 11.9, 16)).isNotNull();
    }

    @Test
    void norDoShortRunsRunsPacedByTheWritersOrSmallMachines() {
        assertThat(ProcessSplit.suggestion(19.9, 0.02, 4, 16)).isNull();
        assertThat(ProcessSplit.suggestion(20, 0.02, 4, 16)).isNotNull();
        assertThat(ProcessSplit.suggestion(60, 0.10, 4, 16)).isNull();
        assertThat(ProcessSplit.suggestion(60, 0.09, 4, 16)).isNotNull();
        assertThat(ProcessSplit.suggestion(60, 0.02, 1, 3)).isNull();
        assertThat(ProcessSplit.suggestion(60, 0.02, 1, 4)).isNotNull();
    }
}
