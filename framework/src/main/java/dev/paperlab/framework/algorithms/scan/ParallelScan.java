package dev.paperlab.framework.algorithms.scan;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.function.BinaryOperator;
import java.util.function.DoubleBinaryOperator;
import java.util.function.LongBinaryOperator;

/**
 * Work-efficient parallel prefix scan (Blelloch, 1990) over blocks on a {@link ForkJoinPool}.
 *
 * <p>For an associative {@code op} with identity {@code e}, the inclusive scan is
 * {@code y_i = x_0 op x_1 op ... op x_i} and the exclusive scan is
 * {@code y_0 = e, y_i = x_0 op ... op x_{i-1}}. The array is cut into {@code B} blocks:
 * <ol>
 *   <li>up-sweep: each block {@code b < B-1} is reduced in parallel to its total {@code t_b};
 *   <li>the totals are scanned, {@code T_b = t_0 op ... op t_b} ({@code B} is small, so
 *       sequentially);
 *   <li>down-sweep: each block is scanned in place in parallel, seeded with {@code T_{b-1}}.
 * </ol>
 * This does {@code O(n)} work (about {@code 2n} applications of {@code op}) in
 * {@code O(n/P + B)} time on {@code P} workers. Operands are combined strictly left to right,
 * so {@code op} may be non-commutative (matrix product, concatenation); it must be associative.
 * Floating-point addition is not exactly associative: parallel sums of doubles or floats may
 * differ from a sequential loop in the last bits, exactly as with
 * {@link java.util.Arrays#parallelPrefix}.
 *
 * <p>Legend: {@code n} array length, {@code B} blocks, {@code P} pool parallelism.
 *
 * <p>All scans work in place. Arrays shorter than two blocks of {@code minBlock}, or a pool of
 * parallelism 1, are scanned sequentially.
 */
public final class ParallelScan {
    /** Default smallest block: below this, forking costs more than it saves. */
    public static final int DEFAULT_MIN_BLOCK = 1 << 14;

    private final ForkJoinPool pool;
    private final int minBlock;

    private ParallelScan(ForkJoinPool pool, int minBlock) {
        this.pool = pool;
        this.minBlock = minBlock;
    }

    /** A scan on the common pool with {@link #DEFAULT_MIN_BLOCK}. */
    public static ParallelScan common() {
        return new ParallelScan(ForkJoinPool.commonPool(), DEFAULT_MIN_BLOCK);
    }

    /** A scan on {@code pool} whose blocks hold at least {@code minBlock} (>= 1) elements. */
    public static ParallelScan of(ForkJoinPool pool, int minBlock) {
        if (minBlock < 1) {
            throw new IllegalArgumentException("minimum block size must be >= 1, got " + minBlock);
        }
        return new ParallelScan(pool, minBlock);
    }

    /** In place: {@code a[i] = a[0] op ... op a[i]}. */
    public void inclusive(long[] a, LongBinaryOperator op) {
        int blocks = blockCount(a.length);
        run(a.length, blocks, new ScanKernel.Longs(a, blocks, op, false, 0L));
    }

    /** In place: {@code a[0] = identity, a[i] = a[0] op ... op a[i-1]}. */
    public void exclusive(long[] a, long identity, LongBinaryOperator op) {
        int blocks = blockCount(a.length);
        run(a.length, blocks, new ScanKernel.Longs(a, blocks, op, true, identity));
    }

    /** In place inclusive scan of doubles. */
    public void inclusive(double[] a, DoubleBinaryOperator op) {
        int blocks = blockCount(a.length);
        run(a.length, blocks, new ScanKernel.Doubles(a, blocks, op, false, 0.0));
    }

    /** In place exclusive scan of doubles. */
    public void exclusive(double[] a, double identity, DoubleBinaryOperator op) {
        int blocks = blockCount(a.length);
        run(a.length, blocks, new ScanKernel.Doubles(a, blocks, op, true, identity));
    }

    /** In place inclusive scan of floats. */
    public void inclusive(float[] a, FloatBinaryOperator op) {
        int blocks = blockCount(a.length);
        run(a.length, blocks, new ScanKernel.Floats(a, blocks, op, false, 0f));
    }

    /** In place exclusive scan of floats. */
    public void exclusive(float[] a, float identity, FloatBinaryOperator op) {
        int blocks = blockCount(a.length);
        run(a.length, blocks, new ScanKernel.Floats(a, blocks, op, true, identity));
    }

    /** In place inclusive scan of objects; {@code op} must not return null for non-null input. */
    public <T> void inclusive(T[] a, BinaryOperator<T> op) {
        int blocks = blockCount(a.length);
        run(a.length, blocks, new ScanKernel.Objects<>(a, blocks, op, false, null));
    }

    /** In place exclusive scan of objects with the given identity. */
    public <T> void exclusive(T[] a, T identity, BinaryOperator<T> op) {
        int blocks = blockCount(a.length);
        run(a.length, blocks, new ScanKernel.Objects<>(a, blocks, op, true, identity));
    }

    /** The number of blocks: enough for four per worker, none smaller than minBlock. */
    int blockCount(int n) {
        int parallelism = pool.getParallelism();
        if (parallelism <= 1 || n < 2L * minBlock) {
            return 1;
        }
        return (int) Math.min(4L * parallelism, n / minBlock);
    }

    private void run(int n, int blocks, ScanKernel kernel) {
        if (n == 0) {
            return;
        }
        if (blocks == 1) {
            kernel.scan(0, 0, n);
            return;
        }
        long size = (n + (long) blocks - 1) / blocks;
        // Rounding the size up can leave trailing blocks empty: drop them.
        blocks = (int) ((n + size - 1) / size);
        if (blocks == 1) {
            kernel.scan(0, 0, n);
            return;
        }
        // Up-sweep: reduce every block but the last, whose total no one needs.
        pool.invoke(new ForBlocks(0, blocks - 1, size, n, kernel, false));
        kernel.accumulateTotals(blocks - 1);
        // Down-sweep: scan every block from its offset.
        pool.invoke(new ForBlocks(0, blocks, size, n, kernel, true));
    }

    /** Runs one step over blocks [from, to) by binary forking. */
    private static final class ForBlocks extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private final int from;
        private final int to;
        private final long size;
        private final int n;
        private final transient ScanKernel kernel;
        private final boolean downSweep;

        ForBlocks(int from, int to, long size, int n, ScanKernel kernel, boolean downSweep) {
            this.from = from;
            this.to = to;
            this.size = size;
            this.n = n;
            this.kernel = kernel;
            this.downSweep = downSweep;
        }

        @Override
        protected void compute() {
            if (to - from == 1) {
                int lo = (int) (from * size);
                int hi = (int) Math.min(n, lo + size);
                if (downSweep) {
                    kernel.scan(from, lo, hi);
                } else {
                    kernel.reduce(from, lo, hi);
                }
                return;
            }
            int mid = (from + to) >>> 1;
            invokeAll(
                    new ForBlocks(from, mid, size, n, kernel, downSweep),
                    new ForBlocks(mid, to, size, n, kernel, downSweep));
        }
    }
}
