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
import dev.paperlab.training.EpochSampler;
import dev.paperlab.training.Harness;
import dev.paperlab.training.Parts;
import dev.paperlab.training.RunConfig;
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

    private final Task task;
    private final Block featureBlock;
    private final Block head;
    private final double testAccuracy;

    private FashionClassifier(Task task, double testAccuracy) {
        this.task = task;
        SequentialBlock block = (SequentialBlock) task.trained().model().getBlock();
        this.featureBlock = block.getChildren().get(0).getValue();
        this.head = block.getChildren().get(1).getValue();
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
        try (FashionMnist train = data(Dataset.Usage.TRAIN, dataDir, seed);
                FashionMnist test = data(Dataset.Usage.TEST, dataDir, seed)) {
            Task task = new Task(train, seed);
            try {
                Harness.of(RunConfig.builder()
                                .optOutDir(runDir)
                                .optProgress(false)
                                .optEpochs(epochs)
                                .optBatchSize(BATCH)
                                .optSeed(seed)
                                .build())
                        .fit(task);
                FashionClassifier c = new FashionClassifier(task, Double.NaN);
                int[] predicted = c.predict(test.dataArray());
                float[] labels = test.labelArray().toFloatArray();
                int right = 0;
                for (int i = 0; i < labels.length; i++) {
                    right += predicted[i] == (int) labels[i] ? 1 : 0;
                }
                return new FashionClassifier(task, (double) right / labels.length);
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
        return images.add(1f).div(2f);
    }

    /** Penultimate (128-d, after ReLU) features of {@code images}, one row per image. */
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
        Shape shape = images.getShape();
        long n = shape.get(0);
        if (shape.dimension() < 2 || shape.size() != n * PIXELS) {
            throw new IllegalArgumentException("images must be (N, 784) or (N, 1, 28, 28), got " + shape);
        }
        double[][] features = new double[(int) n][FEATURES];
        int[] classes = new int[(int) n];
        try (NDManager scope = images.getManager().newSubManager()) {
            NDArray x = scope.create(images.toFloatArray(), new Shape(n, PIXELS));
            ParameterStore ps = new ParameterStore(scope, false);
            NDArray h = featureBlock.forward(ps, new NDList(x), false).singletonOrThrow();
            NDArray logits = head.forward(ps, new NDList(h), false).singletonOrThrow();
            float[] f = h.toFloatArray();
            long[] argmax = logits.argMax(1).toLongArray();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < FEATURES; j++) {
                    features[i][j] = f[i * FEATURES + j];
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
        SequentialBlock features = new SequentialBlock()
                .add(Linear.builder().setUnits(256).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(FEATURES).build())
                .add(Activation::relu);
        return new SequentialBlock()
                .add(features)
                .add(Linear.builder().setUnits(10).build());
    }

    private static FashionMnist data(Dataset.Usage usage, Path dataDir, long seed) throws IOException {
        FashionMnist.Builder b = FashionMnist.builder()
                .optUsage(usage)
                .optFlatten(true)
                .optSeed(seed)
                .setSampling(BATCH, false);
        if (dataDir != null) {
            b.optDataDir(dataDir);
        }
        return b.build();
    }

    /** Plain softmax cross-entropy on flattened images. */
    private static final class Task extends SupervisedTask {
        Task(FashionMnist train, long seed) {
            super(train, null, new EpochSampler(BATCH, true, true, seed));
        }

        @Override
        protected TrainedPart createPart(RunConfig config) {
            return Parts.create(
                    "fashion-classifier",
                    mlp(),
                    new SoftmaxCrossEntropyLoss("ce"),
                    Adam.builder().optLearningRate(1e-3f).build(),
                    Device.cpu(),
                    new Shape(BATCH, PIXELS));
        }

        TrainedPart trained() {
            return part();
        }
    }
}
