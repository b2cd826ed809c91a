package dev.roadsynth.core.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.roadsynth.core.DepthPlane;
import dev.roadsynth.core.IdPlane;
import dev.roadsynth.core.Label;
import dev.roadsynth.core.LabelSet;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Label statistics of a dataset, from its label planes: per class its pixels, the samples it appears in, its
 * instances and their sizes; per train id the weights a segmentation loss uses to balance classes. Counting a sample
 * ({@link #count}) and adding its counts ({@link #add}) are separate steps, so that samples can be counted on many
 * threads; every total is an exact integer sum, so the report does not depend on the order of adding.
 *
 * <p>Conventions:
 * <ul>
 *   <li>A pixel belongs to the class its id names. Ids that are not in the class table are counted apart
 *       ({@link Report#unknownIds()}, as unsigned 32-bit values), never dropped.</li>
 *   <li>An instance is one non-zero instance id together with one class that {@code hasInstances}, in one sample.
 *       Its area is its visible pixel count, bucketed as COCO does (small below 32 x 32 = 1024 pixels, medium below
 *       96 x 96 = 9216, large from there); its height is that of the box around its visible pixels (pixel rows),
 *       bucketed at KITTI's 40 and 25 pixels (its easy and moderate minimum heights). Where the dataset has depth,
 *       its nearest depth is the smallest depth (metres along the viewing axis) of its visible pixels, bucketed at
 *       10, 20, 40 and 80 m.</li>
 *   <li>Train ids: {@link Label#IGNORE_TRAIN_ID} is left out of the weights. Median frequency balancing (Eigen and
 *       Fergus 2015, as in SegNet): {@code freq(t) = pixels of t / pixels of the samples in which t appears},
 *       {@code weight(t) = median of freq over the train ids that appear / freq(t)} (the median of an even count
 *       is the mean of the middle two). ENet's weighting (Paszke et al. 2016): {@code 1 / ln(1.02 + p(t))} with
 *       {@code p(t)} the share of t among all pixels not ignored. A train id no pixel has gets weight 0 in both.</li>
 * </ul>
 */
public final class LabelStatistics {
    /** COCO's area thresholds (pixels): small below the first, medium below the second. */
    private static final long SMALL = 32 * 32;
    private static final long MEDIUM = 96 * 96;
    /** KITTI's minimum box heights (pixels) for its easy and moderate levels. */
    private static final int TALL = 40;
    private static final int MID = 25;
    /** Nearest-depth bucket bounds (metres). */
    private static final float[] DEPTHS = {10, 20, 40, 80};

    private final LabelSet labels;
    private final boolean[] known;
    private final boolean[] withInstances;
    /**
     * Per class id: pixels, samples, pixels of those samples, instances, small, medium, large, tall, mid, short, and
     * the five nearest-depth buckets.
     */
    private final long[][] perClass;
    private final long[][] perTrainId;
    private final int maxTrainId;
    private final SortedMap<String, Long> splits = new TreeMap<>();
    private final SortedMap<String, Long> sizes = new TreeMap<>();
    private final SortedMap<Long, Long> unknown = new TreeMap<>();
    private long samples;
    private long samplesWithDepth;
    private long pixels;

    private static final int PIXELS = 0;
    private static final int SAMPLES = 1;
    private static final int SAMPLE_PIXELS = 2;
    private static final int INSTANCES = 3;
    private static final int AREA_SMALL = 4;
    private static final int AREA_MEDIUM = 5;
    private static final int AREA_LARGE = 6;
    private static final int HEIGHT_TALL = 7;
    private static final int HEIGHT_MID = 8;
    private static final int HEIGHT_SHORT = 9;
    private static final int DEPTH_FIRST = 10; // 5 buckets: below 10, 20, 40, 80 m, and from 80 m
    private static final int FIELDS = 15;

    /** An empty tally for datasets labelled with {@code labels}. */
    public LabelStatistics(LabelSet labels) {
        this.labels = labels;
        this.known = new boolean[labels.maxId() + 1];
        this.withInstances = new boolean[labels.maxId() + 1];
        int maxT = -1;
        for (Label l : labels.labels()) {
            known[l.id()] = true;
            withInstances[l.id()] = l.hasInstances();
            if (l.trainId() != Label.IGNORE_TRAIN_ID) {
                maxT = Math.max(maxT, l.trainId());
            }
        }
        this.maxTrainId = maxT;
        this.perClass = new long[labels.maxId() + 1][FIELDS];
        this.perTrainId = new long[maxT + 1][FIELDS];
    }

    /**
     * What one sample's planes hold; the arrays are owned by this record.
     *
     * @param classPixels per class id of the table ({@code 0..maxId}), its pixels
     * @param unknownIds  pixels per id (unsigned) that the table lacks
     * @param instances   per instance: class id, visible pixels, visible box height; in order of first pixel
     */
    public record Counts(String split, int width, int height, long[] classPixels, SortedMap<Long, Long> unknownIds,
                         List<Instance> instances, boolean withDepth) {
    }

    /**
     * One instance of one sample: its class, visible pixels, the height of its visible box (pixels) and the nearest
     * depth of its visible pixels (metres; NaN without depth).
     */
    public record Instance(int classId, long pixels, int height, float nearestDepth) {
    }

    /**
     * Counts one sample's planes.
     *
     * @param instances same size as {@code classes}; 0 = no instance
     * @throws IllegalArgumentException when the planes' sizes differ
     */
    public Counts count(String split, IdPlane classes, IdPlane instances) {
        return count(split, classes, instances, null);
    }

    /**
     * Counts one sample's planes, with its depth (same size; null: none).
     *
     * @throws IllegalArgumentException when the planes' sizes differ
     */
    public Counts count(String split, IdPlane classes, IdPlane instances, DepthPlane depth) {
        int w = classes.width();
        int h = classes.height();
        if (instances.width() != w || instances.height() != h) {
            throw new IllegalArgumentException("instance plane " + instances.width() + "x" + instances.height()
                    + " differs from class plane " + w + "x" + h);
        }
        if (depth != null && (depth.width() != w || depth.height() != h)) {
            throw new IllegalArgumentException("depth plane " + depth.width() + "x" + depth.height()
                    + " differs from class plane " + w + "x" + h);
        }
        FloatBuffer metres = depth == null ? null : depth.metres();
        IntBuffer cls = classes.ids();
        IntBuffer ins = instances.ids();
        long[] px = new long[known.length];
        SortedMap<Long, Long> unknownIds = new TreeMap<>();
        // Per (instance id, class): pixels, first row, last row, nearest depth's float bits (depths are positive, so
        // their bits order as they do). Ids repeat along rows, so the last one is cached.
        Map<Long, long[]> found = new LinkedHashMap<>();
        long lastKey = -1;
        long[] last = null;
        for (int y = 0, i = 0; y < h; y++) {
            for (int x = 0; x < w; x++, i++) {
                int c = cls.get(i);
                boolean ok = c >= 0 && c < known.length && known[c];
                if (ok) {
                    px[c]++;
                } else {
                    unknownIds.merge(Integer.toUnsignedLong(c), 1L, Long::sum);
                }
                int id = ins.get(i);
                if (id != 0 && ok && withInstances[c]) {
                    long key = ((long) id << 32) | c;
                    if (key != lastKey) {
                        last = found.computeIfAbsent(key, k -> new long[] {0, Long.MAX_VALUE, -1, Long.MAX_VALUE});
                        lastKey = key;
                    }
                    last[0]++;
                    last[1] = Math.min(last[1], y);
                    last[2] = y;
                    if (metres != null) {
                        float d = metres.get(i);
                        if (d > 0) { // 0: nothing hit (not for a visible pixel of an object, but never a distance)
                            last[3] = Math.min(last[3], Float.floatToIntBits(d));
                        }
                    }
                }
            }
        }
        List<Instance> list = new ArrayList<>(found.size());
        for (var e : found.entrySet()) {
            long[] v = e.getValue();
            float nearest = v[3] == Long.MAX_VALUE ? Float.NaN : Float.intBitsToFloat((int) v[3]);
            list.add(new Instance((int) (e.getKey() & 0xffffffffL), v[0], (int) (v[2] - v[1] + 1), nearest));
        }
        return new Counts(split, w, h, px, Collections.unmodifiableSortedMap(unknownIds), List.copyOf(list), depth != null);
    }

    /** Adds a sample's counts (from {@link #count} of this tally). Not thread-safe: add from one thread. */
    public void add(Counts c) {
        if (c.classPixels().length != known.length) {
            throw new IllegalArgumentException("counts of another class table (" + c.classPixels().length
                    + " class ids, this one " + known.length + ")");
        }
        long n = (long) c.width() * c.height();
        samples++;
        samplesWithDepth += c.withDepth() ? 1 : 0;
        pixels += n;
        splits.merge(c.split(), 1L, Long::sum);
        sizes.merge(c.width() + "x" + c.height(), 1L, Long::sum);
        c.unknownIds().forEach((id, p) -> unknown.merge(id, p, Long::sum));
        long[] trainPixels = new long[maxTrainId + 1];
        for (int id = 0; id < known.length; id++) {
            long p = c.classPixels()[id];
            if (p > 0) {
                perClass[id][PIXELS] += p;
                perClass[id][SAMPLES]++;
                perClass[id][SAMPLE_PIXELS] += n;
                int t = labels.byId(id).trainId();
                if (t != Label.IGNORE_TRAIN_ID) {
                    trainPixels[t] += p;
                }
            }
        }
        for (int t = 0; t <= maxTrainId; t++) {
            if (trainPixels[t] > 0) {
                perTrainId[t][PIXELS] += trainPixels[t];
                perTrainId[t][SAMPLES]++;
                perTrainId[t][SAMPLE_PIXELS] += n;
            }
        }
        for (Instance in : c.instances()) {
            long[] k = perClass[in.classId()];
            k[INSTANCES]++;
            k[in.pixels() < SMALL ? AREA_SMALL : in.pixels() < MEDIUM ? AREA_MEDIUM : AREA_LARGE]++;
            k[in.height() >= TALL ? HEIGHT_TALL : in.height() >= MID ? HEIGHT_MID : HEIGHT_SHORT]++;
            if (!Float.isNaN(in.nearestDepth())) {
                int b = 0;
                while (b < DEPTHS.length && in.nearestDepth() >= DEPTHS[b]) {
                    b++;
                }
                k[DEPTH_FIRST + b]++;
            }
        }
    }

    /**
     * One class's totals.
     *
     * @param pixelShare  its pixels over all pixels of all samples
     * @param samples     samples with at least one pixel of it
     * @param instances   its instances (0 for classes without instances)
     * @param small       instances by visible area: below 1024 pixels, below 9216, from 9216 on
     * @param tall        instances by visible box height: from 40 pixels on, from 25, below 25
     * @param depth       instances by nearest depth; null when no sample had depth
     */
    public record ClassTotals(Label label, long pixels, double pixelShare, long samples, long instances, long small,
                              long medium, long large, long tall, long mid, long low, DepthBuckets depth) {
    }

    /** Instances by nearest depth: below 10 m, below 20, below 40, below 80, from 80 m on. */
    public record DepthBuckets(long below10, long below20, long below40, long below80, long atLeast80) {
    }

    /**
     * One train id's totals and weights.
     *
     * @param classes     the names of the classes trained as this id
     * @param pixelShare  its pixels over all pixels not ignored
     * @param samples     samples with at least one pixel of it
     */
    public record TrainIdTotals(int trainId, List<String> classes, long pixels, double pixelShare, long samples,
                                double medianFrequencyWeight, double enetWeight) {
    }

    /**
     * The totals.
     *
     * @param samplesWithDepth samples whose depth was counted (0: no depth; then classes carry no depth buckets)
     * @param splits         samples per split, by split name
     * @param sizes          samples per image size {@code WIDTHxHEIGHT}
     * @param pixels         all pixels of all samples
     * @param ignoredPixels  pixels of classes whose train id is 255 (or not in the table)
     * @param classes        every class of the table, in table order
     * @param trainIds       train ids 0 to the largest, leaving out ids no class maps to
     * @param unknownIds     pixels per id the table lacks (unsigned)
     */
    public record Report(long samples, long samplesWithDepth, SortedMap<String, Long> splits,
                         SortedMap<String, Long> sizes, long pixels,
                         long ignoredPixels, List<ClassTotals> classes, List<TrainIdTotals> trainIds,
                         SortedMap<Long, Long> unknownIds) {

        /** The median frequency weights indexed by train id 0 to the largest (0 where no class maps to an id). */
        public double[] medianFrequencyWeights() {
            return weights(true);
        }

        /** ENet's weights indexed by train id 0 to the largest (0 where no class maps to an id). */
        public double[] enetWeights() {
            return weights(false);
        }

        private double[] weights(boolean medianFrequency) {
            int n = trainIds.isEmpty() ? 0 : trainIds.get(trainIds.size() - 1).trainId() + 1;
            double[] w = new double[n];
            for (TrainIdTotals t : trainIds) {
                w[t.trainId()] = medianFrequency ? t.medianFrequencyWeight() : t.enetWeight();
            }
            return w;
        }

        /**
         * The report as pretty-printed JSON (UTF-8), in the layout of docs/formats.md, with {@code annotations}'
         * figures under "annotations" (null: a dataset without COCO annotations); the same reports, the same bytes.
         */
        public byte[] toJson(AnnotationStatistics.Report annotations) {
            Map<String, Object> root = toMap();
            if (annotations != null) {
                root.put("annotations", annotations.toMap());
            }
            try {
                return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(root);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("statistics do not serialize", e);
            }
        }

        private Map<String, Object> toMap() {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("samples", samples);
            root.put("samplesWithDepth", samplesWithDepth);
            root.put("splits", splits);
            root.put("sizes", sizes);
            root.put("pixels", pixels);
            root.put("ignoredPixels", ignoredPixels);
            List<Object> cs = new ArrayList<>();
            for (ClassTotals c : classes) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", c.label().name());
                m.put("id", c.label().id());
                m.put("trainId", c.label().trainId());
                m.put("pixels", c.pixels());
                m.put("pixelShare", c.pixelShare());
                m.put("samples", c.samples());
                if (c.label().hasInstances()) {
                    m.put("instances", c.instances());
                    m.put("area", Manifest.ordered("small", c.small(), "medium", c.medium(), "large", c.large()));
                    m.put("height", Manifest.ordered("atLeast40", c.tall(), "atLeast25", c.mid(), "below25", c.low()));
                    if (c.depth() != null) {
                        DepthBuckets d = c.depth();
                        m.put("nearestDepth", Manifest.ordered("below10", d.below10(), "below20", d.below20(),
                                "below40", d.below40(), "below80", d.below80(), "atLeast80", d.atLeast80()));
                    }
                }
                cs.add(m);
            }
            root.put("classes", cs);
            List<Object> ts = new ArrayList<>();
            for (TrainIdTotals t : trainIds) {
                ts.add(Manifest.ordered("trainId", t.trainId(), "classes", t.classes(), "pixels", t.pixels(),
                        "pixelShare", t.pixelShare(), "samples", t.samples(),
                        "medianFrequencyWeight", t.medianFrequencyWeight(), "enetWeight", t.enetWeight()));
            }
            root.put("trainIds", ts);
            root.put("weights", Manifest.ordered("medianFrequency", medianFrequencyWeights(), "enet", enetWeights()));
            Map<String, Long> unk = new LinkedHashMap<>();
            unknownIds.forEach((k, v) -> unk.put(Long.toString(k), v));
            root.put("unknownIds", unk);
            return root;
        }
    }

    /** The totals of everything added so far. */
    public Report report() {
        List<ClassTotals> classes = new ArrayList<>();
        long notIgnored = 0;
        Map<Integer, List<String>> names = new HashMap<>();
        for (Label l : labels.labels()) {
            long[] k = perClass[l.id()];
            DepthBuckets depth = samplesWithDepth == 0 ? null : new DepthBuckets(k[DEPTH_FIRST], k[DEPTH_FIRST + 1],
                    k[DEPTH_FIRST + 2], k[DEPTH_FIRST + 3], k[DEPTH_FIRST + 4]);
            classes.add(new ClassTotals(l, k[PIXELS], share(k[PIXELS], pixels), k[SAMPLES], k[INSTANCES], k[AREA_SMALL],
                    k[AREA_MEDIUM], k[AREA_LARGE], k[HEIGHT_TALL], k[HEIGHT_MID], k[HEIGHT_SHORT], depth));
            if (l.trainId() != Label.IGNORE_TRAIN_ID) {
                notIgnored += k[PIXELS];
                names.computeIfAbsent(l.trainId(), t -> new ArrayList<>()).add(l.name());
            }
        }
        double[] freq = new double[maxTrainId + 1];
        List<Double> present = new ArrayList<>();
        for (int t = 0; t <= maxTrainId; t++) {
            long[] k = perTrainId[t];
            if (k[PIXELS] > 0) {
                freq[t] = (double) k[PIXELS] / k[SAMPLE_PIXELS];
                present.add(freq[t]);
            }
        }
        double median = median(present);
        List<TrainIdTotals> trainIds = new ArrayList<>();
        for (int t = 0; t <= maxTrainId; t++) {
            if (!names.containsKey(t)) {
                continue;
            }
            long[] k = perTrainId[t];
            double p = share(k[PIXELS], notIgnored);
            trainIds.add(new TrainIdTotals(t, List.copyOf(names.get(t)), k[PIXELS], p, k[SAMPLES],
                    k[PIXELS] > 0 ? median / freq[t] : 0, k[PIXELS] > 0 ? 1 / Math.log(1.02 + p) : 0));
        }
        return new Report(samples, samplesWithDepth, Collections.unmodifiableSortedMap(new TreeMap<>(splits)),
                Collections.unmodifiableSortedMap(new TreeMap<>(sizes)), pixels, pixels - notIgnored,
                List.copyOf(classes), List.copyOf(trainIds), Collections.unmodifiableSortedMap(new TreeMap<>(unknown)));
    }

    private static double share(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return 0;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }
}
