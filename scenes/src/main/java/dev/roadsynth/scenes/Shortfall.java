package dev.roadsynth.scenes;

/**
 * A documented shortfall: the scene asked for more objects of a kind than fitted without overlap.
 *
 * @param kind      what could not all be placed
 * @param requested how many were drawn from the scene file's distribution
 * @param placed    how many were placed
 */
public record Shortfall(String kind, int requested, int placed) {
}
