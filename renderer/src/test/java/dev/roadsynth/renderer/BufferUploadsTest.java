package dev.roadsynth.renderer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The storage sizes of {@link BufferUploads}: powers of two from 64 KiB, never below what a frame uploads. */
class BufferUploadsTest {
    @Test
    void storageIsThePowerOfTwoAtOrAboveTheBytesFrom64KiB() {
        assertThat(BufferUploads.capacity(0)).isEqualTo(65_536);
        assertThat(BufferUploads.capacity(1)).isEqualTo(65_536);
        assertThat(BufferUploads.capacity(65_536)).isEqualTo(65_536);
        assertThat(BufferUploads.capacity(65_537)).isEqualTo(131_072);
        assertThat(BufferUploads.capacity(2_142_000)).isEqualTo(1L << 22); // an urban frame's vertices
        assertThat(BufferUploads.capacity(1L << 31)).isEqualTo(1L << 31);
        assertThat(BufferUploads.capacity((1L << 31) + 1)).isEqualTo(1L << 32);
        for (long bytes = 1; bytes < 1L << 40; bytes = bytes * 3 + 1) {
            long c = BufferUploads.capacity(bytes);
            assertThat(Long.bitCount(c)).as("%d", bytes).isEqualTo(1);
            assertThat(c).as("%d", bytes).isGreaterThanOrEqualTo(bytes).isLessThan(Math.max(2 * bytes, 65_537));
        }
    }
}
