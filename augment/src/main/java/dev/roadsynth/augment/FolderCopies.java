package dev.roadsynth.augment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roadsynth.core.Frame;
import dev.roadsynth.core.LabelSet;
import dev.roadsynth.core.Seeds;
import dev.roadsynth.core.dataset.Manifest;
import dev.roadsynth.core.io.AtomicFiles;
import dev.roadsynth.core.io.ImageFolder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Augmented copies of the inputs of an image folder or dataset ({@link ImageFolder}), written into an output folder
 * with a manifest line each (naming the input's files with their SHA-256, so that a rerun can tell an input changed
 * since: {@link FolderRun}): what {@code roadsynth augment} makes. Copy k of input NAME draws its parameters from
 * {@code Seeds.forSample(Seeds.forSample(seed, nameKey(NAME)), k)}, so an input's copies do not change when other
 * inputs are added or removed, and one copy can be made again alone. Thread-safe: inputs may be augmented
 * concurrently.
 *
 * @param pipeline what to apply
 * @param in       the input folder (manifest lines name each source relative to it)
 * @param out      the output folder, not the input folder nor inside its images/, cityscapes/ or frames/
 * @param spec     how the manifest names the pipeline: its file and SHA-256 ("aug.yaml sha256:...")
 * @param copies   copies per input, at least 1
 * @param seed     the base seed
 * @param version  the version the manifest lines record
 */
public record FolderCopies(Pipeline pipeline, Path in, Path out, String spec, int copies, long seed, String version) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public FolderCopies {
        if (copies < 1) {
            throw new IllegalArgumentException("copies: " + copies + " must be at least 1");
        }
        Path o = out.toAbsolutePath().normalize();
        Path i = in.toAbsolutePath().normalize();
        if (o.equals(i) || o.startsWith(i.resolve("images")) || o.startsWith(i.resolve("cityscapes"))
                || o.startsWith(i.resolve("frames"))) {
            throw new IllegalArgumentException("out: " + out + " would put outputs among the inputs of " + in
                    + " (the next run would read them); choose another output folder");
        }
    }

    /**
     * What one input gave: the manifest lines of the copies written (their files already in place, atomically), in
     * copy order; or, where the input could not be read, why (and no lines).
     */
    public record Result(String unreadable, List<String> lines) {
        public Result {
            lines = List.copyOf(lines);
        }
    }

    /** The same copies written into {@code out} instead (checked as the constructor checks it). */
    FolderCopies writingInto(Path out) {
        return new FolderCopies(pipeline, in, out, spec, copies, seed, version);
    }

    /** The key of copy {@code k} of input {@code name} in a run's record of what is done. */
    public static String key(String name, int k) {
        return name + "#" + k;
    }

    /** The input name of a {@link #key}. */
    static String nameOf(String key) {
        return key.substring(0, key.lastIndexOf('#'));
    }

    /**
     * Reads {@code item} (class ids as {@code labels} number them) and writes its copies that {@code done} does not
     * hold (by {@link #key}).
     */
    public Result augment(ImageFolder.Item item, LabelSet labels, Predicate<String> done) throws IOException {
        Frame frame;
        // Each file's SHA-256 from the bytes decoded: one read, and the record names what was augmented.
        Map<Path, String> read = new HashMap<>();
        // Each input mask's bit depth, which its copies keep: masks of one type, whatever ids each copy holds. No
        // warp makes ids a mask could not hold but the fill's, which the class masks also take.
        Map<Path, Long> depths = new HashMap<>();
        try {
            frame = ImageFolder.read(item, labels, (file, bytes) -> {
                read.put(file, Manifest.sha256(bytes));
                depths.put(file, ImageFolder.largestSample(bytes));
            });
        } catch (ImageFolder.BadInputException e) {
            return new Result(e.getMessage(), List.of());
        }
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (Path f : inputFiles(item)) {
            String sha256 = read.get(f);
            if (sha256 == null) {
                throw new IllegalStateException(f + " was not read with the rest of " + item.name());
            }
            inputs.add(Manifest.ordered("path", relative(f), "sha256", sha256));
        }
        long itemSeed = Seeds.forSample(seed, nameKey(item.name()));
        List<String> lines = new ArrayList<>();
        for (int k = 0; k < copies; k++) {
            if (done.test(key(item.name(), k))) {
                continue;
            }
            long s = Seeds.forSample(itemSeed, k);
            AugmentSpec.Params p = pipeline.spec().sample(new SplittableRandom(s), frame.width(), frame.height());
            Frame result = Augmenter.apply(frame, p, pipeline.fillClass());
            // The hashes of what was written, as it was written: no second read of the files.
            Map<Path, String> hashes = new HashMap<>();
            List<Path> files = ImageFolder.write(result, out, item.name() + "_" + k, ImageFolder.Layout.of(item),
                    Math.max(depths.get(item.classes()), pipeline.fillClass()),
                    item.instances() == null ? 0 : depths.get(item.instances()),
                    (target, content) -> hashes.put(target, AtomicFiles.write(target, content)));
            List<Map<String, Object>> entries = new ArrayList<>();
            for (Path f : files) {
                entries.add(Manifest.ordered("path", out.relativize(f).toString().replace('\\', '/'),
                        "sha256", hashes.get(f)));
            }
            Map<String, Object> line = Manifest.ordered("name", item.name(), "copy", k,
                    "source", relative(item.image()), "inputs", inputs, "seed", s,
                    "spec", spec, "version", version, "augment", p, "files", entries);
            if (item.split() != null) {
                line.put("split", item.split()); // the sample's split in the input dataset
            }
            lines.add(json(line));
        }
        return new Result(null, lines);
    }

    /** The files {@code item} is read from: image, class ids, instance ids and depth where it has them. */
    static List<Path> inputFiles(ImageFolder.Item item) {
        List<Path> files = new ArrayList<>(4);
        for (Path f : new Path[] {item.image(), item.classes(), item.instances(), item.depth()}) {
            if (f != null) {
                files.add(f);
            }
        }
        return files;
    }

    /** {@code file} relative to the input folder, '/' separated, as manifest lines name inputs. */
    String relative(Path file) {
        return in.relativize(file).toString().replace('\\', '/');
    }

    /** Whether every copy of input {@code name} is in {@code done}. */
    public boolean allDone(String name, Predicate<String> done) {
        for (int k = 0; k < copies; k++) {
            if (!done.test(key(name, k))) {
                return false;
            }
        }
        return true;
    }

    /** A stable per-name index for seeds: the first 63 bits of the SHA-256 of the name's UTF-8 bytes. */
    public static long nameKey(String name) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(d).getLong() & Long.MAX_VALUE;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    private static String json(Map<String, Object> line) {
        try {
            return JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a manifest line could not be written as JSON", e);
        }
    }
}
