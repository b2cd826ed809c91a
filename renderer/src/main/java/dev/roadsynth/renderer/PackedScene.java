package dev.roadsynth.renderer;

import dev.roadsynth.scenes.Mesh;
import dev.roadsynth.scenes.Scene;
import dev.roadsynth.scenes.SceneObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.Arrays;
import java.util.List;
import org.joml.Matrix3f;
import org.joml.Matrix4f;
import org.joml.Vector3f;
import org.lwjgl.system.MemoryUtil;

/**
 * A scene flattened into one vertex and one index buffer in native memory, ready for a single draw call.
 * Positions and normals are in the camera frame (x right, y down, z forward), so the GPU only projects; every
 * triangle is wound counter-clockwise seen from the side its normals point to ({@link #orientedIndices}).
 *
 * <p>Vertex layout, {@value #STRIDE} bytes: position 3 x float32, normal 3 x float32, colour 4 x uint8 (sRGB,
 * normalised; the fourth byte is the {@code Material.Surface} ordinal), class id uint32, instance id uint32.
 */
final class PackedScene implements AutoCloseable {
    static final int STRIDE = 36;
    static final int OFFSET_NORMAL = 12;
    static final int OFFSET_COLOR = 24;
    static final int OFFSET_CLASS = 28;
    static final int OFFSET_INSTANCE = 32;
    /** Refuses scenes whose buffers would exhaust memory; about 1.7 GB of vertices. */
    static final long MAX_TRIANGLES = 16_000_000L;

    private final ByteBuffer vertices;
    private final IntBuffer indices;
    private final boolean hasGlass;
    /** Per object, its triangles' vertex indices into {@link #vertices}, wound as {@link #orientedIndices} says. */
    private final int[][] objectIndices;
    private final IntBuffer casters;

    private PackedScene(ByteBuffer vertices, IntBuffer indices, boolean hasGlass, int[][] objectIndices, IntBuffer casters) {
        this.vertices = vertices;
        this.indices = indices;
        this.hasGlass = hasGlass;
        this.objectIndices = objectIndices;
        this.casters = casters;
    }

    /**
     * Metres by which the shadow-caster test widens the view frustum: four texels of the shadow map, beyond the
     * reach of its 2x2 filtered lookups.
     */
    static final float SHADOW_MARGIN = 4 * 2 * ShadowPass.HALF_EXTENT / ShadowPass.SIZE;
    /** Leaves every caster in the shadow pass when false; for tests that compare frames with and without. */
    static volatile boolean cullShadowCasters = true;

    /**
     * The triangles that cast shadows: all but ground surfaces, which lie under what they could shade, and but
     * objects whose shadows cannot reach the view (see {@link #shadowOutOfView}).
     */
    IntBuffer casterIndices() {
        return casters;
    }

    /**
     * Objects by instance, for per-instance passes over the packed vertices: the objects with an instance id (0 left
     * out) by ascending (unsigned) id, each id's in scene order; then, under each of the scene's
     * {@link Scene#groups() groups}' ids (which no object carries), its members' objects, member by member, so that
     * a pass over a group covers the union of its members. {@code ids} and {@code firsts} are one entry per id
     * ({@code firsts} one more: where each id's objects begin in {@code objects}, then their count), {@code objects}
     * the scene's indices of the objects.
     *
     * <p>Sorted primitive keys rather than maps of boxed lists: this runs for every scene, first in the interpreter,
     * and the maps' code took the JIT compiler over a second to compile (session 27).
     */
    record ObjectsByInstance(int[] ids, int[] firsts, int[] objects) {
    }

    /** A sort key whose signed order is the unsigned order of {@code id}, then of {@code seq} (below 2^31). */
    private static long key(int id, int seq) {
        return ((long) (id ^ Integer.MIN_VALUE) << 32) | seq;
    }

    private static int idOf(long key) {
        return (int) (key >>> 32) ^ Integer.MIN_VALUE;
    }

