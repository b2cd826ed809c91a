package dev.roadsynth.core.batch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommitGateTest {
    @Test
    void countsCommitsFromWhereTheRunBeganUntilItIsStopped() throws Exception {
        CommitGate gate = new CommitGate();
        assertThat(gate.begun()).isFalse();
        assertThat(gate.total()).isEqualTo(-1);
        gate.begin(4, 10);
        assertThat(gate.begun()).isTrue();
        int[] ran = {0};
        gate.commit(() -> {
            ran[0]++;
            return 1;
        });
        gate.commit(() -> {
            ran[0]++;
            return 0; // an input skipped: run, not counted
        });
        assertThat(gate.done()).isEqualTo(5);
        AutoCloseable renderer = () -> { };
        gate.closeOnStop(renderer);
        assertThat(gate.stopped()).isFalse();
        assertThat(gate.stop()).isSameAs(renderer);
        assertThat(gate.stopped()).isTrue();
        gate.commit(() -> {
            ran[0]++;
            return 1;
        });
        assertThat(ran[0]).as("commits run").isEqualTo(2);
        assertThat(gate.done()).isEqualTo(5);
        assertThat(gate.total()).isEqualTo(10);
    }

    @Test
    void aStopWaitsForTheCommitUnderWay() throws Exception {
        CommitGate gate = new CommitGate();
        gate.begin(0, 2);
        java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
        Thread committer = new Thread(() -> {
            try {
                gate.commit(() -> {
                    inside.countDown();
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return 1;
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        committer.start();
        inside.await();
        gate.stop(); // returns only once the commit under way has counted
        assertThat(gate.done()).isEqualTo(1);
        committer.join();
    }
}
