package dev.roadsynth.scenes;

/**
 * One road: a centreline, the arc-length range it covers, half its carriageway width, lanes per direction,
 * and the curb's offset on the right (side -1) and left (side +1): the carriageway's edge plus any parking strip.
 */
record Road(Centreline line, double s0, double s1, double half, int lanes, double laneWidth, double curbRight,
            double curbLeft) {
    /** The width of a parking strip beside a curb, metres. */
    static final double PARKING_WIDTH = 2.4;

    Road(Centreline line, double s0, double s1, double half, int lanes, double laneWidth) {
        this(line, s0, s1, half, lanes, laneWidth, half, half);
    }

    double curb(int side) {
        return side < 0 ? curbRight : curbLeft;
    }

    double widestCurb() {
        return Math.max(curbRight, curbLeft);
    }
}
