package dev.roadsynth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The counter for work of unknown size: silent for a second, then the count so far, and the final count. */
class ProgressTest {
    @Test
    void aCounterSpeaksOnlyAfterASecondAndEndsWithTheFinalCount() throws Exception {
        StringWriter text = new StringWriter();
        try (Progress.Counter c = new Progress.Counter(new PrintWriter(text), false, "checked ", " samples")) {
            c.accept(5);
            assertThat(text.toString()).as("quick work says nothing").isEmpty();
            Thread.sleep(1100);
            c.accept(7);
            c.accept(8); // within the period: not shown
            c.accept(9);
        }
        // Not a terminal here (stderr of a test run is not one): plain lines.
        assertThat(text.toString().lines().toList()).containsExactly("checked 7 samples", "checked 9 samples");

        StringWriter quiet = new StringWriter();
        try (Progress.Counter c = new Progress.Counter(new PrintWriter(quiet), true, "checked ", " samples")) {
            Thread.sleep(1100);
            c.accept(3);
        }
        assertThat(quiet.toString()).isEmpty();

        StringWriter last = new StringWriter();
        try (Progress.Counter c = new Progress.Counter(new PrintWriter(last), false, "checked ", " samples")) {
            Thread.sleep(1100);
            c.accept(4); // shown, and the final count
        }
        assertThat(last.toString().lines().toList()).as("not said twice").containsExactly("checked 4 samples");

        StringWriter fast = new StringWriter();
        try (Progress.Counter c = new Progress.Counter(new PrintWriter(fast), false, "checked ", " samples")) {
            c.accept(3);
        }
        assertThat(fast.toString()).as("nothing shown, nothing to end").isEmpty();
    }
}
