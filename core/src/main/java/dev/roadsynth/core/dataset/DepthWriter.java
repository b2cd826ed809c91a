package dev.roadsynth.core.dataset;

import dev.roadsynth.core.DepthPlane;
import dev.roadsynth.core.io.AtomicFiles;
import dev.roadsynth.core.io.Npy;
import dev.roadsynth.core.io.PngEncoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Depth maps: {@code depth/{split}/{id}.png}, 16-bit grey in millimetres along the viewing axis, rounded to the
 * nearest millimetre; 0 = no depth; depths beyond 65.534 m are stored as 65535 (saturated, so they stay "far", not
 * "none"). With {@code float32} also {@code depth/{split}/{id}.npy}: float32 metres, shape (height, width), exact.
 */
public final class DepthWriter implements DatasetWriter {
    private final Path root;
    private final PngEncoder png;
    private final boolean float32;

    public DepthWriter(Path root, PngEncoder png, boolean float32) {
        this.root = root;
        this.png = png;
        this.float32 = float32;
    }

    @Override
    public String name() {
        return "depth";
    }

    @Override
    public boolean needsDepth() {
        return true;
    }

    @Override
    public Prepared prepare(Sample sample) throws IOException {
        var f = sample.frame();
        DepthPlane depth = f.requireDepth();
        Path dir = root.resolve("depth").resolve(sample.split());
        List<Path> out = new ArrayList<>();
        Path pngFile = dir.resolve(sample.id() + ".png");
        sample.output().write(pngFile, o -> png.writeGray16(o, f.width(), f.height(), depth::millimetreRow));
        out.add(pngFile);
        if (float32) {
            Path npy = dir.resolve(sample.id() + ".npy");
            sample.output().write(npy, o -> Npy.writeFloat32(o, f.height(), f.width(), depth.metres()));
            out.add(npy);
        }
        return new Written(out);
    }

    /** Makes {@code depth/{split}} for every split, with samples or not. */
    @Override
    public List<Path> finish(List<String> splits) throws IOException {
        for (String split : splits) {
            java.nio.file.Files.createDirectories(root.resolve("depth").resolve(split));
        }
        return List.of();
    }
}
