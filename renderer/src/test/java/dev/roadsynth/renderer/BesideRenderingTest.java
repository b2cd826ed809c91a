package dev.roadsynth.renderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class BesideRenderingTest {
    /** The calling thread's nice value as the kernel reports it (field 19 of /proc/thread-self/stat). */
    static int nice() throws Exception {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(after[16]); // fields from the 3rd on: the 19th is nice
    }

    /** Runs {@code body} on a new thread (nice values stick to threads) and returns what it returned. */
    private static int[] onNewThread(java.util.concurrent.Callable<int[]> body) throws Exception {
        AtomicReference<Object> out = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                out.set(body.call());
            } catch (Exception e) {
                out.set(e);
            }
        });
        t.start();
        t.join();
        if (out.get() instanceof Exception e) {
            throw e;
        }
        return (int[]) out.get();
    }

    @Test
    void aWriterThreadTakesTheDefaultNiceAboveItsOwnAndOnlyItself() throws Exception {
        Assumptions.assumeTrue(Files.exists(Path.of("/proc/thread-self/stat")), "Linux only");
        int[] r = onNewThread(() -> {
            int before = nice();
            boolean changed = BesideRendering.yieldToRendering();
            int after = nice();
            // A thread it starts inherits the value, and asking again (there, or here) leaves it: the increment is
            // over the process's value, not the thread's.
            int[] child = onNewThread(() -> new int[] {nice(), BesideRendering.yieldToRendering() ? 1 : 0, nice()});
            boolean again = BesideRendering.yieldToRendering();
            return new int[] {before, changed ? 1 : 0, after, child[0], child[1], child[2], again ? 1 : 0, nice()};
        });
        int expected = Math.min(19, r[0] + BesideRendering.DEFAULT_NICE);
        assertThat(r[1]).as("changed").isEqualTo(expected != r[0] ? 1 : 0);
        assertThat(r[2]).isEqualTo(expected);
        assertThat(r[3]).as("inherited").isEqualTo(expected);
        assertThat(r[4]).as("the child's call changed nothing").isZero();
        assertThat(r[5]).isEqualTo(expected);
        assertThat(r[6]).as("a second call changed nothing").isZero();
        assertThat(r[7]).isEqualTo(expected);
        assertThat(nice()).as("this thread is untouched").isEqualTo(r[0]);
    }

    @Test
    void thePropertySetsTheIncrementAndZeroLeavesTheThreadAlone() throws Exception {
        Assumptions.assumeTrue(Files.exists(Path.of("/proc/thread-self/stat")), "Linux only");
        String old = System.getProperty(BesideRendering.NICE_PROPERTY);
        try {
            System.setProperty(BesideRendering.NICE_PROPERTY, "0");
            int[] zero = onNewThread(() -> new int[] {nice(), BesideRendering.yieldToRendering() ? 1 : 0, nice()});
            assertThat(zero[1]).isZero();
            assertThat(zero[2]).isEqualTo(zero[0]);
            System.setProperty(BesideRendering.NICE_PROPERTY, "2");
            int[] two = onNewThread(() -> new int[] {nice(), BesideRendering.yieldToRendering() ? 1 : 0, nice()});
            assertThat(two[2]).isEqualTo(Math.min(19, two[0] + 2));
            System.setProperty(BesideRendering.NICE_PROPERTY, "-3");
            assertThatThrownBy(BesideRendering::niceIncrement).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("-Droadsynth.writerNice=-3: expected a nice increment 0..19");
        } finally {
            if (old == null) {
                System.clearProperty(BesideRendering.NICE_PROPERTY);
            } else {
                System.setProperty(BesideRendering.NICE_PROPERTY, old);
            }
        }
    }
}
