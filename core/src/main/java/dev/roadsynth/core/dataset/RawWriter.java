package dev.roadsynth.core.dataset;

import dev.roadsynth.core.io.FrameFiles;
import java.nio.file.Path;
import java.util.List;

/** The plain per-frame files of {@link FrameFiles}, under {@code frames/}. */
public final class RawWriter implements DatasetWriter {
    private final Path root;

    public RawWriter(Path root) {
        this.root = root;
    }

    @Override
    public String name() {
        return "raw";
    }

    /** Raw frames keep every plane, depth included. */
    @Override
    public boolean needsDepth() {
        return true;
    }

    @Override
    public Prepared prepare(Sample sample) {
        return new Written(FrameFiles.write(sample.frame(), root.resolve("frames"), sample.id(), sample.output()::write));
    }
}
