package dev.paperlab.models.eval;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import dev.paperlab.datasets.fashion.FashionMnist;
import dev.paperlab.framework.nn.Scalars;
import dev.paperlab.training.EpochSampler;
import dev.paperlab.training.Harness;
import dev.paperlab.training.Parts;
import dev.paperlab.training.RunConfig;
import dev.paperlab.training.RunState;
import dev.paperlab.training.SupervisedTask;
import dev.paperlab.training.TrainedPart;
import dev.paperlab.training.optim.Adam;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A small Fashion-MNIST classifier whose penultimate activations are the features of the Fréchet
 * distance (Heusel et al. 2017, Eq. 6, with a 128-d MLP embedding in place of Inception's
 * pool3) and whose predictions give {@link ClassCoverage}. A 784-256-128-10 ReLU MLP trained by
 * the {@link Harness} with our {@link Adam} (lr 1e-3, batch 128) on softmax cross-entropy, for a
 * few epochs from a fixed seed ({@link #SEED}), so every run that scores samples uses the same
 * feature map.
 *
 * <p>{@link #train(RunConfig, Path, int...)} builds the same kind of MLP with any hidden widths
 * and trains it with any run configuration (the calibration-against-size experiment sweeps them);
 * {@link #logits} gives its raw scores.
 *
 * <p>Inputs are images with pixels in [0, 1], the range of {@link FashionMnist#dataArray()}, as
 * {@code (N, 784)} or {@code (N, 1, 28, 28)}. Generators with a tanh output produce [-1, 1]: map
 * them with {@link #fromTanh} first.
 */
public final class FashionClassifier implements AutoCloseable {
    /** Seed of the scoring classifier, fixed so scores of different runs are comparable. */
    public static final long SEED = 1;

    /** Epochs of the scoring classifier: about 0.87 test accuracy, in seconds on a CPU. */
    public static final int EPOCHS = 2;

    /** Width of the penultimate layer, the feature size. */
    public static final int FEATURES = 128;

    private static final int PIXELS = 784;
    private static final int BATCH = 128;
    private static final int[] HIDDEN = {256, FEATURES};

    private final Task task;
    private final Block featureBlock;
    private final Block head;
    private final int features;
    private final double testAccuracy;
    private final RunState state;

    private FashionClassifier(Task task, double testAccuracy, RunState state) {
        this.state = state;
        this.task = task;
        SequentialBlock block = (SequentialBlock) task.trained().model().getBlock();
        this.featureBlock = block.getChildren().get(0).getValue();
        this.head = block.getChildren().get(1).getValue();
        this.features = task.hidden[task.hidden.length - 1];
        this.testAccuracy = testAccuracy;
    }

    /** Features and predicted classes of the same images, from one forward pass. */
    public record Embedding(double[][] features, int[] classes) {}

    /**
     * Trains the classifier with {@link #SEED} for {@link #EPOCHS} epochs and measures its test
     * accuracy.
     *
     * @param runDir the harness's output folder for this training
     * @param dataDir Fashion-MNIST folder, or {@code null} for the default lookup
     */
    public static FashionClassifier train(Path runDir, Path dataDir) throws IOException {
        return train(runDir, dataDir, SEED, EPOCHS);
    }

    /** Trains with the given seed and epochs; see {@link #train(Path, Path)}. */
    public static FashionClassifier train(Path runDir, Path dataDir, long seed, int epochs) throws IOException {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        return train(
                RunConfig.builder()
                        .optOutDir(runDir)
                        .optProgress(false)
                        .optEpochs(epochs)
                        .optBatchSize(BATCH)
                        .optLearningRate(1e-3f)
                        .optSeed(seed)
                        .build(),
                dataDir,
                HIDDEN);
    }

    /**
     * Trains a 784-h_1-...-h_k-10 ReLU MLP (the features are the last hidden layer) with {@code
     * config}'s seed, budget, batch size and learning rate, and measures its test accuracy.
     *
     * @param hidden the hidden widths, at least one, each >= 1
     */
    public static FashionClassifier train(RunConfig config, Path dataDir, int... hidden) throws IOException {
        return train(Harness.of(config), config, dataDir, hidden);
    }

    /** As {@link #train(RunConfig, Path, int...)}, on {@code harness} (made for {@code config}, e.g. with listeners). */
    public static FashionClassifier train(Harness harness, RunConfig config, Path dataDir, int... hidden)
            throws IOException {
        if (hidden.length == 0 || java.util.Arrays.stream(hidden).anyMatch(h -> h < 1)) {
            throw new IllegalArgumentException(
                    "hidden widths must be one or more positive sizes, got " + java.util.Arrays.toString(hidden));
        }
        try (FashionMnist train = data(Dataset.Usage.TRAIN, dataDir, config.seed(), config.batchSize());
                FashionMnist test = data(Dataset.Usage.TEST, dataDir, config.seed(), config.batchSize())) {
            Task task = new Task(train, config, hidden.clone());
            try {
                RunState state = harness.fit(task);
                FashionClassifier c = new FashionClassifier(task, Double.NaN, state);
                int[] predicted = c.predict(test.dataArray());
                float[] labels = test.labelArray().toFloatArray();
                int right = 0;
                for (int i = 0; i < labels.length; i++) {
                    right += predicted[i] == (int) labels[i] ? 1 : 0;
                }
                return new FashionClassifier(task, (double) right / labels.length, state);
            } catch (RuntimeException e) {
                task.close();
                throw e;
            }
        }
    }

    /** Accuracy on the 10,000 Fashion-MNIST test images measured after training. */
    public double testAccuracy() {
        return testAccuracy;
    }

    /** {@code (x + 1) / 2}: images from a tanh output in [-1, 1] to the classifier's [0, 1]. */
    public static NDArray fromTanh(NDArray images) {
        return Scalars.div(images.add(1f), 2);
    }

    /** The training run's state (steps, timings, last metrics). */
    public RunState runState() {
        return state;
    }

    /** The hidden widths. */
    public int[] hidden() {
        return task.hidden.clone();
    }

    /** Scalars in the MLP's weights and biases. */
    public long parameterCount() {
        return task.trained().model().getBlock().getParameters().values().stream()
                .mapToLong(p -> p.getArray().size())
                .sum();
    }

    /** The 10 logits of each image ({@code (N, 784)} or {@code (N, 1, 28, 28)}, pixels in [0, 1]). */
    public double[][] logits(NDArray images) {
        long n = checkImages(images);
        double[][] out = new double[(int) n][10];
        try (NDManager scope = images.getManager().newSubManager()) {
            NDArray x = scope.create(images.toFloatArray(), new Shape(n, PIXELS));
            ParameterStore ps = new ParameterStore(scope, false);
            NDArray h = featureBlock.forward(ps, new NDList(x), false).singletonOrThrow();
            float[] z =
                    head.forward(ps, new NDList(h), false).singletonOrThrow().toFloatArray();
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < 10; k++) {
                    out[i][k] = z[i * 10 + k];
                }
            }
        }
        return out;
    }

    private static long checkImages(NDArray images) {
        Shape shape = images.getShape();
        long n = shape.get(0);
        if (shape.dimension() < 2 || shape.size() != n * PIXELS) {
            throw new IllegalArgumentException("images must be (N, 784) or (N, 1, 28, 28), got " + shape);
        }
        return n;
    }

    /** Penultimate (last hidden layer, after ReLU; 128-d for the scoring classifier) features of {@code images}, one row per image. */
    public double[][] features(NDArray images) {
        return embed(images).features();
    }

    /** Predicted class (argmax of the logits) of each image. */
    public int[] predict(NDArray images) {
        return embed(images).classes();
    }

    /**
     * Features and predicted classes of {@code images} (pixels in [0, 1], {@code (N, 784)} or
     * {@code (N, 1, 28, 28)}); temporaries live in a scope closed before returning.
     */
    public Embedding embed(NDArray images) {
        long n = checkImages(images);
        double[][] features = new double[(int) n][this.features];
        int[] classes = new int[(int) n];
        try (NDManager scope = images.getManager().newSubManager()) {
            NDArray x = scope.create(images.toFloatArray(), new Shape(n, PIXELS));
            ParameterStore ps = new ParameterStore(scope, false);
            NDArray h = featureBlock.forward(ps, new NDList(x), false).singletonOrThrow();
            NDArray logits = head.forward(ps, new NDList(h), false).singletonOrThrow();
            float[] f = h.toFloatArray();
            long[] argmax = logits.argMax(1).toLongArray();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < this.features; j++) {
                    features[i][j] = f[i * this.features + j];
                }
                classes[i] = (int) argmax[i];
            }
        }
        return new Embedding(features, classes);
    }

    @Override
    public void close() {
        task.close();
    }

    static Block mlp() {
        return mlp(HIDDEN);
    }

    static Block mlp(int... hidden) {
        SequentialBlock features = new SequentialBlock();
        for (int h : hidden) {
            features.add(Linear.builder().setUnits(h).build()).add(Activation::relu);
        }
        return new SequentialBlock()
                .add(features)
                .add(Linear.builder().setUnits(10).build());
    }

    /** The Fashion-MNIST split as flattened images (the default lookup when {@code dataDir} is null). */
    public static FashionMnist data(Dataset.Usage usage, Path dataDir, long seed, int batch) throws IOException {
        FashionMnist.Builder b = FashionMnist.builder()
                .optUsage(usage)
                .optFlatten(true)
                .optSeed(seed)
                .setSampling(batch, false);
        if (dataDir != null) {
            b.optDataDir(dataDir);
        }
        return b.build();
    }

    /** Plain softmax cross-entropy on flattened images. */
    private static final class Task extends SupervisedTask {
        private final int[] hidden;

        Task(FashionMnist train, RunConfig config, int[] hidden) {
            super(train, null, new EpochSampler(config.batchSize(), true, true, config.seed()));
            this.hidden = hidden;
        }

        @Override
        protected TrainedPart createPart(RunConfig config) {
            return Parts.create(
                    "fashion-classifier",
                    mlp(hidden),
                    new SoftmaxCrossEntropyLoss("ce"),
                    Adam.builder().optLearningRate(config.learningRate()).build(),
                    Device.cpu(),
                    new Shape(config.batchSize(), PIXELS));
        }

        TrainedPart trained() {
            return part();
        }
    }
}
