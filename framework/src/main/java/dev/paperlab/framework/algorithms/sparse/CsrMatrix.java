package dev.paperlab.framework.algorithms.sparse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * A sparse {@code rows x cols} matrix in compressed sparse row form: the entries of row {@code i}
 * are {@code colIdx[rowPtr[i] .. rowPtr[i+1])} with {@code values} alongside, column indices
 * strictly increasing within a row. Stored zeros are allowed (a product may cancel to zero).
 *
 * <p>Products live in {@link SparseProducts}: SpMV, sparse x dense and Gustavson's sparse x
 * sparse. Conversions: {@link #toCsc}, {@link #toCoo}, {@link #toDense}, and DJL
 * {@link NDArray} (dense float32) both ways.
 */
public final class CsrMatrix {
    private final int rows;
    private final int cols;
    private final int[] rowPtr;
    private final int[] colIdx;
    private final double[] values;

    /** Wraps arrays this package built and knows to be valid. */
    CsrMatrix(int rows, int cols, int[] rowPtr, int[] colIdx, double[] values) {
        this.rows = rows;
        this.cols = cols;
        this.rowPtr = rowPtr;
        this.colIdx = colIdx;
        this.values = values;
    }

    /** Validates and wraps (does not copy) the three CSR arrays. */
    public static CsrMatrix of(int rows, int cols, int[] rowPtr, int[] colIdx, double[] values) {
        Shapes.checkShape(rows, cols);
        if (rowPtr.length != rows + 1 || rowPtr[0] != 0) {
            throw new IllegalArgumentException(
                    "rowPtr must have rows + 1 = " + (rows + 1) + " entries starting at 0, got "
                            + rowPtr.length + " entries starting at "
                            + (rowPtr.length > 0 ? rowPtr[0] : "none"));
        }
        int nnz = rowPtr[rows];
        if (colIdx.length != nnz || values.length != nnz) {
            throw new IllegalArgumentException("rowPtr[rows] = " + nnz + " but colIdx has " + colIdx.length
                    + " and values " + values.length + " entries");
        }
        for (int i = 0; i < rows; i++) {
            if (rowPtr[i + 1] < rowPtr[i]) {
                throw new IllegalArgumentException(
                        "rowPtr decreases at row " + i + ": " + rowPtr[i] + " > " + rowPtr[i + 1]);
            }
            for (int p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
                int j = colIdx[p];
                if (j < 0 || j >= cols) {
                    throw new IllegalArgumentException("column " + j + " in row " + i + " outside [0, " + cols + ")");
                }
                if (p > rowPtr[i] && j <= colIdx[p - 1]) {
                    throw new IllegalArgumentException(
                            "columns in row " + i + " not strictly increasing: " + colIdx[p - 1] + " then " + j);
                }
            }
        }
        return new CsrMatrix(rows, cols, rowPtr, colIdx, values);
    }

    /** The non-zero entries of a dense matrix. */
    public static CsrMatrix fromDense(DenseMatrix dense) {
        int rows = dense.rows();
        int cols = dense.cols();
        double[] a = dense.data();
        int nnz = 0;
        for (double v : a) {
            if (v != 0.0) {
                nnz++;
            }
        }
        int[] rowPtr = new int[rows + 1];
        int[] colIdx = new int[nnz];
        double[] values = new double[nnz];
        int p = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double v = a[i * cols + j];
                if (v != 0.0) {
                    colIdx[p] = j;
                    values[p++] = v;
                }
            }
            rowPtr[i + 1] = p;
        }
        return new CsrMatrix(rows, cols, rowPtr, colIdx, values);
    }

    /** The non-zero entries of a 2-D DJL array of any numeric type. */
    public static CsrMatrix fromNDArray(NDArray array) {
        Shape shape = array.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException("expected a 2-D array (rows, cols), got shape " + shape);
        }
        int rows = Math.toIntExact(shape.get(0));
        int cols = Math.toIntExact(shape.get(1));
        double[] data;
        if (array.getDataType() == DataType.FLOAT64) {
            data = array.toDoubleArray();
        } else if (array.getDataType() == DataType.FLOAT32) {
            float[] f = array.toFloatArray();
            data = new double[f.length];
            for (int k = 0; k < f.length; k++) {
                data[k] = f[k];
            }
        } else {
            try (NDArray asDouble = array.toType(DataType.FLOAT64, true)) {
                data = asDouble.toDoubleArray();
            }
        }
        return fromDense(new DenseMatrix(rows, cols, data));
    }

    /** A dense float32 DJL array of shape (rows, cols), owned by {@code manager}. */
    public NDArray toNDArray(NDManager manager) {
        float[] data = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
                data[i * cols + colIdx[p]] = (float) values[p];
            }
        }
        return manager.create(data, new Shape(rows, cols));
    }

    public DenseMatrix toDense() {
        double[] data = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
                data[i * cols + colIdx[p]] = values[p];
            }
        }
        return new DenseMatrix(rows, cols, data);
    }

    /**
     * The transpose, by a counting sort of the entries on their column: O(nnz + cols). Rows are
     * visited in order, so each output row comes out sorted.
     */
    public CsrMatrix transpose() {
        int nnz = nnz();
        int[] tPtr = new int[cols + 1];
        for (int p = 0; p < nnz; p++) {
            tPtr[colIdx[p] + 1]++;
        }
        for (int j = 0; j < cols; j++) {
            tPtr[j + 1] += tPtr[j];
        }
        int[] next = Arrays.copyOf(tPtr, cols);
        int[] tIdx = new int[nnz];
        double[] tVal = new double[nnz];
        for (int i = 0; i < rows; i++) {
            for (int p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
                int q = next[colIdx[p]]++;
                tIdx[q] = i;
                tVal[q] = values[p];
            }
        }
        return new CsrMatrix(cols, rows, tPtr, tIdx, tVal);
    }

    /** The same matrix column-compressed; its arrays are those of the CSR transpose. */
    public CscMatrix toCsc() {
        CsrMatrix t = transpose();
        return new CscMatrix(rows, cols, t.rowPtr, t.colIdx, t.values);
    }

    /** The entries as coordinate triplets in row-major order. */
    public CooMatrix toCoo() {
        int nnz = nnz();
        int[] r = new int[nnz];
        for (int i = 0; i < rows; i++) {
            Arrays.fill(r, rowPtr[i], rowPtr[i + 1], i);
        }
        return new CooMatrix(rows, cols, r, colIdx.clone(), values.clone());
    }

    /** Entry (i, j), found by binary search in row i. */
    public double get(int i, int j) {
        if (i < 0 || i >= rows || j < 0 || j >= cols) {
            throw new IllegalArgumentException(
                    "index (" + i + ", " + j + ") outside shape " + Shapes.shape(rows, cols));
        }
        int p = Arrays.binarySearch(colIdx, rowPtr[i], rowPtr[i + 1], j);
        return p >= 0 ? values[p] : 0.0;
    }

    /** {@code y = A x}. */
    public double[] multiply(double[] x) {
        return SparseProducts.spmv(this, x);
    }

    /** {@code C = A B} with B dense. */
    public DenseMatrix multiply(DenseMatrix b) {
        return SparseProducts.multiply(this, b);
    }

    /** {@code C = A B} with B sparse (Gustavson). */
    public CsrMatrix multiply(CsrMatrix b) {
        return SparseProducts.multiply(this, b);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int nnz() {
        return rowPtr[rows];
    }

    /** The backing arrays (not copies), for fast read-only loops. */
    public int[] rowPtr() {
        return rowPtr;
    }

    public int[] colIdx() {
        return colIdx;
    }

    public double[] values() {
        return values;
    }

    @Override
    public String toString() {
        return "CsrMatrix " + Shapes.shape(rows, cols) + ", nnz " + nnz();
    }
}
