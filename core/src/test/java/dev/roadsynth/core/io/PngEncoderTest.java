package dev.roadsynth.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Every image round-trips exactly through ImageIO's PNG reader, for every filter, size and sample format. */
class PngEncoderTest {
    private static final int[][] SIZES = {{1, 1}, {7, 3}, {333, 217}, {64, 1}, {1, 50}};

    /** Random but structured content: flat regions (like label images) with noise (like rendered pixels). */
    private static int sample(SplittableRandom rng, int x, int y, int max) {
        return rng.nextInt(4) == 0 ? rng.nextInt(max + 1) : ((x / 5 + y / 3) * 37) % (max + 1);
    }

    /** zlib at four levels and the run deflater, with {@code filter}. */
    private static List<PngEncoder> encoders(PngEncoder.Filter filter) {
        return List.of(new PngEncoder(0, filter), new PngEncoder(1, filter), new PngEncoder(6, filter),
                new PngEncoder(9, filter), new PngEncoder(1, filter, PngEncoder.Deflate.RUNS));
    }

    private static BufferedImage decode(byte[] png) throws Exception {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(img).as("ImageIO decodes it").isNotNull();
        return img;
    }

    @ParameterizedTest
    @EnumSource(PngEncoder.Filter.class)
    void rgbRoundTripsExactly(PngEncoder.Filter filter) throws Exception {
        SplittableRandom rng = new SplittableRandom(1);
        for (PngEncoder enc : encoders(filter)) {
            for (int[] s : SIZES) {
                int w = s[0];
                int h = s[1];
                byte[] rgb = new byte[w * h * 3];
                for (int i = 0; i < rgb.length; i++) {
                    rgb[i] = (byte) sample(rng, (i / 3) % w, i / 3 / w, 255);
                }
                BufferedImage img = decode(enc.encodeRgb(w, h, rgb));
                Raster r = img.getRaster();
                assertThat(r.getNumBands()).isEqualTo(3);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        for (int b = 0; b < 3; b++) {
                            assertThat(r.getSample(x, y, b)).as("%s %dx%d (%d,%d) band %d", enc, w, h, x, y, b)
                                    .isEqualTo(rgb[(y * w + x) * 3 + b] & 0xff);
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(PngEncoder.Filter.class)
    void greyRoundTripsExactlyIn8And16Bits(PngEncoder.Filter filter) throws Exception {
        SplittableRandom rng = new SplittableRandom(2);
        for (PngEncoder enc : List.of(new PngEncoder(1, filter), new PngEncoder(1, filter, PngEncoder.Deflate.RUNS))) {
            for (int[] s : SIZES) {
                int w = s[0];
                int h = s[1];
                for (int max : new int[] {255, 65535}) {
                    int[] v = new int[w * h];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = sample(rng, i % w, i / w, max);
                    }
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    if (max == 255) {
                        enc.writeGray8(out, w, h, v);
                    } else {
                        enc.writeGray16(out, w, h, v);
                    }
                    BufferedImage img = decode(out.toByteArray());
                    assertThat(img.getRaster().getSampleModel().getSampleSize(0)).isEqualTo(max == 255 ? 8 : 16);
                    for (int i = 0; i < v.length; i++) {
                        assertThat(img.getRaster().getSample(i % w, i / w, 0)).as("%s %dx%d at %d", enc, w, h, i).isEqualTo(v[i]);
                    }
                }
            }
        }
    }

    @Test
    void valuesThatDoNotFitAreRefusedNotTruncated() {
        PngEncoder enc = PngEncoder.FAST;
        assertThatThrownBy(() -> enc.writeGray8(new ByteArrayOutputStream(), 2, 1, new int[] {3, 256}))
                .hasMessageContaining("value 256 at index 1 does not fit a 8-bit PNG sample (0..255)");
        assertThatThrownBy(() -> enc.writeGray16(new ByteArrayOutputStream(), 1, 1, new int[] {70000}))
                .hasMessageContaining("70000");
        assertThatThrownBy(() -> enc.writeGray16(new ByteArrayOutputStream(), 3, 1, new int[] {0, 65535, -1}))
                .hasMessageContaining("value 4294967295 at index 2 does not fit a 16-bit PNG sample");
        assertThatThrownBy(() -> enc.writeRgb(new ByteArrayOutputStream(), 2, 2, new byte[11])).hasMessageContaining("needs 12");
        assertThatThrownBy(() -> new PngEncoder(10, PngEncoder.Filter.UP)).hasMessageContaining("0..9");
    }
    @Test
    void rowSourcesEncodeAsTheWholeArraysDoAndAreAskedEachRowOnceTopDown() throws Exception {
        SplittableRandom rng = new SplittableRandom(3);
        int w = 333;
        int h = 217;
        byte[] rgb = new byte[w * h * 3];
        int[] v = new int[w * h];
        for (int i = 0; i < v.length; i++) {
            v[i] = sample(rng, i % w, i / w, 65535);
            rgb[3 * i] = (byte) v[i];
            rgb[3 * i + 1] = (byte) (v[i] >> 3);
            rgb[3 * i + 2] = (byte) (v[i] >> 8);
        }
        int[] grey8 = java.util.Arrays.stream(v).map(x -> x & 0xff).toArray();
        for (PngEncoder enc : List.of(PngEncoder.FAST, new PngEncoder(6, PngEncoder.Filter.ADAPTIVE))) {
            List<Integer> asked = new java.util.ArrayList<>();
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            ByteArrayOutputStream rows = new ByteArrayOutputStream();
            enc.writeRgb(whole, w, h, rgb);
            enc.writeRgb(rows, w, h, (y, row) -> {
                asked.add(y);
                System.arraycopy(rgb, y * w * 3, row, 0, w * 3);
            });
            assertThat(rows.toByteArray()).as("%s rgb", enc).isEqualTo(whole.toByteArray());
            assertThat(asked).isEqualTo(java.util.stream.IntStream.range(0, h).boxed().toList());

            whole.reset();
            rows.reset();
            enc.writeGray8(whole, w, h, grey8);
            enc.writeGray8(rows, w, h, (y, row) -> System.arraycopy(grey8, y * w, row, 0, w));
            assertThat(rows.toByteArray()).as("%s grey8", enc).isEqualTo(whole.toByteArray());

            whole.reset();
            rows.reset();
            enc.writeGray16(whole, w, h, v);
            enc.writeGray16(rows, w, h, (y, row) -> System.arraycopy(v, y * w, row, 0, w));
            assertThat(rows.toByteArray()).as("%s grey16", enc).isEqualTo(whole.toByteArray());
            BufferedImage img = decode(rows.toByteArray());
            assertThat(img.getRaster().getSample(w - 1, h - 1, 0)).isEqualTo(v[w * h - 1]);
        }
        // A value out of range in a later row is named by its index in the whole image.
        assertThatThrownBy(() -> PngEncoder.FAST.writeGray8(new ByteArrayOutputStream(), 3, 2,
                (y, row) -> java.util.Arrays.fill(row, y == 1 ? 300 : 1)))
                .hasMessageContaining("value 300 at index 3 does not fit a 8-bit PNG sample");
    }
}
