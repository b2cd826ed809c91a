package dev.roadsynth.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IdMapTest {
    @Test
    void behavesAsAMapOfItsFirstValues() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int trial = 0; trial < 30; trial++) {
            IdMap map = new IdMap();
            Map<Integer, Integer> reference = new HashMap<>();
            // Few to many keys (the table grows many times), from a small range (collisions, repeats) or anywhere.
            int n = rng.nextInt(5000);
            boolean narrow = trial % 2 == 0;
            for (int i = 0; i < n; i++) {
                int key = narrow ? 1 + rng.nextInt(300) : rng.nextInt();
                if (key == 0) {
                    continue;
                }
                int value = rng.nextInt();
                boolean added = map.putIfAbsent(key, value);
                assertThat(added).isEqualTo(reference.putIfAbsent(key, value) == null);
            }
            for (int i = 0; i < 2000; i++) {
                int key = narrow ? rng.nextInt(400) : rng.nextInt();
                assertThat(map.get(key, -7)).isEqualTo(reference.getOrDefault(key, -7));
            }
            for (var e : reference.entrySet()) {
                assertThat(map.get(e.getKey(), -7)).isEqualTo(e.getValue());
            }
            assertThat(map.keysUnsigned()).containsExactly(reference.keySet().stream()
                    .sorted(Integer::compareUnsigned).mapToInt(Integer::intValue).toArray());
        }
    }

    @Test
    void keysComeInUnsignedOrderAndZeroIsNoKey() {
        IdMap map = new IdMap();
        for (int key : new int[] {-1, 5, Integer.MIN_VALUE, 1, Integer.MAX_VALUE}) {
            map.putIfAbsent(key, key);
        }
        assertThat(map.keysUnsigned()).containsExactly(1, 5, Integer.MAX_VALUE, Integer.MIN_VALUE, -1);
        assertThat(map.get(0, 42)).isEqualTo(42);
        assertThatThrownBy(() -> map.putIfAbsent(0, 1)).hasMessage("id 0 cannot be a key");
    }
}
