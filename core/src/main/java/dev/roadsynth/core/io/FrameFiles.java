package dev.roadsynth.core.io;

import dev.roadsynth.core.Frame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The raw per-frame file set: uncompressed NumPy arrays that {@code numpy.load} reads, so that nothing is spent
 * on compression (for loaders that read arrays, and for machines that render faster than PNG encodes). Each file
 * written atomically:
 * <ul>
 *   <li>{@code {stem}_rgb.npy}: uint8, shape (height, width, 3), RGB;</li>
 *   <li>{@code {stem}_labelIds.npy}: class ids, uint8 when the class table's ids fit 8 bits (and the frame's), else
 *       uint16 (or uint32): one type for every frame of a table;</li>
 *   <li>{@code {stem}_instanceIds.npy}: uint32 instance ids, shape (height, width), 0 = no instance;</li>
 *   <li>{@code {stem}_depth.npy}: float32 metres along the viewing axis, shape (height, width), 0 = no hit; only for
 *       frames with depth ({@link Frame#hasDepth()}), never made up.</li>
 * </ul>
 */
public final class FrameFiles {
    private FrameFiles() {
    }

    /** Writes the file set and returns the paths written. */
    public static List<Path> write(Frame frame, Path dir, String stem) {
        return write(frame, dir, stem, AtomicFiles::write);
    }

    /** How one file is written: atomically, perhaps recording its hash. */
    @FunctionalInterface
    public interface FileWriter {
        void write(Path target, AtomicFiles.Content content) throws IOException;
    }

    /** Writes the file set through {@code writer} and returns the paths written. */
    public static List<Path> write(Frame frame, Path dir, String stem, FileWriter writer) {
        int w = frame.width();
        int h = frame.height();
        Path rgb = dir.resolve(stem + "_rgb.npy");
        Path labels = dir.resolve(stem + "_labelIds.npy");
        Path instances = dir.resolve(stem + "_instanceIds.npy");
        Path depth = frame.hasDepth() ? dir.resolve(stem + "_depth.npy") : null;
        try {
            writer.write(rgb, out -> Npy.writeRgb(out, h, w, frame.rgb().pixels()));
            writer.write(labels, out -> Npy.writeIds(out, h, w, frame.semantic().ids(), frame.labels().maxId()));
            writer.write(instances, out -> Npy.writeUint32(out, h, w, frame.instance().ids()));
            if (depth != null) {
                writer.write(depth, out -> Npy.writeFloat32(out, h, w, frame.depth().metres()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + stem + " into " + dir + ": " + e.getMessage(), e);
        }
        return depth == null ? List.of(rgb, labels, instances) : List.of(rgb, labels, instances, depth);
    }
}
