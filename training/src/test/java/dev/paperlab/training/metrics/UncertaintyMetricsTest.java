package dev.paperlab.training.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class UncertaintyMetricsTest {
    // the hand-worked values below are sums of a few doubles: exact to ~1e-15
    private static final double EPS = 1e-12;

    @Test
    void aurocOfPerfectInvertedAndTiedRankings() {
        double[] low = {0.1, 0.2, 0.3};
        double[] high = {0.5, 0.9};
        assertEquals(1.0, UncertaintyMetrics.auroc(low, high), EPS);
        assertEquals(0.0, UncertaintyMetrics.auroc(high, low), EPS);
        assertEquals(0.5, UncertaintyMetrics.auroc(new double[] {2, 2}, new double[] {2, 2, 2}), EPS);
        // positive 2 beats 1, ties 2, loses to 3: 1.5 of 3 pairs; positive 4 beats all 3: 4.5 / 6
        assertEquals(0.75, UncertaintyMetrics.auroc(new double[] {1, 2, 3}, new double[] {2, 4}), EPS);
    }

    @Test
    void aurocIsThePairwiseWinRateOnRandomScoresWithTies() {
        Random random = new Random(7);
        for (int trial = 0; trial < 20; trial++) {
            double[] neg = new double[1 + random.nextInt(30)];
            double[] pos = new double[1 + random.nextInt(30)];
            for (int i = 0; i < neg.length; i++) {
                neg[i] = random.nextInt(8); // few distinct values: many ties
            }
            for (int i = 0; i < pos.length; i++) {
                pos[i] = random.nextInt(8) + 1;
            }
            double wins = 0;
            for (double p : pos) {
                for (double n : neg) {
                    wins += p > n ? 1 : p == n ? 0.5 : 0;
                }
            }
            assertEquals(wins / (pos.length * neg.length), UncertaintyMetrics.auroc(neg, pos), EPS);
        }
    }

    @Test
    void eceOfAPerfectlyCalibratedSetIsZero() {
        // 20 at confidence 0.85 with 17 right, 20 at 0.55 with 11 right: each bin's accuracy = confidence
        int n = 40;
        double[][] p = new double[n][];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            boolean first = i < 20;
            double c = first ? 0.85 : 0.55;
            p[i] = new double[] {c, 1 - c};
            int rightUpTo = first ? 17 : 20 + 11;
            y[i] = i < rightUpTo ? 0 : 1;
        }
        assertEquals(0.0, UncertaintyMetrics.expectedCalibrationError(p, y, 15), EPS);
    }

    @Test
    void eceByHand() {
        double[][] p = {{0.85, 0.15}, {0.85, 0.15}, {0.35, 0.65}, {0.55, 0.45}};
        int[] y = {0, 1, 1, 0};
        // 10 bins: (0.8, 0.9] holds two at 0.85 with accuracy 1/2 -> 2/4 * 0.35;
        // (0.6, 0.7] one at 0.65, right -> 1/4 * 0.35; (0.5, 0.6] one at 0.55, right -> 1/4 * 0.45
        double expected = 0.5 * 0.35 + 0.25 * 0.35 + 0.25 * 0.45;
        assertEquals(expected, UncertaintyMetrics.expectedCalibrationError(p, y, 10), EPS);
        // one bin pools everything: |acc 3/4 - mean conf 0.725|
        assertEquals(
                Math.abs(0.75 - (0.85 + 0.85 + 0.65 + 0.55) / 4),
                UncertaintyMetrics.expectedCalibrationError(p, y, 1),
                EPS);
    }

    @Test
    void entropyOfUniformIsLogKAndOfOneHotIsZero() {
        for (int k : new int[] {2, 10, 37}) {
            double[] u = new double[k];
            java.util.Arrays.fill(u, 1.0 / k);
            double[] hot = new double[k];
            hot[k - 1] = 1;
            double[] h = UncertaintyMetrics.entropy(new double[][] {u, hot});
            assertEquals(Math.log(k), h[0], EPS);
            assertEquals(0.0, h[1], EPS);
        }
    }

    @Test
    void disagreeingPassesHaveHighEntropyAndVariance() {
        double[][][] stacked = {{{1, 0}, {0.9, 0.1}}, {{0, 1}, {0.9, 0.1}}};
        double[] h = UncertaintyMetrics.predictiveEntropy(stacked);
        double[] v = UncertaintyMetrics.predictiveVariance(stacked);
        assertEquals(Math.log(2), h[0], EPS); // mean (0.5, 0.5)
        assertEquals(0.25, v[0], EPS); // each class 0 or 1 around 0.5
        assertEquals(0.0, v[1], EPS);
        assertTrue(h[1] < h[0]);
    }

    @Test
    void mutualInformationSeparatesDisagreementFromNoise() {
        // two confident passes that disagree: H[mean] = log 2, each pass H = 0, so I = log 2;
        // two identical uniform passes: H[mean] = log 2 = mean H, so I = 0 (noise, not disagreement)
        double[][][] stacked = {{{1, 0}, {0.5, 0.5}}, {{0, 1}, {0.5, 0.5}}};
        double[] mi = UncertaintyMetrics.mutualInformation(stacked);
        assertEquals(Math.log(2), mi[0], 1e-12);
        assertEquals(0, mi[1], 1e-12);
        // on random passes: non-negative (concavity of entropy) and at most the predictive entropy
        Random random = new Random(7);
        double[][][] r = new double[5][50][4];
        for (double[][] pass : r) {
            for (double[] row : pass) {
                double sum = 0;
                for (int k = 0; k < row.length; k++) {
                    row[k] = random.nextDouble();
                    sum += row[k];
                }
                for (int k = 0; k < row.length; k++) {
                    row[k] /= sum;
                }
            }
        }
        double[] h = UncertaintyMetrics.predictiveEntropy(r);
        double[] m = UncertaintyMetrics.mutualInformation(r);
        for (int i = 0; i < m.length; i++) {
            assertTrue(m[i] >= -1e-12 && m[i] <= h[i] + 1e-12, i + ": " + m[i] + " vs " + h[i]);
        }
    }

    @Test
    void nllAndAccuracyByHand() {
        double[][] p = {{0.5, 0.5, 0}, {0.25, 0.7, 0.05}};
        int[] y = {0, 0};
        assertEquals((Math.log(2) + Math.log(4)) / 2, UncertaintyMetrics.negativeLogLikelihood(p, y), EPS);
        assertEquals(0.5, UncertaintyMetrics.accuracy(p, y), EPS);
    }

    @Test
    void badInputIsNamed() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> UncertaintyMetrics.negativeLogLikelihood(new double[][] {{-0.1, 1.1}}, new int[] {0}));
        assertTrue(e.getMessage().contains("-0.1"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> UncertaintyMetrics.expectedCalibrationError(new double[][] {{0.5, 0.5}}, new int[] {2}, 15));
        assertThrows(IllegalArgumentException.class, () -> UncertaintyMetrics.auroc(new double[0], new double[] {1}));
        assertThrows(
                IllegalArgumentException.class,
                () -> UncertaintyMetrics.predictiveEntropy(new double[][][] {{{0.5, 0.5}}, {{1, 0}, {1, 0}}}));
    }
}
