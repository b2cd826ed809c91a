package dev.roadsynth.core.batch;

/**
 * What a resumable batch run (generate's, augment's) tells its caller as it goes, for a progress display. Nothing
 * here changes what the run writes; every method does nothing unless overridden.
 */
public interface RunListener {
    /** Checking what an earlier run wrote (hashing its files): {@code count} items so far; from any thread. */
    default void checking(long count) {
    }

    /**
     * Checking is over: {@code done} items were done before, {@code toMake} are made now (0: the run only finishes
     * what an earlier one left).
     */
    default void making(long done, long toMake) {
    }

    /** One more item is committed (its manifest line written); called inside the commit, one at a time. */
    default void committed() {
    }
}
