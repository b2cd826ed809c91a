package dev.roadsynth.core.dataset;

import dev.roadsynth.core.io.AtomicFiles;
import dev.roadsynth.core.io.PngEncoder;
import java.nio.file.Path;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the writers have made of one sample so far: encoded forms shared by the writers that store the same bytes
 * (the Cityscapes, COCO and KITTI layouts all hold the RGB image as a PNG, the most expensive file to compress),
 * and the SHA-256 of every file written through {@link #write}, taken from the bytes as they were written so the
 * manifest need not read the files back. Thread-safe; lives as long as its {@link Sample}.
 */
public final class SampleOutput {
    private final ConcurrentHashMap<PngEncoder, byte[]> rgbPng = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Path, String> hashes = new ConcurrentHashMap<>();

    /** Writes {@code target} atomically (see {@link AtomicFiles#write}) and records its SHA-256. */
    public void write(Path target, AtomicFiles.Content content) throws IOException {
        hashes.put(target.toAbsolutePath().normalize(), AtomicFiles.write(target, content));
    }

    /** The SHA-256 (hex) of a file written through {@link #write}, or null for any other file. */
    public String sha256(Path file) {
        return hashes.get(file.toAbsolutePath().normalize());
    }

    /** The sample's RGB image as a PNG made by {@code png}; encoded on the first call for that encoder. */
    public byte[] rgbPng(Sample sample, PngEncoder png) {
        return rgbPng.computeIfAbsent(png, p -> {
            var f = sample.frame();
            java.nio.ByteBuffer pixels = f.rgb().pixels();
            int rowBytes = 3 * f.width();
            return p.encodeRgb(f.width(), f.height(), (y, row) -> pixels.get(y * rowBytes, row));
        });
    }
}
