package dev.roadsynth.core.io;

import dev.roadsynth.core.Frame;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.IntBuffer;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The plain per-frame file set, each file written atomically:
 * <ul>
 *   <li>{@code {stem}_rgb.png}: 8-bit RGB;</li>
 *   <li>{@code {stem}_labelIds.png}: class ids, 8-bit grey when every id of the label set fits, else 16-bit;</li>
 *   <li>{@code {stem}_instanceIds.npy}: uint32 instance ids, shape (height, width), 0 = no instance;</li>
 *   <li>{@code {stem}_depth.npy}: float32 metres along the viewing axis, shape (height, width), 0 = no hit.</li>
 * </ul>
 */
public final class FrameFiles {
    private FrameFiles() {
    }

    /** Writes the file set and returns the paths written. */
    public static List<Path> write(Frame frame, Path dir, String stem) {
        int w = frame.width();
        int h = frame.height();
        Path rgb = dir.resolve(stem + "_rgb.png");
        Path labels = dir.resolve(stem + "_labelIds.png");
        Path instances = dir.resolve(stem + "_instanceIds.npy");
        Path depth = dir.resolve(stem + "_depth.npy");
        try {
            BufferedImage color = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
            byte[] bgr = ((DataBufferByte) color.getRaster().getDataBuffer()).getData();
            byte[] src = frame.rgb().toArray();
            for (int i = 0; i < src.length; i += 3) {
                bgr[i] = src[i + 2];
                bgr[i + 1] = src[i + 1];
                bgr[i + 2] = src[i];
            }
            AtomicFiles.write(rgb, out -> ImageIO.write(color, "png", out));
            AtomicFiles.write(labels, out -> ImageIO.write(labelImage(frame), "png", out));
            AtomicFiles.write(instances, out -> Npy.writeUint32(out, h, w, frame.instance().ids()));
            AtomicFiles.write(depth, out -> Npy.writeFloat32(out, h, w, frame.depth().metres()));
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + stem + " into " + dir + ": " + e.getMessage(), e);
        }
        return List.of(rgb, labels, instances, depth);
    }

    private static BufferedImage labelImage(Frame frame) {
        int w = frame.width();
        int h = frame.height();
        IntBuffer ids = frame.semantic().ids();
        if (frame.labels().maxId() <= 255) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < px.length; i++) {
                px[i] = (byte) ids.get(i);
            }
            return img;
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        short[] px = ((DataBufferUShort) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < px.length; i++) {
            px[i] = (short) ids.get(i);
        }
        return img;
    }
}
