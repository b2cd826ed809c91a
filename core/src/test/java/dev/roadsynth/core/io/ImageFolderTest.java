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
}
