package dev.paperlab.framework.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class KlDivergenceTest {

    /**
     * Rounding: each of the n <= 20 terms p log(p/q) carries a relative error of a few ulps of
     * values below log(1e6), so the sum is exact to well under 1e-12.
     */
    private static final double ROUNDING = 1e-12;

    @Property(tries = 300)
    void klIsNonNegativeAndJensenStepHolds(@ForAll @IntRange(min = 1, max = 20) int n, @ForAll long seed) {
        Random random = new Random(seed);
        double[] p = randomDistribution(n, random);
        double[] q = randomDistribution(n, random);
        double kl = KlDivergence.discrete(p, q);
        assertTrue(kl >= -ROUNDING, "KL = " + kl);
        KlDivergence.JensenStep step = KlDivergence.jensenStep(p, q);
        assertEquals(-kl, step.expectedLogRatio(), ROUNDING * Math.max(1, kl));
        assertTrue(step.expectedLogRatio() <= step.logExpectedRatio() + ROUNDING, step.toString());
        assertTrue(step.logExpectedRatio() <= ROUNDING, step.toString()); // log sum_{supp p} q <= log 1
    }

    @Property(tries = 200)
    void klIsZeroExactlyWhenEqual(@ForAll @IntRange(min = 2, max = 20) int n, @ForAll long seed) {
        Random random = new Random(seed);
        double[] p = randomDistribution(n, random);
        assertEquals(0.0, KlDivergence.discrete(p, p)); // every term is p log 1 = 0 exactly
        // moving mass 1e-3 between two outcomes makes it strictly positive, by about delta^2 / (2 p)
        double[] q = p.clone();
        int i = BiasVarianceTest.argmax(p); // p_i >= 1/n > 0
        double delta = 1e-3 * q[i];
        q[i] -= delta;
        q[(i + 1) % n] += delta;
        assertTrue(KlDivergence.discrete(p, q) > 0, "KL must be positive when q differs from p");
    }

    @Test
    void zeroWhereThePDistributionHasMassIsInfinite() {
        assertEquals(Double.POSITIVE_INFINITY, KlDivergence.discrete(new double[] {0.5, 0.5}, new double[] {1, 0}));
        assertEquals(Math.log(2), KlDivergence.discrete(new double[] {1, 0}, new double[] {0.5, 0.5}), 1e-15);
    }

    @Property(tries = 100)
    void gaussianKlIsNonNegativeAndZeroAtEquality(@ForAll @IntRange(min = 1, max = 5) int k, @ForAll long seed) {
        Random random = new Random(seed);
        double[] m0 = gaussianVector(k, random);
        double[] m1 = gaussianVector(k, random);
        double[][] s0 = randomCovariance(k, random);
        double[][] s1 = randomCovariance(k, random);
        assertTrue(KlDivergence.gaussian(m0, s0, m1, s1) > 0);
        // tr(I) - k + 0 + 0 rounds to zero up to the Cholesky's relative error (~k^2 ulps)
        assertEquals(0.0, KlDivergence.gaussian(m0, s0, m0, s0), 1e-12);
    }

    @Test
    void gaussianClosedFormMatchesMonteCarlo() {
        Random random = new Random(7);
        int k = 3;
        double[] m0 = gaussianVector(k, random);
        double[] m1 = gaussianVector(k, random);
        double[][] s0 = randomCovariance(k, random);
        double[][] s1 = randomCovariance(k, random);
        double analytic = KlDivergence.gaussian(m0, s0, m1, s1);
        double[][] l0 = Cholesky.factor("S0", s0, k);
        int n = 200_000;
        double mean = 0;
        double m2 = 0;
        for (int t = 0; t < n; t++) {
            double[] z = gaussianVector(k, random);
            double[] x = new double[k];
            for (int i = 0; i < k; i++) {
                x[i] = m0[i];
                for (int j = 0; j <= i; j++) {
                    x[i] += l0[i][j] * z[j];
                }
            }
            double v = logDensity(x, m0, s0) - logDensity(x, m1, s1);
            double d = v - mean;
            mean += d / (t + 1);
            m2 += d * (v - mean);
        }
        double se = Math.sqrt(m2 / (n - 1) / n);
        // the mean of n iid log-ratios is normal to within the CLT: 5 standard errors fail with p < 1e-6
        assertEquals(analytic, mean, 5 * se, "MC " + mean + " +- " + se);
    }

    @Test
    void badInputIsRejectedWithOneClearMessage() {
        var negative = assertThrows(
                IllegalArgumentException.class,
                () -> KlDivergence.discrete(new double[] {1.2, -0.2}, new double[] {0.5, 0.5}));
        assertEquals("p[1] = -0.2, expected a finite non-negative probability", negative.getMessage());
        var sum = assertThrows(
                IllegalArgumentException.class,
                () -> KlDivergence.discrete(new double[] {0.5, 0.5}, new double[] {0.5, 0.4}));
        assertTrue(sum.getMessage().startsWith("q sums to 0.9"), sum.getMessage());
        double[][] notPd = {{1, 2}, {2, 1}}; // eigenvalues 3 and -1
        var pd = assertThrows(
                IllegalArgumentException.class,
                () -> KlDivergence.gaussian(new double[2], notPd, new double[2], new double[][] {{1, 0}, {0, 1}}));
        assertEquals(
                "covariance S0 is not positive definite (Cholesky pivot 1 is -3.0, expected > 0)", pd.getMessage());
    }

    static double logDensity(double[] x, double[] m, double[][] s) {
        double[][] l = Cholesky.factor("S", s, m.length);
        double[] d = new double[m.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = x[i] - m[i];
        }
        double[] y = Cholesky.solveLower(l, d);
        double q = 0;
        for (double v : y) {
            q += v * v;
        }
        return -0.5 * (q + Cholesky.logDet(l) + m.length * Math.log(2 * Math.PI));
    }

    static double[] randomDistribution(int n, Random random) {
        double[] p = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            p[i] = random.nextInt(4) == 0 ? 0 : -Math.log(1 - random.nextDouble()); // Dirichlet(1) with zeros
            sum += p[i];
        }
        if (sum == 0) {
            p[0] = 1;
            sum = 1;
        }
        for (int i = 0; i < n; i++) {
            p[i] /= sum;
        }
        return p;
    }

    static double[] gaussianVector(int k, Random random) {
        double[] v = new double[k];
        for (int i = 0; i < k; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }

    /** {@code A A^T + 0.1 I}: symmetric, eigenvalues >= 0.1. */
    static double[][] randomCovariance(int k, Random random) {
        double[][] a = new double[k][k];
        for (double[] row : a) {
            for (int j = 0; j < k; j++) {
                row[j] = random.nextGaussian();
            }
        }
        double[][] s = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                for (int c = 0; c < k; c++) {
                    s[i][j] += a[i][c] * a[j][c];
                }
            }
            s[i][i] += 0.1;
        }
        return s;
    }
}
