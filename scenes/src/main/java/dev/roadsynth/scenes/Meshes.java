package dev.roadsynth.scenes;

/** Factories for simple meshes. */
public final class Meshes {
    private Meshes() {
    }

    /**
     * An axis-aligned box centred on the origin of its frame: x from -sx/2 to sx/2 and likewise for y; z from 0
     * to sz, so that it stands on the ground at z = 0. Each face has its own four vertices and flat normal.
     */
    public static Mesh box(float sx, float sy, float sz) {
        if (!(sx > 0 && sy > 0 && sz > 0)) {
            throw new IllegalArgumentException("box: size " + sx + " x " + sy + " x " + sz + " must be positive");
        }
        float x = sx / 2;
        float y = sy / 2;
        float[][] corners = {
                {-x, -y, 0}, {x, -y, 0}, {x, y, 0}, {-x, y, 0},
                {-x, -y, sz}, {x, -y, sz}, {x, y, sz}, {-x, y, sz}};
        // Faces as corner indices, counter-clockwise seen from outside, with their normal.
        int[][] faces = {{0, 3, 2, 1}, {4, 5, 6, 7}, {0, 1, 5, 4}, {1, 2, 6, 5}, {2, 3, 7, 6}, {3, 0, 4, 7}};
        float[][] normals = {{0, 0, -1}, {0, 0, 1}, {0, -1, 0}, {1, 0, 0}, {0, 1, 0}, {-1, 0, 0}};
        float[] p = new float[6 * 4 * 3];
        float[] n = new float[6 * 4 * 3];
        int[] idx = new int[6 * 6];
        for (int f = 0; f < 6; f++) {
            for (int k = 0; k < 4; k++) {
                int v = f * 4 + k;
                System.arraycopy(corners[faces[f][k]], 0, p, v * 3, 3);
                System.arraycopy(normals[f], 0, n, v * 3, 3);
            }
            int b = f * 4;
            int[] tri = {b, b + 1, b + 2, b, b + 2, b + 3};
            System.arraycopy(tri, 0, idx, f * 6, 6);
        }
        return new Mesh(p, n, idx);
    }

    /**
     * A horizontal rectangle at z = 0 facing up: x from x0 to x1, y from y0 to y1.
     */
    public static Mesh groundQuad(float x0, float y0, float x1, float y1) {
        if (!(x1 > x0 && y1 > y0)) {
            throw new IllegalArgumentException("quad: [" + x0 + ", " + x1 + "] x [" + y0 + ", " + y1 + "] is empty");
        }
        float[] p = {x0, y0, 0, x1, y0, 0, x1, y1, 0, x0, y1, 0};
        float[] n = {0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1};
        return new Mesh(p, n, new int[] {0, 1, 2, 0, 2, 3});
    }
}
