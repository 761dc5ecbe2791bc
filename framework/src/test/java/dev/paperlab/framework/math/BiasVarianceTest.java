package dev.paperlab.framework.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class BiasVarianceTest {
    private static final DoubleUnaryOperator F = x -> Math.sin(2 * Math.PI * x);

    @Test
    void decompositionIsExactOnTheEmpiricalDistributionAndTheCurveIsU() {
        Random random = new Random(1);
        double[] testX = grid(40);
        double[][] labels = BiasVariance.labels(F, testX, 50, 0.3, random);
        int maxDegree = 9;
        double[] total = new double[maxDegree + 1];
        double[] bias2 = new double[maxDegree + 1];
        double[] variance = new double[maxDegree + 1];
        for (int d = 0; d <= maxDegree; d++) {
            BiasVariance.Decomposition dec = BiasVariance.decompose(
                    BiasVariance.polynomialPredictions(F, d, 30, 100, 0.3, testX, random), labels);
            // both sides are sums of ~2e5 terms: relative rounding < 1e-16 * 2e5 = 2e-11
            assertEquals(0, dec.residual(), 1e-9 * Math.max(1, dec.mse()), dec.toString());
            total[d] = dec.mse();
            bias2[d] = dec.bias2();
            variance[d] = dec.variance();
        }
        int best = argmin(total);
        assertTrue(best > 0 && best < maxDegree, "minimum at degree " + best + " is not interior");
        assertTrue(bias2[0] > 10 * bias2[best], "bias must fall with degree");
        assertTrue(variance[maxDegree] > 2 * variance[best], "variance must grow with degree");
    }

    @Test
    void decompositionChecksShapes() {
        var e = assertThrows(
                IllegalArgumentException.class, () -> BiasVariance.decompose(new double[2][3], new double[4][5]));
        assertTrue(e.getMessage().contains("3 and 4"), e.getMessage());
    }

    @Test
    void minimumNormRandomFeaturesPeakAtTheInterpolationThreshold() {
        int n = 40;
        int[] p = {5, 10, 20, 30, 36, 40, 44, 50, 60, 80, 120, 200, 400};
        double[] err = DoubleDescent.testErrors(p, n, 5, 0.1, 9, 300, 1);
        int peak = argmax(err);
        // the condition number of the square (n, n) feature matrix is largest at p = n; the
        // 10% window allows for the nearby p where it is nearly as ill conditioned
        assertTrue(Math.abs(p[peak] - n) <= n / 10, "peak at p = " + p[peak]);
        assertTrue(err[p.length - 1] < err[peak] / 10, "no second descent");
        assertTrue(err[p.length - 1] < err[0], "overparameterized error must beat the smallest model");
    }

    static double[] grid(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = (i + 0.5) / n;
        }
        return x;
    }

    static int argmin(double[] v) {
        int b = 0;
        for (int i = 1; i < v.length; i++) {
            b = v[i] < v[b] ? i : b;
        }
        return b;
    }

    static int argmax(double[] v) {
        int b = 0;
        for (int i = 1; i < v.length; i++) {
            b = v[i] > v[b] ? i : b;
        }
        return b;
    }
}
