package dev.roadsynth.cli;

/**
 * A command whose rerun with the same arguments goes on from what a stopped run left ({@link RunState}, a merge's
 * record); its I/O errors end by saying so ({@link #kept}). Others' (a preview, say) do not, as they have nothing to
 * go on from.
 */
interface Resumes {
    /** What a sample-making command's I/O error ends with. */
    String SAMPLES_KEPT = "; samples completed so far are intact, rerun the same command to resume";

    /** What this command's I/O error ends with: what the stopped run kept, and how to go on. */
    default String kept() {
        return SAMPLES_KEPT;
    }
}
