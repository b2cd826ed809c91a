package dev.roadsynth.core.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InOrderTest {
    @Test
    void commitsInSubmissionOrderAndCountsTheSubmittersWaitForASlowPool() {
        List<Integer> committed = new ArrayList<>();
        long start = System.nanoTime();
        long waited;
        try (InOrder<Integer> inOrder = new InOrder<>("test", 2, committed::add)) {
            for (int i = 0; i < 12; i++) {
                int k = i;
                inOrder.submit(() -> {
                    Thread.sleep(k % 3 == 0 ? 30 : 5); // uneven, so results finish out of order
                    return k;
                });
            }
            waited = inOrder.waitedNanos();
            inOrder.finish();
        }
        long elapsed = System.nanoTime() - start;
        assertThat(committed).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        // Two threads with at most four tasks in flight: the submitter waits for eight of the twelve results, and
        // the tasks take at least 4 x 30 + 8 x 5 = 160 ms of sleep over two threads, so at least 40 ms of waiting
        // even if the first four overlapped perfectly (a lower bound: sleeping never takes less).
        assertThat(waited).isGreaterThanOrEqualTo(40_000_000L).isLessThanOrEqualTo(elapsed);
    }

    @Test
    void aPoolThatKeepsUpIsNotWaitedFor() {
        List<Integer> committed = new ArrayList<>();
        try (InOrder<Integer> inOrder = new InOrder<>("test", 2, committed::add)) {
            for (int i = 0; i < 3; i++) {
                int k = i;
                inOrder.submit(() -> k);
            }
            // Fewer tasks than the in-flight limit: submit never blocks.
            assertThat(inOrder.waitedNanos()).isZero();
            inOrder.finish();
        }
        assertThat(committed).containsExactly(0, 1, 2);
    }

    @Test
    void aPoolWithoutThreadsIsRefusedByName() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new InOrder<Integer>("test", 0, r -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("threads: 0 must be at least 1");
    }
}
