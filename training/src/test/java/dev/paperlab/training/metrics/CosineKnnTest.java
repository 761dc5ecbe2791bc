package dev.paperlab.training.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.paperlab.training.metrics.EmbeddingMetrics.KnnScores;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CosineKnnTest {

    /** Classes as directions: class c points near axis c, so cosine separates them perfectly. */
    private static double[][] separable(int n, int classes, int dim, int[] labels, long seed) {
        Random r = new Random(seed);
        double[][] x = new double[n][dim];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
            for (int j = 0; j < dim; j++) {
                x[i][j] = 0.1 * r.nextGaussian();
            }
            x[i][labels[i]] += 1 + r.nextDouble(); // any length: cosine ignores it
        }
        return x;
    }

    private static float[] flat(double[][] x) {
        float[] f = new float[x.length * x[0].length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[i].length; j++) {
                f[i * x[i].length + j] = (float) x[i][j];
            }
        }
        return f;
    }

    @Test
    void separableClassesScoreOne() {
        int[] ytr = new int[600];
        int[] yte = new int[200];
        double[][] train = separable(600, 5, 8, ytr, 1);
        double[][] test = separable(200, 5, 8, yte, 2);
        KnnScores tree = EmbeddingMetrics.cosineKnn(train, ytr, test, yte, 20, 0.07);
        assertEquals(1.0, tree.majority());
        assertEquals(1.0, tree.weighted());
        try (NDManager m = NDManager.newBaseManager()) {
            KnnScores engine = EmbeddingMetrics.cosineKnn(
                    m.create(flat(train), new Shape(600, 8)),
                    ytr,
                    m.create(flat(test), new Shape(200, 8)),
                    yte,
                    20,
                    0.07);
            assertEquals(1.0, engine.majority());
            assertEquals(1.0, engine.weighted());
        }
    }

    @Test
    void engineAndTreeAgreeOnOverlappingClasses() {
        Random r = new Random(3);
        int n = 800;
        int t = 300;
        double[][] train = new double[n][6];
        double[][] test = new double[t][6];
        int[] ytr = new int[n];
        int[] yte = new int[t];
        for (double[][] x : new double[][][] {train, test}) {
            int[] y = x == train ? ytr : yte;
            for (int i = 0; i < x.length; i++) {
                y[i] = r.nextInt(4);
                for (int j = 0; j < 6; j++) {
                    x[i][j] = r.nextGaussian() + (j == y[i] ? 1.0 : 0.0);
                }
            }
        }
        KnnScores tree = EmbeddingMetrics.cosineKnn(train, ytr, test, yte, 20, 0.07);
        try (NDManager m = NDManager.newBaseManager()) {
            KnnScores engine = EmbeddingMetrics.cosineKnn(
                    m.create(flat(train), new Shape(n, 6)), ytr, m.create(flat(test), new Shape(t, 6)), yte, 20, 0.07);
            // float32 similarities may swap two neighbours at equal distance: one query at most
            assertEquals(tree.majority(), engine.majority(), 1.0 / t);
            assertEquals(tree.weighted(), engine.weighted(), 1.0 / t);
        }
        // overlapping classes: better than chance (0.25), below perfect
        assertTrue(tree.majority() > 0.4 && tree.majority() < 0.95, "majority " + tree.majority());
    }

    @Test
    void weightedVoteFollowsSimilarityWhereMajorityFollowsCount() {
        // query along x; two class-0 points nearly on it, three class-1 points 60 degrees off
        double[][] train = {{1, 0.01}, {1, -0.01}, {0.5, 0.866}, {0.5, 0.866}, {0.5, -0.866}};
        int[] ytr = {0, 0, 1, 1, 1};
        double[][] test = {{1, 0}};
        KnnScores s = EmbeddingMetrics.cosineKnn(train, ytr, test, new int[] {0}, 5, 0.07);
        // majority: 3 votes for class 1; weighted: 2 exp(1/0.07) >> 3 exp(0.5/0.07)
        assertEquals(0.0, s.majority());
        assertEquals(1.0, s.weighted());
    }

    @Test
    void badArgumentsNameTheirValues() {
        double[][] x = {{1, 0}, {0, 1}};
        IllegalArgumentException k = assertThrows(
                IllegalArgumentException.class,
                () -> EmbeddingMetrics.cosineKnn(x, new int[] {0, 1}, x, new int[] {0, 1}, 3, 0.07));
        assertTrue(k.getMessage().contains("[1, 2], got 3"), k.getMessage());
        IllegalArgumentException tau = assertThrows(
                IllegalArgumentException.class,
                () -> EmbeddingMetrics.cosineKnn(x, new int[] {0, 1}, x, new int[] {0, 1}, 1, 0));
        assertTrue(tau.getMessage().contains("got 0.0"), tau.getMessage());
    }

    @Test
    void linearProbeSeparatesSeparableClasses(@TempDir Path dir) {
        int[] ytr = new int[400];
        int[] yte = new int[100];
        double[][] train = separable(400, 4, 6, ytr, 5);
        double[][] test = separable(100, 4, 6, yte, 6);
        try (NDManager m = NDManager.newBaseManager()) {
            double acc = LinearProbe.accuracy(
                    m.create(flat(train), new Shape(400, 6)),
                    ytr,
                    m.create(flat(test), new Shape(100, 6)),
                    yte,
                    new LinearProbe.Settings(20, 32, 0.05f, 1),
                    dir);
            assertEquals(1.0, acc);
        }
    }
}
