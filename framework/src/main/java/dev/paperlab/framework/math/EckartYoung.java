package dev.paperlab.framework.math;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * The Eckart-Young-Mirsky theorem (#14; Eckart &amp; Young 1936, Mirsky 1960): for {@code A = U
 * Sigma V^T} with {@code sigma_1 >= sigma_2 >= ...}, the truncated SVD {@code A_k = sum_{i<=k}
 * sigma_i u_i v_i^T} is a best rank-k approximation in both norms, and
 *
 * <pre>
 *   ||A - A_k||_F = sqrt(sum_{i>k} sigma_i^2)        ||A - A_k||_2 = sigma_{k+1}
 *   ||A - B||_F >= ||A - A_k||_F  and  ||A - B||_2 >= ||A - A_k||_2   for every B with rank(B) <= k
 * </pre>
 *
 * <p>The SVD is EJML's (DJL's PyTorch engine exposes no SVD on its NDArray API). Matrices are
 * row-major {@code double[m][n]}.
 */
public final class EckartYoung {

    private EckartYoung() {}

    /**
     * A truncated SVD and its errors.
     *
     * @param approximation {@code A_k}, (m, n)
     * @param singularValues all singular values of A, descending
     * @param frobeniusError {@code ||A - A_k||_F}, measured
     * @param spectralError {@code ||A - A_k||_2}, measured (largest singular value of the residual)
     */
    public record Truncation(
            double[][] approximation, double[] singularValues, double frobeniusError, double spectralError) {

        /** The theorem's Frobenius error, {@code sqrt(sum_{i>k} sigma_i^2)}. */
        public double predictedFrobenius(int k) {
            double s = 0;
            for (int i = k; i < singularValues.length; i++) {
                s += singularValues[i] * singularValues[i];
            }
            return Math.sqrt(s);
        }

        /** The theorem's spectral error, {@code sigma_{k+1}} (0 when k is the full rank). */
        public double predictedSpectral(int k) {
            return k < singularValues.length ? singularValues[k] : 0;
        }
    }

    /** Singular values of {@code a}, descending. */
    public static double[] singularValues(double[][] a) {
        DMatrixRMaj m = toMatrix("a", a);
        return svd(m).sigma;
    }

    /** The numerical rank: singular values above {@code max(m, n) * eps * sigma_1}. */
    public static int rank(double[] sigma, int m, int n) {
        double tol = Math.max(m, n) * Math.ulp(1.0) * (sigma.length == 0 ? 0 : sigma[0]);
        int r = 0;
        for (double s : sigma) {
            if (s > tol) {
                r++;
            }
        }
        return r;
    }

    /**
     * The truncated SVD {@code A_k}.
     *
     * @throws IllegalArgumentException when k is negative or larger than the rank of {@code a}
     */
    public static Truncation truncate(double[][] a, int k) {
        DMatrixRMaj m = toMatrix("a", a);
        Svd s = svd(m);
        int rank = rank(s.sigma, m.numRows, m.numCols);
        if (k < 0 || k > rank) {
            throw new IllegalArgumentException("rank k = " + k + " must be in [0, " + rank + "], the rank of the "
                    + m.numRows + "x" + m.numCols + " matrix");
        }
        DMatrixRMaj ak = new DMatrixRMaj(m.numRows, m.numCols);
        for (int i = 0; i < k; i++) {
            for (int r = 0; r < m.numRows; r++) {
                double ur = s.u.get(r, i) * s.sigma[i];
                for (int c = 0; c < m.numCols; c++) {
                    ak.add(r, c, ur * s.v.get(c, i));
                }
            }
        }
        double[][] approx = toArray(ak);
        return new Truncation(approx, s.sigma, frobeniusDistance(a, approx), spectralDistance(a, approx));
    }

    /**
     * The truncated SVDs {@code A_k} for several k from one decomposition (no errors measured):
     * for large matrices, where {@link #truncate} would decompose three times per k.
     *
     * @throws IllegalArgumentException when a k is negative or larger than the rank of {@code a}
     */
    public static double[][][] truncations(double[][] a, int... ks) {
        DMatrixRMaj m = toMatrix("a", a);
        Svd s = svd(m);
        int rank = rank(s.sigma, m.numRows, m.numCols);
        double[][][] out = new double[ks.length][][];
        for (int j = 0; j < ks.length; j++) {
            int k = ks[j];
            if (k < 0 || k > rank) {
                throw new IllegalArgumentException("rank k = " + k + " must be in [0, " + rank + "], the rank of the "
                        + m.numRows + "x" + m.numCols + " matrix");
            }
            double[][] ak = new double[m.numRows][m.numCols];
            for (int i = 0; i < k; i++) {
                for (int r = 0; r < m.numRows; r++) {
                    double ur = s.u.get(r, i) * s.sigma[i];
                    for (int c = 0; c < m.numCols; c++) {
                        ak[r][c] += ur * s.v.get(c, i);
                    }
                }
            }
            out[j] = ak;
        }
        return out;
    }

    /** {@code ||A - B||_F}. */
    public static double frobeniusDistance(double[][] a, double[][] b) {
        DMatrixRMaj d = new DMatrixRMaj(a.length, a[0].length);
        CommonOps_DDRM.subtract(toMatrix("a", a), toMatrix("b", b), d);
        return NormOps_DDRM.normF(d);
    }

    /** {@code ||A - B||_2}, the largest singular value of the difference. */
    public static double spectralDistance(double[][] a, double[][] b) {
        DMatrixRMaj d = new DMatrixRMaj(a.length, a[0].length);
        CommonOps_DDRM.subtract(toMatrix("a", a), toMatrix("b", b), d);
        double[] sigma = svd(d).sigma;
        return sigma.length == 0 ? 0 : sigma[0];
    }

    private record Svd(DMatrixRMaj u, double[] sigma, DMatrixRMaj v) {}

    private static Svd svd(DMatrixRMaj m) {
        SingularValueDecomposition_F64<DMatrixRMaj> dec =
                DecompositionFactory_DDRM.svd(m.numRows, m.numCols, true, true, true);
        if (!dec.decompose(m.copy())) {
            throw new IllegalArgumentException("SVD did not converge for the " + m.numRows + "x" + m.numCols
                    + " matrix (does it hold NaN or Inf?)");
        }
        DMatrixRMaj u = dec.getU(null, false);
        DMatrixRMaj w = dec.getW(null);
        DMatrixRMaj v = dec.getV(null, false);
        SingularOps_DDRM.descendingOrder(u, false, w, v, false);
        int n = Math.min(m.numRows, m.numCols);
        double[] sigma = new double[n];
        for (int i = 0; i < n; i++) {
            sigma[i] = w.get(i, i);
        }
        return new Svd(u, sigma, v);
    }

    static DMatrixRMaj toMatrix(String name, double[][] a) {
        if (a.length == 0 || a[0].length == 0) {
            throw new IllegalArgumentException("matrix " + name + " is empty");
        }
        for (int r = 0; r < a.length; r++) {
            if (a[r].length != a[0].length) {
                throw new IllegalArgumentException(
                        "matrix " + name + " row " + r + " has " + a[r].length + " entries, expected " + a[0].length);
            }
        }
        return new DMatrixRMaj(a);
    }

    static double[][] toArray(DMatrixRMaj m) {
        double[][] out = new double[m.numRows][m.numCols];
        for (int r = 0; r < m.numRows; r++) {
            for (int c = 0; c < m.numCols; c++) {
                out[r][c] = m.get(r, c);
            }
        }
        return out;
    }
}
