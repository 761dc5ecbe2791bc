package dev.paperlab.framework.algorithms.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.ejml.data.DMatrixSparseCSC;
import org.ejml.sparse.csc.CommonOps_DSCC;
import org.junit.jupiter.api.Test;

class CsrMatrixTest {
    @Property(tries = 200)
    void productsMatchDenseMultiplication(@ForAll long seed) {
        Random rnd = new Random(seed);
        int m = rnd.nextInt(12);
        int k = rnd.nextInt(12);
        int n = rnd.nextInt(12);
        double[] dens = SparseTestData.DENSITIES;
        DenseMatrix da = SparseTestData.randomDense(rnd, m, k, dens[rnd.nextInt(dens.length)]);
        DenseMatrix db = SparseTestData.randomDense(rnd, k, n, dens[rnd.nextInt(dens.length)]);
        CsrMatrix a = CsrMatrix.fromDense(da);
        CsrMatrix b = CsrMatrix.fromDense(db);
        DenseMatrix expected = SparseTestData.denseMultiply(da, db);

        assertEquals(da, a.toDense());
        assertEquals(expected, a.multiply(db));
        DenseMatrix reused = new DenseMatrix(m, n, new double[m * n]);
        java.util.Arrays.fill(reused.data(), 42.0); // stale contents must be overwritten
        SparseProducts.multiplyInto(a, db, reused);
        assertEquals(expected, reused);
        CsrMatrix c = a.multiply(b);
        assertEquals(expected, c.toDense());
        // The product is canonical CSR: revalidating its arrays must pass.
        CsrMatrix.of(c.rows(), c.cols(), c.rowPtr(), c.colIdx(), c.values());

        double[] x = new double[k];
        for (int j = 0; j < k; j++) {
            x[j] = rnd.nextInt(7) - 3;
        }
        double[] y = a.multiply(x);
        DenseMatrix yRef = SparseTestData.denseMultiply(da, new DenseMatrix(k, 1, x));
        assertArrayEquals(yRef.data(), y);
    }

    /** Wide, very sparse operands take the sort-and-test path of the Gustavson product. */
    @Property(tries = 10)
    void wideSparseProductMatchesDense(@ForAll long seed) {
        Random rnd = new Random(seed);
        int m = 1 + rnd.nextInt(20);
        int k = 200 + rnd.nextInt(800);
        int n = 4000 + rnd.nextInt(6000);
        DenseMatrix da = SparseTestData.randomDense(rnd, m, k, 0.003);
        DenseMatrix db = SparseTestData.randomDense(rnd, k, n, 0.003);
        CsrMatrix c = CsrMatrix.fromDense(da).multiply(CsrMatrix.fromDense(db));
        assertEquals(SparseTestData.denseMultiply(da, db), c.toDense());
        CsrMatrix.of(c.rows(), c.cols(), c.rowPtr(), c.colIdx(), c.values());
    }

