package dev.roadsynth.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roadsynth.core.Frame;
import dev.roadsynth.core.batch.CommitGate;
import dev.roadsynth.core.batch.RecordingRunListener;
import dev.roadsynth.core.io.ImageFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An augment run: outputs listed in input order, unreadable inputs told and skipped, stopped at its gate, resumed. */
class FolderRunTest {
    /** Records what a run tells its listener, the inputs it skips included. */
    private static class Heard extends RecordingRunListener implements FolderRun.Listener {
        @Override
        public void skipped(String name, String why) {
            events.add("skipped " + name);
        }
    }

    private static List<String> names(Path manifest) throws Exception {
        return Files.readAllLines(manifest).stream()
                .map(l -> l.replaceAll(".*\"name\":\"([^\"]+)\".*\"copy\":(\\d+).*", "$1#$2")).toList();
    }

    @Test
    void aStoppedRunListsWhatItCountedAndItsRerunMakesTheRestInInputOrder(@TempDir Path dir) throws Exception {
        Frame frame = AugmenterTest.frame();
        Path in = dir.resolve("in");
        for (String name : List.of("a", "b", "c", "d", "e", "f")) {
            ImageFolder.write(frame, in, name, false);
        }
        Files.write(ImageFolder.list(in).get(3).image(), new byte[] {1, 2, 3}); // "d" cannot be read
        List<ImageFolder.Item> items = ImageFolder.list(in);
        FolderCopies made = new FolderCopies(new Pipeline(SpecAndBoxesTest.SPEC, 0, Pipeline.BoxMode.EXACT, false),
                in, dir.resolve("out"), "aug.yaml sha256:ab", 2, 5, "test");
        CommitGate gate = new CommitGate();
        Heard first = new Heard();
        first.stopsAt(gate, 2); // as a signal's hook does, inside the second commit
        FolderRun.Outcome stopped = FolderRun.run(made, items, null, null, 2, gate, first);
        assertThat(stopped.stopped()).isTrue();
        assertThat(first.events).containsExactly("making 0 6");
        assertThat(gate.done()).isEqualTo(2);
        Path manifest = dir.resolve("out/manifest.jsonl");
        assertThat(names(manifest)).containsExactly("a#0", "a#1", "b#0", "b#1");

        Heard rest = new Heard();
        CommitGate again = new CommitGate();
        FolderRun.Outcome rerun = FolderRun.run(made, items, null, null, 2, again, rest);
        assertThat(rerun.stopped()).isFalse();
        assertThat(rest.events).containsExactly("making 2 4", "skipped d");
        assertThat(rerun.skipped()).isEqualTo(1);
        assertThat(rerun.written()).isEqualTo(6);
        assertThat(again.done()).as("inputs done; the skipped one is not").isEqualTo(5);
        assertThat(names(manifest)).containsExactly("a#0", "a#1", "b#0", "b#1", "c#0", "c#1", "e#0", "e#1", "f#0",
                "f#1");
    }

    @Test
    void theOutputCannotLieAmongTheInputs(@TempDir Path dir) {
        Path in = dir.resolve("in");
        for (String inside : List.of("in", "in/images/aug", "in/cityscapes/x", "in/frames")) {
            assertThatThrownBy(() -> new FolderCopies(Pipeline.of(AugmentSpec.NONE), in, dir.resolve(inside), "s", 1,
                    0, "test")).as(inside).hasMessageContaining("would put outputs among the inputs of " + in);
        }
        assertThat(new FolderCopies(Pipeline.of(AugmentSpec.NONE), in, dir.resolve("in-aug"), "s", 1, 0, "test").out())
                .isEqualTo(dir.resolve("in-aug"));
    }
}
