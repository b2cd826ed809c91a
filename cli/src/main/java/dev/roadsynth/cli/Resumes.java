package dev.roadsynth.cli;

/**
 * A command whose rerun with the same arguments resumes what a stopped run left ({@link RunState}); its I/O errors
 * end by saying so. Others' (a preview, a merge) do not, as they have nothing to resume.
 */
interface Resumes {
}
