package dev.paperlab.framework.algorithms.sparse;

import java.util.Arrays;

/** A row-major dense {@code rows x cols} matrix of doubles: entry (i, j) is {@code data[i*cols + j]}. */
public final class DenseMatrix {
    private final int rows;
    private final int cols;
    private final double[] data;

    /** Wraps {@code data} (not copied), which must hold exactly {@code rows * cols} values. */
    public DenseMatrix(int rows, int cols, double[] data) {
        Shapes.checkShape(rows, cols);
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException("dense data has " + data.length + " values, shape " + rows + " x " + cols
                    + " needs " + (long) rows * cols);
        }
        this.rows = rows;
        this.cols = cols;
        this.data = data;
    }

    /** A zero matrix. */
    public static DenseMatrix zeros(int rows, int cols) {
        Shapes.checkShape(rows, cols);
        return new DenseMatrix(rows, cols, new double[rows * cols]);
    }

    /** Copies a rectangular {@code double[rows][cols]}. */
    public static DenseMatrix of(double[][] values) {
        int rows = values.length;
        int cols = rows == 0 ? 0 : values[0].length;
        double[] data = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            if (values[i].length != cols) {
                throw new IllegalArgumentException(
                        "row " + i + " has " + values[i].length + " values, row 0 has " + cols);
            }
            System.arraycopy(values[i], 0, data, i * cols, cols);
        }
        return new DenseMatrix(rows, cols, data);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public double get(int i, int j) {
        return data[i * cols + j];
    }

    /** The backing row-major array (not a copy). */
    public double[] data() {
        return data;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DenseMatrix d && d.rows == rows && d.cols == cols && Arrays.equals(d.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + cols) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "DenseMatrix " + rows + " x " + cols;
    }
}
