package dev.roadsynth.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roadsynth.core.Frame;
import dev.roadsynth.core.LabelSet;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
    private static final int[] GREYS = {0, 1, 64, 128, 200, 254, 255};

    /** An image of one row, {@code values[x]} at x, in a grey image of {@code type}, written as {@code format}. */
    private static Path grey(Path dir, String name, int type, int[] values, String format) throws Exception {
        BufferedImage img = new BufferedImage(values.length, 1, type);
        img.getRaster().setPixels(0, 0, values.length, 1, values);
        Path file = dir.resolve(name);
        assertThat(ImageIO.write(img, format, file.toFile())).isTrue();
        return file;
    }

    private static Frame read(Path dir, Path image, int width, int height) throws Exception {
        Path mask = grey(dir, "mask.png", BufferedImage.TYPE_BYTE_GRAY, new int[width * height], "png");
        return ImageFolder.read(new ImageFolder.Item("x", image, mask, null), LabelSet.cityscapes());
    }

    /** Java's getRGB took a grey image's values for linear light and brightened them: 128 came back as 186. */
    @Test
    void aGreyPngKeepsItsValuesInEveryChannel(@TempDir Path dir) throws Exception {
        Frame f = read(dir, grey(dir, "g.png", BufferedImage.TYPE_BYTE_GRAY, GREYS, "png"), GREYS.length, 1);
        byte[] rgb = f.rgb().toArray();
        for (int x = 0; x < GREYS.length; x++) {
            for (int c = 0; c < 3; c++) {
                assertThat(rgb[3 * x + c] & 0xff).as("x %d channel %d", x, c).isEqualTo(GREYS[x]);
            }
        }
    }

    @Test
    void aSixteenBitGreyPngIsScaledToEightBits(@TempDir Path dir) throws Exception {
        int[] values = {0, 128, 129, 257 * 128, 257 * 128 + 128, 65535};
        int[] expected = {0, 0, 1, 128, 128, 255}; // v * 255 / 65535, rounded
        Frame f = read(dir, grey(dir, "g16.png", BufferedImage.TYPE_USHORT_GRAY, values, "png"), values.length, 1);
        for (int x = 0; x < values.length; x++) {
            assertThat(f.rgb().toArray()[3 * x] & 0xff).as("x %d", x).isEqualTo(expected[x]);
        }
    }

    @Test
    void aGreyJpegKeepsItsValuesToo(@TempDir Path dir) throws Exception {
        int[] flat = new int[64];
        java.util.Arrays.fill(flat, 128);
        Frame f = read(dir, grey(dir, "g.jpg", BufferedImage.TYPE_BYTE_GRAY, flat, "jpeg"), flat.length, 1);
        for (byte b : f.rgb().toArray()) {
            assertThat(b & 0xff).isBetween(126, 130); // JPEG's rounding; 186 or so as linear light
        }
    }

    @Test
    void aColourPngIsReadAsItIs(@TempDir Path dir) throws Exception {
        BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_INT_RGB);
        int[] colours = {0x102030, 0x80ff00, 0xfefdfc};
        for (int x = 0; x < 3; x++) {
            img.setRGB(x, 0, colours[x]);
        }
        Path file = dir.resolve("c.png");
        ImageIO.write(img, "png", file.toFile());
        byte[] rgb = read(dir, file, 3, 1).rgb().toArray();
        for (int x = 0; x < 3; x++) {
            assertThat(((rgb[3 * x] & 0xff) << 16) | ((rgb[3 * x + 1] & 0xff) << 8) | (rgb[3 * x + 2] & 0xff))
                    .isEqualTo(colours[x]);
        }
    }

    /**
     * A plain folder's optional depth, a millimetre PNG or a float32 array, is read with its image as metres and
     * written back in the same form with the same values; a depth PNG of 8 bits is named, not taken for millimetres.
     */
    @Test
    void aPlainFoldersDepthIsReadAndWrittenBackInItsOwnForm(@TempDir Path dir) throws Exception {
        int[] mm = {0, 1, 999, 1000, 12345, 65534, 65535};
        Path in = dir.resolve("in");
        java.nio.file.Files.createDirectories(in.resolve("images"));
        java.nio.file.Files.createDirectories(in.resolve("masks"));
        java.nio.file.Files.createDirectories(in.resolve("depth"));
        for (String name : new String[] {"a", "b"}) {
            grey(in.resolve("images"), name + ".png", BufferedImage.TYPE_BYTE_GRAY, GREYS, "png");
            grey(in.resolve("masks"), name + ".png", BufferedImage.TYPE_BYTE_GRAY, new int[GREYS.length], "png");
        }
        grey(in.resolve("depth"), "a.png", BufferedImage.TYPE_USHORT_GRAY, mm, "png");
        float[] metres = {0f, 0.5f, 1.25f, 3.0e-4f, 70.5f, 12.345f, 2f};
        java.nio.file.Files.write(in.resolve("depth/b.npy"), npyFloat32(metres));
        var items = ImageFolder.list(in);
        assertThat(items).extracting(ImageFolder.Item::depth)
                .containsExactly(in.resolve("depth/a.png"), in.resolve("depth/b.npy"));
        Frame a = ImageFolder.read(items.get(0), LabelSet.cityscapes());
        Frame b = ImageFolder.read(items.get(1), LabelSet.cityscapes());
        for (int x = 0; x < mm.length; x++) {
            assertThat(a.depth().get(x, 0)).as("x %d", x).isEqualTo(mm[x] / 1000f);
            assertThat(b.depth().get(x, 0)).as("x %d", x).isEqualTo(metres[x]);
        }
        Path out = dir.resolve("out");
        assertThat(ImageFolder.write(a, out, "a", new ImageFolder.Layout(false, false, true), 0, 0, AtomicFiles::write))
                .contains(out.resolve("depth/a.png"));
        ImageFolder.write(b, out, "b", false);
        var back = ImageIO.read(out.resolve("depth/a.png").toFile());
        assertThat(back.getColorModel().getComponentSize(0)).isEqualTo(16);
        assertThat(back.getRaster().getPixels(0, 0, mm.length, 1, (int[]) null)).containsExactly(mm);
        assertThat(java.nio.file.Files.readAllBytes(out.resolve("depth/b.npy"))).isEqualTo(npyFloat32(metres));

        grey(in.resolve("depth"), "a.png", BufferedImage.TYPE_BYTE_GRAY, GREYS, "png");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ImageFolder.read(items.get(0), LabelSet.cityscapes()))
                .isInstanceOf(ImageFolder.BadInputException.class)
                .hasMessage(in.resolve("depth/a.png") + ": 1 channel(s) of 8 bits; a depth PNG is one grey channel of "
                        + "16-bit millimetres, as the depth format writes it");
    }

    /** A float32 array of shape (1, N), as numpy.save writes it: written here byte by byte, not by Npy. */
    private static byte[] npyFloat32(float[] values) {
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, " + values.length + "), }";
        int total = 10 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(10 + header.length() + 4 * values.length)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buf.put((byte) 0x93).put("NUMPY".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0)
                .putShort((short) header.length()).put(header.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        for (float v : values) {
            buf.putFloat(v);
        }
        return buf.array();
    }
}
