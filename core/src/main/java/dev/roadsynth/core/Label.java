package dev.roadsynth.core;

import java.util.Objects;

/**
 * One class of a {@link LabelSet}, with the fields of the Cityscapes label table.
 *
 * @param name         unique, human-readable name ("car", "traffic sign")
 * @param id           the class id written into semantic label planes; unique, {@code 0..}{@link LabelSet#MAX_ID}
 * @param trainId      the id a training pipeline uses; {@link #IGNORE_TRAIN_ID} (255) means "ignored in training"
 * @param category     the coarse group ("flat", "vehicle", ...)
 * @param hasInstances whether objects of this class get instance ids
 * @param ignoreInEval whether evaluation ignores this class
 * @param color        the colour of this class in colour-coded label images
 */
public record Label(String name, int id, int trainId, String category, boolean hasInstances,
                    boolean ignoreInEval, Rgb color) {

    /** The train id that marks a class as not trained on. */
    public static final int IGNORE_TRAIN_ID = 255;

    public Label {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(color, "color");
    }
}
