package dev.paperlab.framework.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class EckartYoungTest {

    /**
     * A backward-stable SVD is exact for a matrix within a few hundred ulps of A, so the residual
     * norms agree with the sigma formulas to ~1e-13 sigma_1; 1e-10 sigma_1 leaves room for any BLAS.
     */
    private static final double SVD_TOLERANCE = 1e-10;

    @Property(tries = 50)
    void truncatedSvdErrorsAreTheDiscardedSingularValues(
            @ForAll @IntRange(min = 2, max = 12) int m, @ForAll @IntRange(min = 2, max = 12) int n, @ForAll long seed) {
        double[][] a = randomMatrix(m, n, new Random(seed));
        double[] sigma = EckartYoung.singularValues(a);
        for (int k = 0; k <= Math.min(m, n); k++) {
            EckartYoung.Truncation t = EckartYoung.truncate(a, k);
            assertEquals(t.predictedFrobenius(k), t.frobeniusError(), SVD_TOLERANCE * sigma[0], "Frobenius, k=" + k);
            assertEquals(t.predictedSpectral(k), t.spectralError(), SVD_TOLERANCE * sigma[0], "spectral, k=" + k);
            assertTrue(EckartYoung.rank(EckartYoung.singularValues(t.approximation()), m, n) <= k);
        }
    }

    @Property(tries = 30)
    void noRandomRankKMatrixDoesBetter(@ForAll @IntRange(min = 1, max = 4) int k, @ForAll long seed) {
        Random random = new Random(seed);
        double[][] a = randomMatrix(8, 6, random);
        EckartYoung.Truncation best = EckartYoung.truncate(a, k);
        for (int trial = 0; trial < 50; trial++) {
            // competitors: random X Y^T, and the optimum with its factors perturbed (the hard ones)
            double[][] x = randomMatrix(8, k, random);
            double[][] y = randomMatrix(6, k, random);
            double[][] b = trial % 2 == 0 ? product(x, y) : add(best.approximation(), product(x, y), 1e-3);
            if (trial % 2 == 1) {
                b = EckartYoung.truncate(b, k).approximation(); // back to rank k
            }
            assertTrue(EckartYoung.frobeniusDistance(a, b) >= best.frobeniusError() * (1 - SVD_TOLERANCE));
            assertTrue(EckartYoung.spectralDistance(a, b) >= best.spectralError() * (1 - SVD_TOLERANCE));
        }
    }

    @Test
    void gradientDescentOnFactorsReachesButDoesNotBeatTheTruncation() {
        Random random = new Random(3);
        double[][] a = randomMatrix(8, 6, random);
        int k = 2;
        double best = EckartYoung.truncate(a, k).frobeniusError();
        double found = LowRankSearch.gradientDescent(a, k, 5000, 0.02, random);
        assertTrue(found >= best * (1 - SVD_TOLERANCE), found + " < " + best);
        // the search is real: it gets within 1% of the optimum (gradient descent on U V^T has no
        // spurious local minima, Baldi & Hornik 1989), so a wrong optimum would be caught
        assertTrue(found <= best * 1.01, found + " vs " + best);
    }

    @Test
    void truncationsFromOneSvdEqualTruncateForEachK() {
        double[][] a = randomMatrix(9, 7, new Random(5));
        int[] ks = {0, 1, 3, 7};
        double[][][] all = EckartYoung.truncations(a, ks);
        for (int j = 0; j < ks.length; j++) {
            // the same SVD, summed in the same order: equal to rounding of a few terms
            assertTrue(EckartYoung.frobeniusDistance(
                            all[j], EckartYoung.truncate(a, ks[j]).approximation())
                    < 1e-12);
        }
        assertThrows(IllegalArgumentException.class, () -> EckartYoung.truncations(a, 8));
    }

    @Test
    void kLargerThanTheRankIsRejected() {
        double[][] rank2 = product(randomMatrix(5, 2, new Random(1)), randomMatrix(4, 2, new Random(2)));
        var e = assertThrows(IllegalArgumentException.class, () -> EckartYoung.truncate(rank2, 3));
        assertEquals("rank k = 3 must be in [0, 2], the rank of the 5x4 matrix", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EckartYoung.truncate(rank2, -1));
    }

    static double[][] randomMatrix(int m, int n, Random random) {
        double[][] a = new double[m][n];
        for (double[] row : a) {
            for (int j = 0; j < n; j++) {
                row[j] = random.nextGaussian();
            }
        }
        return a;
    }

    static double[][] product(double[][] x, double[][] y) {
        double[][] b = new double[x.length][y.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < y.length; j++) {
                for (int c = 0; c < x[0].length; c++) {
                    b[i][j] += x[i][c] * y[j][c];
                }
            }
        }
        return b;
    }

    private static double[][] add(double[][] a, double[][] b, double scale) {
        double[][] c = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                c[i][j] = a[i][j] + scale * b[i][j];
            }
        }
        return c;
    }
}
