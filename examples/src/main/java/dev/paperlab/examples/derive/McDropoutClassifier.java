package dev.paperlab.examples.derive;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import dev.paperlab.datasets.fashion.FashionMnist;
import dev.paperlab.datasets.fashion.ProceduralShapes;
import dev.paperlab.training.EpochSampler;
import dev.paperlab.training.Harness;
import dev.paperlab.training.Parts;
import dev.paperlab.training.RunConfig;
import dev.paperlab.training.SupervisedTask;
import dev.paperlab.training.TrainedPart;
import dev.paperlab.training.metrics.UncertaintyMetrics;
import dev.paperlab.training.optim.Adam;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * MC dropout on a Fashion-MNIST classifier (Gal &amp; Ghahramani 2016, Sec. 5): a 784-256-256-10
 * ReLU MLP with dropout p = 0.5 after each hidden layer, trained by the {@link Harness} with our
 * {@link Adam} on {@link #TRAIN_IMAGES} images until it fits them; then T passes with dropout on
 * (no gradients) average to the MC predictive {@code p(y|x) ~ (1/T) sum_t softmax(f_t(x))}.
 * Reports its entropy, variance and mutual information on test images against
 * out-of-distribution inputs (test images rotated by 90 degrees, test images with Gaussian noise,
 * {@link ProceduralShapes}), and its NLL and ECE against one deterministic pass (dropout off, the
 * usual "weight averaging").
 */
final class McDropoutClassifier {
    static final float DROPOUT = 0.5f;
    /**
     * Training images: a small set the network can fit in seconds, so the deterministic pass
     * becomes over-confident, the regime in which the Bayesian reading says averaging helps.
     */
    static final int TRAIN_IMAGES = 2000;

    static final int SIDE = 28;
    /** Standard deviation of the added pixel noise, on images in [0, 1]. */
    static final double NOISE = 0.5;

    /**
     * Measured values.
     *
     * @param aurocEntropy AUROC of predictive entropy, test (negative) against each OOD set
     * @param aurocVariance the same with the predictive variance as the score
     * @param aurocMutualInformation the same with the mutual information (the passes' disagreement)
     * @param meanEntropy mean predictive entropy on the test images and on each OOD set
     */
    record Result(
            double mcAccuracy,
            double detAccuracy,
            double mcNll,
            double detNll,
            double mcEce,
            double detEce,
            Map<String, Double> aurocEntropy,
            Map<String, Double> aurocVariance,
            Map<String, Double> aurocMutualInformation,
            Map<String, Double> meanEntropy,
            int trainSteps,
            double trainSeconds,
            double scoreSeconds,
            int passes,
            int evaluated,
            String source) {}

    private McDropoutClassifier() {}

    /** The classifier's training step: plain softmax cross-entropy on flattened images. */
    private static final class Task extends SupervisedTask {
        Task(FashionMnist train, long seed) {
            super(train, null, new EpochSampler(128, true, true, seed));
        }

        @Override
        protected TrainedPart createPart(RunConfig config) {
            return Parts.create(
                    "mc-dropout-mlp",
                    mlp(),
                    new SoftmaxCrossEntropyLoss("ce"),
                    Adam.builder().optLearningRate(1e-3f).build(),
                    Device.cpu(),
                    new Shape(128, (long) SIDE * SIDE));
        }

        TrainedPart trained() {
            return part();
        }
    }

    static Block mlp() {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(256).build())
                .add(Activation::relu)
                .add(Dropout.builder().optRate(DROPOUT).build())
                .add(Linear.builder().setUnits(256).build())
                .add(Activation::relu)
                .add(Dropout.builder().optRate(DROPOUT).build())
                .add(Linear.builder().setUnits(10).build());
    }

    /**
     * Trains for {@code steps} batches of 128, then scores {@code n} test images and {@code n}
     * of each OOD set with {@code passes} stochastic passes.
     */
    static Result run(Path runDir, long seed, int steps, int passes, int n) {
        try (FashionMnist train = data(Dataset.Usage.TRAIN, seed, TRAIN_IMAGES);
                FashionMnist test = data(Dataset.Usage.TEST, seed, 10000);
                Task task = new Task(train, seed);
                NDManager manager = NDManager.newBaseManager()) {
            long perEpoch = train.size() / 128; // the sampler drops the partial last batch
            long t0 = System.nanoTime();
            Harness.of(RunConfig.builder()
                            .optOutDir(runDir)
                            .optProgress(false)
                            .optEpochs((int) ((steps + perEpoch - 1) / perEpoch))
                            .optMaxSteps(steps)
                            .optSeed(seed)
                            .build())
                    .fit(task);
            long t1 = System.nanoTime();
            Block block = task.trained().model().getBlock();
            float[] testPixels = test.dataArray().get(new NDIndex("0:" + n)).toFloatArray();
            float[] labelsF = test.labelArray().get(new NDIndex("0:" + n)).toFloatArray();
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = (int) labelsF[i];
            }
            Map<String, float[]> ood = new LinkedHashMap<>();
            ood.put("rotated", rotate90(testPixels, n));
            ood.put("noised", noised(testPixels, seed));
            ood.put("shapes", ProceduralShapes.generate(n, seed).pixels());

            Engine.getInstance().setRandomSeed((int) seed);
            double[][][] testStack = passes(block, manager, testPixels, n, passes, true);
            double[][] mc = UncertaintyMetrics.meanProbabilities(testStack);
            double[][] det = passes(block, manager, testPixels, n, 1, false)[0];
            double[] hTest = UncertaintyMetrics.predictiveEntropy(testStack);
            double[] vTest = UncertaintyMetrics.predictiveVariance(testStack);
            double[] miTest = UncertaintyMetrics.mutualInformation(testStack);
            Map<String, Double> aurocH = new LinkedHashMap<>();
            Map<String, Double> aurocV = new LinkedHashMap<>();
            Map<String, Double> aurocMi = new LinkedHashMap<>();
            Map<String, Double> meanH = new LinkedHashMap<>();
            meanH.put("test", mean(hTest));
            for (Map.Entry<String, float[]> e : ood.entrySet()) {
                double[][][] stack = passes(block, manager, e.getValue(), n, passes, true);
                double[] h = UncertaintyMetrics.predictiveEntropy(stack);
                aurocH.put(e.getKey(), UncertaintyMetrics.auroc(hTest, h));
                aurocV.put(e.getKey(), UncertaintyMetrics.auroc(vTest, UncertaintyMetrics.predictiveVariance(stack)));
                aurocMi.put(e.getKey(), UncertaintyMetrics.auroc(miTest, UncertaintyMetrics.mutualInformation(stack)));
                meanH.put(e.getKey(), mean(h));
            }
            int bins = 15;
            return new Result(
                    UncertaintyMetrics.accuracy(mc, labels),
                    UncertaintyMetrics.accuracy(det, labels),
                    UncertaintyMetrics.negativeLogLikelihood(mc, labels),
                    UncertaintyMetrics.negativeLogLikelihood(det, labels),
                    UncertaintyMetrics.expectedCalibrationError(mc, labels, bins),
                    UncertaintyMetrics.expectedCalibrationError(det, labels, bins),
                    aurocH,
                    aurocV,
                    aurocMi,
                    meanH,
                    steps,
                    (t1 - t0) / 1e9,
                    (System.nanoTime() - t1) / 1e9,
                    passes,
                    n,
                    train.source());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Softmax outputs {@code [T][n][10]} of {@code t} forward passes; dropout on when {@code stochastic}. */
    private static double[][][] passes(
            Block block, NDManager manager, float[] pixels, int n, int t, boolean stochastic) {
        double[][][] out = new double[t][n][];
        for (int pass = 0; pass < t; pass++) {
            // a fresh scope per pass: the forward's intermediates follow its input's manager
            try (NDManager step = manager.newSubManager()) {
                NDArray x = step.create(pixels, new Shape(n, (long) SIDE * SIDE));
                ParameterStore ps = new ParameterStore(step, false);
                // training = true only switches dropout on; no gradient collector is open
                NDArray logits = block.forward(ps, new NDList(x), stochastic).singletonOrThrow();
                float[] p = logits.softmax(1).toFloatArray();
                int k = p.length / n;
                for (int i = 0; i < n; i++) {
                    double[] row = new double[k];
                    for (int c = 0; c < k; c++) {
                        row[c] = p[i * k + c];
                    }
                    out[pass][i] = row;
                }
            }
        }
        return out;
    }

    /** Each 28x28 image turned by 90 degrees clockwise. */
    static float[] rotate90(float[] pixels, int n) {
        float[] out = new float[pixels.length];
        int area = SIDE * SIDE;
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < SIDE; r++) {
                for (int c = 0; c < SIDE; c++) {
                    out[i * area + r * SIDE + c] = pixels[i * area + (SIDE - 1 - c) * SIDE + r];
                }
            }
        }
        return out;
    }

    /** Each pixel plus N(0, NOISE^2), clipped back to [0, 1]. */
    static float[] noised(float[] pixels, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] out = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            double v = pixels[i] + NOISE * gaussian(random);
            out[i] = (float) Math.min(1, Math.max(0, v));
        }
        return out;
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller; 1 - u keeps the logarithm's argument in (0, 1]
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static FashionMnist data(Dataset.Usage usage, long seed, int limit) throws IOException {
        return FashionMnist.builder()
                .optLimit(limit)
                .optUsage(usage)
                .optFlatten(true)
                .optSeed(seed)
                .setSampling(128, false)
                .build();
    }
}
