package dev.roadsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roadsynth.core.batch.CommitGate;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The stop note's hook, run without a signal ({@link StopNote#stop}). */
class StopNoteTest {
    @Test
    void theHookClosesTheRegisteredResourceBeforeTheNoteAndRefusesLaterCommits() throws Exception {
        List<String> events = new ArrayList<>();
        try (StopNote note = new StopNote(new PrintWriter(new StringWriter()), true, "samples")) {
            CommitGate gate = note.gate();
            gate.begin(3, 10);
            gate.commit(() -> 2);
            gate.closeOnStop(() -> {
                synchronized (events) {
                    events.add("closed");
                }
            });
            assertThat(gate.stopped()).isFalse();
            note.stop(() -> {
                synchronized (events) {
                    events.add("note with " + gate.done() + " done");
                }
            }, 5_000);
            assertThat(gate.stopped()).isTrue();
            gate.commit(() -> 1); // a commit after the stop counts for nothing
            assertThat(gate.done()).isEqualTo(5);
        }
        assertThat(events).containsExactly("closed", "note with 5 done");
    }

    @Test
    void aResourceThatDoesNotCloseInTimeDoesNotHoldTheNoteBack() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        try (StopNote note = new StopNote(new PrintWriter(new StringWriter()), true, "samples")) {
            note.gate().closeOnStop(never::await); // a renderer whose loop never ends
            List<String> said = new ArrayList<>();
            long t0 = System.nanoTime();
            note.stop(() -> said.add("note"), 200);
            long waited = (System.nanoTime() - t0) / 1_000_000;
            assertThat(said).containsExactly("note");
            assertThat(waited).as("ms waited for the close").isBetween(150L, 5_000L);
        } finally {
            never.countDown();
        }
    }

    @Test
    void theNoteCountsWhatTheManifestListsAndSaysNothingBeforeTheRunBegins() {
        StringWriter said = new StringWriter();
        try (StopNote note = new StopNote(new PrintWriter(said), false, "samples")) {
            note.say(); // a signal while an earlier run's samples are checked: no count yet
            assertThat(said.toString()).isEmpty();
            note.gate().begin(3, 10);
            note.stop(note::say, 1_000);
        }
        assertThat(said.toString().strip())
                .isEqualTo("roadsynth: stopped with 3 of 10 samples done; rerun the same command to resume");
    }
}
