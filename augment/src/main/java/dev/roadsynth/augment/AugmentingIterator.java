package dev.roadsynth.augment;

import dev.roadsynth.core.Frame;
import dev.roadsynth.core.Seeds;
import java.util.ArrayDeque;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A DL4J {@link DataSetIterator} that augments frames on background threads, a few batches ahead.
 * <p>Sample {@code i} of epoch {@code e} is augmented with {@link #params(int, int, int, int)}: parameters drawn
 * from {@code Seeds.forSample(Seeds.forSample(seed, e), i)}, so a run gives the same batches whatever the number of
 * threads, and any sample can be replayed alone. {@link #reset()} starts the next epoch (new draws, same frames).
 * <p>Features: NCHW float32 RGB scaled to 0..1, {@code [n, 3, H, W]}. Labels: the semantic class id of each pixel as
 * float32, {@code [n, 1, H, W]} (exact: ids below 2^24 are exact in float32). Batches are in index order; the last
 * may be smaller. Every augmented frame of the iterator must have one size (the spec's output size, or inputs of
 * one size). The frame source is called from the worker threads and must be thread-safe.
 */
public final class AugmentingIterator implements DataSetIterator, AutoCloseable {
    private static final long serialVersionUID = 1L;

    private final transient IntFunction<Frame> frames;
    private final int count;
    private final int batchSize;
    private final AugmentSpec spec;
    private final long seed;
    private final int fillClass;
    private final int prefetch;
    private final transient ExecutorService pool;
    private final transient ArrayDeque<Future<DataSet>> ahead = new ArrayDeque<>();
    private int epoch;
    private int nextToSubmit;
    private int nextToReturn;
    private transient DataSetPreProcessor preProcessor;

    /**
     * @param frames    frame {@code i} for {@code 0 <= i < count}; thread-safe
     * @param threads   worker threads, >= 1
     * @param prefetch  batches computed ahead of the consumer, >= 1
     */
    public AugmentingIterator(IntFunction<Frame> frames, int count, int batchSize, AugmentSpec spec, long seed,
                              int fillClass, int threads, int prefetch) {
        this.frames = Objects.requireNonNull(frames, "frames");
        this.spec = Objects.requireNonNull(spec, "spec");
        if (count < 0 || batchSize < 1 || threads < 1 || prefetch < 1) {
            throw new IllegalArgumentException("count " + count + " must be >= 0; batchSize " + batchSize + ", threads "
                    + threads + " and prefetch " + prefetch + " must be >= 1");
        }
        this.count = count;
        this.batchSize = batchSize;
        this.seed = seed;
        this.fillClass = fillClass;
        this.prefetch = prefetch;
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "roadsynth-augment");
            t.setDaemon(true);
            return t;
        });
        fill();
    }

    /** With a pipeline (for example from a file, {@link Pipelines#load}): its spec and fill class. */
    public AugmentingIterator(IntFunction<Frame> frames, int count, int batchSize, Pipeline pipeline, long seed,
                              int threads, int prefetch) {
        this(frames, count, batchSize, pipeline.spec(), seed, pipeline.fillClass(), threads, prefetch);
    }

    /** The parameters sample {@code index} of {@code epoch} gets, for a frame of width x height. */
    public AugmentSpec.Params params(int epoch, int index, int width, int height) {
        return spec.sample(new SplittableRandom(Seeds.forSample(Seeds.forSample(seed, epoch), index)), width, height);
    }

    /** The current epoch: 0 at first, one more after each {@link #reset()}. */
    public int epoch() {
        return epoch;
    }

    private void fill() {
        while (ahead.size() < prefetch && nextToSubmit < count) {
            int from = nextToSubmit;
            int to = Math.min(count, from + batchSize);
            int e = epoch;
            ahead.add(pool.submit(() -> batch(e, from, to)));
            nextToSubmit = to;
        }
    }

    private DataSet batch(int e, int from, int to) {
        int n = to - from;
        INDArray features = null;
        INDArray labels = null;
        int w = 0;
        int h = 0;
        for (int k = 0; k < n; k++) {
            int i = from + k;
            Frame in = frames.apply(i);
            Frame out = Augmenter.apply(in, params(e, i, in.width(), in.height()), fillClass);
            if (features == null) {
                w = out.width();
                h = out.height();
                features = Nd4j.create(DataType.FLOAT, n, 3, h, w);
                labels = Nd4j.create(DataType.FLOAT, n, 1, h, w);
            } else if (out.width() != w || out.height() != h) {
                throw new IllegalArgumentException("frame " + i + ": augmented to " + out.width() + "x" + out.height()
                        + ", but this batch is " + w + "x" + h + "; give the spec an output size or frames of one size");
            }
            byte[] rgb = out.rgb().toArray();
            int[] cls = out.semantic().toArray();
            float[] planes = new float[3 * w * h];
            float[] ids = new float[w * h];
            for (int p = 0; p < w * h; p++) {
                for (int c = 0; c < 3; c++) {
                    planes[c * w * h + p] = (rgb[3 * p + c] & 0xff) / 255f;
                }
                ids[p] = cls[p];
            }
            features.tensorAlongDimension(k, 1, 2, 3).assign(Nd4j.create(planes, new long[] {3, h, w}, 'c'));
            labels.tensorAlongDimension(k, 1, 2, 3).assign(Nd4j.create(ids, new long[] {1, h, w}, 'c'));
        }
        return new DataSet(features, labels);
    }

    @Override
    public boolean hasNext() {
        return nextToReturn < count;
    }

    @Override
    public DataSet next() {
        if (!hasNext()) {
            throw new NoSuchElementException("epoch " + epoch + " has no more batches; reset() starts the next");
        }
        Future<DataSet> f = ahead.poll();
        DataSet ds;
        try {
            ds = f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        nextToReturn = Math.min(count, nextToReturn + batchSize);
        fill();
        if (preProcessor != null) {
            preProcessor.preProcess(ds);
        }
        return ds;
    }

    /** Only whole batches of {@link #batch()}: {@code num} must equal it. */
    @Override
    public DataSet next(int num) {
        if (num != batchSize) {
            throw new IllegalArgumentException("this iterator gives batches of " + batchSize + ", not " + num);
        }
        return next();
    }

    @Override
    public int inputColumns() {
        return 3;
    }

    @Override
    public int totalOutcomes() {
        return 1;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    /** Augments on its own threads already; DL4J need not wrap it in another asynchronous iterator. */
    @Override
    public boolean asyncSupported() {
        return false;
    }

    /** Starts the next epoch: batches computed ahead for this one are dropped. */
    @Override
    public void reset() {
        for (Future<DataSet> f : ahead) {
            f.cancel(true);
        }
        ahead.clear();
        epoch++;
        nextToSubmit = 0;
        nextToReturn = 0;
        fill();
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    /** Null: labels are class ids of the frames' {@code LabelSet}, not named outcomes. */
    @Override
    public List<String> getLabels() {
        return null;
    }

    /** Stops the worker threads. */
    @Override
    public void close() {
        pool.shutdownNow();
    }
}
