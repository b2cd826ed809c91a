package dev.roadsynth.core.dataset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One dataset format. {@link #write} writes a sample's files (each atomically) and returns them; {@link #close}
 * finishes files that span samples (COCO's JSON). Implementations are thread-safe for concurrent writes of
 * different samples.
 */
public interface DatasetWriter extends AutoCloseable {
    /** The format's name, as given to {@code --format}. */
    String name();

    /** Writes the sample's files; returns their paths. */
    List<Path> write(Sample sample) throws IOException;

    /** Finishes files that span samples; returns any files it wrote. */
    default List<Path> finish() throws IOException {
        return List.of();
    }

    @Override
    default void close() throws IOException {
        finish();
    }
}
