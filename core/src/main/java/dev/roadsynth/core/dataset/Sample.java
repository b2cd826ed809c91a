package dev.roadsynth.core.dataset;

import dev.roadsynth.core.Frame;
import dev.roadsynth.core.ObjectAnnotation;
import dev.roadsynth.core.ObjectGroup;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One sample on its way to disk: the frame, its object annotations and what is needed to regenerate it.
 *
 * @param index      the sample's index in its job (0-based)
 * @param seed       the seed it was drawn with
 * @param split      the dataset split ("train", "val", ...)
 * @param frame      pixels and label planes
 * @param objects    the annotated objects, in instance id order
 * @param ignored    objects the annotation policy left out that show at least one pixel (too small, too occluded,
 *                   or of a class ignored in evaluation), in instance id order: for formats that mark regions to
 *                   ignore (KITTI's DontCare, COCO's iscrowd regions)
 * @param groups     instances annotated together as one object as well (a rider and its bicycle, for KITTI's
 *                   Cyclist), kept or dropped by the policy, in the scene's order; their members are among
 *                   {@code objects} or {@code ignored} (or neither, when out of view) on their own
 * @param intrinsics the camera's pinhole intrinsics {fx, fy, cx, cy}, pixels
 * @param metadata   anything else for the manifest (scene source, resolved parameters, shortfalls); JSON-able
 * @param output     what the writers have made of it so far (see {@link SampleOutput}); a new sample gets its own
 */
public record Sample(long index, long seed, String split, Frame frame, List<ObjectAnnotation> objects,
                     List<ObjectAnnotation> ignored, List<ObjectGroup> groups, double[] intrinsics,
                     Map<String, Object> metadata, SampleOutput output) {
    /** A sample with nothing encoded yet. */
    public Sample(long index, long seed, String split, Frame frame, List<ObjectAnnotation> objects,
                  List<ObjectAnnotation> ignored, List<ObjectGroup> groups, double[] intrinsics,
                  Map<String, Object> metadata) {
        this(index, seed, split, frame, objects, ignored, groups, intrinsics, metadata, new SampleOutput());
    }

    /** A sample with nothing encoded yet and no groups. */
    public Sample(long index, long seed, String split, Frame frame, List<ObjectAnnotation> objects,
                  List<ObjectAnnotation> ignored, double[] intrinsics, Map<String, Object> metadata) {
        this(index, seed, split, frame, objects, ignored, List.of(), intrinsics, metadata);
    }

    /** A sample with nothing encoded yet and no objects left out. */
    public Sample(long index, long seed, String split, Frame frame, List<ObjectAnnotation> objects,
                  double[] intrinsics, Map<String, Object> metadata) {
        this(index, seed, split, frame, objects, List.of(), intrinsics, metadata);
    }

    public Sample {
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(frame, "frame");
        objects = List.copyOf(objects);
        ignored = List.copyOf(ignored);
        groups = List.copyOf(groups);
        intrinsics = intrinsics.clone();
        // Insertion order kept: the manifest writes these keys in order, and its lines must be reproducible.
        metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
        if (intrinsics.length != 4) {
            throw new IllegalArgumentException("intrinsics: expected {fx, fy, cx, cy}, got " + intrinsics.length + " values");
        }
    }

    /** The sample's name in file names: its index, six digits. */
    public String id() {
        return String.format("%06d", index);
    }

    @Override
    public double[] intrinsics() {
        return intrinsics.clone();
    }
}
