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

        @Override
        public void note(String sentence) {
            events.add("note " + sentence);
        }
    }

    /** Every file under {@code dir} (relative, '/' separated) with its bytes' SHA-256. */
    private static java.util.Map<String, String> files(Path dir) throws Exception {
        java.util.Map<String, String> m = new java.util.TreeMap<>();
        try (var s = Files.walk(dir)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                m.put(dir.relativize(f).toString().replace('\\', '/'), dev.roadsynth.core.dataset.Manifest.sha256(f));
            }
        }
        return m;
    }

    @Test
    void anInputChangedSinceItsCopiesWereMadeIsMadeAgainAndSaid(@TempDir Path dir) throws Exception {
        Frame frame = AugmenterTest.frame();
        Frame flipped = Augmenter.apply(frame, AugmentSpec.builder().flip(1).build()
                .sample(new java.util.SplittableRandom(1), frame.width(), frame.height()), 0);
        Path in = dir.resolve("in");
        for (String name : List.of("a", "b", "c", "d")) {
            ImageFolder.write(frame, in, name, false);
        }
        Pipeline pipeline = new Pipeline(SpecAndBoxesTest.SPEC, 0, Pipeline.BoxMode.EXACT, false);
        FolderCopies made = new FolderCopies(pipeline, in, dir.resolve("out"), "aug.yaml sha256:ab", 2, 5, "test");
        FolderRun.run(made, ImageFolder.list(in), null, null, 2, new CommitGate(), new Heard());
        Path manifest = dir.resolve("out/manifest.jsonl");
        assertThat(Files.readAllLines(manifest).get(4)).contains("\"source\":\"images/c.png\",\"inputs\":[{\"path\":"
                + "\"images/c.png\",\"sha256\":\"" + dev.roadsynth.core.dataset.Manifest.sha256(in.resolve("images/c.png"))
                + "\"},{\"path\":\"masks/c.png\",");
        java.util.Map<String, String> before = files(dir.resolve("out"));
        // Unchanged: nothing to do, nothing said.
        Heard same = new Heard();
        assertThat(FolderRun.run(made, ImageFolder.list(in), null, null, 2, new CommitGate(), same).written()).isZero();
        assertThat(same.events).containsExactly("making 4 0");

        ImageFolder.write(flipped, in, "c", false); // its image and mask now another's
        Heard changed = new Heard();
        FolderRun.Outcome rerun = FolderRun.run(made, ImageFolder.list(in), null, null, 2, new CommitGate(), changed);
        assertThat(changed.events).containsExactly("note input images/c.png changed (or is gone) since its copies were"
                + " made: they, and the copies listed after them, are made again", "making 2 2");
        assertThat(rerun.written()).isEqualTo(4);
        java.util.Map<String, String> got = files(dir.resolve("out"));
        assertThat(got.get("images/c_0.png")).isNotEqualTo(before.get("images/c_0.png"));
        assertThat(got.get("images/b_1.png")).isEqualTo(before.get("images/b_1.png"));
        // As a first run over the inputs as they are now (but the record of what this boot wrote, which names OUT).
        FolderCopies fresh = new FolderCopies(pipeline, in, dir.resolve("fresh"), "aug.yaml sha256:ab", 2, 5, "test");
        FolderRun.run(fresh, ImageFolder.list(in), null, null, 2, new CommitGate(), new Heard());
        java.util.Map<String, String> expected = files(dir.resolve("fresh"));
        for (String own : List.of(".roadsynth.lock", dev.roadsynth.core.dataset.RunState.TRUST_FILE)) {
            expected.remove(own);
            got.remove(own);
        }
        assertThat(got).isEqualTo(expected);

        // An input gone: its copies are no longer listed, and it is skipped as missing.
        Files.delete(in.resolve("masks/d.png"));
        Heard gone = new Heard();
        FolderRun.Outcome after = FolderRun.run(made, ImageFolder.list(in), null, null, 2, new CommitGate(), gone);
        assertThat(gone.events).containsExactly("note input masks/d.png changed (or is gone) since its copies were"
                + " made: they, and the copies listed after them, are made again", "making 3 1", "skipped d");
        assertThat(after.skipped()).isEqualTo(1);
        assertThat(names(manifest)).containsExactly("a#0", "a#1", "b#0", "b#1", "c#0", "c#1");
    }

    /**
     * Outputs whose files were lost or changed since (their inputs as they were) are made again alone, in place, and
     * the rest kept: the folder comes out as it was. Where an input of one is now unreadable, it and every output
     * listed after it are made again from the inputs as they are.
     */
    @Test
    void outputsDamagedInPlaceAreMadeAgainAloneAndTheRestKept(@TempDir Path dir) throws Exception {
        Frame frame = AugmenterTest.frame();
        Path in = dir.resolve("in");
        for (String name : List.of("a", "b", "c", "d")) {
            ImageFolder.write(frame, in, name, false);
        }
        Pipeline pipeline = new Pipeline(SpecAndBoxesTest.SPEC, 0, Pipeline.BoxMode.EXACT, false);
        Path out = dir.resolve("out");
        FolderCopies made = new FolderCopies(pipeline, in, out, "aug.yaml sha256:ab", 2, 5, "test");
        FolderRun.run(made, ImageFolder.list(in), null, null, 2, new CommitGate(), new Heard());
        java.util.Map<String, String> before = files(out);
        before.remove(dev.roadsynth.core.dataset.RunState.TRUST_FILE);
        Files.delete(out.resolve("images/b_1.png"));
        byte[] mask = Files.readAllBytes(out.resolve("masks/d_0.png"));
        Files.write(out.resolve("masks/d_0.png"), java.util.Arrays.copyOf(mask, mask.length / 2));
        dev.roadsynth.core.dataset.RunState.distrust(out); // as validate, finding it: the rerun hashes
        Heard heard = new Heard();
        CommitGate gate = new CommitGate();
        FolderRun.Outcome rerun = FolderRun.run(made, ImageFolder.list(in), null, null, 2, gate, heard);
        assertThat(heard.events).as("told before the mend, as if they come out as recorded: a and c kept")
                .containsExactly("note 2 outputs' files are missing or damaged (b copy 1's images/b_1.png is"
                        + " missing); making them again in place", "making 2 2");
        assertThat(rerun.written()).isEqualTo(2);
        assertThat(heard.committed).as("b and d, each committed once").isEqualTo(2);
        assertThat(gate.done()).isEqualTo(4);
        java.util.Map<String, String> after = files(out);
        after.remove(dev.roadsynth.core.dataset.RunState.TRUST_FILE);
        assertThat(after).isEqualTo(before);

        // One whose line no longer matches what it makes (here another version's, as in a copy of an older run's
        // output): every output from it on is made again, and the folder is as a whole run makes it.
        Path manifest = out.resolve("manifest.jsonl");
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(manifest));
        lines.set(2, lines.get(2).replace("\"version\":\"test\"", "\"version\":\"older\""));
        Files.write(manifest, lines);
        Files.delete(out.resolve("images/b_0.png"));
        Heard other = new Heard();
        FolderRun.Outcome redone = FolderRun.run(made, ImageFolder.list(in), null, null, 2, new CommitGate(), other);
        assertThat(other.events).containsExactly("note 1 output's files are missing or damaged (b copy 0's"
                + " images/b_0.png is missing); making it again in place", "making 3 1", "note they came out other"
                + " than their manifest lines record (or their inputs are not among this run's), so every output from"
                + " the first of them on is made again", "making 1 3");
        assertThat(redone.written()).isEqualTo(6);
        after = files(out);
        after.remove(dev.roadsynth.core.dataset.RunState.TRUST_FILE);
        assertThat(after).isEqualTo(before);
        assertThat(out.resolve(dev.roadsynth.core.dataset.RunState.MEND_FOLDER)).doesNotExist();
    }

    @Test
    void aMendStoppedAtItsGateLeavesTheRestToItsRerun(@TempDir Path dir) throws Exception {
        Frame frame = AugmenterTest.frame();
        Path in = dir.resolve("in");
        List<String> inputs = List.of("a", "b", "c", "d", "e", "f");
        for (String name : inputs) {
            ImageFolder.write(frame, in, name, false);
        }
        Path out = dir.resolve("out");
        FolderCopies made = new FolderCopies(new Pipeline(SpecAndBoxesTest.SPEC, 0, Pipeline.BoxMode.EXACT, false),
                in, out, "aug.yaml sha256:ab", 2, 5, "test");
        FolderRun.run(made, ImageFolder.list(in), null, null, 2, new CommitGate(), new Heard());
        java.util.Map<String, String> before = files(out);
        before.remove(dev.roadsynth.core.dataset.RunState.TRUST_FILE);
        for (String name : List.of("b", "c", "e")) {
            Files.delete(out.resolve("images/" + name + "_0.png"));
        }
        dev.roadsynth.core.dataset.RunState.distrust(out);
        CommitGate gate = new CommitGate();
        Heard first = new Heard();
        first.stopsAt(gate, 1); // as a signal's hook does, inside the mend's first commit
        FolderRun.Outcome stopped = FolderRun.run(made, ImageFolder.list(in), null, null, 2, gate, first);
        assertThat(stopped.stopped()).isTrue();
        assertThat(first.events).last().isEqualTo("making 3 3");
        assertThat(first.committed).isEqualTo(1);
        assertThat(out.resolve("images/b_0.png")).as("moved in by the commit under way").exists();
        assertThat(out.resolve("images/e_0.png")).doesNotExist();

        Heard rest = new Heard();
        CommitGate again = new CommitGate();
        FolderRun.Outcome rerun = FolderRun.run(made, ImageFolder.list(in), null, null, 2, again, rest);
        assertThat(rest.events).containsExactly("note 2 outputs' files are missing or damaged (c copy 0's"
                + " images/c_0.png is missing); making them again in place", "making 4 2");
        assertThat(rerun.stopped()).isFalse();
        assertThat(rerun.written()).isEqualTo(2);
        assertThat(again.done()).isEqualTo(6);
        java.util.Map<String, String> after = files(out);
        after.remove(dev.roadsynth.core.dataset.RunState.TRUST_FILE);
        assertThat(after).isEqualTo(before);
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
