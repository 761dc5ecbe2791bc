package dev.paperlab.framework.algorithms.sparse;

import java.util.Arrays;

/**
 * A sparse matrix as coordinate triplets {@code (row[k], col[k], value[k])} in any order;
 * duplicates are summed by {@link #toCsr()}.
 */
public final class CooMatrix {
    private final int rows;
    private final int cols;
    private final int[] row;
    private final int[] col;
    private final double[] value;

    /** Validates and wraps (does not copy) the triplet arrays. */
    public CooMatrix(int rows, int cols, int[] row, int[] col, double[] value) {
        Shapes.checkShape(rows, cols);
        if (row.length != col.length || row.length != value.length) {
            throw new IllegalArgumentException("triplet arrays differ in length: row " + row.length + ", col "
                    + col.length + ", value " + value.length);
        }
        for (int k = 0; k < row.length; k++) {
            if (row[k] < 0 || row[k] >= rows || col[k] < 0 || col[k] >= cols) {
                throw new IllegalArgumentException("triplet " + k + " at (" + row[k] + ", " + col[k]
                        + ") outside shape " + Shapes.shape(rows, cols));
            }
        }
        this.rows = rows;
        this.cols = cols;
        this.row = row;
        this.col = col;
        this.value = value;
    }

    /**
     * Converts to CSR: a counting sort by column then by row (two stable passes) orders the
     * triplets, and equal positions are summed. O(nnz + rows + cols).
     */
    public CsrMatrix toCsr() {
        int nnz = row.length;
        // Pass 1: stable sort by column.
        int[] byCol = countingOrder(col, cols, identity(nnz));
        // Pass 2: stable sort by row keeps columns ascending within each row.
        int[] order = countingOrder(row, rows, byCol);
        int[] rowPtr = new int[rows + 1];
        int[] colIdx = new int[nnz];
        double[] values = new double[nnz];
        int p = 0;
        int prevRow = -1;
        int prevCol = -1;
        for (int k : order) {
            if (row[k] == prevRow && col[k] == prevCol) {
                values[p - 1] += value[k];
                continue;
            }
            colIdx[p] = col[k];
            values[p] = value[k];
            rowPtr[row[k] + 1]++;
            p++;
            prevRow = row[k];
            prevCol = col[k];
        }
        for (int i = 0; i < rows; i++) {
            rowPtr[i + 1] += rowPtr[i];
        }
        return new CsrMatrix(rows, cols, rowPtr, Arrays.copyOf(colIdx, p), Arrays.copyOf(values, p));
    }

    private static int[] identity(int n) {
        int[] id = new int[n];
        for (int k = 0; k < n; k++) {
            id[k] = k;
        }
        return id;
    }

    /** Reorders {@code input} (indices into {@code key}) stably by {@code key}. */
    private static int[] countingOrder(int[] key, int range, int[] input) {
        int[] start = new int[range + 1];
        for (int k : input) {
            start[key[k] + 1]++;
        }
        for (int i = 0; i < range; i++) {
            start[i + 1] += start[i];
        }
        int[] out = new int[input.length];
        for (int k : input) {
            out[start[key[k]]++] = k;
        }
        return out;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int nnz() {
        return row.length;
    }

    public int[] row() {
        return row;
    }

    public int[] col() {
        return col;
    }

    public double[] value() {
        return value;
    }
}
