package dev.paperlab.framework.algorithms.perceptron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PerceptronTest {

    /** Linearly separable data from a known separator, with a guaranteed margin. */
    record Separable(float[][] xs, int[] ys, double radius, double margin) {}

    /**
     * Points uniform in [-1, 1]^d labelled by sign(u . x + b0), keeping those at least gammaMin
     * from the hyperplane. R and gamma are measured on the augmented vectors (x, 1) and the unit
     * separator (u, b0) / ||(u, b0)||, as in Novikoff's theorem for a perceptron with bias.
     */
    static Separable separable(Random rnd, int d, int n, double gammaMin, boolean withBias) {
        double[] u = new double[d];
        double norm = 0;
        for (int j = 0; j < d; j++) {
            u[j] = rnd.nextGaussian();
            norm += u[j] * u[j];
        }
        double b0 = withBias ? 0.5 * (rnd.nextDouble() - 0.5) : 0;
        double unit = Math.sqrt(norm + b0 * b0);
        float[][] xs = new float[n][];
        int[] ys = new int[n];
        double radius = 0;
        double margin = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; ) {
            float[] x = new float[d];
            double s = b0;
            double sq = withBias ? 1 : 0;
            for (int j = 0; j < d; j++) {
                x[j] = (float) (2 * rnd.nextDouble() - 1);
                s += u[j] * x[j];
                sq += (double) x[j] * x[j];
            }
            double distance = Math.abs(s) / unit;
            if (distance < gammaMin) {
                continue;
            }
            xs[i] = x;
            ys[i] = s > 0 ? 1 : -1;
            radius = Math.max(radius, Math.sqrt(sq));
            margin = Math.min(margin, distance);
            i++;
        }
        return new Separable(xs, ys, radius, margin);
    }

    @Property(tries = 60)
    void novikoffBoundHoldsOnSeparableData(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 20) int d,
            @ForAll @DoubleRange(min = 0.02, max = 0.5) double gammaMin,
            @ForAll boolean withBias) {
        Separable data = separable(new Random(seed), d, 400, gammaMin, withBias);
        Perceptron p = Perceptron.create(d, withBias);
        double bound = Math.pow(data.radius() / data.margin(), 2);
        int epochs = p.fit(data.xs(), data.ys(), 10_000);
        assertTrue(p.mistakes() <= bound, p.mistakes() + " mistakes > (R/gamma)^2 = " + bound);
        assertTrue(epochs < 10_000, "did not converge");
        for (int i = 0; i < data.xs().length; i++) {
            assertEquals(data.ys()[i], p.predict(data.xs()[i]), "training point " + i);
        }
    }

    @Property(tries = 50)
    void averagedWeightsEqualTheMeanOfAllWeightVectors(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int d, @ForAll @IntRange(min = 1, max = 300) int n) {
        Random rnd = new Random(seed);
        Perceptron p = Perceptron.create(d);
        double[] sum = new double[d];
        double biasSum = 0;
        for (int t = 0; t < n; t++) {
            float[] x = new float[d];
            for (int j = 0; j < d; j++) {
                x[j] = (float) rnd.nextGaussian();
            }
            p.update(x, rnd.nextBoolean() ? 1 : -1);
            float[] w = p.weights();
            for (int j = 0; j < d; j++) {
                sum[j] += w[j];
            }
            biasSum += p.bias();
        }
        double[] avg = p.averagedWeights();
        for (int j = 0; j < d; j++) {
            assertEquals(sum[j] / n, avg[j], 1e-6 * (1 + Math.abs(sum[j] / n)));
        }
        assertEquals(biasSum / n, p.averagedBias(), 1e-6 * (1 + Math.abs(biasSum / n)));
    }

    @Test
    void handWorkedUpdates() {
        Perceptron p = Perceptron.create(2);
        // score 0 counts as a mistake: w = (1, 2), b = 1
        assertTrue(p.update(new float[] {1, 2}, 1));
        // score -1 - 2 + 1 = -2, label -1: correct, no update
        assertTrue(!p.update(new float[] {-1, -1}, -1));
        // score 2 - 2 + 1 = 1, label -1: mistake, w = (-1, 3), b = 0
        assertTrue(p.update(new float[] {2, -1}, -1));
        assertArrayEquals(new float[] {-1, 3}, p.weights());
        assertEquals(0f, p.bias());
        assertEquals(2, p.mistakes());
        assertEquals(3, p.steps());
        // mean of (1,2,b1), (1,2,b1), (-1,3,b0): (1/3, 7/3), b 2/3
        assertArrayEquals(new double[] {1.0 / 3, 7.0 / 3}, p.averagedWeights(), 1e-12);
        assertEquals(2.0 / 3, p.averagedBias(), 1e-12);
        assertEquals(1, p.predictAveraged(new float[] {0, 1}));
        assertEquals(-1, p.predict(new float[] {1, 0}));
    }

    @Test
    void rejectsBadInput() {
        Perceptron p = Perceptron.create(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.update(new float[3], 0));
        assertTrue(e.getMessage().contains("0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.predict(new float[2]));
        assertTrue(e.getMessage().contains("2") && e.getMessage().contains("3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Perceptron.create(0));
        assertTrue(e.getMessage().contains("0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.fit(new float[2][3], new int[] {1}, 5));
        assertTrue(e.getMessage().contains("2") && e.getMessage().contains("1"), e.getMessage());
    }
}
