package dev.roadsynth.generate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When a run in one process suggests several: at the two ends measured, and at each threshold. */
class ProcessSplitTest {

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
