package dev.roadsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** What {@link ClosesOnExit}'s hook does, run without a signal ({@link ClosesOnExit#closeWithin}). */
class ClosesOnExitTest {
    @Test
    void closesTheResourceAndReturnsOnceItIsClosed() {
        AtomicBoolean closed = new AtomicBoolean();
        long t0 = System.nanoTime();
        ClosesOnExit.closeWithin(() -> {
            Thread.sleep(100);
            closed.set(true);
        }, 5_000);
        assertThat(closed).isTrue();
        assertThat((System.nanoTime() - t0) / 1_000_000).as("ms waited").isLessThan(4_000);
    }

    @Test
    void neitherAResourceThatHangsNorOneThatThrowsHoldsTheExitBack() {
        CountDownLatch never = new CountDownLatch(1);
        try {
            long t0 = System.nanoTime();
            ClosesOnExit.closeWithin(never::await, 200);
            ClosesOnExit.closeWithin(() -> {
                throw new IllegalStateException("GL context lost");
            }, 5_000);
            assertThat((System.nanoTime() - t0) / 1_000_000).as("ms waited").isBetween(150L, 4_000L);
        } finally {
            never.countDown();
        }
    }

    @Test
    void aCommandThatEndsRemovesItsHook() {
        AtomicBoolean closed = new AtomicBoolean();
        ClosesOnExit exit = new ClosesOnExit(() -> closed.set(true));
        exit.close();
        exit.close(); // twice is harmless
        assertThat(closed).isFalse(); // removing the hook does not run it
    }
}
