package dev.roadsynth.core.dataset;

import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * COCO's uncompressed run-length encoding of a binary mask: the mask read in column-major order (down each
 * column, columns left to right), as alternating run lengths starting with a run of zeros (possibly empty).
 * {@code {"size": [height, width], "counts": [...]}} is what pycocotools' {@code frPyObjects} takes.
 */
public final class Rle {
    private Rle() {
    }

    /** The counts of the mask {@code ids[i] == id} over a width x height row-major plane. */
    public static List<Integer> encode(IntBuffer ids, int width, int height, int id) {
        List<Integer> counts = new ArrayList<>();
        boolean current = false;
        int run = 0;
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                boolean v = ids.get(y * width + x) == id;
                if (v != current) {
                    counts.add(run);
                    run = 0;
                    current = v;
                }
                run++;
            }
        }
        counts.add(run);
        return counts;
    }
}
