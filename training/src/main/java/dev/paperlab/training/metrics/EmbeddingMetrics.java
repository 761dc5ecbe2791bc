package dev.paperlab.training.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.paperlab.framework.algorithms.knn.KdTree;
import dev.paperlab.framework.algorithms.knn.Neighbors;
import dev.paperlab.framework.algorithms.matching.ClusteringMetrics;
import java.util.Random;

/**
 * Label-free quality measures of embeddings (rows of a matrix) against known classes.
 *
 * <ul>
 *   <li>{@link #knnAccuracy}: classify each test point by majority vote of its k nearest training
 *       points (Euclidean; exact, via {@link KdTree}); a tied vote goes to the class of the
 *       nearest point among the tied classes.
 *   <li>{@link #cosineKnn}: the k-NN evaluation of self-supervised features (Wu et al. 2018,
 *       §3.4): the k most cosine-similar training points vote, either one vote each (majority)
 *       or with weight {@code exp(s_i / tau)} (temperature-weighted, tau = 0.07 in the paper);
 *       the class with the largest total wins. Two ways to find the neighbours, same result: the
 *       k-d tree on unit vectors (Euclidean order on the unit sphere is cosine order, {@code |a -
 *       b|^2 = 2 - 2 cos}), or a similarity matrix product on the engine with top-k, which is
 *       far faster for the 100s-1000s of dimensions of learned features.
 *   <li>{@link #kMeans}: Lloyd's algorithm with k-means++ seeding (Arthur &amp; Vassilvitskii
 *       2007); {@link #clusterAccuracy} scores it with {@link ClusteringMetrics}.
 * </ul>
 */
public final class EmbeddingMetrics {
    private EmbeddingMetrics() {}

    /** Fraction of test points whose k-NN majority class equals their label. */
    public static double knnAccuracy(double[][] train, int[] trainLabels, double[][] test, int[] testLabels, int k) {
        if (train.length != trainLabels.length || test.length != testLabels.length) {
            throw new IllegalArgumentException("points and labels differ in count: train " + train.length + " vs "
                    + trainLabels.length + ", test " + test.length + " vs " + testLabels.length);
        }
        if (k < 1 || k > train.length) {
            throw new IllegalArgumentException("k must be in [1, " + train.length + "], got " + k);
        }
        KdTree tree = KdTree.build(train);
        int classes = classes(trainLabels);
        int correct = 0;
        int[] labels = new int[k];
        double[] ones = new double[k];
        java.util.Arrays.fill(ones, 1);
        for (int i = 0; i < test.length; i++) {
            int[] nn = tree.nearest(test[i], k).indices(); // nearest first: earlier classes win ties
            for (int j = 0; j < k; j++) {
                labels[j] = trainLabels[nn[j]];
            }
            if (vote(labels, ones, classes) == testLabels[i]) {
                correct++;
            }
        }
        return (double) correct / test.length;
    }

    /** The two k-NN votes of {@link #cosineKnn}, as accuracies. */
    public record KnnScores(double majority, double weighted) {}

    /** Wu et al. (2018)'s vote temperature. */
    public static final double WU_TEMPERATURE = 0.07;

    /** Test rows per similarity product of the engine path. */
    private static final int CHUNK = 512;

