package dev.roadsynth.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roadsynth.core.batch.RunListener;
import dev.roadsynth.scenes.spec.SceneSpecs;
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
    /**
     * A process can commit samples while another's JVM still starts (more processes than cores, a loaded machine):
     * its commits are told after the count of what is to be made, never before (the progress line had been made
     * only then, and `generate --processes 6 --count 2` failed on a null progress about one run in three). Here
     * stand-in processes write their parts' manifests: process 0 its sample at once, the others theirs a second
     * later; process 2 then fails, so that the split ends without merging these parts that are no run's.
     */
    @Test
    void commitsAreToldOnlyAfterWhatIsToBeMade(@TempDir Path dir) throws Exception {
        Plan plan = Plan.builder(List.of(SceneSpecs.preset("highway").withResolution(64, 32)), 2, dir)
                .formats(List.of("raw")).version("test").build();
        ProcessSplit split = ProcessSplit.of(plan, 3);
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        ProcessSplit.Outcome outcome = split.run((process, part, shard) -> List.of("sh", "-c", (switch (process) {
            case 0 -> "printf '{}\\n' > M";
            case 1 -> "sleep 1; printf '{}\\n' > M";
            default -> "sleep 1; : > M; sleep 0.5; exit 3";
        }).replace("M", "'" + part.resolve("manifest.jsonl") + "'")), new RunListener() {
            @Override
            public void making(long done, long toMake) {
                events.add("making " + done + " " + toMake);
            }

            @Override
            public void committed() {
                events.add("committed");
            }
        }, line -> { }, line -> { });
        assertThat(events).containsExactly("making 0 2", "committed", "committed");
        assertThat(outcome.failedProcess()).isEqualTo(2);
        assertThat(outcome.exitCode()).isEqualTo(3);
        assertThat(outcome.made()).isEqualTo(2);
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