    static ObjectsByInstance objectsByInstance(Scene scene) {
        List<SceneObject> objects = scene.objects();
        // Each entry is a key (id, seq) and the object at entry seq: objects with an id first, in scene order.
        long[] keys = new long[objects.size()];
        int[] objectAt = new int[objects.size()];
        int n = 0;
        for (int k = 0; k < objects.size(); k++) {
            int id = objects.get(k).instanceId();
            if (id != 0) {
                keys[n] = key(id, n);
                objectAt[n++] = k;
            }
        }
        long[] own = Arrays.copyOf(keys, n);
        Arrays.sort(own);
        for (var g : scene.groups()) {
            for (int m : g.members()) {
                // The member's objects: the run of its id among the sorted keys, in scene order (seq). No key is
                // key(m, 0) - 1 (its seq would be 2^32 - 1), so the search ends at the run's first.
                for (int i = -Arrays.binarySearch(own, key(m, 0) - 1) - 1; i < own.length && idOf(own[i]) == m; i++) {
                    if (n == keys.length) {
                        keys = Arrays.copyOf(keys, 2 * n);
                        objectAt = Arrays.copyOf(objectAt, 2 * n);
                    }
                    keys[n] = key(g.id(), n);
                    objectAt[n++] = objectAt[(int) own[i]];
                }
            }
        }
        long[] sorted = Arrays.copyOf(keys, n);
        Arrays.sort(sorted);
        int[] ids = new int[n];
        int[] firsts = new int[n + 1];
        int[] order = new int[n];
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            int id = idOf(sorted[i]);
            if (distinct == 0 || ids[distinct - 1] != id) {
                ids[distinct] = id;
                firsts[distinct++] = i;
            }
            order[i] = objectAt[(int) sorted[i]];
        }
        firsts[distinct] = n;
        return new ObjectsByInstance(Arrays.copyOf(ids, distinct), Arrays.copyOf(firsts, distinct + 1), order);
    }

    /**
     * The instances' triangles for the coverage pass, groups' as instances' ({@link #objectsByInstance}): instance
     * ids in ascending order, how many indices each has, all their indices concatenated in that order (native
     * memory, owned by this packed scene), and whether each instance projects entirely inside the image with a
     * margin of {@value #INSIDE_MARGIN} pixels (every vertex in front of the near plane and short of the far one), so
     * that the canvas pass has nothing to add for it.
     */
    record InstanceGroups(int[] ids, int[] counts, IntBuffer indices, boolean[] inside) {
    }

    private InstanceGroups groups;
    /** Pixels an instance's projection must keep from the image's edges to count as inside. */
    static final int INSIDE_MARGIN = 2;

    /**
     * The instance groups, built on the first call and kept ({@link PackAhead} builds them on a packing thread, so
     * the render thread only uploads them).
     */
    InstanceGroups instanceGroups(Scene scene) {
        if (groups == null) {
            ObjectsByInstance by = objectsByInstance(scene);
            int[] ids = by.ids();
            int[] counts = new int[ids.length];
            int total = 0;
            for (int g = 0; g < ids.length; g++) {
                for (int i = by.firsts()[g]; i < by.firsts()[g + 1]; i++) {
                    counts[g] += objectIndices[by.objects()[i]].length;
                }
                total += counts[g];
            }
            IntBuffer all = MemoryUtil.memAllocInt(Math.max(1, total));
            for (int k : by.objects()) {
                all.put(objectIndices[k]);
            }
            all.flip();
            var k = scene.camera().intrinsics();
            boolean[] inside = new boolean[ids.length];
            long base = MemoryUtil.memAddress(vertices);
            int at = 0;
            for (int g = 0; g < ids.length; g++) {
                boolean in = true;
                for (int j = 0; j < counts[g] && in; j++) {
                    long v = base + (long) all.get(at + j) * STRIDE;
                    double x = MemoryUtil.memGetFloat(v);
                    double y = MemoryUtil.memGetFloat(v + 4);
                    double z = MemoryUtil.memGetFloat(v + 8);
                    if (!(z > k.near() * 1.01 && z < k.far() * 0.99)) {
                        in = false;
                        break;
                    }
                    double u = k.fx() * x / z + k.cx();
                    double w = k.fy() * y / z + k.cy();
                    in = u >= INSIDE_MARGIN && u <= k.width() - INSIDE_MARGIN && w >= INSIDE_MARGIN
                            && w <= k.height() - INSIDE_MARGIN;
                }
                inside[g] = in;
                at += counts[g];
            }
            groups = new InstanceGroups(ids, counts, all, inside);
        }
        return groups;
    }

    /** Whether any object is glass (which needs the reflection shader variant). */
    boolean hasGlass() {
        return hasGlass;
    }

    static PackedScene pack(Scene scene) {
        long triangles = scene.triangleCount();
        if (triangles > MAX_TRIANGLES) {
            throw new RenderException("scene has " + triangles + " triangles; the renderer accepts at most " + MAX_TRIANGLES);
        }
        long vertexCount = 0;
        for (SceneObject o : scene.objects()) {
            vertexCount += o.mesh().vertexCount();
        }
        ByteBuffer v = MemoryUtil.memAlloc((int) Math.max(1, vertexCount * STRIDE)).order(ByteOrder.nativeOrder());
        IntBuffer idx = MemoryUtil.memAllocInt((int) Math.max(1, triangles * 3));
        Matrix4f modelToCamera = new Matrix4f();
        Matrix3f normalMatrix = new Matrix3f();
        Vector3f p = new Vector3f();
        Vector3f n = new Vector3f();
        List<SceneObject> objects = scene.objects();
        int[] firstVertex = new int[objects.size()];
        float[] nearestZ = new float[objects.size()];
        boolean[] outOfView = new boolean[objects.size()];
        Frustum view = Frustum.forDrawing(scene.camera().intrinsics());
        int base = 0;
        boolean glass = false;
        for (int k = 0; k < objects.size(); k++) {
            SceneObject o = objects.get(k);
            glass |= o.material().surface() == dev.roadsynth.scenes.Material.Surface.GLASS;
            scene.camera().worldToCamera().mul(o.modelToWorld(), modelToCamera);
            modelToCamera.normal(normalMatrix);
            Mesh mesh = o.mesh();
            FloatBuffer pos = mesh.positions();
            FloatBuffer nor = mesh.normals();
            // Colour bytes in memory order R, G, B, then the surface kind in the alpha byte (the int is stored in
            // native, little-endian order).
            int rgba = o.material().baseColor().r() | (o.material().baseColor().g() << 8)
                    | (o.material().baseColor().b() << 16) | (o.material().surface().ordinal() << 24);
            float minZ = Float.POSITIVE_INFINITY;
            // Whether every vertex lies beyond one and the same side of the view frustum: then no triangle of it
            // can cover a pixel centre, and the main pass need not draw it (shadows and coverage still do).
            int sides = Frustum.ALL;
            long address = MemoryUtil.memAddress(v) + (long) base * STRIDE;
            for (int i = 0; i < mesh.vertexCount(); i++, address += STRIDE) {
                modelToCamera.transformPosition(pos.get(3 * i), pos.get(3 * i + 1), pos.get(3 * i + 2), p);
                normalMatrix.transform(nor.get(3 * i), nor.get(3 * i + 1), nor.get(3 * i + 2), n);
                // Unchecked stores: the buffer was sized for every vertex above (the hot loop of packing).
                MemoryUtil.memPutFloat(address, p.x);
                MemoryUtil.memPutFloat(address + 4, p.y);
                MemoryUtil.memPutFloat(address + 8, p.z);
                MemoryUtil.memPutFloat(address + OFFSET_NORMAL, n.x);
                MemoryUtil.memPutFloat(address + OFFSET_NORMAL + 4, n.y);
                MemoryUtil.memPutFloat(address + OFFSET_NORMAL + 8, n.z);
                MemoryUtil.memPutInt(address + OFFSET_COLOR, rgba);
                MemoryUtil.memPutInt(address + OFFSET_CLASS, o.classId());
                MemoryUtil.memPutInt(address + OFFSET_INSTANCE, o.instanceId());
                minZ = Math.min(minZ, p.z);
                sides &= view.outside(p.x, p.y, p.z);
            }
            firstVertex[k] = base;
            nearestZ[k] = minZ;
            outOfView[k] = sides != 0;
            base += mesh.vertexCount();
        }
        int[][] objectIndices = new int[objects.size()][];
        for (int k = 0; k < objects.size(); k++) {
            objectIndices[k] = orientedIndices(v, objects.get(k).mesh(), firstVertex[k]);
        }
        // Draw nearest objects first so that early depth testing rejects hidden fragments: on a software
        // rasterizer overdraw is the main cost. Visibility does not depend on the order (strict depth test);
        // only surfaces at exactly equal depth go to the one drawn first. The sort is stable and deterministic.
        long[] order = new long[objects.size()];
        for (int k = 0; k < order.length; k++) {
            // Sort key: the float's bits made to order like the float (negatives flipped), then the scene index,
            // so that a primitive sort is stable by scene order.
            int bits = Float.floatToIntBits(nearestZ[k]);
            bits ^= (bits >> 31) & 0x7fffffff;
            order[k] = ((long) bits << 32) | k;
        }
        Arrays.sort(order);
        int casterCount = 0;
        for (long key : order) {
            int k = (int) key;
            if (!outOfView[k]) {
                idx.put(objectIndices[k]);
            }
            if (objects.get(k).material().surface() != dev.roadsynth.scenes.Material.Surface.GROUND) {
                casterCount += objectIndices[k].length;
            }
        }
        boolean[] shadowOut = shadowOutOfView(scene, v, firstVertex);
        IntBuffer casters = MemoryUtil.memAllocInt(Math.max(1, casterCount));
        for (int k = 0; k < objects.size(); k++) {
            if (objects.get(k).material().surface() != dev.roadsynth.scenes.Material.Surface.GROUND && !shadowOut[k]) {
                casters.put(objectIndices[k]);
            }
        }
        casters.flip();
        v.limit((int) (vertexCount * STRIDE));
        idx.flip();
        return new PackedScene(v, idx, glass, objectIndices, casters);
    }

    /**
     * A mesh's triangles as indices into the packed vertices (from {@code first}), each wound so that its geometric
     * normal {@code (b - a) x (c - a)} in the camera frame points to the side its vertex normals point to: the side
     * it is seen from. The renderer culls triangles seen from behind by their winding, so the winding must say
     * which side is the front whatever order the mesh lists its vertices in and whatever the handedness of its
     * model matrix. A closed mesh with outward normals loses only faces that its front faces hide anyway; an
     * open surface (ground, a wall) is seen from its normal's side only. Triangles of zero area keep their order.
     */
    private static int[] orientedIndices(ByteBuffer v, Mesh mesh, int first) {
        IntBuffer mi = mesh.indices();
        int[] out = new int[mi.remaining()];
        long base = MemoryUtil.memAddress(v);
        for (int t = 0; t + 2 < out.length; t += 3) {
            int a = first + mi.get(t);
            int b = first + mi.get(t + 1);
            int c = first + mi.get(t + 2);
            long pa = base + (long) a * STRIDE;
            long pb = base + (long) b * STRIDE;
            long pc = base + (long) c * STRIDE;
            float ax = MemoryUtil.memGetFloat(pa);
            float ay = MemoryUtil.memGetFloat(pa + 4);
            float az = MemoryUtil.memGetFloat(pa + 8);
            float ux = MemoryUtil.memGetFloat(pb) - ax;
            float uy = MemoryUtil.memGetFloat(pb + 4) - ay;
            float uz = MemoryUtil.memGetFloat(pb + 8) - az;
            float wx = MemoryUtil.memGetFloat(pc) - ax;
            float wy = MemoryUtil.memGetFloat(pc + 4) - ay;
            float wz = MemoryUtil.memGetFloat(pc + 8) - az;
            float nx = MemoryUtil.memGetFloat(pa + OFFSET_NORMAL) + MemoryUtil.memGetFloat(pb + OFFSET_NORMAL)
                    + MemoryUtil.memGetFloat(pc + OFFSET_NORMAL);
            float ny = MemoryUtil.memGetFloat(pa + OFFSET_NORMAL + 4) + MemoryUtil.memGetFloat(pb + OFFSET_NORMAL + 4)
                    + MemoryUtil.memGetFloat(pc + OFFSET_NORMAL + 4);
            float nz = MemoryUtil.memGetFloat(pa + OFFSET_NORMAL + 8) + MemoryUtil.memGetFloat(pb + OFFSET_NORMAL + 8)
                    + MemoryUtil.memGetFloat(pc + OFFSET_NORMAL + 8);
            float dot = (uy * wz - uz * wy) * nx + (uz * wx - ux * wz) * ny + (ux * wy - uy * wx) * nz;
            out[t] = a;
            out[t + 1] = dot < 0 ? c : b;
            out[t + 2] = dot < 0 ? b : c;
        }
        return out;
    }

    /**
     * Per object, whether its shadow can be seen nowhere in the image, so that the shadow pass may leave it out.
     * A point is shaded by an object when the ray from it towards the sun meets the object, so the object's shadow
     * lies in the object swept away from the sun, down to the lowest vertex of the scene (nothing below can
     * receive it). When that swept hull (the object's vertices and their swept ends) lies entirely beyond one
     * side of the view frustum, widened by {@link #SHADOW_MARGIN}, no visible surface reads a shadow-map texel it
     * wrote: the frame is the same without it. With the sun lower than about 3 degrees shadows reach too far to
     * bother, and nothing is left out.
     */
    private static boolean[] shadowOutOfView(Scene scene, ByteBuffer v, int[] firstVertex) {
        List<SceneObject> objects = scene.objects();
        boolean[] out = new boolean[objects.size()];
        Vector3f towardsSun = new Vector3f(scene.light().towardsSun());
        if (!cullShadowCasters || towardsSun.lengthSquared() == 0 || objects.isEmpty()) {
            return out;
        }
        towardsSun.normalize();
        if (towardsSun.z < 0.05f) {
            return out;
        }
        Matrix4f worldToCamera = new Matrix4f(scene.camera().worldToCamera());
        Matrix4f cameraToWorld = new Matrix4f(worldToCamera).invertAffine();
        Vector3f sun = worldToCamera.transformDirection(new Vector3f(towardsSun)).normalize();
        long base = MemoryUtil.memAddress(v);
        int total = firstVertex[objects.size() - 1] + objects.get(objects.size() - 1).mesh().vertexCount();
        // World height of camera-frame point (x, y, z): the third row of cameraToWorld.
        float r0 = cameraToWorld.m02();
        float r1 = cameraToWorld.m12();
        float r2 = cameraToWorld.m22();
        float r3 = cameraToWorld.m32();
        float lowest = Float.POSITIVE_INFINITY;
        for (int i = 0; i < total; i++) {
            long a = base + (long) i * STRIDE;
            lowest = Math.min(lowest, r0 * MemoryUtil.memGetFloat(a) + r1 * MemoryUtil.memGetFloat(a + 4)
                    + r2 * MemoryUtil.memGetFloat(a + 8) + r3);
        }
        Frustum frustum = Frustum.widened(scene.camera().intrinsics(), SHADOW_MARGIN);
        for (int k = 0; k < objects.size(); k++) {
            int sides = Frustum.ALL;
            long a = base + (long) firstVertex[k] * STRIDE;
            for (int i = 0; i < objects.get(k).mesh().vertexCount() && sides != 0; i++, a += STRIDE) {
                float x = MemoryUtil.memGetFloat(a);
                float y = MemoryUtil.memGetFloat(a + 4);
                float z = MemoryUtil.memGetFloat(a + 8);
                float sweep = Math.max(0, (r0 * x + r1 * y + r2 * z + r3 - lowest) / towardsSun.z);
                sides &= frustum.outside(x, y, z) & frustum.outside(x - sweep * sun.x, y - sweep * sun.y, z - sweep * sun.z);
            }
            out[k] = sides != 0;
        }
        return out;
    }

    /**
     * The view frustum's six half-spaces in the camera frame (near, far, and the four side planes through the
     * camera at u = 0, u = width, v = 0, v = height), each widened by a margin: the side planes by {@code metres}
     * plus {@code pixels} at the point's depth. An object whose points all lie beyond one of them has nothing in
     * the view.
     */
    private static final class Frustum {
        static final int ALL = 0b111111;
        private final double near;
        private final double far;
        private final double fx;
        private final double fy;
        private final double cx;
        private final double cy;
        private final double width;
        private final double height;
        private final double pixels;
        private final double[] limit = new double[4];

        private Frustum(dev.roadsynth.scenes.Intrinsics k, double near, double far, double metres, double pixels) {
            this.near = near;
            this.far = far;
            this.pixels = pixels;
            fx = k.fx();
            fy = k.fy();
            cx = k.cx();
            cy = k.cy();
            width = k.width();
            height = k.height();
            // A side plane through the camera, n . p = 0, with p outside when n . p exceeds metres * |n|.
            limit[0] = metres * Math.hypot(fx, cx);
            limit[1] = metres * Math.hypot(fx, cx - width);
            limit[2] = metres * Math.hypot(fy, cy);
            limit[3] = metres * Math.hypot(fy, cy - height);
        }

        /**
         * What the main pass may leave out: a margin (a thousandth of the near distance, a quarter pixel) so that
         * the GPU's float clipping can never draw what this culls; a pixel centre lies half a pixel inside the image.
         */
        static Frustum forDrawing(dev.roadsynth.scenes.Intrinsics k) {
            return new Frustum(k, k.near() * 0.999, k.far() * 1.001, 0, 0.25);
        }

        /** Widened by {@code metres} on every side. */
        static Frustum widened(dev.roadsynth.scenes.Intrinsics k, double metres) {
            return new Frustum(k, k.near() - metres, k.far() + metres, metres, 0);
        }

        /** The half-spaces point (x, y, z) lies beyond, one bit each. */
        int outside(double x, double y, double z) {
            int bits = 0;
            if (z < near) {
                bits |= 1;
            }
            if (z > far) {
                bits |= 2;
            }
            double slack = pixels * z;
            if (-(fx * x + cx * z) > limit[0] + slack) {
                bits |= 4; // left of u = 0
            }
            if (fx * x + (cx - width) * z > limit[1] + slack) {
                bits |= 8; // right of u = width
            }
            if (-(fy * y + cy * z) > limit[2] + slack) {
                bits |= 16; // above v = 0
            }
            if (fy * y + (cy - height) * z > limit[3] + slack) {
                bits |= 32; // below v = height
            }
            return bits;
        }
    }

    ByteBuffer vertices() {
        return vertices;
    }

    IntBuffer indices() {
        return indices;
    }

    int indexCount() {
        return indices.remaining();
    }

    @Override
    public void close() {
        MemoryUtil.memFree(vertices);
        MemoryUtil.memFree(indices);
        MemoryUtil.memFree(casters);
        if (groups != null) {
            MemoryUtil.memFree(groups.indices());
        }
    }
}