    /**
     * Cosine k-NN accuracy with majority and temperature-weighted votes, on the engine: each
     * chunk of test rows is multiplied by all unit-length training rows, and {@code topK} picks
     * the neighbours. Ties in a vote go to the class of the most similar point among the tied.
     *
     * @param train (M, D) training features
     * @param test (T, D) test features
     * @param k neighbours, in [1, M]
     * @param temperature tau of the weighted vote, &gt; 0
     */
    public static KnnScores cosineKnn(
            NDArray train, int[] trainLabels, NDArray test, int[] testLabels, int k, double temperature) {
        long m = train.getShape().get(0);
        long t = test.getShape().get(0);
        checkKnn(m, trainLabels.length, t, testLabels.length, k, temperature);
        if (train.getShape().dimension() != 2
                || test.getShape().dimension() != 2
                || train.getShape().get(1) != test.getShape().get(1)) {
            throw new IllegalArgumentException("train and test must be (M, D) and (T, D) with the same D, got "
                    + train.getShape() + " and " + test.getShape());
        }
        int classes = classes(trainLabels);
        int majority = 0;
        int weighted = 0;
        try (NDManager scope = train.getManager().newSubManager()) {
            NDArray unitTrain = train.toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                    .normalize(2, 1, 1e-12)
                    .transpose(); // (D, M)
            unitTrain.attach(scope);
            for (long start = 0; start < t; start += CHUNK) {
                long end = Math.min(t, start + CHUNK);
                try (NDManager chunk = scope.newSubManager()) {
                    NDArray q = test.get(start + ":" + end);
                    q.attach(chunk);
                    NDArray sims = q.toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                            .normalize(2, 1, 1e-12)
                            .matMul(unitTrain); // (b, M) cosine similarities
                    NDList top = sims.topK(k, 1, true, true); // values, indices: most similar first
                    float[] s = top.get(0).toFloatArray();
                    long[] idx = top.get(1)
                            .toType(ai.djl.ndarray.types.DataType.INT64, false)
                            .toLongArray();
                    int[] labels = new int[k];
                    double[] ones = new double[k];
                    double[] weights = new double[k];
                    for (int row = 0; row < end - start; row++) {
                        for (int j = 0; j < k; j++) {
                            labels[j] = trainLabels[(int) idx[row * k + j]];
                            ones[j] = 1;
                            weights[j] = Math.exp(s[row * k + j] / temperature);
                        }
                        int y = testLabels[(int) start + row];
                        majority += vote(labels, ones, classes) == y ? 1 : 0;
                        weighted += vote(labels, weights, classes) == y ? 1 : 0;
                    }
                }
            }
        }
        return new KnnScores((double) majority / t, (double) weighted / t);
    }

    /**
     * The same as {@link #cosineKnn(NDArray, int[], NDArray, int[], int, double)} with the
     * neighbours found by the k-d tree over unit vectors; the reference for the engine path.
     */
    public static KnnScores cosineKnn(
            double[][] train, int[] trainLabels, double[][] test, int[] testLabels, int k, double temperature) {
        checkKnn(train.length, trainLabels.length, test.length, testLabels.length, k, temperature);
        KdTree tree = KdTree.build(unitRows(train));
        double[][] queries = unitRows(test);
        int classes = classes(trainLabels);
        int majority = 0;
        int weighted = 0;
        int[] labels = new int[k];
        double[] ones = new double[k];
        double[] weights = new double[k];
        for (int i = 0; i < test.length; i++) {
            Neighbors nn = tree.nearest(queries[i], k);
            int[] idx = nn.indices();
            double[] dist = nn.distances();
            for (int j = 0; j < k; j++) {
                labels[j] = trainLabels[idx[j]];
                ones[j] = 1;
                weights[j] = Math.exp((1 - dist[j] * dist[j] / 2) / temperature); // cos = 1 - |a - b|^2 / 2
            }
            majority += vote(labels, ones, classes) == testLabels[i] ? 1 : 0;
            weighted += vote(labels, weights, classes) == testLabels[i] ? 1 : 0;
        }
        return new KnnScores((double) majority / test.length, (double) weighted / test.length);
    }

    /**
     * The class with the largest total weight among neighbours given nearest first; a tie goes to
     * the class reached first (the nearest of the tied).
     */
    static int vote(int[] labels, double[] weights, int classes) {
        double[] total = new double[classes];
        int best = -1;
        for (int j = 0; j < labels.length; j++) {
            int y = labels[j];
            total[y] += weights[j];
            if (best < 0 || total[y] > total[best]) {
                best = y;
            }
        }
        return best;
    }

    private static void checkKnn(long train, int trainLabels, long test, int testLabels, int k, double tau) {
        if (train != trainLabels || test != testLabels) {
            throw new IllegalArgumentException("points and labels differ in count: train " + train + " vs "
                    + trainLabels + ", test " + test + " vs " + testLabels);
        }
        if (k < 1 || k > train) {
            throw new IllegalArgumentException("k must be in [1, " + train + "], got " + k);
        }
        if (!(tau > 0) || !Double.isFinite(tau)) {
            throw new IllegalArgumentException("vote temperature must be finite and > 0, got " + tau);
        }
    }

    private static int classes(int[] labels) {
        int classes = 1;
        for (int y : labels) {
            if (y < 0) {
                throw new IllegalArgumentException("labels must be >= 0, got " + y);
            }
            classes = Math.max(classes, y + 1);
        }
        return classes;
    }

