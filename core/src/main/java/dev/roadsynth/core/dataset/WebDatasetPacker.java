package dev.roadsynth.core.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roadsynth.core.io.AtomicFiles;
import dev.roadsynth.core.io.TarWriter;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Packs a finished dataset's raw frames into WebDataset-style tar shards, for loaders that stream shards:
 * {@code webdataset/SPLIT-NNNNNN.tar}, each with up to {@code samplesPerShard} samples in manifest order, and
 * per sample the members {@code ID.rgb.npy}, {@code ID.labelIds.npy}, {@code ID.instanceIds.npy},
 * {@code ID.depth.npy} (the raw format's arrays, byte for byte) and {@code ID.json} (its manifest line). Every
 * array is checked against the SHA-256 its manifest line records before it goes in. The shards are a function of
 * the dataset: packing again gives the same bytes ({@link TarWriter}); shards written earlier that this packing
 * does not make are removed, and so are shards half written by a packing that was killed (their temporary files).
 */
public final class WebDatasetPacker {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The raw format's arrays, as file suffix and member suffix (validate's check of shards reads them too). */
    static final String[][] ARRAYS = {{"_rgb.npy", "rgb.npy"}, {"_labelIds.npy", "labelIds.npy"},
            {"_instanceIds.npy", "instanceIds.npy"}, {"_depth.npy", "depth.npy"}};

    private WebDatasetPacker() {
    }

    /** One shard written. */
    public record Shard(Path file, String split, int samples) {
    }

    /**
     * Packs {@code root} (a dataset made with the raw format among its formats).
     *
     * @throws IllegalArgumentException when a sample has no raw arrays, or an array's bytes differ from its
     *                                  manifest line (naming the file)
     */
    public static List<Shard> pack(Path root, int samplesPerShard) throws IOException {
        return pack(root, samplesPerShard, n -> { });
    }

    /** As {@link #pack(Path, int)}, telling {@code packedSoFar} how many samples are packed after each one. */
    public static List<Shard> pack(Path root, int samplesPerShard, java.util.function.LongConsumer packedSoFar)
            throws IOException {
        if (samplesPerShard < 1) {
            throw new IllegalArgumentException("samples per shard " + samplesPerShard + " must be at least 1");
        }
        Path manifest = root.resolve("manifest.jsonl");
        if (!Files.isRegularFile(manifest)) {
            throw new IllegalArgumentException(root + ": no manifest.jsonl; not a roadsynth dataset");
        }
        // Two passes over the manifest, so that a dataset of any size is packed holding one line at a time: the
        // first counts each split's samples, the second (once per split) packs that split's lines in order.
        Map<String, Integer> counts = new LinkedHashMap<>();
        try (BufferedReader r = dev.roadsynth.core.io.JsonLines.reader(manifest)) {
            int lineNo = 0;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lineNo++;
                if (!line.isBlank()) {
                    JsonNode m = JSON.readTree(line);
                    if (!m.path("id").isTextual() || !m.path("split").isTextual()) {
                        // augment's lines, say: they name an input and a copy instead.
                        throw new IllegalArgumentException(manifest + ":" + lineNo + ": no id and split, as generate"
                                + " writes them; pack takes a dataset of roadsynth generate or merge");
                    }
                    counts.merge(m.get("split").asText(), 1, Integer::sum);
                }
            }
        }
        Path dir = root.resolve("webdataset");
        List<Shard> shards = new ArrayList<>();
        long[] done = {0};
        for (var e : counts.entrySet()) {
            String split = e.getKey();
            try (BufferedReader r = dev.roadsynth.core.io.JsonLines.reader(manifest)) {
                for (int k = 0, left = e.getValue(); left > 0; k++) {
                    int n = Math.min(left, samplesPerShard);
                    Path file = dir.resolve(String.format("%s-%06d.tar", split, k));
                    AtomicFiles.write(file, out -> {
                        TarWriter tar = new TarWriter(out);
                        for (int packed = 0; packed < n; ) {
                            String line = r.readLine();
                            if (line == null) {
                                throw new IOException(manifest + " changed while it was packed");
                            }
                            JsonNode m = line.isBlank() ? null : JSON.readTree(line);
                            if (m != null && m.get("split").asText().equals(split)) {
                                add(tar, root, m, line);
                                packed++;
                                packedSoFar.accept(++done[0]);
                            }
                        }
                        tar.finish();
                    });
                    shards.add(new Shard(file, split, n));
                    left -= n;
                }
            }
        }
        if (Files.isDirectory(dir)) {
            List<Path> made = shards.stream().map(Shard::file).toList();
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".tar") || AtomicFiles.isTemporary(p))
                        .toList()) {
                    if (!made.contains(p)) {
                        Files.delete(p);
                    }
                }
            }
        }
        return shards;
    }

    /** Adds a sample's arrays and its manifest line ({@code m}, parsed from {@code line}). */
    private static void add(TarWriter tar, Path root, JsonNode m, String line) throws IOException {
        String id = m.get("id").asText();
        Map<String, String> hashes = new LinkedHashMap<>();
        for (JsonNode f : m.get("files")) {
            hashes.put(f.get("path").asText(), f.get("sha256").asText());
        }
        for (String[] a : ARRAYS) {
            String path = "frames/" + id + a[0];
            String expected = hashes.get(path);
            if (expected == null) {
                throw new IllegalArgumentException("sample " + id + " has no " + path + " in its manifest line; pack "
                        + "needs the raw format (generate with --format raw, or raw among the formats)");
            }
            byte[] bytes = Files.readAllBytes(root.resolve(path));
            if (!Manifest.sha256(bytes).equals(expected)) {
                // The dataset's record that its files are whole in this boot is false now; gone, the rerun hashes.
                RunState.distrust(root);
                throw new IllegalArgumentException(root.resolve(path) + ": its bytes differ from the SHA-256 in the "
                        + "manifest; rerun its generate command to make that sample again");
            }
            tar.add(id + "." + a[1], bytes);
        }
        tar.add(id + ".json", line.getBytes(StandardCharsets.UTF_8));
    }

}
