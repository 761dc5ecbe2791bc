package dev.paperlab.training.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TemperatureScalingTest {

    /** Logits z ~ N(0, 3^2) over 10 classes, labels drawn from softmax(z / t0). */
    private static int[] drawLabels(double[][] z, double t0, Random random) {
        double[][] p = TemperatureScaling.probabilities(z, t0);
        int[] y = new int[z.length];
        for (int i = 0; i < z.length; i++) {
            double u = random.nextDouble();
            int k = 0;
            for (double c = p[i][0]; c < u && k < p[i].length - 1; c += p[i][++k]) {}
            y[i] = k;
        }
        return y;
    }

    private static double[][] logits(int n, Random random) {
        double[][] z = new double[n][10];
        for (double[] row : z) {
            for (int k = 0; k < 10; k++) {
                row[k] = 3 * random.nextGaussian();
            }
        }
        return z;
    }

    @Test
    void recoversTheTemperatureTheLabelsWereDrawnWith() {
        Random random = new Random(3);
        for (double t0 : new double[] {0.5, 1.0, 2.5}) {
            double[][] z = logits(20_000, random);
            int[] y = drawLabels(z, t0, random);
            // maximum likelihood from 20k draws: a few percent of sampling error (measured < 2%)
            assertEquals(t0, TemperatureScaling.fit(z, y), 0.05 * t0, "t0 = " + t0);
        }
    }

    @Test
    void neverIncreasesTheNllOnItsFittingSplitAndKeepsTheArgmax() {
        Random random = new Random(5);
        for (int trial = 0; trial < 30; trial++) {
            int n = 5 + random.nextInt(200);
            double[][] z = logits(n, random);
            int[] y = drawLabels(z, 0.3 + 3 * random.nextDouble(), random);
            if (trial % 3 == 0) {
                for (int i = 0; i < n; i++) {
                    y[i] = random.nextInt(10); // labels unrelated to the logits: T grows large
                }
            }
            double t = TemperatureScaling.fit(z, y);
            assertTrue(TemperatureScaling.nll(z, y, t) <= TemperatureScaling.nll(z, y, 1), "trial " + trial);
            double[][] before = TemperatureScaling.probabilities(z, 1);
            double[][] after = TemperatureScaling.probabilities(z, t);
            assertEquals(UncertaintyMetrics.accuracy(before, y), UncertaintyMetrics.accuracy(after, y), 0.0);
        }
    }

    @Test
    void probabilitiesAreTheSoftmaxOfScaledLogits() {
        double[][] p = TemperatureScaling.probabilities(new double[][] {{0, Math.log(3)}}, 1);
        assertArrayEquals(new double[] {0.25, 0.75}, p[0], 1e-15);
        p = TemperatureScaling.probabilities(new double[][] {{0, 2 * Math.log(3)}}, 2);
        assertArrayEquals(new double[] {0.25, 0.75}, p[0], 1e-15);
    }
}
