package dev.roadsynth.core.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ShardsTest {
    @Test
    void theShardsOfARunHoldEveryIndexOnce() {
        for (int n = 1; n <= 7; n++) {
            List<Long> all = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                int shard = k;
                int shards = n;
                Shards.indices(23, null, k, n).forEach(i -> {
                    assertThat(i % shards).isEqualTo(shard);
                    all.add(i);
                });
            }
            assertThat(all).as("%d shards", n).containsExactlyInAnyOrderElementsOf(LongStream.range(0, 23).boxed().toList());
        }
        assertThat(Shards.indices(5, null, 3, 8).toArray()).containsExactly(3);
        assertThat(Shards.indices(2, null, 3, 8).toArray()).isEmpty();
    }

    @Test
    void chosenIndicesKeepTheirOrder() {
        assertThat(Shards.indices(0, new long[] {9, 4, 12, 7, 0}, 0, 2).toArray()).containsExactly(4, 12, 0);
        assertThat(Shards.indices(0, new long[] {9, 4, 12, 7, 0}, 1, 2).toArray()).containsExactly(9, 7);
    }

    @Test
    void aShardOutsideTheRunIsRefused() {
        assertThatThrownBy(() -> Shards.indices(10, null, 2, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shard 2 of 2: want 0 <= shard < shards");
        assertThatThrownBy(() -> Shards.indices(10, null, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
