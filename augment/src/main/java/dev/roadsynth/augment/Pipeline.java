package dev.roadsynth.augment;

import dev.roadsynth.core.Box2;
import dev.roadsynth.core.Frame;
import dev.roadsynth.core.IdPlane;
import dev.roadsynth.core.Label;
import dev.roadsynth.core.LabelSet;
import dev.roadsynth.core.ObjectAnnotation;
import dev.roadsynth.core.ObjectGroup;
import dev.roadsynth.core.dataset.Sample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * An augmentation pipeline: what to draw ({@link AugmentSpec}) and how to treat the labels (fill class, box mode,
 * objects that leave the image). Immutable; {@link #apply(Sample, SplittableRandom)} draws one set of parameters
 * from the generator it is given and applies it to the frame and every annotation of a sample.
 *
 * <p>After augmentation an annotation's visible pixel count is recounted on the warped instance plane and its
 * visible box is either that plane's tight box ({@link BoxMode#EXACT}) or the transformed corners of the
 * rendered box ({@link BoxMode#CORNERS}); amodal boxes are the transformed corners of the rendered amodal box
 * (clipped, and unclipped); truncation becomes box-based: the share of the unclipped amodal box's area outside
 * the output. The visible fraction (occlusion) and amodal pixel count are carried as rendered; 3D boxes, alpha and
 * distance are carried unchanged and no longer match the warped image (write KITTI from unaugmented samples).
 *
 * @param spec       the parameter ranges
 * @param fillClass  class id for pixels the warp brings in from outside the image (use the ignore class)
 * @param boxes      how visible boxes follow the warp
 * @param keepOutside keep objects with no visible pixel left (visible box null) rather than drop them
 */
public record Pipeline(AugmentSpec spec, int fillClass, BoxMode boxes, boolean keepOutside) {
    /** How a visible box follows the warp. */
    public enum BoxMode {
        /** The tight box of the instance's pixels in the warped instance plane. */
        EXACT,
        /** The box around the rendered box's four transformed corners: contains the object, looser when rotated. */
        CORNERS
    }

    public Pipeline {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(boxes, "boxes");
        if (fillClass < 0) {
            throw new IllegalArgumentException("fill class " + fillClass + " must be >= 0");
        }
    }

    /**
     * Checks that the fill class is a class of {@code labels}, so that warped label planes hold only ids of the
     * dataset's class table. (Not checked where the table is unknown: a folder of masks may use any ids, and 255 is
     * a common ignore value there.)
     *
     * @throws IllegalArgumentException naming the fill class and the table's classes that are ignored in training
     */
    public void requireFillClassIn(LabelSet labels) {
        if (!labels.contains(fillClass)) {
            String ignored = labels.labels().stream()
                    .filter(l -> l.ignoreInEval() || l.trainId() == Label.IGNORE_TRAIN_ID)
                    .map(l -> l.id() + " (" + l.name() + ")").limit(6).collect(java.util.stream.Collectors.joining(", "));
            throw new IllegalArgumentException("fill: " + fillClass + " is not a class id of the dataset's class table"
                    + " (ids " + labels.labels().stream().mapToInt(Label::id).min().orElse(0) + ".." + labels.maxId()
                    + "); pixels brought in from outside the image need one of its classes"
                    + (ignored.isEmpty() ? "" : ", e.g. an ignored one: " + ignored));
        }
    }

    /** The spec with fill class 0, exact boxes, objects that leave the image dropped. */
    public static Pipeline of(AugmentSpec spec) {
        return new Pipeline(spec, 0, BoxMode.EXACT, false);
    }

    /** This pipeline with another fill class (the class id for pixels from outside the image). */
    public Pipeline withFill(int fillClass) {
        return new Pipeline(spec, fillClass, boxes, keepOutside);
    }

    /** This pipeline with another box mode. */
    public Pipeline withBoxes(BoxMode boxes) {
        return new Pipeline(spec, fillClass, boxes, keepOutside);
    }

    /** This pipeline keeping (true) or dropping (false) objects with no visible pixel left. */
    public Pipeline withKeepOutside(boolean keepOutside) {
        return new Pipeline(spec, fillClass, boxes, keepOutside);
    }

    /** Draws parameters for the sample's size from {@code rng}, then applies them. */
    public Sample apply(Sample sample, SplittableRandom rng) {
        return apply(sample, spec.sample(rng, sample.frame().width(), sample.frame().height()));
    }

    /**
     * Applies drawn parameters: the frame warped, the annotations recomputed, and the parameters recorded in the
     * sample's metadata under {@code "augment"} (so the manifest line holds what replays it).
     */
    public Sample apply(Sample sample, AugmentSpec.Params params) {
        Frame in = sample.frame();
        Frame out = Augmenter.apply(in, params, fillClass);
        GeometryParams g = params.geometry();
        int w = in.width();
        int h = in.height();
        Map<Integer, IdPlane.Extent> extents = out.instance().extents();
        // A group's pixels are its members' (disjoint in the instance plane): counted and boxed under its own id.
        for (ObjectGroup group : sample.groups()) {
            IdPlane.Extent e = IdPlane.Extent.of(extents, group.members());
            if (e != null) {
                extents.put(group.object().instanceId(), e);
            }
        }
        List<ObjectAnnotation> objects = warped(sample.objects(), extents, g, w, h, out);
        // The objects left out follow the same warp; one the warp takes out of view is no longer "in view".
        List<ObjectAnnotation> ignored = warped(sample.ignored(), extents, g, w, h, out).stream()
                .filter(a -> a.visiblePixels() > 0).toList();
        List<ObjectGroup> groups = new ArrayList<>();
        for (ObjectGroup group : sample.groups()) {
            // Dropped as an object is when the warp takes it out of view (unless outside objects are kept).
            warped(List.of(group.object()), extents, g, w, h, out)
                    .forEach(a -> groups.add(new ObjectGroup(a, group.members(), group.dropped())));
        }
        Map<String, Object> metadata = new LinkedHashMap<>(sample.metadata());
        metadata.put("augment", params);
        return new Sample(sample.index(), sample.seed(), sample.split(), out, objects, ignored, groups,
                sample.intrinsics(), metadata);
    }

    /**
     * The annotations after the warp: pixels counted again on the warped instance plane ({@code extents}), boxes
     * moved as {@link BoxMode} says.
     */
    private List<ObjectAnnotation> warped(List<ObjectAnnotation> in, Map<Integer, IdPlane.Extent> extents,
                                          GeometryParams g, int w, int h, Frame out) {
        List<ObjectAnnotation> objects = new ArrayList<>();
        for (ObjectAnnotation a : in) {
            IdPlane.Extent e = a.instanceId() == 0 ? null : extents.get(a.instanceId());
            long visible = e == null ? 0 : e.pixels();
            if (visible == 0 && !keepOutside) {
                continue;
            }
            Box2 visibleBox = visible == 0 ? null : boxes == BoxMode.EXACT ? e.box()
                    : a.visibleBox() == null ? null : Boxes.transform(a.visibleBox(), g, w, h);
            Box2 amodalUnclipped = a.amodalBoxUnclipped() == null ? null : Boxes.bounds(a.amodalBoxUnclipped(), g, w, h);
            Box2 amodal = amodalUnclipped == null ? null : amodalUnclipped.clip(out.width(), out.height());
            double truncation = amodalUnclipped == null ? a.truncation()
                    : 1 - area(amodal) / (double) area(amodalUnclipped);
            objects.add(new ObjectAnnotation(a.instanceId(), a.classId(), a.kind(), visible, visibleBox,
                    a.amodalPixels(), amodal, amodalUnclipped, a.visibleFraction(), truncation, a.box3d(), a.alpha(),
                    a.distance()));
        }
        return objects;
    }

    private static long area(Box2 b) {
        return b == null ? 0 : (long) b.width() * b.height();
    }
}
