package dev.paperlab.training.metrics;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import dev.paperlab.training.EpochSampler;
import dev.paperlab.training.Harness;
import dev.paperlab.training.Parts;
import dev.paperlab.training.RunConfig;
import dev.paperlab.training.SupervisedTask;
import dev.paperlab.training.TrainedPart;
import dev.paperlab.training.optim.Adam;
import java.nio.file.Path;

/**
 * The linear evaluation protocol of self-supervised learning (Zhang et al. 2016; SimCLR, Chen et
 * al. 2020, §4): multinomial logistic regression {@code softmax(W h + b)} on frozen features,
 * trained by the {@link Harness} with our {@link Adam} on softmax cross-entropy, scored by test
 * accuracy. Features are standardised with the training set's per-dimension mean and standard
 * deviation first (as scikit-learn's {@code StandardScaler} before {@code LogisticRegression}),
 * so one learning rate suits raw pixels and learned features alike.
 */
public final class LinearProbe {
    private LinearProbe() {}

    /** Settings of a probe: passes over the training features, batch, Adam rate, seed. */
    public record Settings(int epochs, int batchSize, float learningRate, long seed) {
        public Settings {
            if (epochs < 1) {
                throw new IllegalArgumentException("probe epochs must be >= 1, got " + epochs);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("probe batch size must be >= 1, got " + batchSize);
            }
            if (!(learningRate > 0)) {
                throw new IllegalArgumentException("probe learning rate must be > 0, got " + learningRate);
            }
        }
    }

    /**
     * Trains the probe on {@code (train, trainLabels)} and returns its accuracy on {@code (test,
     * testLabels)}.
     *
     * @param train (M, D) frozen training features
     * @param test (T, D) frozen test features
     * @param outDir the harness's output folder (nothing is written there without listeners)
     */
    public static double accuracy(
            NDArray train, int[] trainLabels, NDArray test, int[] testLabels, Settings settings, Path outDir) {
        long m = train.getShape().get(0);
        if (m != trainLabels.length || test.getShape().get(0) != testLabels.length) {
            throw new IllegalArgumentException("features and labels differ in count: train " + m + " vs "
                    + trainLabels.length + ", test " + test.getShape().get(0) + " vs " + testLabels.length);
        }
        int classes = 1;
        for (int y : trainLabels) {
            classes = Math.max(classes, y + 1);
        }
        int units = classes;
        Device device = train.getDevice();
        try (NDManager scope = train.getManager().newSubManager()) {
            NDArray x = train.toType(DataType.FLOAT32, true);
            x.attach(scope);
            NDArray mean = x.mean(new int[] {0}, true); // (1, D)
            NDArray std = x.sub(mean).square().mean(new int[] {0}, true).sqrt().add(1e-6f); // (1, D)
            NDArray xs = x.sub(mean).div(std);
            NDArray ts = test.toType(DataType.FLOAT32, true).sub(mean).div(std);
            ts.attach(scope);
            NDArray y = scope.create(toFloat(trainLabels));
            ArrayDataset data = new ArrayDataset.Builder()
                    .setData(xs)
                    .optLabels(y)
                    .setSampling(settings.batchSize(), false)
                    .build();
            long d = x.getShape().get(1);
            SupervisedTask task =
                    new SupervisedTask(
                            data, null, new EpochSampler(settings.batchSize(), true, false, settings.seed())) {
                        @Override
                        protected TrainedPart createPart(RunConfig config) {
                            return Parts.create(
                                    "linear-probe",
                                    Linear.builder().setUnits(units).build(),
                                    new SoftmaxCrossEntropyLoss("ce"),
                                    Adam.builder()
                                            .optLearningRate(settings.learningRate())
                                            .build(),
                                    device,
                                    new Shape(settings.batchSize(), d));
                        }
                    };
            try (task) {
                Harness.of(RunConfig.builder()
                                .optOutDir(outDir)
                                .optProgress(false)
                                .optEpochs(settings.epochs())
                                .optBatchSize(settings.batchSize())
                                .optSeed(settings.seed())
                                .optDevice(device)
                                .build())
                        .fit(task);
                NDArray logits = task.parts()
                        .get(0)
                        .model()
                        .getBlock()
                        .forward(new ParameterStore(scope, false), new NDList(ts), false)
                        .singletonOrThrow();
                long[] predicted = logits.argMax(1).toLongArray();
                int right = 0;
                for (int i = 0; i < predicted.length; i++) {
                    right += predicted[i] == testLabels[i] ? 1 : 0;
                }
                return (double) right / predicted.length;
            }
        }
    }

    private static float[] toFloat(int[] labels) {
        float[] f = new float[labels.length];
        for (int i = 0; i < labels.length; i++) {
            f[i] = labels[i];
        }
        return f;
    }
}
