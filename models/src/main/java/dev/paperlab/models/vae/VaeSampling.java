package dev.paperlab.models.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.paperlab.training.metrics.EmbeddingMetrics;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a trained {@link Vae} is used for after training, all in inference mode: the posterior
 * means {@code mu(x)} of a whole data set (the latent codes that are scored or plotted),
 * reconstructions {@code E[x | z = mu(x)] = sigmoid(decoder(mu(x)))}, and samples from the prior
 * {@code E[x | z], z ~ N(0, I)} (Kingma &amp; Welling 2013, Sec. 2 and Fig. 2-5), and scores of
 * how well the means separate classes the VAE was not told about.
 *
 * <p>Large inputs are processed in chunks of {@link #CHUNK} examples, each in its own
 * sub-manager, so memory stays bounded by one chunk's activations.
 */
public final class VaeSampling {
    /** Examples encoded per forward pass. */
    public static final int CHUNK = 1000;

    private VaeSampling() {}

    /**
     * Posterior means of every example.
     *
     * @param vae an initialised VAE
     * @param x data, {@code (N, D)} or {@code (N, C, H, W)}
     * @return {@code mu(x)}, N rows of J values
     * @throws IllegalArgumentException if x does not match the VAE's input shape
     */
    public static double[][] posteriorMeans(Vae vae, NDArray x) {
        long n = x.getShape().get(0);
        int j = vae.getLatentSize();
        double[][] out = new double[Math.toIntExact(n)][j];
        for (long from = 0; from < n; from += CHUNK) {
            long to = Math.min(n, from + CHUNK);
            try (NDManager scope = x.getManager().newSubManager()) {
                NDArray chunk = x.get(from + ":" + to);
                chunk.attach(scope);
                NDArray mu = vae.encode(new ParameterStore(scope, false), chunk, false)
                        .get(0); // (n, J)
                float[] flat = mu.toFloatArray();
                for (int i = 0; i < to - from; i++) {
                    for (int k = 0; k < j; k++) {
                        out[Math.toIntExact(from + i)][k] = flat[i * j + k];
                    }
                }
            }
        }
        return out;
    }

    /**
     * Reconstructions through the posterior mean: {@code sigmoid(decoder(mu(x)))}.
     *
     * @param vae an initialised VAE
     * @param x data, {@code (N, D)} or {@code (N, C, H, W)}, at most {@link #CHUNK} rows
     * @param manager the manager the result is attached to
     * @return Bernoulli means, {@code (N, C, H, W)}
     */
    public static NDArray reconstructions(Vae vae, NDArray x, NDManager manager) {
        long n = x.getShape().get(0);
        if (n > CHUNK) {
            throw new IllegalArgumentException("reconstruct at most " + CHUNK + " examples at a time, got " + n);
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray mu = vae.encode(new ParameterStore(scope, false), x, false).get(0); // (N, J)
            NDArray probabilities = vae.decode(mu).reshape(images(vae, n)); // (N, C, H, W)
            probabilities.attach(manager);
            return probabilities;
        }
    }

    /**
     * Samples from the prior, as images.
     *
     * @param vae an initialised VAE
     * @param manager the manager the result is attached to (its RNG comes from the engine seed)
     * @param n number of samples
     * @return Bernoulli means {@code E[x|z]}, {@code (n, C, H, W)}
     */
    public static NDArray priorSamples(Vae vae, NDManager manager, int n) {
        NDArray samples = vae.sample(manager, n);
        NDArray shaped = samples.reshape(images(vae, n)); // (n, C, H, W)
        shaped.attach(manager);
        return shaped;
    }

    /**
     * How well the posterior means separate classes the VAE never saw: k-NN accuracy of the test
     * means against the training means (k = 10, or fewer when the training set is smaller) and
     * k-means clustering accuracy of the test means under the best label map. Empty when the
     * labels hold fewer than two classes, where neither score means anything.
     *
     * @param vae an initialised VAE
     * @param trainX training data (its means are the k-NN reference)
     * @param trainY training labels, {@code (N)} class indices
     * @param testX test data
     * @param testY test labels
     * @param seed seed of the k-means restarts
     * @return {@code latent_knn10_accuracy} (or {@code latent_knnK_accuracy}) and {@code
     *     latent_cluster_accuracy}
     */
    public static Map<String, Double> latentScores(
            Vae vae, NDArray trainX, NDArray trainY, NDArray testX, NDArray testY, long seed) {
        int[] yTrain = classIndices(trainY);
        int[] yTest = classIndices(testY);
        long classes = Arrays.stream(yTest).distinct().count();
        if (Arrays.stream(yTrain).distinct().count() < 2 || classes < 2 || yTest.length < classes) {
            return Map.of();
        }
        double[][] zTrain = posteriorMeans(vae, trainX);
        double[][] zTest = posteriorMeans(vae, testX);
        int k = Math.min(10, zTrain.length);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("latent_knn" + k + "_accuracy", EmbeddingMetrics.knnAccuracy(zTrain, yTrain, zTest, yTest, k));
        m.put("latent_cluster_accuracy", EmbeddingMetrics.clusterAccuracy(zTest, yTest, seed));
        return m;
    }

    private static int[] classIndices(NDArray y) {
        float[] f;
        try (NDArray copy = y.toType(DataType.FLOAT32, true)) {
            f = copy.toFloatArray();
        }
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = Math.round(f[i]);
        }
        return out;
    }

    private static Shape images(Vae vae, long n) {
        return new Shape(n).addAll(vae.getImageShape());
    }
}
