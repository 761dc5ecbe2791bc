package dev.paperlab.models.simclr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.paperlab.datasets.augment.ContrastiveAugmentation;
import dev.paperlab.training.EpochBatches;
import dev.paperlab.training.EpochSampler;
import dev.paperlab.training.EvalContext;
import dev.paperlab.training.Parts;
import dev.paperlab.training.RunConfig;
import dev.paperlab.training.StepContext;
import dev.paperlab.training.TrainedPart;
import dev.paperlab.training.TrainingTask;
import dev.paperlab.training.metrics.EmbeddingMetrics;
import dev.paperlab.training.optim.Adam;
import dev.paperlab.training.optim.Lars;
import dev.paperlab.training.optim.Schedules;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Trains {@link Simclr} with the harness, one step of Algorithm 1 of Chen et al. 2020 per batch:
 * two augmented views of every example ({@link ContrastiveAugmentation#twoViews}, drawn from the
 * step's seeded RNG), {@code z = g(f(x))} for all {@code 2N}, the {@link NtXentLoss} and one
 * update of encoder and head together. The learning rate warms up linearly and decays on a
 * cosine to 0 over the run ({@link Schedules#warmupCosine}); the optimizer is Adam, AdamW or LARS.
 *
 * <p>Evaluation (each epoch end and the run's end) measures {@code monitor_knn_accuracy}: the
 * weighted cosine k-NN accuracy (k = 20, Wu et al. 2018) of the representation h on a fixed
 * subset of the data, cheap enough to watch learning; the full-set scores are {@link
 * SimclrEvaluation}'s.
 */
public final class SimclrTask implements TrainingTask {

    /** The optimizer of encoder and head. */
    public enum OptimizerChoice {
        ADAM,
        ADAMW,
        LARS;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Held-out images and labels watched during training, and the reference set they are scored against. */
    public record Monitor(NDArray referenceImages, int[] referenceLabels, NDArray queryImages, int[] queryLabels) {}

    private final Simclr model;
    private final EpochBatches batches;
    private final int batchSize;
    private final ContrastiveAugmentation augmentation;
    private final NtXentLoss loss;
    private final OptimizerChoice optimizer;
    private final double warmupFraction;
    private final float weightDecay;
    private final Monitor monitor;
    private final String dataSource;
    private TrainedPart part;

    private SimclrTask(Builder b) {
        this.model = b.model;
        this.batchSize = b.batchSize;
        this.batches = new EpochBatches(b.train, new EpochSampler(b.batchSize, true, true, b.seed));
        this.augmentation = b.augmentation;
        this.loss = new NtXentLoss(b.temperature);
        this.optimizer = b.optimizer;
        this.warmupFraction = b.warmupFraction;
        this.weightDecay = b.weightDecay;
        this.monitor = b.monitor;
        this.dataSource = b.dataSource;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Simclr model() {
        return model;
    }

    @Override
    public void setUp(RunConfig config) {
        batches.prepare();
        if (batches.dataset().size() < batchSize) {
            throw new IllegalArgumentException("batch size " + batchSize + " is larger than the "
                    + batches.dataset().size() + " training examples (partial batches are dropped)");
        }
        long total = config.plannedSteps(batchesPerEpoch());
        part = Parts.create(
                "simclr",
                model,
                loss,
                optimizer(config.learningRate(), (int) Math.min(Integer.MAX_VALUE, total)),
                config.device(),
                model.inputShape(2L * batchSize));
    }

    /** The optimizer with warm-up over {@code warmupFraction} of the updates, then cosine decay to 0. */
    private Optimizer optimizer(float lr, int total) {
        int warmup = (int) Math.min(total - 1, Math.round(warmupFraction * total));
        Tracker schedule = Schedules.warmupCosine(lr, 0f, Math.max(0, warmup), Math.max(1, total));
        return switch (optimizer) {
            case ADAM -> Adam.builder().optLearningRateTracker(schedule).build();
            case ADAMW ->
                Adam.builder()
                        .optLearningRateTracker(schedule)
                        .optDecoupledWeightDecay(true)
                        .optWeightDecays(weightDecay)
                        .build();
            case LARS ->
                Lars.builder()
                        .optLearningRateTracker(schedule)
                        .optWeightDecays(weightDecay)
                        .build();
        };
    }

    private long batchesPerEpoch() {
        return batches.batchesPerEpoch();
    }

    @Override
    public List<TrainedPart> parts() {
        return List.of(part);
    }

    @Override
    public long stepsPerEpoch() {
        return batchesPerEpoch();
    }

    @Override
    public long examplesPerStep() {
        return batchSize;
    }

    @Override
    public void startEpoch(int epoch, long firstStep) {
        batches.startEpoch(part.trainer().getManager(), epoch, firstStep);
    }

    @Override
    public Map<String, Double> step(StepContext context) {
        try (Batch batch = batches.next()) {
            NDArray x = batch.getData().head();
            x = x.reshape(model.inputShape(x.getShape().get(0))); // (N, 1, H, W)
            NDArray views = augmentation.twoViews(x, context.random()); // (2N, 1, H, W): k and k + N pair up
            double value = part.update(() -> {
                NDList out = part.trainer().forward(new NDList(views)); // (h, z)
                return loss.evaluate(null, new NDList(out.get(1))); // Eq. 1 on z = g(f(x))
            });
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("loss", value);
            return metrics;
        }
    }

    @Override
    public Map<String, Double> evaluate(EvalContext context) {
        if (monitor == null) {
            return Map.of();
        }
        NDArray reference = model.represent(monitor.referenceImages(), 500, context.scope());
        NDArray query = model.represent(monitor.queryImages(), 500, context.scope());
        EmbeddingMetrics.KnnScores knn = EmbeddingMetrics.cosineKnn(
                reference,
                monitor.referenceLabels(),
                query,
                monitor.queryLabels(),
                Math.min(SimclrEvaluation.K, monitor.referenceLabels().length),
                EmbeddingMetrics.WU_TEMPERATURE);
        return Map.of("monitor_knn_accuracy", knn.weighted());
    }

    @Override
    public String dataSource() {
        return dataSource;
    }

    /** Builder; defaults: batch 256, tau 0.2, Adam, 10% warm-up, weight decay 1e-6, all augmentations. */
    public static final class Builder {
        private Simclr model;
        private RandomAccessDataset train;
        private int batchSize = 256;
        private long seed = 1;
        private ContrastiveAugmentation augmentation =
                ContrastiveAugmentation.builder().build();
        private float temperature = 0.2f;
        private OptimizerChoice optimizer = OptimizerChoice.ADAM;
        private double warmupFraction = 0.1;
        private float weightDecay = 1e-6f;
        private Monitor monitor;
        private String dataSource = "unknown";

        private Builder() {}

        public Builder setModel(Simclr model) {
            this.model = model;
            return this;
        }

        /** Training images (labels, if any, are never read). */
        public Builder setData(RandomAccessDataset train, String source) {
            this.train = train;
            this.dataSource = source;
            return this;
        }

        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder optAugmentation(ContrastiveAugmentation augmentation) {
            this.augmentation = Objects.requireNonNull(augmentation, "augmentation");
            return this;
        }

        public Builder optTemperature(float temperature) {
            this.temperature = temperature;
            return this;
        }

        public Builder optOptimizer(OptimizerChoice optimizer) {
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
            return this;
        }

        /** Fraction of the run's updates spent warming the learning rate up from 0. */
        public Builder optWarmupFraction(double fraction) {
            this.warmupFraction = fraction;
            return this;
        }

        /** Weight decay of AdamW and LARS (Adam ignores it). */
        public Builder optWeightDecay(float weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        public Builder optMonitor(Monitor monitor) {
            this.monitor = monitor;
            return this;
        }

        public SimclrTask build() {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(train, "training data");
            if (batchSize < 2) {
                throw new IllegalArgumentException("batch size must be >= 2 (NT-Xent needs negatives: the other "
                        + "examples of the batch), got " + batchSize);
            }
            if (!(temperature > 0) || !Float.isFinite(temperature)) {
                throw new IllegalArgumentException("temperature must be finite and > 0, got " + temperature);
            }
            if (!(warmupFraction >= 0 && warmupFraction < 1)) {
                throw new IllegalArgumentException("warm-up fraction must be in [0, 1), got " + warmupFraction);
            }
            if (!(weightDecay >= 0)) {
                throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
            }
            return new SimclrTask(this);
        }
    }
}
