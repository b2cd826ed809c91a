package dev.roadsynth.core;

/** A label table that cannot be loaded or used: the message names the file, the field and what is allowed. */
public class LabelSetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LabelSetException(String message) {
        super(message);
    }

    public LabelSetException(String message, Throwable cause) {
        super(message, cause);
    }
}
