package dev.roadsynth.scenes;

/**
 * A road's centreline in the ground plane: a straight line or a circular arc, parametrised by arc length
 * {@code s} (metres) and a lateral offset {@code t} (metres, positive to the left of the direction of travel).
 *
 * @param x0        start point x, world frame
 * @param y0        start point y
 * @param heading0  heading at the start, radians counter-clockwise from world x
 * @param curvature 1/radius, 1/m; positive curves left; 0 is straight
 */
record Centreline(double x0, double y0, double heading0, double curvature) {

    double heading(double s) {
        return heading0 + curvature * s;
    }

    double x(double s, double t) {
        double h = heading(s);
        double cx = Math.abs(curvature) < 1e-9 ? x0 + s * Math.cos(heading0)
                : x0 + (Math.sin(h) - Math.sin(heading0)) / curvature;
        return cx - t * Math.sin(h);
    }

    double y(double s, double t) {
        double h = heading(s);
        double cy = Math.abs(curvature) < 1e-9 ? y0 + s * Math.sin(heading0)
                : y0 + (Math.cos(heading0) - Math.cos(h)) / curvature;
        return cy + t * Math.cos(h);
    }
}
