package dev.roadsynth.scenes;

import java.util.ArrayList;
import java.util.List;

/**
 * Occupied ground: oriented rectangles in the ground plane. Placement asks {@link #fits} before it adds an
 * object, so that no two solid objects interpenetrate. The test is the separating axis theorem, exact for
 * rectangles.
 */
final class Footprints {
    /** An oriented rectangle: centre, half extents along and across its heading, heading in radians. */
    record Rect(double cx, double cy, double halfLength, double halfWidth, double yaw) {
        double[][] corners() {
            double c = Math.cos(yaw);
            double s = Math.sin(yaw);
            double[][] out = new double[4][];
            int i = 0;
            for (int a : new int[] {1, -1}) {
                for (int b : new int[] {1, -1}) {
                    double lx = a * halfLength;
                    double ly = a * b * halfWidth;
                    out[i++] = new double[] {cx + lx * c - ly * s, cy + lx * s + ly * c};
                }
            }
            return out;
        }
    }

    private final List<Rect> rects = new ArrayList<>();

    boolean fits(Rect r) {
        for (Rect o : rects) {
            if (overlap(r, o)) {
                return false;
            }
        }
        return true;
    }

    void add(Rect r) {
        rects.add(r);
    }

    /** Adds {@code r} when it fits; whether it did. */
    boolean claim(Rect r) {
        if (!fits(r)) {
            return false;
        }
        add(r);
        return true;
    }

    List<Rect> all() {
        return List.copyOf(rects);
    }

    static boolean overlap(Rect a, Rect b) {
        // Quick reject on bounding circles.
        double dx = a.cx() - b.cx();
        double dy = a.cy() - b.cy();
        double ra = Math.hypot(a.halfLength(), a.halfWidth());
        double rb = Math.hypot(b.halfLength(), b.halfWidth());
        if (dx * dx + dy * dy > (ra + rb) * (ra + rb)) {
            return false;
        }
        double[][] ca = a.corners();
        double[][] cb = b.corners();
        for (double yaw : new double[] {a.yaw(), a.yaw() + Math.PI / 2, b.yaw(), b.yaw() + Math.PI / 2}) {
            double ax = Math.cos(yaw);
            double ay = Math.sin(yaw);
            double minA = Double.MAX_VALUE;
            double maxA = -Double.MAX_VALUE;
            double minB = Double.MAX_VALUE;
            double maxB = -Double.MAX_VALUE;
            for (double[] p : ca) {
                double d = p[0] * ax + p[1] * ay;
                minA = Math.min(minA, d);
                maxA = Math.max(maxA, d);
            }
            for (double[] p : cb) {
                double d = p[0] * ax + p[1] * ay;
                minB = Math.min(minB, d);
                maxB = Math.max(maxB, d);
            }
            if (maxA <= minB || maxB <= minA) {
                return false;
            }
        }
        return true;
    }
}
