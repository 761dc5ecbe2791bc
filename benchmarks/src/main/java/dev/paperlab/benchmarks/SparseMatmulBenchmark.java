package dev.paperlab.benchmarks;

import dev.paperlab.framework.algorithms.sparse.CooMatrix;
import dev.paperlab.framework.algorithms.sparse.CscMatrix;
import dev.paperlab.framework.algorithms.sparse.CsrMatrix;
import dev.paperlab.framework.algorithms.sparse.DenseMatrix;
import dev.paperlab.framework.algorithms.sparse.SparseProducts;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DGrowArray;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.DMatrixSparseCSC;
import org.ejml.data.IGrowArray;
import org.ejml.sparse.csc.CommonOps_DSCC;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * 5,000 x 5,000 sparse matrices at 1% density: sparse x sparse (A B) and sparse x dense (A D with
 * D dense 5,000 x 256), ours (CSR, Gustavson) against EJML 0.43.1 ({@code CommonOps_DSCC.mult},
 * CSC, work arrays reused as EJML recommends). Both produce the full product each call; the
 * {@code FreshOutput} variants allocate the result every call, the others reuse it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx4g"})
public class SparseMatmulBenchmark {
    static final int N = 5000;
    static final double DENSITY = 0.01;
    static final int DENSE_COLS = 256;

    CsrMatrix a;
    CsrMatrix b;
    DenseMatrix d;
    DMatrixSparseCSC ea;
    DMatrixSparseCSC eb;
    DMatrixSparseCSC ec;
    DMatrixRMaj ed;
    DMatrixRMaj eOut;
    DenseMatrix out;
    IGrowArray gw = new IGrowArray();
    DGrowArray gx = new DGrowArray();

    @Setup
    public void setup() {
        Random rnd = new Random(42);
        a = random(rnd);
        b = random(rnd);
        double[] dense = new double[N * DENSE_COLS];
        for (int p = 0; p < dense.length; p++) {
            dense[p] = rnd.nextDouble();
        }
        d = new DenseMatrix(N, DENSE_COLS, dense);
        ea = toEjml(a);
        eb = toEjml(b);
        ec = new DMatrixSparseCSC(N, N, 0);
        ed = new DMatrixRMaj(N, DENSE_COLS, true, dense);
        eOut = new DMatrixRMaj(N, DENSE_COLS);
        out = DenseMatrix.zeros(N, DENSE_COLS);
    }

    static CsrMatrix random(Random rnd) {
        int nnz = (int) (DENSITY * N * N);
        int[] r = new int[nnz];
        int[] c = new int[nnz];
        double[] v = new double[nnz];
        for (int k = 0; k < nnz; k++) {
            r[k] = rnd.nextInt(N);
            c[k] = rnd.nextInt(N);
            v[k] = rnd.nextDouble();
        }
        return new CooMatrix(N, N, r, c, v).toCsr();
    }

    static DMatrixSparseCSC toEjml(CsrMatrix m) {
        CscMatrix csc = m.toCsc();
        DMatrixSparseCSC e = new DMatrixSparseCSC(m.rows(), m.cols(), m.nnz());
        System.arraycopy(csc.colPtr(), 0, e.col_idx, 0, m.cols() + 1);
        System.arraycopy(csc.rowIdx(), 0, e.nz_rows, 0, m.nnz());
        System.arraycopy(csc.values(), 0, e.nz_values, 0, m.nnz());
        e.nz_length = m.nnz();
        e.indicesSorted = true;
        return e;
    }

    @Benchmark
    public int sparseSparseOurs() {
        return a.multiply(b).nnz();
    }

    @Benchmark
    public int sparseSparseEjml() {
        CommonOps_DSCC.mult(ea, eb, ec, gw, gx);
        return ec.nz_length;
    }

    /** EJML writing into a fresh output, as our immutable CSR result always is. */
    @Benchmark
    public int sparseSparseEjmlFreshOutput() {
        DMatrixSparseCSC c = new DMatrixSparseCSC(N, N, 0);
        CommonOps_DSCC.mult(ea, eb, c, gw, gx);
        return c.nz_length;
    }

    @Benchmark
    public double sparseDenseOurs() {
        SparseProducts.multiplyInto(a, d, out);
        return out.data()[0];
    }

    @Benchmark
    public double sparseDenseOursFreshOutput() {
        return a.multiply(d).data()[0];
    }

    @Benchmark
    public double sparseDenseEjml() {
        CommonOps_DSCC.mult(ea, ed, eOut);
        return eOut.data[0];
    }
}
