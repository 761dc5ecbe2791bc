package dev.paperlab.training.metrics;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The Fréchet distance between two Gaussians (Dowson &amp; Landau 1982), the score of Heusel et
 * al. (2017, Eq. 6) when the Gaussians are fitted to features of real and generated images:
 *
 * <pre>
 *   d^2 = ||mu_1 - mu_2||^2 + Tr(C_1 + C_2 - 2 (C_1^{1/2} C_2 C_1^{1/2})^{1/2})
 * </pre>
 *
 * The trace term uses the symmetric form: M = C_1^{1/2} C_2 C_1^{1/2} is symmetric positive
 * semi-definite and has the same eigenvalues as C_1 C_2, so Tr((C_1 C_2)^{1/2}) = sum_i
 * sqrt(lambda_i(M)). Both square roots come from symmetric eigendecompositions computed by EJML
 * ({@code DecompositionFactory_DDRM.eig(n, true, true)}, the symmetric QR algorithm), with
 * eigenvalues below 0 (rounding of a PSD matrix) clamped to 0.
 */
public final class FrechetDistance {
    private FrechetDistance() {}

    /**
     * The squared Fréchet distance d^2 between N(mu1, c1) and N(mu2, c2).
     *
     * @param mu1 mean, length D
     * @param c1 covariance, D x D, symmetric positive semi-definite
     * @throws IllegalArgumentException naming the argument whose size does not match D
     */
    public static double between(double[] mu1, double[][] c1, double[] mu2, double[][] c2) {
        int d = mu1.length;
        if (mu2.length != d) {
            throw new IllegalArgumentException("mu2 has length " + mu2.length + ", expected " + d + " as mu1");
        }
        checkSquare("c1", c1, d);
        checkSquare("c2", c2, d);
        double mean = 0;
        for (int i = 0; i < d; i++) {
            mean += (mu1[i] - mu2[i]) * (mu1[i] - mu2[i]);
        }
        DMatrixRMaj a = new DMatrixRMaj(c1);
        DMatrixRMaj b = new DMatrixRMaj(c2);
        DMatrixRMaj rootA = sqrtSymmetric(a);
        DMatrixRMaj tmp = new DMatrixRMaj(d, d);
        DMatrixRMaj m = new DMatrixRMaj(d, d);
        CommonOps_DDRM.mult(rootA, b, tmp);
        CommonOps_DDRM.mult(tmp, rootA, m);
        symmetrize(m);
        double traceRoot = 0;
        for (double lambda : eigenvalues(m)) {
            traceRoot += Math.sqrt(Math.max(lambda, 0));
        }
        return mean + CommonOps_DDRM.trace(a) + CommonOps_DDRM.trace(b) - 2 * traceRoot;
    }

    /**
     * The squared Fréchet distance between Gaussians fitted to two sets of feature rows (sample
     * mean and unbiased covariance, as Heusel et al.'s reference code does).
     *
     * @param x N1 rows of D features, N1 &gt;= 2
     * @param y N2 rows of D features, N2 &gt;= 2
     */
    public static double ofFeatures(double[][] x, double[][] y) {
        if (x.length < 2 || y.length < 2) {
            throw new IllegalArgumentException(
                    "need at least 2 rows on each side, got " + x.length + " and " + y.length);
        }
        return between(mean(x), covariance(x), mean(y), covariance(y));
    }

    /** Column means of {@code x}. */
    public static double[] mean(double[][] x) {
        int d = x[0].length;
        double[] mu = new double[d];
        for (double[] row : x) {
            if (row.length != d) {
                throw new IllegalArgumentException("feature rows have lengths " + d + " and " + row.length);
            }
            for (int j = 0; j < d; j++) {
                mu[j] += row[j] / x.length;
            }
        }
        return mu;
    }

    /** Unbiased covariance (divided by N - 1) of the rows of {@code x}. */
    public static double[][] covariance(double[][] x) {
        double[] mu = mean(x);
        int d = mu.length;
        double[][] c = new double[d][d];
        for (double[] row : x) {
            for (int i = 0; i < d; i++) {
                double di = row[i] - mu[i];
                for (int j = i; j < d; j++) {
                    c[i][j] += di * (row[j] - mu[j]);
                }
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                c[i][j] /= x.length - 1;
                c[j][i] = c[i][j];
            }
        }
        return c;
    }

    /** S^{1/2} = V diag(sqrt(max(lambda, 0))) V^T for symmetric S. */
    static DMatrixRMaj sqrtSymmetric(DMatrixRMaj s) {
        int d = s.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(s.copy())) {
            throw new IllegalStateException("eigendecomposition of a " + d + " x " + d + " covariance failed");
        }
        DMatrixRMaj root = new DMatrixRMaj(d, d);
        for (int k = 0; k < d; k++) {
            double r = Math.sqrt(Math.max(eig.getEigenvalue(k).getReal(), 0));
            DMatrixRMaj v = eig.getEigenVector(k);
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    root.add(i, j, r * v.get(i) * v.get(j));
                }
            }
        }
        return root;
    }

    private static double[] eigenvalues(DMatrixRMaj s) {
        int d = s.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, false, true);
        if (!eig.decompose(s.copy())) {
            throw new IllegalStateException("eigendecomposition of a " + d + " x " + d + " matrix failed");
        }
        double[] lambda = new double[d];
        for (int k = 0; k < d; k++) {
            lambda[k] = eig.getEigenvalue(k).getReal();
        }
        return lambda;
    }

    /** (M + M^T) / 2: removes the rounding asymmetry of a product that is symmetric in exact arithmetic. */
    private static void symmetrize(DMatrixRMaj m) {
        int d = m.numRows;
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                double v = 0.5 * (m.get(i, j) + m.get(j, i));
                m.set(i, j, v);
                m.set(j, i, v);
            }
        }
    }

    private static void checkSquare(String name, double[][] c, int d) {
        if (c.length != d) {
            throw new IllegalArgumentException(name + " has " + c.length + " rows, expected " + d);
        }
        for (double[] row : c) {
            if (row.length != d) {
                throw new IllegalArgumentException(name + " has a row of length " + row.length + ", expected " + d);
            }
        }
    }
}
