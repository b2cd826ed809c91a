package dev.roadsynth.core.dataset;

import java.util.Arrays;
import java.util.stream.LongStream;

/**
 * How a run's sample indices are dealt to shards: sample i belongs to shard {@code i mod N} of N (shards counted
 * from 0). The partition depends on nothing but the indices, so the N shards of a run, each made anywhere, hold
 * every sample exactly once, and merged in index order they are the unsharded run.
 */
public final class Shards {
    private Shards() {
    }

    /**
     * The sample indices of shard {@code shard} of {@code shards} in a run of {@code count} samples (0 to count-1),
     * or of the chosen indices {@code only} (in their order) where that is not null.
     */
    public static LongStream indices(long count, long[] only, int shard, int shards) {
        if (shards < 1 || shard < 0 || shard >= shards) {
            throw new IllegalArgumentException("shard " + shard + " of " + shards + ": want 0 <= shard < shards");
        }
        LongStream all = only == null ? LongStream.range(0, count) : Arrays.stream(only);
        return all.filter(i -> i % shards == shard);
    }
}
