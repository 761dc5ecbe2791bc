package dev.paperlab.training.metrics;

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
        int classes = 1;
        for (int y : trainLabels) {
            classes = Math.max(classes, y + 1);
        }
        int correct = 0;
        for (int i = 0; i < test.length; i++) {
            Neighbors nn = tree.nearest(test[i], k);
            int[] votes = new int[classes];
            int best = -1;
            for (int idx : nn.indices()) { // nearest first: earlier classes win ties
                int y = trainLabels[idx];
                votes[y]++;
                if (best < 0 || votes[y] > votes[best]) {
                    best = y;
                }
            }
            if (best == testLabels[i]) {
                correct++;
            }
        }
        return (double) correct / test.length;
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
