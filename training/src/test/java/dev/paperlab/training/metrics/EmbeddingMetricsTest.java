package dev.paperlab.training.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class EmbeddingMetricsTest {

    /** n points per class around well-separated centres (class c at 10 * e_c) in d dimensions. */
    private static double[][] blobs(int classes, int n, int d, double std, long seed, int[] labels) {
        Random r = new Random(seed);
        double[][] x = new double[classes * n][d];
        for (int i = 0; i < x.length; i++) {
            labels[i] = i % classes;
            for (int j = 0; j < d; j++) {
                x[i][j] = (j == labels[i] ? 10 : 0) + std * r.nextGaussian();
            }
        }
        return x;
    }

    @Test
    void separatedClassesScoreNearOneAndShuffledLabelsNearChance() {
        int[] yTrain = new int[400];
        int[] yTest = new int[200];
        double[][] train = blobs(4, 100, 6, 1.0, 1, yTrain);
        double[][] test = blobs(4, 50, 6, 1.0, 2, yTest);
        assertTrue(EmbeddingMetrics.knnAccuracy(train, yTrain, test, yTest, 5) > 0.99);
        double acc = EmbeddingMetrics.clusterAccuracy(test, yTest, 3);
        assertTrue(acc > 0.99, "cluster accuracy " + acc);
        int[] shuffled = yTrain.clone();
        Random r = new Random(4);
        for (int i = shuffled.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        double chance = EmbeddingMetrics.knnAccuracy(train, shuffled, test, yTest, 5);
        assertTrue(chance < 0.45, "accuracy with shuffled labels " + chance);
    }

    @Test
    void oneNearestNeighbourOfATrainingPointIsItself() {
        int[] y = new int[300];
        double[][] x = blobs(3, 100, 4, 5.0, 7, y);
        assertEquals(1.0, EmbeddingMetrics.knnAccuracy(x, y, x, y, 1), 0.0);
    }

    @Test
    void kMeansRecoversPlantedClustersUpToRelabelling() {
        int[] y = new int[300];
        double[][] x = blobs(3, 100, 3, 0.5, 9, y);
        int[] a = EmbeddingMetrics.kMeans(x, 3, 1, 50);
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x.length; j++) {
                assertEquals(y[i] == y[j], a[i] == a[j]);
            }
        }
    }

    @Test
    void badArgumentsNameTheValues() {
        double[][] x = {{0}, {1}};
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> EmbeddingMetrics.knnAccuracy(x, new int[] {0, 1}, x, new int[] {0, 1}, 3));
        assertTrue(e.getMessage().contains("3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> EmbeddingMetrics.kMeans(x, 0, 1, 5));
        assertTrue(e.getMessage().contains("0"), e.getMessage());
    }
}
