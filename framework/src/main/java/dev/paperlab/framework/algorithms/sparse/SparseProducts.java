package dev.paperlab.framework.algorithms.sparse;

import java.util.Arrays;

/**
 * Products with a {@link CsrMatrix} on the left. Letters: {@code A} is {@code m x k} sparse,
 * {@code B} is {@code k x n}, {@code C = A B} is {@code m x n}.
 *
 * <p>Sparse x sparse is Gustavson's row-by-row algorithm (F. G. Gustavson, "Two Fast Algorithms
 * for Sparse Matrices: Multiplication and Permuted Transposition", ACM TOMS 4(3), 1978):
 * {@code C[i,:] = sum_k A[i,k] B[k,:]}, accumulated in a dense row of length {@code n} with a
 * marker (here a bitset) that records which columns row {@code i} has touched, so each row costs
 * its flops plus emitting its pattern in order. Cancellations to zero are kept as stored zeros.
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
        DenseMatrix c = DenseMatrix.zeros(a.rows(), b.cols());
        multiplyInto(a, b, c);
        return c;
    }

    /** {@code C = A B} written over the caller's {@code out} (shape m x n), for reuse in loops. */
    public static void multiplyInto(CsrMatrix a, DenseMatrix b, DenseMatrix out) {
        Shapes.checkProduct(a.rows(), a.cols(), b.rows(), b.cols());
        if (out.rows() != a.rows() || out.cols() != b.cols()) {
            throw new IllegalArgumentException("output is " + Shapes.shape(out.rows(), out.cols()) + ", the product of "
                    + Shapes.shape(a.rows(), a.cols()) + " and "
                    + Shapes.shape(b.rows(), b.cols()) + " is "
                    + Shapes.shape(a.rows(), b.cols()));
        }
        int n = b.cols();
        int[] ptr = a.rowPtr();
        int[] idx = a.colIdx();
        double[] val = a.values();
        double[] bd = b.data();
        double[] c = out.data();
        for (int i = 0, ci = 0; i < a.rows(); i++, ci += n) {
            Arrays.fill(c, ci, ci + n, 0.0);
            int p = ptr[i];
            int end = ptr[i + 1];
            // Four rows of B per sweep: C[i,:] is loaded and stored once per four products.
            for (; p + 3 < end; p += 4) {
                double a0 = val[p];
                double a1 = val[p + 1];
                double a2 = val[p + 2];
                double a3 = val[p + 3];
                int b0 = idx[p] * n;
                int b1 = idx[p + 1] * n;
                int b2 = idx[p + 2] * n;
                int b3 = idx[p + 3] * n;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += a0 * bd[b0 + j] + a1 * bd[b1 + j] + a2 * bd[b2 + j] + a3 * bd[b3 + j];
                }
            }
            for (; p < end; p++) {
                double aik = val[p];
                int bk = idx[p] * n;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += aik * bd[bk + j];
                }
            }
        }
    }

    /**
     * {@code C = A B}, both sparse, by Gustavson's algorithm in two passes: a symbolic pass counts
     * each row's pattern so the output is allocated once at its exact size, then the numeric pass
     * accumulates and emits each row in column order. The marker is a bitset over the columns
     * ({@code n / 8} bytes, cache resident): a dense row is counted by popcounts and emitted by
     * walking its set bits; a short row is emitted by sorting its few columns.
     */
    public static CsrMatrix multiply(CsrMatrix a, CsrMatrix b) {
        Shapes.checkProduct(a.rows(), a.cols(), b.rows(), b.cols());
        int m = a.rows();
        int[] ap = a.rowPtr();
        int[] ai = a.colIdx();
        int[] bp = b.rowPtr();
        int[] bi = b.colIdx();
        long[] bits = new long[(b.cols() + 63) >>> 6]; // column j touched iff bit j set
        int[] firstWord = new int[m];
        int[] lastWord = new int[m];

        // Symbolic pass: cp[i + 1] - cp[i] = |pattern of C[i,:]|.
        int[] cp = new int[m + 1];
        long total = 0;
        int words = bits.length;
        for (int i = 0; i < m; i++) {
            long flops = 0;
            for (int p = ap[i]; p < ap[i + 1]; p++) {
                flops += bp[ai[p] + 1] - bp[ai[p]];
            }
            int fw;
            int lw;
            int count = 0;
            if (words <= 2 * flops) {
                // Many products per bitset word: set them all, then popcount the whole bitset.
                for (int p = ap[i]; p < ap[i + 1]; p++) {
                    int k = ai[p];
                    for (int q = bp[k]; q < bp[k + 1]; q++) {
                        bits[bi[q] >>> 6] |= 1L << bi[q];
                    }
                }
                for (int w = 0; w < words; w++) {
                    count += Long.bitCount(bits[w]);
                    bits[w] = 0L;
                }
                fw = 0;
                lw = words - 1;
            } else {
                // Few products in a wide row: set, then test-and-clear each one.
                int first = Integer.MAX_VALUE;
                int last = -1;
                for (int p = ap[i]; p < ap[i + 1]; p++) {
                    int k = ai[p];
                    for (int q = bp[k]; q < bp[k + 1]; q++) {
                        int j = bi[q];
                        bits[j >>> 6] |= 1L << j;
                        first = Math.min(first, j);
                        last = Math.max(last, j);
                    }
                }
                for (int p = ap[i]; p < ap[i + 1]; p++) {
                    int k = ai[p];
                    for (int q = bp[k]; q < bp[k + 1]; q++) {
                        int j = bi[q];
                        count += (int) ((bits[j >>> 6] >>> j) & 1L);
                        bits[j >>> 6] &= ~(1L << j);
                    }
                }
                fw = first == Integer.MAX_VALUE ? 0 : first >>> 6;
                lw = last >> 6;
            }
            firstWord[i] = fw;
            lastWord[i] = lw;
            total += count;
            if (total > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("product of " + Shapes.shape(a.rows(), a.cols()) + " and "
                        + Shapes.shape(b.rows(), b.cols())
                        + " has more entries than an array can hold");
            }
            cp[i + 1] = (int) total;
        }
        int[] ci = new int[(int) total];
        double[] cv = new double[(int) total];
        numeric(a, b, cp, ci, cv, bits, firstWord, lastWord);
        return new CsrMatrix(m, b.cols(), cp, ci, cv);
    }

    /** Numeric pass of {@link #multiply(CsrMatrix, CsrMatrix)}; {@code bits} starts all clear. */
    private static void numeric(
            CsrMatrix a, CsrMatrix b, int[] cp, int[] ci, double[] cv, long[] bits, int[] firstWord, int[] lastWord) {
        int n = b.cols();
        int[] ap = a.rowPtr();
        int[] ai = a.colIdx();
        double[] av = a.values();
        int[] bp = b.rowPtr();
        int[] bi = b.colIdx();
        double[] bv = b.values();
        double[] acc = new double[n]; // dense accumulator for the current row
        int[] touched = new int[n]; // a short row's columns, in first-touch order
        for (int i = 0; i < a.rows(); i++) {
            int count = cp[i + 1] - cp[i];
            int out = cp[i];
            boolean sortRow = (long) count * (32 - Integer.numberOfLeadingZeros(count)) < lastWord[i] - firstWord[i];
            for (int p = ap[i]; p < ap[i + 1]; p++) {
                double aik = av[p];
                int k = ai[p];
                for (int q = bp[k]; q < bp[k + 1]; q++) {
                    int j = bi[q];
                    long bit = 1L << j;
                    // C[i,j] += A[i,k] B[k,j]; a first touch restarts the sum.
                    if ((bits[j >>> 6] & bit) == 0) {
                        bits[j >>> 6] |= bit;
                        acc[j] = aik * bv[q];
                        if (sortRow) {
                            touched[out++ - cp[i]] = j;
                        }
                    } else {
                        acc[j] += aik * bv[q];
                    }
                }
            }
            out = cp[i];
            if (sortRow) {
                Arrays.sort(touched, 0, count);
                for (int t = 0; t < count; t++) {
                    int j = touched[t];
                    ci[out] = j;
                    cv[out++] = acc[j];
                    bits[j >>> 6] = 0L;
                }
            } else {
                // Walk the set bits word by word: columns come out in ascending order.
                for (int w = firstWord[i]; w <= lastWord[i]; w++) {
                    long word = bits[w];
                    bits[w] = 0L;
                    while (word != 0L) {
                        int j = (w << 6) + Long.numberOfTrailingZeros(word);
                        ci[out] = j;
                        cv[out++] = acc[j];
                        word &= word - 1;
                    }
                }
            }
        }
    }
}
