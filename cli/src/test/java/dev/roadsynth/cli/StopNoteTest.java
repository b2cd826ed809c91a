package dev.roadsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
        try (StopNote note = new StopNote(new PrintWriter(new StringWriter()), true, 3, 10, "samples")) {
            note.commit(() -> 2);
            note.closeOnStop(() -> {
                synchronized (events) {
                    events.add("closed");
                }
            });
            assertThat(note.stopped()).isFalse();
            note.stop(() -> {
                synchronized (events) {
                    events.add("note with " + note.done() + " done");
                }
            }, 5_000);
            assertThat(note.stopped()).isTrue();
            note.commit(() -> 1); // a commit after the stop counts for nothing
            assertThat(note.done()).isEqualTo(5);
        }
        assertThat(events).containsExactly("closed", "note with 5 done");
    }

    @Test
    void aResourceThatDoesNotCloseInTimeDoesNotHoldTheNoteBack() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        try (StopNote note = new StopNote(new PrintWriter(new StringWriter()), true, 0, 4, "samples")) {
            note.closeOnStop(never::await); // a renderer whose loop never ends
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
}
