package dev.roadsynth.generate;

import dev.roadsynth.core.dataset.DatasetWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Says once, early in a run, when the samples left will not fit on the output's file system: after the first
 * {@value #AFTER} samples written, their size times the samples left against the space free. A full disk stops a run
 * cleanly (every sample written by then is kept, and the rerun resumes), but a user told at the start can free
 * space or move the run before hours are spent. An estimate: samples differ in size, and COCO's per-sample parts and
 * joined JSON (a few percent of a sample) are not counted. Used by one thread at a time (the run's commits).
 */
final class SpaceCheck {
    /** Samples written before the estimate is made. */
    static final int AFTER = 4;

    private final Path out;
    private final long samples;
    private long seen;
    private long bytes;

    /** For a run writing {@code samples} samples into {@code out}. */
    SpaceCheck(Path out, long samples) {
        this.out = out;
        this.samples = samples;
    }

    /**
     * One more sample written, what its writers made {@code prepared}; once the {@value #AFTER}th is, says what it
     * must. After that, nothing: the samples' files are looked at only until then.
     */
    void written(List<? extends DatasetWriter.Prepared> prepared, Consumer<String> note) throws IOException {
        if (seen >= AFTER) {
            return;
        }
        for (DatasetWriter.Prepared p : prepared) {
            for (Path f : p.files()) {
                bytes += Files.size(f);
            }
        }
        seen++;
        if (seen == AFTER && samples > seen) {
            String said = note(bytes / seen, samples - seen, Files.getFileStore(out).getUsableSpace(), out);
            if (said != null) {
                note.accept(said);
            }
        }
    }

    /** The sentence for {@code left} samples of about {@code perSample} bytes with {@code free} bytes free, or null if they fit. */
    static String note(long perSample, long left, long free, Path out) {
        double need = (double) perSample * left;
        if (need <= free) {
            return null;
        }
        return "the " + left + " samples left need about " + size(need) + " (" + size(perSample) + " a sample so far),"
                + " and the file system of " + out + " has " + size(free) + " free: the run will stop when it is"
                + " full, keeping every sample written by then; free space and rerun the same command to resume";
    }

    /** Bytes in the unit that reads best: "812 KB", "2.3 MB", "23.1 GB". */
    static String size(double bytes) {
        String[] units = {"bytes", "KB", "MB", "GB", "TB"};
        int u = 0;
        while (bytes >= 1000 && u < units.length - 1) {
            bytes /= 1000;
            u++;
        }
        return u == 0 ? String.format(Locale.ROOT, "%.0f bytes", bytes)
                : String.format(Locale.ROOT, bytes < 10 ? "%.1f %s" : "%.0f %s", bytes, units[u]);
    }
}
