package dev.paperlab.framework.algorithms.sparse;

import java.util.Random;
import org.ejml.data.DMatrixSparseCSC;

/** Random test matrices with small integer entries, so every product is exact in double. */
final class SparseTestData {
    private SparseTestData() {}

    static final double[] DENSITIES = {0.0, 0.01, 0.1, 0.5, 1.0};

    static DenseMatrix randomDense(Random rnd, int rows, int cols, double density) {
        double[] d = new double[rows * cols];
        // Some rows stay empty whatever the density, to exercise empty CSR rows.
        for (int i = 0; i < rows; i++) {
            boolean emptyRow = rnd.nextInt(5) == 0;
            for (int j = 0; j < cols; j++) {
                if (!emptyRow && rnd.nextDouble() < density) {
                    int v = rnd.nextInt(11) - 5;
                    d[i * cols + j] = v == 0 ? 1 : v;
                }
            }
        }
        return new DenseMatrix(rows, cols, d);
    }

    /** The textbook triple loop: the reference every product is checked against. */
    static DenseMatrix denseMultiply(DenseMatrix a, DenseMatrix b) {
        double[] c = new double[a.rows() * b.cols()];
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < b.cols(); j++) {
                double s = 0;
                for (int k = 0; k < a.cols(); k++) {
                    s += a.get(i, k) * b.get(k, j);
                }
                c[i * b.cols() + j] = s;
            }
        }
        return new DenseMatrix(a.rows(), b.cols(), c);
    }

    static DMatrixSparseCSC toEjml(CsrMatrix a) {
        CscMatrix csc = a.toCsc();
        DMatrixSparseCSC e = new DMatrixSparseCSC(a.rows(), a.cols(), a.nnz());
        System.arraycopy(csc.colPtr(), 0, e.col_idx, 0, a.cols() + 1);
        System.arraycopy(csc.rowIdx(), 0, e.nz_rows, 0, a.nnz());
        System.arraycopy(csc.values(), 0, e.nz_values, 0, a.nnz());
        e.nz_length = a.nnz();
        e.indicesSorted = true;
        return e;
    }

    static CsrMatrix fromEjml(DMatrixSparseCSC e) {
        DMatrixSparseCSC sorted = e.copy();
        sorted.sortIndices(null);
        return CscMatrix.of(
                        sorted.numRows,
                        sorted.numCols,
                        java.util.Arrays.copyOf(sorted.col_idx, sorted.numCols + 1),
                        java.util.Arrays.copyOf(sorted.nz_rows, sorted.nz_length),
                        java.util.Arrays.copyOf(sorted.nz_values, sorted.nz_length))
                .toCsr();
    }
}
