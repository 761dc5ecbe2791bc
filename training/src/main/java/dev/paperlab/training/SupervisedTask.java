package dev.paperlab.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.loss.Loss;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The plain supervised step: one batch, one forward, one loss, one backward, one optimizer
 * update, on a single {@link TrainedPart}. Subclasses say how to build the part and may change
 * the labels fed to the loss (an autoencoder's label is its input), add metrics, or act on the
 * gradients before the update ({@link #beforeUpdate}; clipping by global norm is built in).
 * Each step reports its batch's real size as {@link TrainingTask#EXAMPLES}, so a partial last
 * batch counts as what it is.
 */
public abstract class SupervisedTask implements TrainingTask {
    private final RandomAccessDataset train;
    private final RandomAccessDataset test;
    private final EpochBatches batches;
    private final double clipNorm;
    private TrainedPart part;
    private double gradNorm = Double.NaN;

    /**
     * @param train training data (batch size and order come from {@code sampler})
     * @param test held-out data evaluated at the end of each epoch, or {@code null}
     */
    protected SupervisedTask(RandomAccessDataset train, RandomAccessDataset test, EpochSampler sampler) {
        this(train, test, sampler, 0);
    }

    /**
     * @param train training data (batch size and order come from {@code sampler})
     * @param test held-out data evaluated at the end of each epoch, or {@code null}
     * @param clipNorm clip gradients to this global L2 norm before each update and log the norm
     *     before clipping as {@code grad_norm}; 0 for no clipping
     */
    protected SupervisedTask(
            RandomAccessDataset train, RandomAccessDataset test, EpochSampler sampler, double clipNorm) {
        if (!(clipNorm >= 0)) {
            throw new IllegalArgumentException("clip norm must be >= 0 (0 = no clipping), got " + clipNorm);
        }
        this.train = train;
        this.test = test;
        this.batches = new EpochBatches(train, sampler);
        this.clipNorm = clipNorm;
    }

    /** Creates the trained part (model, trainer, initialised parameters). */
    protected abstract TrainedPart createPart(RunConfig config);

    /** Labels for the loss; the dataset's labels by default. */
    protected NDList labels(Batch batch) {
        return batch.getLabels();
    }

    /**
     * The loss to minimise; a subclass may also put named scalar parts of it into {@code parts}
     * (logged beside {@code loss}, and averaged over the test set) so they are computed once.
     * DJL's {@link Loss#evaluate} of the trainer's loss by default.
     */
    protected NDArray loss(NDList labels, NDList predictions, Map<String, NDArray> parts) {
        return part.trainer().getLoss().evaluate(labels, predictions);
    }

    /**
     * Called between backward and update with the part's gradients in place: clips them to the
     * global norm given at construction, if any. Override to inspect or change them (call {@code
     * super} to keep the clipping).
     */
    protected void beforeUpdate(TrainedPart trained) {
        if (clipNorm > 0) {
            gradNorm = Gradients.clipGlobalNorm(trained.model().getBlock(), clipNorm);
        }
    }

    @Override
    public void setUp(RunConfig config) {
        batches.prepare();
        try {
            if (test != null) {
                test.prepare();
            }
        } catch (IOException | ai.djl.translate.TranslateException e) {
            throw new UncheckedIOException(new IOException("cannot prepare dataset: " + e.getMessage(), e));
        }
        part = createPart(config);
    }

    @Override
    public java.util.List<TrainedPart> parts() {
        return java.util.List.of(part);
    }

    @Override
    public long stepsPerEpoch() {
        return batches.batchesPerEpoch();
    }

    @Override
    public long examplesPerStep() {
        return batches.sampler().getBatchSize();
    }

    @Override
    public void startEpoch(int epoch, long firstStep) {
        batches.startEpoch(part.trainer().getManager(), epoch, firstStep);
    }

    @Override
    public Map<String, Double> step(StepContext context) {
        Trainer trainer = part.trainer();
        try (Batch batch = batches.next()) {
            NDList labels = labels(batch);
            Map<String, Double> metrics = new LinkedHashMap<>();
            Map<String, NDArray> parts = new LinkedHashMap<>();
            double loss = part.update(
                    () -> loss(labels, trainer.forward(batch.getData(), labels), parts), this::beforeUpdate);
            metrics.put("loss", loss);
            parts.forEach((k, v) -> metrics.put(k, (double) v.getFloat()));
            if (clipNorm > 0) {
                metrics.put("grad_norm", gradNorm);
            }
            metrics.put(EXAMPLES, (double) batch.getSize());
            return metrics;
        }
    }

    /**
     * Mean of the loss (and extra metrics) over the whole test set, weighting batches by size.
     */
    @Override
    public Map<String, Double> evaluate(NDManager scope) {
        if (test == null) {
            return Map.of();
        }
        Trainer trainer = part.trainer();
        Map<String, Double> sums = new LinkedHashMap<>();
        long count = 0;
        try {
            for (Batch batch : trainer.iterateDataset(test)) {
                try (batch) {
                    NDList labels = labels(batch);
                    NDList predictions = trainer.evaluate(batch.getData());
                    long n = batch.getSize();
                    Map<String, NDArray> parts = new LinkedHashMap<>();
                    sums.merge("test_loss", loss(labels, predictions, parts).getFloat() * (double) n, Double::sum);
                    parts.forEach((k, v) -> sums.merge("test_" + k, v.getFloat() * (double) n, Double::sum));
                    count += n;
                }
            }
        } catch (IOException | ai.djl.translate.TranslateException e) {
            throw new IllegalStateException("cannot read a test batch: " + e.getMessage(), e);
        }
        long total = count;
        sums.replaceAll((k, v) -> v / total);
        return sums;
    }

    protected TrainedPart part() {
        return part;
    }

    @Override
    public String dataSource() {
        return train.getClass().getSimpleName();
    }
}
