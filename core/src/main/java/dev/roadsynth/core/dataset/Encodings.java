package dev.roadsynth.core.dataset;

import dev.roadsynth.core.io.PngEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Encoded forms of one sample's planes, made once and shared by the writers that store the same bytes: the
 * Cityscapes, COCO and KITTI layouts all hold the RGB image as a PNG, which is the most expensive file to
 * compress. Thread-safe; lives as long as its {@link Sample}.
 */
public final class Encodings {
    private final ConcurrentHashMap<PngEncoder, byte[]> rgbPng = new ConcurrentHashMap<>();

    /** The sample's RGB image as a PNG made by {@code png}; encoded on the first call for that encoder. */
    public byte[] rgbPng(Sample sample, PngEncoder png) {
        return rgbPng.computeIfAbsent(png, p -> {
            var f = sample.frame();
            ByteArrayOutputStream out = new ByteArrayOutputStream(f.width() * f.height() * 2);
            try {
                p.writeRgb(out, f.width(), f.height(), f.rgb().toArray());
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
            }
            return out.toByteArray();
        });
    }
}
