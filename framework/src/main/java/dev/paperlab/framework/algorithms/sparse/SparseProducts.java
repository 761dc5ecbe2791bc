package dev.paperlab.framework.algorithms.sparse;

import java.util.Arrays;

/**
 * Products with a {@link CsrMatrix} on the left. Letters: {@code A} is {@code m x k} sparse,
 * {@code B} is {@code k x n}, {@code C = A B} is {@code m x n}.
 *
 * <p>Sparse x sparse is Gustavson's row-by-row algorithm (F. G. Gustavson, "Two Fast Algorithms
 * for Sparse Matrices: Multiplication and Permuted Transposition", ACM TOMS 4(3), 1978):
 * {@code C[i,:] = sum_k A[i,k] B[k,:]}, accumulated in a dense row of length {@code n} with a
 * marker array that records which columns row {@code i} has touched, so each row costs only its
 * flops plus the sort of its pattern. Cancellations to zero are kept as stored zeros.
 */
public final class SparseProducts {
    private SparseProducts() {}

    /** {@code y = A x}: {@code y[i] = sum_p values[p] x[colIdx[p]]} over row i. */
    public static double[] spmv(CsrMatrix a, double[] x) {
        if (x.length != a.cols()) {
            Shapes.checkProduct(a.rows(), a.cols(), x.length, 1);
        }
        int[] ptr = a.rowPtr();
        int[] idx = a.colIdx();
        double[] val = a.values();
        double[] y = new double[a.rows()];
        for (int i = 0; i < y.length; i++) {
            double s = 0.0;
            for (int p = ptr[i], end = ptr[i + 1]; p < end; p++) {
                s += val[p] * x[idx[p]];
            }
            y[i] = s;
        }
        return y;
    }

    /** {@code C = A B} with B dense: row i of C is {@code sum_p A[i,k_p] B[k_p,:]} (row axpys). */
    public static DenseMatrix multiply(CsrMatrix a, DenseMatrix b) {
        Shapes.checkProduct(a.rows(), a.cols(), b.rows(), b.cols());
        int n = b.cols();
        int[] ptr = a.rowPtr();
        int[] idx = a.colIdx();
        double[] val = a.values();
        double[] bd = b.data();
        double[] c = new double[a.rows() * n];
        for (int i = 0, ci = 0; i < a.rows(); i++, ci += n) {
            for (int p = ptr[i], end = ptr[i + 1]; p < end; p++) {
                double aik = val[p];
                int bk = idx[p] * n;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += aik * bd[bk + j];
                }
            }
        }
        return new DenseMatrix(a.rows(), n, c);
    }

    /** {@code C = A B}, both sparse, by Gustavson's algorithm. */
    public static CsrMatrix multiply(CsrMatrix a, CsrMatrix b) {
        Shapes.checkProduct(a.rows(), a.cols(), b.rows(), b.cols());
        int m = a.rows();
        int n = b.cols();
        int[] ap = a.rowPtr();
        int[] ai = a.colIdx();
        double[] av = a.values();
        int[] bp = b.rowPtr();
        int[] bi = b.colIdx();
        double[] bv = b.values();

        double[] acc = new double[n]; // dense accumulator for the current row
        int[] marker = new int[n]; // marker[j] == i + 1 iff row i touched column j
        int[] touched = new int[n]; // the columns row i touched, in first-touch order
        int[] cp = new int[m + 1];
        int cap = Math.max(16, a.nnz() + b.nnz());
        int[] ci = new int[cap];
        double[] cv = new double[cap];
        int nnz = 0;
        for (int i = 0; i < m; i++) {
            int count = 0;
            int stamp = i + 1;
            for (int p = ap[i]; p < ap[i + 1]; p++) {
                int k = ai[p];
                double aik = av[p];
                for (int q = bp[k]; q < bp[k + 1]; q++) {
                    int j = bi[q];
                    // C[i,j] += A[i,k] B[k,j]; the first touch starts the sum.
                    if (marker[j] != stamp) {
                        marker[j] = stamp;
                        acc[j] = aik * bv[q];
                        touched[count++] = j;
                    } else {
                        acc[j] += aik * bv[q];
                    }
                }
            }
            if (nnz + count > ci.length) {
                int grown = Math.max(nnz + count, 2 * ci.length);
                ci = Arrays.copyOf(ci, grown);
                cv = Arrays.copyOf(cv, grown);
            }
            // Emit the row with sorted columns: sort a short pattern, sweep the marker for a dense one.
            if ((long) count * (32 - Integer.numberOfLeadingZeros(count)) < n) {
                Arrays.sort(touched, 0, count);
                for (int t = 0; t < count; t++) {
                    ci[nnz] = touched[t];
                    cv[nnz++] = acc[touched[t]];
                }
            } else {
                for (int j = 0; j < n; j++) {
                    if (marker[j] == stamp) {
                        ci[nnz] = j;
                        cv[nnz++] = acc[j];
                    }
                }
            }
            cp[i + 1] = nnz;
        }
        return new CsrMatrix(m, n, cp, Arrays.copyOf(ci, nnz), Arrays.copyOf(cv, nnz));
    }
}
