package dev.paperlab.framework.math;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Double descent (#21, beyond the textbook; Belkin, Hsu, Ma &amp; Mandal, 2019, "Reconciling modern
 * machine-learning practice and the classical bias-variance trade-off"): minimum-norm least
 * squares on p random ReLU features {@code phi_j(x) = max(0, w_j . x + b_j)} of n training points.
 *
 * <pre>
 *   theta = Phi^+ y       (Phi: (n, p); for p >= n the interpolant of least norm)
 * </pre>
 *
 * <p>The test error rises as p approaches the interpolation threshold p = n, where Phi is square
 * and its smallest singular value near zero blows up {@code ||theta||}, then falls again for p
 * &gt; n, as the minimum-norm choice among ever more interpolants gets smoother.
 *
 * <p>The task: x ~ N(0, I_d), {@code y = sin(x . u) + noise}, with a fixed unit vector u.
 */
public final class DoubleDescent {

    private DoubleDescent() {}

    /**
     * Median over {@code draws} draws of training set and features of the test error (mean
     * squared error against noiseless targets), for each feature count. The median, because near
     * p = n the error is heavy-tailed (its mean is infinite for a square Gaussian design), so a
     * sample mean would be ruled by one draw.
     *
     * @return test error per entry of {@code features}
     */
    public static double[] testErrors(int[] features, int n, int d, double noiseSd, int draws, int tests, long seed) {
        if (n < 1 || d < 1 || draws < 1 || tests < 1) {
            throw new IllegalArgumentException(
                    "n " + n + ", d " + d + ", draws " + draws + ", tests " + tests + ": expected all >= 1");
        }
        double[][] byDraw = new double[features.length][draws];
        for (int r = 0; r < draws; r++) {
            Random random = new Random(seed * 1_000_003L + r);
            double[] u = new double[d];
            u[0] = 1; // any unit vector; the inputs are isotropic
            DMatrixRMaj x = gaussian(n, d, random);
            DMatrixRMaj y = new DMatrixRMaj(n, 1);
            for (int i = 0; i < n; i++) {
                y.set(i, 0, target(x, i, u) + noiseSd * random.nextGaussian());
            }
            DMatrixRMaj xt = gaussian(tests, d, random);
            for (int k = 0; k < features.length; k++) {
                int p = features[k];
                if (p < 1) {
                    throw new IllegalArgumentException("feature count " + p + ", expected >= 1");
                }
                DMatrixRMaj w = gaussian(d, p, random);
                CommonOps_DDRM.scale(1 / Math.sqrt(d), w);
                double[] bias = new double[p];
                for (int j = 0; j < p; j++) {
                    bias[j] = random.nextGaussian() * 0.5;
                }
                DMatrixRMaj theta = MinimumNorm.solve(relu(x, w, bias), y);
                DMatrixRMaj pred = new DMatrixRMaj(tests, 1);
                CommonOps_DDRM.mult(relu(xt, w, bias), theta, pred);
                double e = 0;
                for (int i = 0; i < tests; i++) {
                    double diff = pred.get(i, 0) - target(xt, i, u);
                    e += diff * diff;
                }
                byDraw[k][r] = e / tests;
            }
        }
        double[] median = new double[features.length];
        for (int k = 0; k < features.length; k++) {
            java.util.Arrays.sort(byDraw[k]);
            median[k] = draws % 2 == 1 ? byDraw[k][draws / 2] : 0.5 * (byDraw[k][draws / 2 - 1] + byDraw[k][draws / 2]);
        }
        return median;
    }

    private static double target(DMatrixRMaj x, int row, double[] u) {
        double s = 0;
        for (int c = 0; c < u.length; c++) {
            s += x.get(row, c) * u[c];
        }
        return Math.sin(s);
    }

    private static DMatrixRMaj relu(DMatrixRMaj x, DMatrixRMaj w, double[] bias) {
        DMatrixRMaj phi = new DMatrixRMaj(x.numRows, w.numCols);
        CommonOps_DDRM.mult(x, w, phi);
        for (int i = 0; i < phi.numRows; i++) {
            for (int j = 0; j < phi.numCols; j++) {
                phi.set(i, j, Math.max(0, phi.get(i, j) + bias[j]));
            }
        }
        return phi;
    }

    private static DMatrixRMaj gaussian(int rows, int cols, Random random) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = random.nextGaussian();
        }
        return m;
    }
}
