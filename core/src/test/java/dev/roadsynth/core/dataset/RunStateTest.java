package dev.roadsynth.core.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roadsynth.core.dataset.Manifest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resuming reads the manifest a batch at a time: the done prefix is the same whatever the batch boundaries. */
class RunStateTest {
    private static final Map<String, Object> PARAMETERS = Map.of("version", "test", "count", 1);

    /** A manifest of {@code lines} samples, each naming file frames/a.bin; line {@code bad} records a wrong hash. */
    private static Path manifest(Path dir, int lines, int bad, String tail) throws Exception {
        Files.createDirectories(dir.resolve("frames")); // where a run writes (a new run starts only among its own)
        Files.writeString(dir.resolve("frames/a.bin"), "sample bytes");
        String hash = Manifest.sha256(dir.resolve("frames/a.bin"));
        StringBuilder m = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            m.append("{\"index\":").append(i).append(",\"files\":[{\"path\":\"frames/a.bin\",\"sha256\":\"")
                    .append(i == bad ? "0".repeat(64) : hash).append("\"}]}\n");
        }
        m.append(tail);
        return Files.writeString(dir.resolve("manifest.jsonl"), m);
    }

    @Test
    void manifestsLongerThanABatchResumeAfterTheirLastCompleteLine(@TempDir Path dir) throws Exception {
        int lines = 2 * RunState.BATCH + 7;
        Path manifest = manifest(dir, lines, -1, "{\"index\":" + lines + ",\"files\":[{\"pa"); // cut short
        try (RunState state = RunState.open(dir, PARAMETERS, m -> true)) {
            assertThat(state.doneCount()).isEqualTo(lines);
            assertThat(state.done(lines - 1)).isTrue();
            assertThat(state.done(lines)).isFalse();
        }
        assertThat(Files.readAllLines(manifest)).hasSize(lines);
        assertThat(Files.readString(manifest)).endsWith("}]}\n");
    }

    @Test
    void theFirstSampleThatDoesNotCheckOutEndsThePrefixAndNothingAfterItsBatchIsRead(@TempDir Path dir)
            throws Exception {
        int bad = RunState.BATCH + 3; // in the second batch
        Path manifest = manifest(dir, 4 * RunState.BATCH, bad, "");
        AtomicInteger checked = new AtomicInteger();
        try (RunState state = RunState.open(dir, PARAMETERS, m -> checked.incrementAndGet() >= 0)) {
            assertThat(state.doneCount()).isEqualTo(bad);
            assertThat(state.done(bad - 1)).isTrue();
            assertThat(state.done(bad)).isFalse();
            assertThat(state.done(bad + 1)).as("after the gap: redone, so that the manifest stays in order").isFalse();
        }
        assertThat(Files.readAllLines(manifest)).hasSize(bad);
        assertThat(checked.get()).as("lines checked").isLessThanOrEqualTo(2 * RunState.BATCH);
    }

    /**
     * generate's open (with an extension) reads on past a sample whose line is whole but whose file is not: that one
     * is its to make again in place; settled as recorded, every whole line stays (but for one cut short), else the
     * manifest is cut before it as above. Until settled, nothing says the files are whole.
     */
    @Test
    void aSampleDamagedInPlaceIsLeftToMakeAgainAndTheRestKeptIfItComesOutAsRecorded(@TempDir Path dir)
            throws Exception {
        int lines = 2 * RunState.BATCH + 5;
        int bad = RunState.BATCH + 3;
        for (boolean asRecorded : new boolean[] {true, false}) {
            Path d = Files.createDirectories(dir.resolve("recorded-" + asRecorded));
            Path manifest = manifest(d, lines, bad, "{\"index\":" + lines + ",\"files\":[{\"pa"); // cut short
            String recorded = Files.readAllLines(manifest).get(bad);
            Files.writeString(d.resolve(RunState.TRUST_FILE), "another boot's record\n"); // not this one's: hashed
            try (RunState state = RunState.open(d, PARAMETERS, m -> true, n -> { }, (from, to) -> { })) {
                assertThat(state.toMend()).containsExactly(bad);
                assertThat(state.firstDamage()).isEqualTo("sample " + bad + "'s frames/a.bin is not the file its"
                        + " manifest records (SHA-256)");
                assertThat(d.resolve(RunState.TRUST_FILE)).as("no record while a file is not whole").doesNotExist();
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> state.done(0))
                        .isInstanceOf(IllegalStateException.class);
                assertThat(state.asRecorded(bad, recorded)).isTrue();
                assertThat(state.asRecorded(bad, recorded.replace("\"index\"", "\"index\" "))).isFalse();
                assertThat(state.asRecorded(bad - 1, recorded)).as("not a damaged sample").isFalse();
                assertThat(Files.readAllLines(manifest)).as("only the line cut short is gone").hasSize(lines);
                state.mended(asRecorded);
                assertThat(state.doneCount()).isEqualTo(asRecorded ? lines : bad);
                assertThat(state.done(bad)).isEqualTo(asRecorded);
                assertThat(state.done(lines - 1)).isEqualTo(asRecorded);
                assertThat(state.done(bad - 1)).isTrue();
            }
            assertThat(Files.readAllLines(manifest)).hasSize(asRecorded ? lines : bad);
            if (RunState.identity(d) != null) {
                assertThat(RunState.trustedNow(d)).isTrue();
            }
        }
    }

    @Test
    void underTheBootAndMountThatWroteThemFilesAreOnlyCheckedToBeThereAndOtherwiseHashed(@TempDir Path dir)
            throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/sys/kernel/random/boot_id")),
                "a Linux boot id");
        manifest(dir, 3, -1, "");
        try (RunState state = RunState.open(dir, PARAMETERS, m -> true)) { // hashes: no record yet
            assertThat(state.doneCount()).isEqualTo(3);
        }
        assertThat(Files.readString(dir.resolve(RunState.TRUST_FILE)).strip()).isEqualTo(RunState.identity(dir))
                .matches("[0-9a-f-]{36} \\d+(,\\d+)* \\d+:\\d+");
        // Same length, other bytes: what no stopped process leaves, but a power loss can.
        Files.writeString(dir.resolve("frames/a.bin"), "sample bytez");
        try (RunState state = RunState.open(dir, PARAMETERS, m -> true)) {
            assertThat(state.doneCount()).as("this boot wrote or checked them: trusted").isEqualTo(3);
        }
        // Another boot id in the record, as after a reboot: hashed, and the damage found.
        String mine = RunState.identity(dir);
        Files.writeString(dir.resolve(RunState.TRUST_FILE), "00000000-0000-0000-0000-000000000000"
                + mine.substring(mine.indexOf(' ')) + "\n");
        try (RunState state = RunState.open(dir, PARAMETERS, m -> true)) {
            assertThat(state.doneCount()).isZero();
        }
        assertThat(Files.readString(dir.resolve("manifest.jsonl"))).isEmpty();
        // The same boot, but the file system mounted again since (a drive pulled out and put back): hashed too.
        manifest(dir, 3, -1, "");
        try (RunState state = RunState.open(dir, PARAMETERS, m -> true)) {
            assertThat(state.doneCount()).isEqualTo(3);
        }
        Files.writeString(dir.resolve("frames/a.bin"), "sample bytez");
        String[] parts = RunState.identity(dir).split(" ");
        Files.writeString(dir.resolve(RunState.TRUST_FILE), parts[0] + " 999999 " + parts[2] + "\n");
        try (RunState state = RunState.open(dir, PARAMETERS, m -> true)) {
            assertThat(state.doneCount()).isZero();
        }
        // A missing file is missed under any boot.
        manifest(dir, 3, -1, "");
        try (RunState state = RunState.open(dir, PARAMETERS, m -> true)) {
            assertThat(state.doneCount()).isEqualTo(3);
        }
        Files.delete(dir.resolve("frames/a.bin"));
        try (RunState state = RunState.open(dir, PARAMETERS, m -> true)) {
            assertThat(state.doneCount()).isZero();
        }
    }

    @Test
    void aRecordThatCannotBeWrittenStopsNothing(@TempDir Path dir) throws Exception {
        // As on a full disk: the record's place is taken (here by a folder), so writing it fails.
        manifest(dir, 2, -1, "");
        Files.createDirectories(dir.resolve(RunState.TRUST_FILE).resolve("taken"));
        try (RunState state = RunState.open(dir, PARAMETERS, m -> true)) {
            assertThat(state.doneCount()).isEqualTo(2);
        }
        Files.writeString(dir.resolve("frames/a.bin"), "sample bytez");
        try (RunState state = RunState.open(dir, PARAMETERS, m -> true)) {
            assertThat(state.doneCount()).as("no record, so hashed").isZero();
        }
    }

    @Test
    void aCopyOfTheDirectoryHashesItsFilesAgain(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/sys/kernel/random/boot_id")),
                "a Linux boot id");
        Path original = dir.resolve("original");
        manifest(original, 2, -1, "");
        try (RunState state = RunState.open(original, PARAMETERS, m -> true)) {
            assertThat(state.doneCount()).isEqualTo(2);
        }
        // Copied (as cp -r does: another directory, its record along), a file cut short on the way.
        Path copy = dir.resolve("copy");
        try (var files = Files.walk(original)) {
            for (Path p : files.toList()) {
                Files.copy(p, copy.resolve(original.relativize(p).toString()));
            }
        }
        Files.writeString(copy.resolve("frames/a.bin"), "sample");
        assertThat(RunState.identity(copy)).isNotEqualTo(RunState.identity(original));
        try (RunState state = RunState.open(copy, PARAMETERS, m -> true)) {
            assertThat(state.doneCount()).isZero();
        }
    }

    @Test
    void indicesListedOutOfOrderOrTwiceAreEachDoneOnce(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("frames")); // where a run writes (a new run starts only among its own)
        Files.writeString(dir.resolve("frames/a.bin"), "sample bytes");
        String hash = Manifest.sha256(dir.resolve("frames/a.bin"));
        StringBuilder m = new StringBuilder();
        for (long i : new long[] {5, 0, 9, 5, 3}) { // as a hand-edited manifest might have them
            m.append("{\"index\":").append(i).append(",\"files\":[{\"path\":\"frames/a.bin\",\"sha256\":\"")
                    .append(hash).append("\"}]}\n");
        }
        Files.writeString(dir.resolve("manifest.jsonl"), m);
        try (RunState state = RunState.open(dir, PARAMETERS, x -> true)) {
            assertThat(state.doneCount()).isEqualTo(4);
            for (long i = 0; i < 11; i++) {
                assertThat(state.done(i)).as("index %d", i).isEqualTo(i == 0 || i == 3 || i == 5 || i == 9);
            }
        }
    }

    @Test
    void anotherCommandsOutputIsNamedAsSuchAndMissingKeysReadAsNull(@TempDir Path dir) throws Exception {
        try (RunState made = RunState.open(dir, Map.of("version", "test", "count", 1), x -> true)) {
            assertThat(made.doneCount()).isZero();
        }
        Map<String, Object> augment = Map.of("command", "augment", "version", "test");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunState.open(dir, augment, x -> true))
                .hasMessage(dir + " holds the output of roadsynth generate, not of augment; choose another output"
                        + " directory");
        // A key one side lacks and the other holds as null is no difference; a changed value is named once.
        Map<String, Object> other = new java.util.LinkedHashMap<>(Map.of("version", "test", "count", 2));
        other.put("only", null);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunState.open(dir, other, x -> true))
                .hasMessage(dir + " holds a run with other parameters (count 1 before, 2 now); rerun with the same"
                        + " ones to resume it, or choose another output directory");
    }

    /**
     * With an extension, a generate record that differs only by a larger count extends the run: the extension runs
     * first (a failing one leaves the record as it was), then the record names the new count. A smaller count, a
     * count beside another difference, a record naming single samples, or another command's record do not extend.
     */
    @Test
    void aGenerateRunExtendsToALargerCountAndOnlyThat(@TempDir Path dir) throws Exception {
        Map<String, Object> four = new java.util.LinkedHashMap<>(Map.of("version", "test", "count", 4, "seed", 1));
        four.put("only", null);
        try (RunState made = RunState.open(dir, four, x -> true)) {
            assertThat(made.extendedFrom()).isEqualTo(-1);
        }
        byte[] record = Files.readAllBytes(dir.resolve("run.json"));
        Map<String, Object> six = new java.util.LinkedHashMap<>(four);
        six.put("count", 6);
        List<String> calls = new java.util.ArrayList<>();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunState.open(dir, six, x -> true, n -> { },
                (from, to) -> {
                    calls.add(from + "->" + to);
                    throw new java.io.IOException("disk full");
                })).hasMessage("disk full");
        assertThat(Files.readAllBytes(dir.resolve("run.json"))).isEqualTo(record);
        // Without an extension (what augment and merge use) a larger count is another run, as before.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunState.open(dir, six, x -> true))
                .hasMessageContaining("other parameters (count 4 before, 6 now)");
        try (RunState extended = RunState.open(dir, six, x -> true, n -> { }, (from, to) -> calls.add(from + "->" + to))) {
            assertThat(extended.extendedFrom()).isEqualTo(4);
        }
        assertThat(calls).containsExactly("4->6", "4->6");
        assertThat(RunState.record(dir).get("count").asLong()).isEqualTo(6);
        try (RunState same = RunState.open(dir, six, x -> true, n -> { }, (from, to) -> calls.add("again"))) {
            assertThat(same.extendedFrom()).isEqualTo(-1);
        }
        Map<String, Object> seven = new java.util.LinkedHashMap<>(six);
        seven.put("count", 7);
        seven.put("seed", 2);
        Map<String, Object> only = new java.util.LinkedHashMap<>(six);
        only.put("count", 7);
        only.put("only", List.of(0, 6));
        for (Map<String, Object> refused : List.of(four, seven, only)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunState.open(dir, refused, x -> true, n -> { },
                    (from, to) -> calls.add("refused"))).as(refused.toString()).hasMessageContaining("other parameters");
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunState.open(dir, four, x -> true, n -> { },
                (from, to) -> { })).hasMessage(dir + " holds a run with other parameters (count 6 before, 4 now); rerun"
                + " with the same ones to resume it (a run can be extended by a larger --count, not cut short), or"
                + " choose another output directory");
        assertThat(calls).containsExactly("4->6", "4->6");
        assertThat(RunState.record(dir).get("count").asLong()).isEqualTo(6);
    }

    @Test
    void aNewRunStartsOnlyInADirectoryHoldingNothingButRoadsynthOutput(@TempDir Path dir) throws Exception {
        Path mine = Files.createDirectories(dir.resolve("home"));
        Files.writeString(mine.resolve("notes.txt"), "mine");
        Files.writeString(mine.resolve(".draft.x.tmp"), "an editor's"); // what resuming would clean up in a run
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunState.open(mine, PARAMETERS, x -> true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(mine + " holds other things than roadsynth's output (notes.txt) and no run record"
                        + " (run.json); choose a new or empty directory");
        try (var left = Files.list(mine)) {
            assertThat(left.map(p -> p.getFileName().toString()).sorted().toList())
                    .as("nothing made, nothing deleted").containsExactly(".draft.x.tmp", "notes.txt");
        }
        // A fresh file system's root, or a directory holding what a run left before its record (a lock, its
        // output folders): fine.
        Path volume = Files.createDirectories(dir.resolve("volume"));
        Files.createDirectories(volume.resolve("lost+found"));
        Files.createFile(volume.resolve(OutputLock.FILE));
        Files.createDirectories(volume.resolve("cityscapes"));
        try (RunState state = RunState.open(volume, PARAMETERS, x -> true)) {
            assertThat(volume.resolve("run.json")).exists();
        }
    }

    @Test
    void wholeLinesSplitAtNewlinesAcrossBufferBoundaries() throws Exception {
        List<String> expected = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            String line = "x".repeat(i * 577 % 70_000) + i; // some longer than the 64 KiB buffer
            expected.add(line);
            text.append(line).append('\n');
        }
        text.append("no newline");
        List<String> got = new ArrayList<>();
        try (var lines = new dev.roadsynth.core.io.WholeLines(new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)))) {
            for (byte[] l; (l = lines.next()) != null; ) {
                got.add(new String(l, StandardCharsets.UTF_8));
            }
        }
        assertThat(got).isEqualTo(expected);
    }
}
