package dev.roadsynth.scenes;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;

/**
 * An indexed triangle mesh in its object's own frame, in metres. Surfaces are one-sided: a triangle is seen only
 * from the side its vertex normals point to (the renderer winds triangles by their normals, so the order of their
 * vertices does not matter, and culls those seen from behind). A closed mesh with outward normals looks the same from
 * every side; an open one shows nothing from behind. Immutable.
 */
public final class Mesh {
    private final float[] positions;
    private final float[] normals;
    private final int[] indices;

    /**
     * @param positions x, y, z per vertex, metres
     * @param normals   unit normal x, y, z per vertex
     * @param indices   three vertex indices per triangle
     */
    public Mesh(float[] positions, float[] normals, int[] indices) {
        if (positions.length % 3 != 0 || normals.length != positions.length) {
            throw new IllegalArgumentException("mesh: " + positions.length + " position and " + normals.length
                    + " normal floats; need 3 floats per vertex for both");
        }
        if (indices.length % 3 != 0) {
            throw new IllegalArgumentException("mesh: " + indices.length + " indices is not a multiple of 3");
        }
        int vertices = positions.length / 3;
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= vertices) {
                throw new IllegalArgumentException("mesh: index " + i + " = " + indices[i]
                        + " is outside 0.." + (vertices - 1));
            }
        }
        for (int i = 0; i < positions.length; i++) {
            if (!Float.isFinite(positions[i]) || !Float.isFinite(normals[i])) {
                throw new IllegalArgumentException("mesh: vertex " + i / 3 + " has a non-finite coordinate");
            }
        }
        this.positions = positions.clone();
        this.normals = normals.clone();
        this.indices = indices.clone();
    }

    public int vertexCount() {
        return positions.length / 3;
    }

    public int triangleCount() {
        return indices.length / 3;
    }

    /** Read-only view: x, y, z per vertex. */
    public FloatBuffer positions() {
        return FloatBuffer.wrap(positions).asReadOnlyBuffer();
    }

    /** Read-only view: normal x, y, z per vertex. */
    public FloatBuffer normals() {
        return FloatBuffer.wrap(normals).asReadOnlyBuffer();
    }

    /** Read-only view: three vertex indices per triangle. */
    public IntBuffer indices() {
        return IntBuffer.wrap(indices).asReadOnlyBuffer();
    }

    @Override
    public String toString() {
        return "Mesh[" + vertexCount() + " vertices, " + triangleCount() + " triangles]";
    }
}
