package dev.paperlab.training.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Properties of the Fréchet distance between Gaussians. Tolerances: every case is a few dozen
 * double-precision operations on O(1) numbers plus a symmetric eigensolver accurate to ~1e-14
 * relative, and a square root of an eigenvalue amplifies its error where the eigenvalue is small:
 * 1e-8 is far above the rounding and far below any real difference.
 */
class FrechetDistanceTest {
    private static final int D = 5;

    /** A random symmetric positive definite matrix A A^T + 0.1 I. */
    private static double[][] spd(Random random) {
        double[][] a = new double[D][D];
        for (double[] row : a) {
            for (int j = 0; j < D; j++) {
                row[j] = random.nextGaussian();
            }
        }
        double[][] c = new double[D][D];
        for (int i = 0; i < D; i++) {
            for (int j = 0; j < D; j++) {
                for (int k = 0; k < D; k++) {
                    c[i][j] += a[i][k] * a[j][k];
                }
            }
            c[i][i] += 0.1;
        }
        return c;
    }

    private static double[] vector(Random random) {
        double[] v = new double[D];
        for (int i = 0; i < D; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }

    @Test
    void identicalGaussiansAreAtDistanceZero() {
        Random random = new Random(1);
        double[][] c = spd(random);
        double[] mu = vector(random);
        assertEquals(0, FrechetDistance.between(mu, c, mu.clone(), c), 1e-8);
    }

    @Test
    void diagonalCovariancesHaveTheClosedForm() {
        Random random = new Random(2);
        double[] mu1 = vector(random);
        double[] mu2 = vector(random);
        double[][] c1 = new double[D][D];
        double[][] c2 = new double[D][D];
        double expected = 0;
        for (int i = 0; i < D; i++) {
            c1[i][i] = 0.1 + random.nextDouble() * 3;
            c2[i][i] = 0.1 + random.nextDouble() * 3;
            // ||mu1 - mu2||^2 + sum_i (sqrt(a_i) - sqrt(b_i))^2
            double s = Math.sqrt(c1[i][i]) - Math.sqrt(c2[i][i]);
            expected += s * s + (mu1[i] - mu2[i]) * (mu1[i] - mu2[i]);
        }
        assertEquals(expected, FrechetDistance.between(mu1, c1, mu2, c2), 1e-8);
    }

    @Test
    void equalCovariancesLeaveOnlyTheSquaredMeanDifference() {
        Random random = new Random(3);
        double[][] c = spd(random);
        double[] mu = vector(random);
        double[] t = vector(random);
        double[] shifted = new double[D];
        double norm = 0;
        for (int i = 0; i < D; i++) {
            shifted[i] = mu[i] + t[i];
            norm += t[i] * t[i];
        }
        assertEquals(norm, FrechetDistance.between(mu, c, shifted, c), 1e-8);
    }

    @Test
    void nonCommutingTwoByTwoMatchesTheClosedForm() {
        // For 2 x 2 PSD C1, C2 the eigenvalues l1, l2 of C1 C2 are >= 0 and
        // Tr (C1 C2)^{1/2} = sqrt(l1) + sqrt(l2) = sqrt(Tr(C1 C2) + 2 sqrt(det C1 det C2)).
        double[][] c1 = {{2.0, 0.9}, {0.9, 1.0}};
        double[][] c2 = {{0.5, -0.3}, {-0.3, 1.5}};
        double[] mu1 = {0.2, -1};
        double[] mu2 = {1, 0.5};
        double trProduct = c1[0][0] * c2[0][0] + c1[0][1] * c2[1][0] + c1[1][0] * c2[0][1] + c1[1][1] * c2[1][1];
        double det1 = c1[0][0] * c1[1][1] - c1[0][1] * c1[1][0];
        double det2 = c2[0][0] * c2[1][1] - c2[0][1] * c2[1][0];
        double traceRoot = Math.sqrt(trProduct + 2 * Math.sqrt(det1 * det2));
        double mean = Math.pow(mu1[0] - mu2[0], 2) + Math.pow(mu1[1] - mu2[1], 2);
        double expected = mean + c1[0][0] + c1[1][1] + c2[0][0] + c2[1][1] - 2 * traceRoot;
        assertEquals(expected, FrechetDistance.between(mu1, c1, mu2, c2), 1e-8);
    }

    @Test
    void aCommonRotationLeavesTheDistanceUnchanged() {
        // Non-commuting covariances: C1 C2 != C2 C1, where a naive sqrt(C1) sqrt(C2) would be wrong.
        Random random = new Random(4);
        double[][] c1 = spd(random);
        double[][] c2 = spd(random);
        double[] mu1 = vector(random);
        double[] mu2 = vector(random);
        double[][] q = orthogonal(random);
        double d = FrechetDistance.between(mu1, c1, mu2, c2);
        double rotated = FrechetDistance.between(apply(q, mu1), conjugate(q, c1), apply(q, mu2), conjugate(q, c2));
        assertEquals(d, rotated, 1e-8);
        assertTrue(d > 0.1, "a case with something to measure: " + d);
    }

    @Test
    void oneDimensionIsTheWassersteinDistanceOfNormals() {
        // W_2^2(N(m1, s1^2), N(m2, s2^2)) = (m1 - m2)^2 + (s1 - s2)^2
        double d = FrechetDistance.between(
                new double[] {1}, new double[][] {{4}}, new double[] {-1}, new double[][] {{9}});
        assertEquals(4 + 1, d, 1e-12);
    }

    @Test
    void featuresOfOneDistributionAreCloserThanOfTwo() {
        Random random = new Random(5);
        double[][] a = new double[2000][3];
        double[][] b = new double[2000][3];
        double[][] c = new double[2000][3];
        for (int i = 0; i < 2000; i++) {
            for (int j = 0; j < 3; j++) {
                a[i][j] = random.nextGaussian();
                b[i][j] = random.nextGaussian();
                c[i][j] = 0.5 + 2 * random.nextGaussian();
            }
        }
        // same law: d^2 ~ O(D^2 / N) = 0.005; different law: (0.5^2 + (2 - 1)^2) * 3 = 3.75
        assertTrue(FrechetDistance.ofFeatures(a, b) < 0.05);
        assertEquals(3.75, FrechetDistance.ofFeatures(a, c), 0.4);
    }

    @Test
    void mismatchedSizesAreNamed() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> FrechetDistance.between(new double[2], new double[2][2], new double[3], new double[3][3]));
        assertTrue(e.getMessage().contains("mu2 has length 3, expected 2"), e.getMessage());
        IllegalArgumentException c = assertThrows(
                IllegalArgumentException.class,
                () -> FrechetDistance.between(new double[2], new double[2][3], new double[2], new double[2][2]));
        assertTrue(c.getMessage().contains("c1 has a row of length 3, expected 2"), c.getMessage());
    }

    /** Q from Gram-Schmidt on a random matrix. */
    private static double[][] orthogonal(Random random) {
        double[][] q = new double[D][];
        for (int i = 0; i < D; i++) {
            double[] v = vector(random);
            for (int k = 0; k < i; k++) {
                double dot = 0;
                for (int j = 0; j < D; j++) {
                    dot += v[j] * q[k][j];
                }
                for (int j = 0; j < D; j++) {
                    v[j] -= dot * q[k][j];
                }
            }
            double n = 0;
            for (double x : v) {
                n += x * x;
            }
            n = Math.sqrt(n);
            for (int j = 0; j < D; j++) {
                v[j] /= n;
            }
            q[i] = v;
        }
        return q;
    }

    private static double[] apply(double[][] q, double[] v) {
        double[] out = new double[D];
        for (int i = 0; i < D; i++) {
            for (int j = 0; j < D; j++) {
                out[i] += q[i][j] * v[j];
            }
        }
        return out;
    }

    /** Q C Q^T. */
    private static double[][] conjugate(double[][] q, double[][] c) {
        double[][] qc = new double[D][D];
        double[][] out = new double[D][D];
        for (int i = 0; i < D; i++) {
            for (int j = 0; j < D; j++) {
                for (int k = 0; k < D; k++) {
                    qc[i][j] += q[i][k] * c[k][j];
                }
            }
        }
        for (int i = 0; i < D; i++) {
            for (int j = 0; j < D; j++) {
                for (int k = 0; k < D; k++) {
                    out[i][j] += qc[i][k] * q[j][k];
                }
            }
        }
        return out;
    }
}
