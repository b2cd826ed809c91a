package dev.roadsynth.core.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A manifest line: everything needed to regenerate a sample, and every file written for it with its SHA-256.
 * One JSON object per line ({@code manifest.jsonl}).
 */
public final class Manifest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Manifest() {
    }

    /** The sample's manifest line (no newline). Files are given relative to {@code root}. */
    public static String line(Sample sample, String version, Path root, List<Path> files) throws IOException {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("id", sample.id());
        line.put("index", sample.index());
        line.put("seed", sample.seed());
        line.put("split", sample.split());
        line.put("width", sample.frame().width());
        line.put("height", sample.frame().height());
        line.put("version", version);
        line.putAll(sample.metadata());
        List<Map<String, String>> entries = new ArrayList<>();
        for (Path f : files) {
            Map<String, String> e = new LinkedHashMap<>();
            e.put("path", root.relativize(f).toString().replace('\\', '/'));
            String known = sample.output().sha256(f); // taken as the file was written
            e.put("sha256", known != null ? known : sha256(f));
            entries.add(e);
        }
        line.put("files", entries);
        return JSON.writeValueAsString(line);
    }

    /**
     * A JSON object with the given fields in the given order (key, value, key, value, ...): manifest lines, run
     * records and reports must come out byte-identical run after run.
     */
    public static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    /** SHA-256 (hex) of {@code parts}' bytes, one after another. */
    public static String sha256(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                md.update(p);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
