package dev.roadsynth.core.batch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A {@link RunListener} for tests: records the counts a run says it makes ("making DONE TO_MAKE") in
 * {@link #events}, where subclasses add their own, and counts its commits; and, if asked ({@link #stopsAt}), stops a
 * gate inside a given commit, as a signal's hook does.
 */
public class RecordingRunListener implements RunListener {
    /** What the run said, in order. */
    public final List<String> events = Collections.synchronizedList(new ArrayList<>());
    /** Commits so far. */
    public int committed;
    private CommitGate stopGate;
    private int stopAt;

    /** Has {@code gate} stopped inside commit number {@code commit} (from 1). */
    public void stopsAt(CommitGate gate, int commit) {
        this.stopGate = gate;
        this.stopAt = commit;
    }

    @Override
    public void making(long done, long toMake) {
        events.add("making " + done + " " + toMake);
    }

    @Override
    public void committed() {
        committed++;
        if (stopGate != null && committed == stopAt) {
            stopGate.stop();
        }
    }
}
