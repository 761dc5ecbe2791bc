package dev.paperlab.training;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * The batches of one epoch of a {@link RandomAccessDataset} in the order of an {@link
 * EpochSampler}, for any task: {@link #startEpoch} with the harness's {@code (epoch, firstStep)}
 * re-enters a resumed epoch exactly where the straight run was, then {@link #next()} gives one
 * batch per step. {@link SupervisedTask} uses it; a task that builds two views per example
 * (SimCLR) or its own labels takes its batches from it too.
 */
public final class EpochBatches {
    private final RandomAccessDataset data;
    private final EpochSampler sampler;
    private Iterator<Batch> batches;
    private boolean prepared;

    public EpochBatches(RandomAccessDataset data, EpochSampler sampler) {
        this.data = Objects.requireNonNull(data, "data");
        this.sampler = Objects.requireNonNull(sampler, "sampler");
    }

    /** Prepares the dataset (reads its files) once; later calls do nothing. */
    public void prepare() {
        if (prepared) {
            return;
        }
        try {
            data.prepare();
        } catch (IOException | TranslateException e) {
            throw new UncheckedIOException(new IOException("cannot prepare dataset: " + e.getMessage(), e));
        }
        prepared = true;
    }

    /** Steps in one epoch: {@link EpochSampler#batchesPerEpoch} of the dataset's size. */
    public long batchesPerEpoch() {
        return sampler.batchesPerEpoch(data.size());
    }

    /**
     * Starts epoch {@code epoch} at batch {@code firstBatch} (0, or the step inside the epoch a
     * resumed run re-enters at); batches are created on sub-managers of {@code manager}.
     */
    public void startEpoch(NDManager manager, int epoch, long firstBatch) {
        prepare();
        sampler.setEpoch(epoch, firstBatch);
        try {
            batches = data.getData(manager, sampler).iterator();
        } catch (IOException | TranslateException e) {
            throw new IllegalStateException("cannot read training data: " + e.getMessage(), e);
        }
    }

    /** The next batch of the epoch; the caller closes it. */
    public Batch next() {
        if (batches == null) {
            throw new IllegalStateException("startEpoch must be called before next()");
        }
        if (!batches.hasNext()) {
            throw new NoSuchElementException("the epoch has only " + batchesPerEpoch() + " batches");
        }
        return batches.next();
    }

    public RandomAccessDataset dataset() {
        return data;
    }

    public EpochSampler sampler() {
        return sampler;
    }
}
