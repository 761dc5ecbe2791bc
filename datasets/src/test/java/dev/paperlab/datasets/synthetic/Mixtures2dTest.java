package dev.paperlab.datasets.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class Mixtures2dTest {

    /** Per component: count, mean x, mean y, std x, std y (population, 1/n). */
    private static double[][] componentStats(Samples2d s) {
        double[][] st = new double[s.components()][5];
        for (int i = 0; i < s.size(); i++) {
            double[] a = st[s.labels()[i]];
            a[0]++;
            a[1] += s.x(i);
            a[2] += s.y(i);
            a[3] += s.x(i) * (double) s.x(i);
            a[4] += s.y(i) * (double) s.y(i);
        }
        for (double[] a : st) {
            a[1] /= a[0];
            a[2] /= a[0];
            a[3] = Math.sqrt(a[3] / a[0] - a[1] * a[1]);
            a[4] = Math.sqrt(a[4] / a[0] - a[2] * a[2]);
        }
        return st;
    }

    /** Means within 5 standard errors, stds within 5% and counts within 5 binomial sds. */
    private static void assertMatches(Samples2d s, double[][] mu, double std) {
        double[][] st = componentStats(s);
        int k = mu.length;
        double p = 1.0 / k;
        for (int c = 0; c < k; c++) {
            double n = st[c][0];
            assertEquals(s.size() * p, n, 5 * Math.sqrt(s.size() * p * (1 - p)), "count of " + c);
            double se = std / Math.sqrt(n);
            assertEquals(mu[c][0], st[c][1], 5 * se, "mean x of component " + c);
            assertEquals(mu[c][1], st[c][2], 5 * se, "mean y of component " + c);
            assertEquals(std, st[c][3], 0.05 * std, "std x of component " + c);
            assertEquals(std, st[c][4], 0.05 * std, "std y of component " + c);
        }
    }

    @Test
    void ringComponentsHaveTheirMeansAndStd() {
        Samples2d s = Mixtures2d.ring(40_000, 8, 2.0, 0.1, 11);
        double[][] mu = Mixtures2d.ringMeans(8, 2.0);
        assertEquals(8, s.components());
        assertEquals(2.0, Math.hypot(mu[3][0], mu[3][1]), 1e-12);
        assertEquals(Math.PI * 3 / 4, Math.atan2(mu[3][1], mu[3][0]), 1e-12);
        assertMatches(s, mu, 0.1);
    }

    @Test
    void gridComponentsHaveTheirMeansAndStd() {
        Samples2d s = Mixtures2d.grid(50_000, 5, 2.0, 0.05, 12);
        double[][] mu = Mixtures2d.gridMeans(5, 2.0);
        assertArrayEquals(new double[] {-4, -4}, mu[0], 1e-12);
        assertArrayEquals(new double[] {0, 0}, mu[12], 1e-12);
        assertArrayEquals(new double[] {4, -2}, mu[9], 1e-12); // row 1, col 4
        assertMatches(s, mu, 0.05);
    }

    @Test
    void noiselessMoonsLieOnTheirHalfCircles() {
        Samples2d s = Mixtures2d.twoMoons(2000, 0, 13);
        for (int i = 0; i < s.size(); i++) {
            double cx = s.labels()[i] == 0 ? 0 : 1;
            double cy = s.labels()[i] == 0 ? 0 : 0.5;
            assertEquals(1, Math.hypot(s.x(i) - cx, s.y(i) - cy), 1e-6);
            // moon 0 is the upper half circle, moon 1 the lower one
            assertTrue(s.labels()[i] == 0 ? s.y(i) >= -1e-6 : s.y(i) <= 0.5 + 1e-6);
        }
    }

    @Test
    void noisyMoonsHaveClosedFormMoments() {
        double noise = 0.1;
        Samples2d s = Mixtures2d.twoMoons(40_000, noise, 14);
        double[][] st = componentStats(s);
        // t ~ U[0, pi]: E cos t = 0, E sin t = 2/pi, Var cos t = 1/2, Var sin t = 1/2 - 4/pi^2
        double sx = Math.sqrt(0.5 + noise * noise);
        double sy = Math.sqrt(0.5 - 4 / (Math.PI * Math.PI) + noise * noise);
        double[][] mean = {{0, 2 / Math.PI}, {1, 0.5 - 2 / Math.PI}};
        for (int c = 0; c < 2; c++) {
            double n = st[c][0];
            assertEquals(mean[c][0], st[c][1], 5 * sx / Math.sqrt(n), "moon " + c + " mean x");
            assertEquals(mean[c][1], st[c][2], 5 * sy / Math.sqrt(n), "moon " + c + " mean y");
            assertEquals(sx, st[c][3], 0.03 * sx, "moon " + c + " std x");
            assertEquals(sy, st[c][4], 0.03 * sy, "moon " + c + " std y");
        }
    }

    @Test
    void sameSeedSamePoints() {
        for (List<Samples2d> pair : List.of(
                List.of(Mixtures2d.ring(100, 8, 2, 0.02, 1), Mixtures2d.ring(100, 8, 2, 0.02, 1)),
                List.of(Mixtures2d.grid(100, 5, 2, 0.05, 1), Mixtures2d.grid(100, 5, 2, 0.05, 1)),
                List.of(Mixtures2d.twoMoons(100, 0.1, 1), Mixtures2d.twoMoons(100, 0.1, 1)))) {
            assertArrayEquals(pair.get(0).points(), pair.get(1).points());
            assertArrayEquals(pair.get(0).labels(), pair.get(1).labels());
        }
        assertFalse(Arrays.equals(
                Mixtures2d.ring(100, 8, 2, 0.02, 1).points(),
                Mixtures2d.ring(100, 8, 2, 0.02, 2).points()));
    }

    @Test
    void datasetBatchesCarryThePointsAndComponents() throws IOException, TranslateException {
        Samples2d s = Mixtures2d.ring(10, 4, 1, 0.1, 3);
        try (NDManager m = NDManager.newBaseManager()) {
            ArrayDataset d = s.toDataset(m, 4, false);
            assertEquals(10, d.size());
            int seen = 0;
            for (Batch b : d.getData(m)) {
                try (b) {
                    NDArray x = b.getData().singletonOrThrow(); // (B, 2)
                    NDArray y = b.getLabels().singletonOrThrow(); // (B)
                    assertEquals(new Shape(b.getSize(), 2), x.getShape());
                    float[] xs = x.toFloatArray();
                    float[] ys = y.toFloatArray();
                    for (int j = 0; j < b.getSize(); j++) {
                        int i = seen + j; // sequential sampling
                        assertEquals(s.x(i), xs[2 * j], 0f);
                        assertEquals(s.y(i), xs[2 * j + 1], 0f);
                        assertEquals(s.labels()[i], ys[j], 0f);
                    }
                    seen += b.getSize();
                }
            }
            assertEquals(10, seen);
        }
    }

    @Test
    void rejectsBadArguments() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Mixtures2d.ring(10, 0, 1, 0.1, 0));
        assertTrue(e.getMessage().contains("was 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Mixtures2d.grid(10, 3, 1, -0.1, 0));
        assertTrue(e.getMessage().contains("was -0.1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Mixtures2d.twoMoons(-1, 0.1, 0));
        assertTrue(e.getMessage().contains("was -1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Samples2d(new float[3], new int[2], 2));
    }
}
