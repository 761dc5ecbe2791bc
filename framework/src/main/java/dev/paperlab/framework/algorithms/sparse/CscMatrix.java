package dev.paperlab.framework.algorithms.sparse;

/**
 * A sparse {@code rows x cols} matrix in compressed sparse column form: column {@code j} holds the
 * rows {@code rowIdx[colPtr[j] .. colPtr[j+1])}. Its arrays equal the CSR arrays of the transpose,
 * which is how both conversions work.
 */
public final class CscMatrix {
    private final int rows;
    private final int cols;
    private final int[] colPtr;
    private final int[] rowIdx;
    private final double[] values;

    CscMatrix(int rows, int cols, int[] colPtr, int[] rowIdx, double[] values) {
        this.rows = rows;
        this.cols = cols;
        this.colPtr = colPtr;
        this.rowIdx = rowIdx;
        this.values = values;
    }

    /** Validates and wraps the CSC arrays (row indices strictly increasing within a column). */
    public static CscMatrix of(int rows, int cols, int[] colPtr, int[] rowIdx, double[] values) {
        CsrMatrix t = CsrMatrix.of(cols, rows, colPtr, rowIdx, values);
        return new CscMatrix(rows, cols, t.rowPtr(), t.colIdx(), t.values());
    }

    public CsrMatrix toCsr() {
        return new CsrMatrix(cols, rows, colPtr, rowIdx, values).transpose();
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int nnz() {
        return colPtr[cols];
    }

    public int[] colPtr() {
        return colPtr;
    }

    public int[] rowIdx() {
        return rowIdx;
    }

    public double[] values() {
        return values;
    }
}
