package dev.roadsynth.core.io;

import dev.roadsynth.core.Frame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The plain per-frame file set, each file written atomically; PNGs through {@link PngEncoder#FAST}:
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
            PngEncoder png = PngEncoder.FAST;
            AtomicFiles.write(rgb, out -> png.writeRgb(out, w, h, frame.rgb().toArray()));
            int[] ids = frame.semantic().toArray();
            if (frame.labels().maxId() <= 255) {
                AtomicFiles.write(labels, out -> png.writeGray8(out, w, h, ids));
            } else {
                AtomicFiles.write(labels, out -> png.writeGray16(out, w, h, ids));
            }
            AtomicFiles.write(instances, out -> Npy.writeUint32(out, h, w, frame.instance().ids()));
            AtomicFiles.write(depth, out -> Npy.writeFloat32(out, h, w, frame.depth().metres()));
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + stem + " into " + dir + ": " + e.getMessage(), e);
        }
        return List.of(rgb, labels, instances, depth);
    }
}
