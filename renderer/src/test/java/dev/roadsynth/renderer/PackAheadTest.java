package dev.roadsynth.renderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roadsynth.scenes.Scene;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Packing ahead on several threads hands out the iterator's scenes in its order, packed as packing alone packs; the
 * threads make their scenes at the same time.
 */
class PackAheadTest {
    private static List<Scene> scenes(int n) {
        return IntStream.range(0, n).mapToObj(i -> TestScenes.street(1000 + i, 160, 80)).toList();
    }

    @Test
    void severalThreadsHandOutTheScenesInOrderPackedAsAlone() {
        List<Scene> scenes = scenes(24);
        List<Scene> seen = new ArrayList<>();
        try (PackAhead ahead = new PackAhead(PackAhead.made(scenes.iterator()), true, 4)) {
            PackAhead.Packed item;
            while ((item = ahead.next()) != null) {
                try (PackAhead.Packed p = item; PackedScene alone = PackedScene.pack(p.scene())) {
                    seen.add(p.scene());
                    assertThat(bytes(p.packed().vertices())).isEqualTo(bytes(alone.vertices()));
                    assertThat(ints(p.packed().indices())).isEqualTo(ints(alone.indices()));
                    var groups = p.packed().instanceGroups(p.scene());
                    var aloneGroups = alone.instanceGroups(p.scene());
                    assertThat(groups.ids()).isEqualTo(aloneGroups.ids());
                    assertThat(ints(groups.indices())).isEqualTo(ints(aloneGroups.indices()));
                }
            }
            assertThat(ahead.next()).isNull();
        }
        assertThat(seen).containsExactlyElementsOf(scenes); // same objects, same order
    }

    @Test
    void whatTheIteratorThrowsComesAfterTheScenesBeforeIt() {
        List<Scene> scenes = scenes(6);
        Iterator<Scene> failing = new Iterator<>() {
            int i;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Scene next() {
                if (i == 4) {
                    throw new IllegalStateException("scene 4 cannot be generated");
                }
                return scenes.get(i++);
            }
        };
        List<Scene> seen = new ArrayList<>();
        try (PackAhead ahead = new PackAhead(PackAhead.made(failing), false, 3)) {
            assertThatThrownBy(() -> drain(ahead, seen)).isInstanceOf(IllegalStateException.class).hasMessage("scene 4 cannot be generated");
            assertThat(ahead.next()).isNull();
        }
        assertThat(seen).containsExactlyElementsOf(scenes.subList(0, 4));
    }

    @Test
    void theThreadsMakeTheirScenesAtTheSameTimeAndHandThemOutInOrder() {
        // Each maker waits until three are making at once: made one at a time (under the iterator's lock, as
        // before), the first would wait alone until the barrier gave up.
        java.util.concurrent.CyclicBarrier three = new java.util.concurrent.CyclicBarrier(3);
        List<Scene> scenes = scenes(9);
        Iterator<java.util.function.Supplier<Scene>> makers = IntStream.range(0, 9)
                .<java.util.function.Supplier<Scene>>mapToObj(i -> () -> {
                    try {
                        three.await(20, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException("scene " + i + " was made alone", e);
                    }
                    return scenes.get(i);
                }).iterator();
        List<Scene> seen = new ArrayList<>();
        try (PackAhead ahead = new PackAhead(makers, false, 3)) {
            drain(ahead, seen);
        }
        assertThat(seen).containsExactlyElementsOf(scenes);
    }

    @Test
    void whatAMakerThrowsComesAfterTheScenesBeforeIt() {
        List<Scene> scenes = scenes(8);
        Iterator<java.util.function.Supplier<Scene>> makers = IntStream.range(0, 8)
                .<java.util.function.Supplier<Scene>>mapToObj(i -> () -> {
                    if (i == 5) {
                        throw new IllegalStateException("scene 5 cannot be generated");
                    }
                    return scenes.get(i);
                }).iterator();
        List<Scene> seen = new ArrayList<>();
        try (PackAhead ahead = new PackAhead(makers, false, 3)) {
            assertThatThrownBy(() -> drain(ahead, seen)).isInstanceOf(IllegalStateException.class).hasMessage("scene 5 cannot be generated");
            assertThat(ahead.next()).isNull();
        }
        assertThat(seen).containsExactlyElementsOf(scenes.subList(0, 5));
    }

    @Test
    void closingBeforeTheEndStopsTheThreads() {
        PackAhead ahead = new PackAhead(PackAhead.made(scenes(12).iterator()), false, 4);
        try (PackAhead.Packed first = ahead.next()) {
            assertThat(first).isNotNull();
        }
        ahead.close(); // joins the packing threads, frees what they packed ahead
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("roadsynth-pack"));
    }

    @Test
    void threadsGrowWithCoresFromOneToFour() {
        assertThat(IntStream.of(1, 2, 4, 7, 8, 12, 16, 64).map(PackAhead::threadsFor).toArray())
                .containsExactly(1, 1, 1, 1, 2, 3, 4, 4);
    }

    /** Takes every packed scene {@code ahead} hands out, in order, into {@code seen} (closing each). */
    private static void drain(PackAhead ahead, List<Scene> seen) {
        PackAhead.Packed item;
        while ((item = ahead.next()) != null) {
            try (PackAhead.Packed p = item) {
                seen.add(p.scene());
            }
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] a = new byte[d.remaining()];
        d.get(a);
        return a;
    }

    private static int[] ints(IntBuffer b) {
        IntBuffer d = b.duplicate();
        int[] a = new int[d.remaining()];
        d.get(a);
        return a;
    }
}