    @Property(tries = 100)
    void transposeAndFormatConversionsRoundTrip(@ForAll long seed) {
        Random rnd = new Random(seed);
        int m = rnd.nextInt(15);
        int n = rnd.nextInt(15);
        DenseMatrix d = SparseTestData.randomDense(rnd, m, n, rnd.nextDouble());
        CsrMatrix a = CsrMatrix.fromDense(d);
        CsrMatrix t = a.transpose();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(d.get(i, j), t.get(j, i));
                assertEquals(d.get(i, j), a.get(i, j));
            }
        }
        CsrMatrix.of(t.rows(), t.cols(), t.rowPtr(), t.colIdx(), t.values());
        assertEquals(d, t.transpose().toDense());
        assertEquals(d, a.toCsc().toCsr().toDense());
        assertEquals(d, a.toCoo().toCsr().toDense());
    }

    @Property(tries = 100)
    void cooSumsDuplicatesInAnyOrder(@ForAll long seed) {
        Random rnd = new Random(seed);
        int m = 1 + rnd.nextInt(8);
        int n = 1 + rnd.nextInt(8);
        int nnz = rnd.nextInt(40);
        int[] r = new int[nnz];
        int[] c = new int[nnz];
        double[] v = new double[nnz];
        double[] dense = new double[m * n];
        for (int p = 0; p < nnz; p++) {
            r[p] = rnd.nextInt(m);
            c[p] = rnd.nextInt(n);
            v[p] = rnd.nextInt(9) - 4;
            dense[r[p] * n + c[p]] += v[p];
        }
        CsrMatrix a = new CooMatrix(m, n, r, c, v).toCsr();
        assertEquals(new DenseMatrix(m, n, dense), a.toDense());
        CsrMatrix.of(m, n, a.rowPtr(), a.colIdx(), a.values());
    }

    @Property(tries = 60)
    void matchesEjmlSparseProduct(@ForAll long seed) {
        Random rnd = new Random(seed);
        int m = 1 + rnd.nextInt(30);
        int k = 1 + rnd.nextInt(30);
        int n = 1 + rnd.nextInt(30);
        CsrMatrix a = CsrMatrix.fromDense(SparseTestData.randomDense(rnd, m, k, 0.1));
        CsrMatrix b = CsrMatrix.fromDense(SparseTestData.randomDense(rnd, k, n, 0.2));
        DMatrixSparseCSC ea = SparseTestData.toEjml(a);
        DMatrixSparseCSC eb = SparseTestData.toEjml(b);
        DMatrixSparseCSC ec = new DMatrixSparseCSC(m, n, 0);
        CommonOps_DSCC.mult(ea, eb, ec);
        CsrMatrix c = a.multiply(b);
        assertEquals(SparseTestData.fromEjml(ec).toDense(), c.toDense());
        assertEquals(a.toDense(), SparseTestData.fromEjml(ea).toDense());
        DMatrixSparseCSC et = CommonOps_DSCC.transpose(ea, null, null);
        assertEquals(SparseTestData.fromEjml(et).toDense(), a.transpose().toDense());
    }

    @Test
    void ndArrayRoundTripAndProductMatchDjl() {
        Random rnd = new Random(7);
        DenseMatrix da = SparseTestData.randomDense(rnd, 6, 5, 0.4);
        DenseMatrix db = SparseTestData.randomDense(rnd, 5, 3, 0.7);
        CsrMatrix a = CsrMatrix.fromDense(da);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray na = a.toNDArray(manager);
            assertEquals(new Shape(6, 5), na.getShape());
            assertEquals(DataType.FLOAT32, na.getDataType());
            assertEquals(da, CsrMatrix.fromNDArray(na).toDense());
            assertEquals(
                    da, CsrMatrix.fromNDArray(na.toType(DataType.INT32, false)).toDense());
            NDArray nb = CsrMatrix.fromDense(db).toNDArray(manager);
            float[] djl = na.matMul(nb).toFloatArray();
            double[] ours = a.multiply(db).data();
            for (int p = 0; p < ours.length; p++) {
                assertEquals(djl[p], ours[p], 1e-5);
            }
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> CsrMatrix.fromNDArray(manager.zeros(new Shape(2, 3, 4))));
            assertTrue(e.getMessage().contains("(2, 3, 4)"), e.getMessage());
        }
    }

    @Test
    void dimensionMismatchNamesBothShapes() {
        CsrMatrix a = CsrMatrix.fromDense(DenseMatrix.zeros(3, 4));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> a.multiply(CsrMatrix.fromDense(DenseMatrix.zeros(5, 2))));
        assertTrue(e.getMessage().contains("3 x 4") && e.getMessage().contains("5 x 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.multiply(DenseMatrix.zeros(3, 3)));
        assertTrue(e.getMessage().contains("3 x 4") && e.getMessage().contains("3 x 3"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> SparseProducts.multiplyInto(a, DenseMatrix.zeros(4, 2), DenseMatrix.zeros(3, 3)));
        assertTrue(e.getMessage().contains("output is 3 x 3") && e.getMessage().contains("is 3 x 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.multiply(new double[3]));
        assertTrue(e.getMessage().contains("3 x 4") && e.getMessage().contains("3 x 1"), e.getMessage());
    }

    @Test
    void invalidArraysAreRejected() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> CsrMatrix.of(2, 3, new int[] {0, 2, 2}, new int[] {2, 1}, new double[2]));
        assertTrue(e.getMessage().contains("2 then 1"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> CsrMatrix.of(2, 3, new int[] {0, 1, 2}, new int[] {0, 3}, new double[2]));
        assertTrue(e.getMessage().contains("column 3"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> CsrMatrix.of(2, 3, new int[] {0, 1}, new int[] {0}, new double[1]));
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new CooMatrix(2, 2, new int[] {0}, new int[] {2}, new double[] {1}));
        assertTrue(e.getMessage().contains("(0, 2)") && e.getMessage().contains("2 x 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DenseMatrix(2, 2, new double[3]));
        assertTrue(e.getMessage().contains("3 values"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> CsrMatrix.fromDense(DenseMatrix.zeros(2, 2)).get(2, 0));
    }
}