    private static double[][] unitRows(double[][] x) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            double norm = Math.sqrt(squared(x[i], new double[x[i].length]));
            out[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                out[i][j] = norm > 0 ? x[i][j] / norm : 0;
            }
        }
        return out;
    }

    /** Cluster index of every point after Lloyd iterations from k-means++ seeds. */
    public static int[] kMeans(double[][] x, int k, long seed, int maxIterations) {
        int n = x.length;
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k must be in [1, " + n + "], got " + k);
        }
        int d = x[0].length;
        Random random = new Random(seed);
        double[][] centers = new double[k][];
        centers[0] = x[random.nextInt(n)].clone();
        double[] dist = new double[n];
        java.util.Arrays.fill(dist, Double.POSITIVE_INFINITY);
        for (int c = 1; c < k; c++) {
            // k-means++: next seed drawn with probability proportional to squared distance
            double total = 0;
            for (int i = 0; i < n; i++) {
                dist[i] = Math.min(dist[i], squared(x[i], centers[c - 1]));
                total += dist[i];
            }
            double u = random.nextDouble() * total;
            int pick = n - 1;
            for (int i = 0; i < n; i++) {
                u -= dist[i];
                if (u <= 0) {
                    pick = i;
                    break;
                }
            }
            centers[c] = x[pick].clone();
        }
        int[] assign = new int[n];
        for (int iter = 0; iter < maxIterations; iter++) {
            boolean changed = iter == 0;
            for (int i = 0; i < n; i++) {
                int best = 0;
                double bestD = squared(x[i], centers[0]);
                for (int c = 1; c < k; c++) {
                    double dc = squared(x[i], centers[c]);
                    if (dc < bestD) {
                        bestD = dc;
                        best = c;
                    }
                }
                if (assign[i] != best) {
                    assign[i] = best;
                    changed = true;
                }
            }
            if (!changed) {
                break;
            }
            double[][] sums = new double[k][d];
            int[] counts = new int[k];
            for (int i = 0; i < n; i++) {
                counts[assign[i]]++;
                for (int j = 0; j < d; j++) {
                    sums[assign[i]][j] += x[i][j];
                }
            }
            for (int c = 0; c < k; c++) {
                if (counts[c] > 0) {
                    for (int j = 0; j < d; j++) {
                        centers[c][j] = sums[c][j] / counts[c];
                    }
                }
            }
        }
        return assign;
    }

    /**
     * Clustering accuracy of k-means with k = number of classes, under the best label map; the
     * lowest-inertia of {@value #RESTARTS} seeded restarts is kept (Lloyd's algorithm only finds a
     * local optimum, as scikit-learn's {@code n_init} acknowledges).
     */
    public static double clusterAccuracy(double[][] x, int[] labels, long seed) {
        int classes = 1;
        for (int y : labels) {
            classes = Math.max(classes, y + 1);
        }
        int[] best = null;
        double bestInertia = Double.POSITIVE_INFINITY;
        for (int r = 0; r < RESTARTS; r++) {
            int[] assign = kMeans(x, classes, seed + r, 100);
            double inertia = inertia(x, assign, classes);
            if (inertia < bestInertia) {
                bestInertia = inertia;
                best = assign;
            }
        }
        return ClusteringMetrics.clusteringAccuracy(best, labels);
    }

    private static final int RESTARTS = 5;

    /** Sum of squared distances of points to the mean of their cluster. */
    static double inertia(double[][] x, int[] assign, int k) {
        int d = x[0].length;
        double[][] mean = new double[k][d];
        int[] count = new int[k];
        for (int i = 0; i < x.length; i++) {
            count[assign[i]]++;
            for (int j = 0; j < d; j++) {
                mean[assign[i]][j] += x[i][j];
            }
        }
        double total = 0;
        for (int i = 0; i < x.length; i++) {
            double[] m = mean[assign[i]];
            double s = 0;
            for (int j = 0; j < d; j++) {
                double t = x[i][j] - m[j] / count[assign[i]];
                s += t * t;
            }
            total += s;
        }
        return total;
    }

    private static double squared(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            double t = a[j] - b[j];
            s += t * t;
        }
        return s;
    }
}
