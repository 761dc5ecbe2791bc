package dev.paperlab.training;

import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * A DJL {@link Sampler} whose batch order is a pure function of (seed, epoch): a Fisher-Yates
 * permutation per epoch, cut into batches, optionally starting at a given batch. This is what
 * lets a resumed run see exactly the batches a straight run sees. The last partial batch is kept
 * unless {@code dropLast}.
 */
public final class EpochSampler implements Sampler {
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final long seed;
    private int epoch;
    private long firstBatch;

    public EpochSampler(int batchSize, boolean shuffle, boolean dropLast, long seed) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.seed = seed;
    }

    /** Selects the epoch whose permutation the next {@link #sample} draws, skipping batches. */
    public void setEpoch(int epoch, long firstBatch) {
        this.epoch = epoch;
        this.firstBatch = firstBatch;
    }

    /** Batches per epoch for a dataset of {@code size} examples. */
    public long batchesPerEpoch(long size) {
        return dropLast ? size / batchSize : (size + batchSize - 1) / batchSize;
    }

    @Override
    public int getBatchSize() {
        return batchSize;
    }

    @Override
    public Iterator<List<Long>> sample(RandomAccessDataset dataset) {
        int size = Math.toIntExact(dataset.size());
        long[] order = new long[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        if (shuffle) {
            Random random = new Random(seed * 1_000_003L + epoch);
            for (int i = size - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                long t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        long batches = batchesPerEpoch(size);
        return new Iterator<>() {
            private long next = firstBatch;

            @Override
            public boolean hasNext() {
                return next < batches;
            }

            @Override
            public List<Long> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int from = Math.toIntExact(next * batchSize);
                int to = Math.min(size, from + batchSize);
                List<Long> batch = new ArrayList<>(to - from);
                for (int i = from; i < to; i++) {
                    batch.add(order[i]);
                }
                next++;
                return batch;
            }
        };
    }
}
