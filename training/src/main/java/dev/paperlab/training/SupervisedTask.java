package dev.paperlab.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.loss.Loss;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The plain supervised step: one batch, one forward, one loss, one backward, one optimizer
 * update, on a single {@link TrainedPart}. Subclasses say how to build the part and may change
 * the labels fed to the loss (an autoencoder's label is its input) or add metrics.
 */
public abstract class SupervisedTask implements TrainingTask {
    private final RandomAccessDataset train;
    private final RandomAccessDataset test;
    private final EpochSampler sampler;
    private TrainedPart part;
    private Iterator<Batch> batches;

    /**
     * @param train training data (batch size and order come from {@code sampler})
     * @param test held-out data evaluated at the end of each epoch, or {@code null}
     */
    protected SupervisedTask(RandomAccessDataset train, RandomAccessDataset test, EpochSampler sampler) {
        this.train = train;
        this.test = test;
        this.sampler = sampler;
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

    @Override
    public void setUp(RunConfig config) {
        try {
            train.prepare();
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
        return sampler.batchesPerEpoch(train.size());
    }

    @Override
    public long examplesPerStep() {
        return sampler.getBatchSize();
    }

    @Override
    public void startEpoch(int epoch, long firstStep) {
        sampler.setEpoch(epoch, firstStep);
        try {
            batches = train.getData(part.trainer().getManager(), sampler).iterator();
        } catch (IOException | ai.djl.translate.TranslateException e) {
            throw new IllegalStateException("cannot read training data: " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, Double> step(StepContext context) {
        Trainer trainer = part.trainer();
        try (Batch batch = batches.next()) {
            NDList labels = labels(batch);
            Map<String, Double> metrics = new LinkedHashMap<>();
            Map<String, NDArray> parts = new LinkedHashMap<>();
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList predictions = trainer.forward(batch.getData(), labels);
                NDArray loss = loss(labels, predictions, parts);
                collector.backward(loss);
                metrics.put("loss", (double) loss.getFloat());
            }
            parts.forEach((k, v) -> metrics.put(k, (double) v.getFloat()));
            part.step();
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
