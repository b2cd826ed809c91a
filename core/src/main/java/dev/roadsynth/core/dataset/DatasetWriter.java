package dev.roadsynth.core.dataset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One dataset format, written in two steps so that samples can be encoded on many threads while files that span
 * samples stay in sample order: {@link #prepare} writes the sample's own files (each atomically; thread-safe,
 * called concurrently for different samples) and returns them with whatever is still to be appended;
 * {@link #commit} appends that (called in sample order, one at a time); {@link #finish} completes files that span
 * samples (COCO's JSON).
 */
public interface DatasetWriter extends AutoCloseable {
    /** What {@link #prepare} made: the files written, and any state {@link #commit} needs. */
    interface Prepared {
        List<Path> files();
    }

    /** A prepared sample with nothing left to commit. */
    record Written(List<Path> files) implements Prepared {
        public Written {
            files = List.copyOf(files);
        }
    }

    /** The format's name, as given to {@code --format}. */
    String name();

    /**
     * Whether this writer reads the frames' depth planes. Frames are rendered with depth only where a writer does
     * (depth is a quarter of what each frame brings back from the GPU); the others get frames without it
     * ({@link dev.roadsynth.core.Frame#hasDepth()}).
     */
    default boolean needsDepth() {
        return false;
    }

    /**
     * Whether this writer reads the samples' object annotations ({@link Sample#objects()}: boxes, occlusion,
     * truncation). They are made only where a writer does, since they take the renderer's amodal coverage passes;
     * the others get samples without objects.
     */
    default boolean needsObjects() {
        return false;
    }

    /** Writes the sample's own files. Thread-safe. */
    Prepared prepare(Sample sample) throws IOException;

    /** Appends what {@code prepared} left to append; called in sample order. */
    default void commit(Prepared prepared) throws IOException {
    }

    /** Prepares and commits at once, for callers that write one sample at a time. */
    default List<Path> write(Sample sample) throws IOException {
        Prepared p = prepare(sample);
        commit(p);
        return p.files();
    }

    /**
     * Whether what this writer keeps for sample {@code id} of {@code split} besides the files it listed for it
     * (which the manifest hashes) is whole, so that a resumed run may count the sample done. A file renamed into
     * place can still come back empty after a power loss, for example.
     */
    default boolean intact(String split, String id) {
        return true;
    }

    /**
     * Makes what {@link #finish} joined continuable again, before a finished run is extended to more samples
     * ({@link RunState.Extension}) or resumed to make samples found missing or damaged again: afterwards the earlier
     * samples count as done through {@link #intact} as before, and the next {@link #finish} joins them with the new
     * ones, as if the run had asked for all from the start.
     * Called under the output's lock, possibly again after an interruption at any point: an interrupted reopen must
     * leave either what {@code finish} left or its complete undoing. Nothing to do for formats whose files are each
     * a sample's.
     */
    default void reopen() throws IOException {
    }

    /** Finishes files that span samples; returns any files it wrote. */
    default List<Path> finish() throws IOException {
        return List.of();
    }

    /**
     * As {@link #finish()}, and makes each of {@code splits} (the run's declared splits) exist in the layout even
     * where no sample fell in it: its folders, and COCO's JSON with no images. A loader pointed at any split the run
     * declared then finds it, empty or not; a small run with {@code train=0.9,val=0.1} may well put no sample in val.
     */
    default List<Path> finish(List<String> splits) throws IOException {
        return finish();
    }

    @Override
    default void close() throws IOException {
        finish();
    }
}
