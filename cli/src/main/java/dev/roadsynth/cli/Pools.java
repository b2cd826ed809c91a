package dev.roadsynth.cli;

/** The {@code --threads} option of the batch commands. */
final class Pools {
    private Pools() {
    }

    /**
     * The worker count a {@code --threads} option asks for: all cores when it is not given.
     *
     * @throws IllegalArgumentException naming the option when the count is outside 1..256
     */
    static int threads(Integer requested) {
        int t = requested == null ? Runtime.getRuntime().availableProcessors() : requested;
        if (t < 1 || t > 256) {
            throw new IllegalArgumentException("--threads: " + t + " is out of range 1..256");
        }
        return t;
    }
}
