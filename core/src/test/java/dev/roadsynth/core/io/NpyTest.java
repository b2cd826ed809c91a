package dev.roadsynth.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.IntBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    private static Path write(Path dir, String name, AtomicFiles.Content c) throws IOException {
        Path p = dir.resolve(name);
        AtomicFiles.write(p, c);
        return p;
    }

    @Test
    void whatTheWritersWriteReadsBackWithItsTypeShapeAndValues(@TempDir Path dir) throws Exception {
        int[] small = {0, 1, 255, 7, 8, 9};
        int[] mid = {0, 65535, 3, 4, 5, 6};
        int[] big = {0, -1, 70000, 4, 5, 6}; // -1 is 2^32 - 1 unsigned
        Npy.Array a = Npy.read(write(dir, "a.npy", o -> Npy.writeIds(o, 2, 3, IntBuffer.wrap(small), 0)));
        Npy.Array b = Npy.read(write(dir, "b.npy", o -> Npy.writeIds(o, 2, 3, IntBuffer.wrap(mid), 0)));
        Npy.Array c = Npy.read(write(dir, "c.npy", o -> Npy.writeIds(o, 2, 3, IntBuffer.wrap(big), 0)));
        assertThat(a.dtype()).isEqualTo("|u1");
        assertThat(b.dtype()).isEqualTo("<u2");
        assertThat(c.dtype()).isEqualTo("<u4");
        assertThat(a.shape()).containsExactly(2, 3);
        assertThat(a.data().get(2) & 0xff).isEqualTo(255);
        assertThat(b.data().getShort(2) & 0xffff).isEqualTo(65535);
        assertThat(c.data().getInt(4)).isEqualTo(-1);
        assertThat(c.data().getInt(8)).isEqualTo(70000);
        Npy.Array f = Npy.read(write(dir, "f.npy", o -> Npy.writeFloat32(o, 1, 2, java.nio.FloatBuffer.wrap(new float[] {1.5f, -2f}))));
        assertThat(f.dtype()).isEqualTo("<f4");
        assertThat(f.data().getFloat(4)).isEqualTo(-2f);
        Npy.Array rgb = Npy.read(write(dir, "rgb.npy", o -> Npy.writeRgb(o, 1, 2, java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6}))));
        assertThat(rgb.shape()).containsExactly(1, 2, 3);
    }

    @Test
    void brokenFilesAreNamedWithWhatIsWrong(@TempDir Path dir) throws Exception {
        Path notNpy = dir.resolve("x.npy");
        Files.writeString(notNpy, "hello, world");
        assertThatThrownBy(() -> Npy.read(notNpy)).hasMessageContaining("x.npy: not a .npy file");
        Path ok = write(dir, "t.npy", o -> Npy.writeIds(o, 2, 3, IntBuffer.wrap(new int[] {1, 2, 3, 4, 5, 6}), 0));
        byte[] b = Files.readAllBytes(ok);
        Path truncated = dir.resolve("t2.npy");
        Files.write(truncated, java.util.Arrays.copyOf(b, b.length - 1));
        assertThatThrownBy(() -> Npy.read(truncated)).hasMessageContaining("t2.npy: holds 5 data bytes")
                .hasMessageContaining("needs 6");
        Path fortran = dir.resolve("f.npy");
        Files.write(fortran, new String(b, java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace("'fortran_order': False", "'fortran_order': True ").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> Npy.read(fortran)).hasMessageContaining("Fortran-order");
    }
    @Test
    void arraysLargerThanTheWriteBufferAndBufferViewsRoundTripExactly(@TempDir Path dir) throws Exception {
        // 100,003 values: several 64 KiB chunks for every element size, the last one partial; the sources start
        // at a non-zero position, which is where the array begins.
        int n = 100_003;
        java.util.SplittableRandom rng = new java.util.SplittableRandom(11);
        int[] ids = new int[n + 5];
        float[] depth = new float[n + 5];
        byte[] rgb = new byte[3 * n + 5];
        rng.nextBytes(rgb);
        for (int i = 0; i < ids.length; i++) {
            depth[i] = (float) rng.nextDouble(-1, 1000);
        }
        for (int[] range : new int[][] {{0, 255}, {0, 65535}, {Integer.MIN_VALUE, Integer.MAX_VALUE}}) {
            for (int i = 0; i < ids.length; i++) {
                ids[i] = range[0] == 0 ? rng.nextInt(range[1] + 1) : rng.nextInt();
            }
            Npy.Array a = Npy.read(write(dir, "ids" + range[1] + ".npy",
                    o -> Npy.writeIds(o, 1, n, IntBuffer.wrap(ids, 5, n).slice(), 0)));
            Npy.Array u = Npy.read(write(dir, "offset" + range[1] + ".npy", o -> Npy.writeIds(o, 1, n, IntBuffer.wrap(ids).position(5), 0)));
            assertThat(u.data()).isEqualTo(a.data());
            for (int i = 0; i < n; i++) {
                long got = switch (a.dtype()) {
                    case "|u1" -> a.data().get(i) & 0xff;
                    case "<u2" -> a.data().getShort(2 * i) & 0xffff;
                    default -> Integer.toUnsignedLong(a.data().getInt(4 * i));
                };
                assertThat(got).as("%s value %d", a.dtype(), i).isEqualTo(Integer.toUnsignedLong(ids[5 + i]));
            }
        }
        Npy.Array f = Npy.read(write(dir, "f.npy", o -> Npy.writeFloat32(o, 1, n, java.nio.FloatBuffer.wrap(depth).position(5))));
        Npy.Array r = Npy.read(write(dir, "rgb.npy", o -> Npy.writeRgb(o, 1, n, java.nio.ByteBuffer.wrap(rgb).position(5))));
        for (int i = 0; i < n; i++) {
            assertThat(Float.floatToRawIntBits(f.data().getFloat(4 * i))).as("float %d", i)
                    .isEqualTo(Float.floatToRawIntBits(depth[5 + i]));
        }
        for (int i = 0; i < 3 * n; i++) {
            assertThat(r.data().get(i)).as("rgb byte %d", i).isEqualTo(rgb[5 + i]);
        }
    }
}
