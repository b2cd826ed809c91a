package dev.roadsynth.cli;

import dev.roadsynth.core.dataset.RunState;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** The {@code --split NAME} option of the commands that read a dataset: its samples of one split. */
final class SplitOption {
    private SplitOption() {
    }

    /**
     * The samples of {@code all} whose split is {@code split}, or all of them when {@code split} is null.
     *
     * @param splitOf a sample's split (null: the sample has none)
     * @throws IllegalArgumentException when no sample is in that split, naming the splits there are
     */
    static <T> List<T> only(List<T> all, Function<T, String> splitOf, String split, Path dir) {
        if (split == null) {
            return all;
        }
        List<T> chosen = all.stream().filter(t -> split.equals(splitOf.apply(t))).toList();
        if (chosen.isEmpty()) {
            List<String> names = all.stream().map(splitOf).filter(Objects::nonNull).distinct().sorted().toList();
            throw new IllegalArgumentException("--split: no sample of " + dir + " is in split '" + split + "'"
                    + (declared(dir, split) ? " (its run declared the split, but no sample fell in it)" : "") + "; "
                    + (names.isEmpty() ? "it is not a roadsynth dataset, so it has no splits"
                    : "its splits with samples: " + String.join(", ", names)));
        }
        return chosen;
    }

    /** Whether {@code dir}'s run record (a generate run's) declares {@code split} in its --split. */
    private static boolean declared(Path dir, String split) {
        try {
            com.fasterxml.jackson.databind.JsonNode record = RunState.record(dir);
            return record != null && RunState.declaredSplits(record).contains(split);
        } catch (java.io.IOException | RuntimeException e) {
            return false; // no record, or not one of generate's
        }
    }
}
