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

    private static final Mesh UNIT_BOX = box(1, 1, 1);
    private static final Mesh UNIT_CYLINDER = cylinder(12);
    private static final Mesh UNIT_SPHERE = sphere(12, 7);

    /** A 1 x 1 x 1 box standing on z = 0, centred in x and y; shared, scale it with the model matrix. */
    public static Mesh unitBox() {
        return UNIT_BOX;
    }

    /** A cylinder of radius 1 along z from 0 to 1, with caps; shared, scale it with the model matrix. */
    public static Mesh unitCylinder() {
        return UNIT_CYLINDER;
    }

    /** A sphere of radius 1 around the origin; shared, scale it with the model matrix. */
    public static Mesh unitSphere() {
        return UNIT_SPHERE;
    }

    private static Mesh cylinder(int segments) {
        // Side: two vertices per segment edge with radial normals; caps: a centre and a ring each.
        int sideVerts = (segments + 1) * 2;
        int capVerts = (segments + 1) * 2;
        float[] p = new float[(sideVerts + capVerts) * 3];
        float[] n = new float[p.length];
        int[] idx = new int[segments * 6 + segments * 3 * 2];
        int v = 0;
        for (int i = 0; i <= segments; i++) {
            double a = 2 * Math.PI * i / segments;
            float c = (float) Math.cos(a);
            float s = (float) Math.sin(a);
            for (int z = 0; z < 2; z++) {
                p[v * 3] = c;
                p[v * 3 + 1] = s;
                p[v * 3 + 2] = z;
                n[v * 3] = c;
                n[v * 3 + 1] = s;
                v++;
            }
        }
        int k = 0;
        for (int i = 0; i < segments; i++) {
            int b = i * 2;
            int[] q = {b, b + 2, b + 3, b, b + 3, b + 1};
            System.arraycopy(q, 0, idx, k, 6);
            k += 6;
        }
        for (int z = 0; z < 2; z++) {
            int centre = v;
            p[v * 3 + 2] = z;
            n[v * 3 + 2] = z == 0 ? -1 : 1;
            v++;
            int ring = v;
            for (int i = 0; i < segments; i++) {
                double a = 2 * Math.PI * i / segments;
                p[v * 3] = (float) Math.cos(a);
                p[v * 3 + 1] = (float) Math.sin(a);
                p[v * 3 + 2] = z;
                n[v * 3 + 2] = z == 0 ? -1 : 1;
                v++;
            }
            for (int i = 0; i < segments; i++) {
                int a = ring + i;
                int b = ring + (i + 1) % segments;
                if (z == 0) {
                    idx[k++] = centre;
                    idx[k++] = b;
                    idx[k++] = a;
                } else {
                    idx[k++] = centre;
                    idx[k++] = a;
                    idx[k++] = b;
                }
            }
        }
        return new Mesh(java.util.Arrays.copyOf(p, v * 3), java.util.Arrays.copyOf(n, v * 3), idx);
    }

    private static Mesh sphere(int slices, int stacks) {
        float[] p = new float[(slices + 1) * (stacks + 1) * 3];
        int v = 0;
        for (int j = 0; j <= stacks; j++) {
            double phi = Math.PI * j / stacks;
            for (int i = 0; i <= slices; i++) {
                double th = 2 * Math.PI * i / slices;
                p[v++] = (float) (Math.sin(phi) * Math.cos(th));
                p[v++] = (float) (Math.sin(phi) * Math.sin(th));
                p[v++] = (float) Math.cos(phi);
            }
        }
        // Two triangles per quad, except at the poles, where a row's vertices coincide and one of the two would
        // have no area (a sixth of a 7-stack sphere's triangles: set up by the rasterizer for nothing).
        int[] idx = new int[(slices * stacks * 2 - 2 * slices) * 3];
        int k = 0;
        for (int j = 0; j < stacks; j++) {
            for (int i = 0; i < slices; i++) {
                int a = j * (slices + 1) + i;
                int b = a + slices + 1;
                if (j < stacks - 1) {
                    idx[k++] = a;
                    idx[k++] = b;
                    idx[k++] = b + 1;
                }
                if (j > 0) {
                    idx[k++] = a;
                    idx[k++] = b + 1;
                    idx[k++] = a + 1;
                }
            }
        }
        return new Mesh(p, p.clone(), idx);
    }
}
