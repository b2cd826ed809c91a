package dev.roadsynth.scenes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.joml.Vector3f;
import org.junit.jupiter.api.Test;

/**
 * The shared meshes are closed and wound by their normals: the renderer culls triangles seen from behind, which
 * hides nothing of a closed mesh whose normals point outwards, and sets up no triangle of zero area.
 */
class MeshesTest {
    private static Vector3f position(Mesh m, int v) {
        return new Vector3f(m.positions().get(3 * v), m.positions().get(3 * v + 1), m.positions().get(3 * v + 2));
    }

    private static Vector3f normal(Mesh m, int v) {
        return new Vector3f(m.normals().get(3 * v), m.normals().get(3 * v + 1), m.normals().get(3 * v + 2));
    }

    /** A vertex's position as a key: duplicated vertices (seams, poles, flat faces' corners) are one point. */
    private static String key(Vector3f p) {
        return Math.round(p.x * 1e5) + "," + Math.round(p.y * 1e5) + "," + Math.round(p.z * 1e5);
    }

    @Test
    void everyTriangleHasAreaFacesItsNormalsAndEveryEdgeIsSharedTheOtherWay() {
        for (Mesh m : List.of(Meshes.unitBox(), Meshes.unitCylinder(), Meshes.unitSphere(), Meshes.box(2, 0.5f, 3))) {
            Map<String, Integer> edges = new HashMap<>();
            for (int t = 0; t < m.triangleCount(); t++) {
                int[] v = {m.indices().get(3 * t), m.indices().get(3 * t + 1), m.indices().get(3 * t + 2)};
                Vector3f a = position(m, v[0]);
                Vector3f face = new Vector3f(position(m, v[1])).sub(a).cross(new Vector3f(position(m, v[2])).sub(a));
                assertThat(face.length()).as(m + " triangle " + t + " area").isGreaterThan(1e-6f);
                Vector3f normals = normal(m, v[0]).add(normal(m, v[1])).add(normal(m, v[2]));
                assertThat(face.dot(normals)).as(m + " triangle " + t + " wound by its normals").isPositive();
                for (int e = 0; e < 3; e++) {
                    edges.merge(key(position(m, v[e])) + ">" + key(position(m, v[(e + 1) % 3])), 1, Integer::sum);
                }
            }
            for (var e : edges.entrySet()) {
                String[] ends = e.getKey().split(">");
                assertThat(e.getValue()).as(m + " edge " + e.getKey() + " once").isEqualTo(1);
                assertThat(edges.get(ends[1] + ">" + ends[0])).as(m + " edge " + e.getKey() + " reversed").isEqualTo(1);
            }
        }
    }
}
