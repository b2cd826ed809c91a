package dev.roadsynth.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roadsynth.core.Frame;
import dev.roadsynth.core.IdPlane;
import dev.roadsynth.core.Label;
import dev.roadsynth.core.LabelSet;
import dev.roadsynth.core.Rgb;
import dev.roadsynth.core.RgbImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A class table has one label type for all its frames: the raw format's labelIds array and the plain layout's class
 * mask take the type that holds the table's largest id, not the smallest that holds a frame's (frames of one
 * dataset had come out uint8 where they held only small ids and uint16 elsewhere, and do not stack into a batch).
 */
class FrameFilesTest {
    private static final int W = 4;
    private static final int H = 2;

    /** A table whose largest id, 300, takes 16 bits, though the frame below holds ids 0 and 1 only. */
    private static LabelSet wide() {
        return LabelSet.of(List.of(
                new Label("background", 0, 255, "void", false, true, new Rgb(0, 0, 0)),
                new Label("road", 1, 0, "flat", false, false, new Rgb(128, 64, 128)),
                new Label("car", 300, 1, "vehicle", true, false, new Rgb(0, 0, 142))));
    }

    private static Frame frame(LabelSet labels) {
        return new Frame(labels, RgbImage.copyOf(W, H, new byte[W * H * 3]),
                IdPlane.copyOf(W, H, new int[] {0, 1, 1, 0, 1, 1, 0, 0}), IdPlane.copyOf(W, H, new int[W * H]), null);
    }

    @Test
    void rawLabelIdsTakeTheTypeOfTheTablesLargestId(@TempDir Path dir) throws Exception {
        FrameFiles.write(frame(wide()), dir, "wide");
        FrameFiles.write(frame(LabelSet.cityscapes()), dir, "cityscapes");
        Npy.Array wide = Npy.read(dir.resolve("wide_labelIds.npy"));
        assertThat(wide.dtype()).isEqualTo("<u2");
        assertThat(wide.data().getShort(2)).isEqualTo((short) 1);
        assertThat(Npy.read(dir.resolve("cityscapes_labelIds.npy")).dtype()).isEqualTo("|u1");
    }

    @Test
    void aPlainClassMaskTakesTheBitDepthOfTheTablesLargestId(@TempDir Path dir) throws Exception {
        ImageFolder.write(frame(wide()), dir.resolve("wide"), "a", true);
        ImageFolder.write(frame(LabelSet.cityscapes()), dir.resolve("cityscapes"), "a", true);
        assertThat(ImageIO.read(dir.resolve("wide/masks/a.png").toFile()).getColorModel().getPixelSize()).isEqualTo(16);
        assertThat(ImageIO.read(dir.resolve("cityscapes/masks/a.png").toFile()).getColorModel().getPixelSize()).isEqualTo(8);
        // Instance masks have no table: the smallest depth that holds the image's ids, as before.
        assertThat(ImageIO.read(dir.resolve("wide/instances/a.png").toFile()).getColorModel().getPixelSize()).isEqualTo(8);
    }
}
