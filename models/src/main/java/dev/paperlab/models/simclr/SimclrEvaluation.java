package dev.paperlab.models.simclr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.paperlab.framework.nn.Scalars;
import dev.paperlab.training.metrics.EmbeddingMetrics;
import dev.paperlab.training.metrics.EmbeddingMetrics.KnnScores;
import dev.paperlab.training.metrics.LinearProbe;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The evaluation of a trained {@link Simclr} encoder on frozen features, beside the same
 * measures on raw pixels as the baseline to beat:
 *
 * <ul>
 *   <li>k-NN (Wu et al. 2018, §3.4): k = {@value #K} most cosine-similar training examples,
 *       temperature-weighted votes ({@code exp(s / 0.07)}) and plain majority ({@link
 *       EmbeddingMetrics#cosineKnn}, engine path);
 *   <li>the linear probe ({@link LinearProbe}): logistic regression trained by the harness;
 *   <li>a 2-D principal-component projection of the test representations, for a picture.
 * </ul>
 */
public final class SimclrEvaluation {
    /** Neighbours of the k-NN evaluation, as Wu et al. and the reference script use. */
    public static final int K = 20;

    private static final int BATCH = 1000;

    private SimclrEvaluation() {}

    /** The test representations projected on their first two principal axes, with labels. */
    public record Projection(float[] xy, int[] labels) {}

    /** Every score of one evaluation, and the projection. */
    public record Result(
            KnnScores knn,
            KnnScores rawPixelKnn,
            double linearProbe,
            double rawPixelLinearProbe,
            Projection projection) {

        /** The scores under their summary names. */
        public Map<String, Object> summary() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("knn_accuracy", knn.weighted());
            m.put("knn_majority_accuracy", knn.majority());
            m.put("raw_pixel_knn_accuracy", rawPixelKnn.weighted());
            m.put("raw_pixel_knn_majority_accuracy", rawPixelKnn.majority());
            if (!Double.isNaN(linearProbe)) {
                m.put("linear_probe_accuracy", linearProbe);
                m.put("raw_pixel_linear_probe_accuracy", rawPixelLinearProbe);
            }
            return m;
        }
    }

    /**
     * Scores {@code model}'s representation of the test images against the training images.
     *
     * @param trainImages (M, 1, H, W) or (M, H*W), pixels as trained on
     * @param testImages (T, 1, H, W) or (T, H*W)
     * @param probe linear-probe settings, or {@code null} to skip the probes
     * @param probeDir output folder handed to the probes' harness
     */
    public static Result evaluate(
            Simclr model,
            NDArray trainImages,
            int[] trainLabels,
            NDArray testImages,
            int[] testLabels,
            LinearProbe.Settings probe,
            Path probeDir) {
        try (NDManager scope = trainImages.getManager().newSubManager()) {
            NDArray hTrain = model.represent(trainImages, BATCH, scope); // (M, R)
            NDArray hTest = model.represent(testImages, BATCH, scope); // (T, R)
            long m = trainImages.getShape().get(0);
            long t = testImages.getShape().get(0);
            NDArray pTrain = trainImages.reshape(m, -1); // (M, H*W) raw pixels
            NDArray pTest = testImages.reshape(t, -1);
            pTrain.attach(scope);
            pTest.attach(scope);
            int k = Math.min(K, (int) m);
            double tau = EmbeddingMetrics.WU_TEMPERATURE;
            KnnScores knn = EmbeddingMetrics.cosineKnn(hTrain, trainLabels, hTest, testLabels, k, tau);
            KnnScores raw = EmbeddingMetrics.cosineKnn(pTrain, trainLabels, pTest, testLabels, k, tau);
            double lp = Double.NaN;
            double rawLp = Double.NaN;
            if (probe != null) {
                lp = LinearProbe.accuracy(hTrain, trainLabels, hTest, testLabels, probe, probeDir.resolve("features"));
                rawLp = LinearProbe.accuracy(pTrain, trainLabels, pTest, testLabels, probe, probeDir.resolve("pixels"));
            }
            return new Result(knn, raw, lp, rawLp, new Projection(principalPlane(hTest, probeSeed(probe)), testLabels));
        }
    }

    private static long probeSeed(LinearProbe.Settings probe) {
        return probe == null ? 1 : probe.seed();
    }

    /**
     * Rows of {@code x} projected on its first two principal axes, found by power iteration on the
     * covariance with deflation (two eigenvectors of a D x D matrix; a full decomposition would
     * cost D^3).
     *
     * @param x (T, D)
     * @return (x, y) per row, interleaved
     */
    public static float[] principalPlane(NDArray x, long seed) {
        long t = x.getShape().get(0);
        long d = x.getShape().get(1);
        try (NDManager scope = x.getManager().newSubManager()) {
            NDArray c = x.toType(DataType.FLOAT64, true);
            c.attach(scope);
            c = c.sub(c.mean(new int[] {0}, true)); // (T, D) centred
            NDArray cov = Scalars.div(c.transpose().matMul(c), Math.max(1, t - 1)); // (D, D)
            Random random = new Random(seed);
            NDArray axes = null;
            for (int component = 0; component < 2; component++) {
                double[] start = new double[(int) d];
                for (int i = 0; i < d; i++) {
                    start[i] = random.nextGaussian();
                }
                NDArray v = scope.create(start, new Shape(d, 1)); // (D, 1)
                for (int iter = 0; iter < 200; iter++) {
                    v = cov.matMul(v);
                    v = v.div(v.norm().add(1e-300));
                }
                cov = cov.sub(
                        v.matMul(v.transpose()).mul(v.transpose().matMul(cov).matMul(v))); // deflate
                axes = axes == null ? v : axes.concat(v, 1);
            }
            return c.matMul(axes).toType(DataType.FLOAT32, false).toFloatArray(); // (T, 2)
        }
    }
}
