package dev.paperlab.framework.algorithms.scan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import java.util.function.BinaryOperator;
import java.util.function.LongBinaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ParallelScanTest {
    /** Shared by JUnit tests and jqwik properties (separate engines); its threads are daemons. */
    private static final ForkJoinPool POOL = new ForkJoinPool(4);

    /**
     * Composition of affine maps x -> a x + b (mod 2^32), packed as a << 32 | b: associative but
     * not commutative, so any reordering of operands shows.
     */
    static final LongBinaryOperator AFFINE = (f, g) -> {
        long a1 = f >>> 32;
        long b1 = f & 0xffffffffL;
        long a2 = g >>> 32;
        long b2 = g & 0xffffffffL;
        long a = (a1 * a2) & 0xffffffffL;
        long b = (a2 * b1 + b2) & 0xffffffffL;
        return a << 32 | b;
    };

    static final long AFFINE_IDENTITY = 1L << 32;

    /** 2x2 integer matrix product (wrapping), row-major {a, b, c, d}. */
    static final BinaryOperator<long[]> MATMUL = (x, y) -> new long[] {
        x[0] * y[0] + x[1] * y[2], x[0] * y[1] + x[1] * y[3],
        x[2] * y[0] + x[3] * y[2], x[2] * y[1] + x[3] * y[3]
    };

    static long[] sequentialInclusive(long[] x, LongBinaryOperator op) {
        long[] y = x.clone();
        for (int i = 1; i < y.length; i++) {
            y[i] = op.applyAsLong(y[i - 1], y[i]);
        }
        return y;
    }

    static long[] sequentialExclusive(long[] x, long identity, LongBinaryOperator op) {
        long[] y = new long[x.length];
        long acc = identity;
        for (int i = 0; i < x.length; i++) {
            y[i] = acc;
            acc = op.applyAsLong(acc, x[i]);
        }
        return y;
    }

    @Property(tries = 300)
    void longScansEqualTheSequentialLoop(
            @ForAll long seed, @ForAll @IntRange(max = 3000) int n, @ForAll @IntRange(min = 1, max = 64) int minBlock) {
        Random rnd = new Random(seed);
        long[] x = rnd.longs(n).toArray();
        ParallelScan scan = ParallelScan.of(POOL, minBlock);
        LongBinaryOperator[] ops = {Long::sum, Math::max, AFFINE};
        long[] identities = {0, Long.MIN_VALUE, AFFINE_IDENTITY};
        for (int o = 0; o < ops.length; o++) {
            long[] inc = x.clone();
            scan.inclusive(inc, ops[o]);
            assertArrayEquals(sequentialInclusive(x, ops[o]), inc, "inclusive op " + o);
            long[] exc = x.clone();
            scan.exclusive(exc, identities[o], ops[o]);
            assertArrayEquals(sequentialExclusive(x, identities[o], ops[o]), exc, "exclusive op " + o);
        }
    }

    @Property(tries = 200)
    void floatingScansEqualTheSequentialLoop(
            @ForAll long seed, @ForAll @IntRange(max = 3000) int n, @ForAll @IntRange(min = 1, max = 64) int minBlock) {
        Random rnd = new Random(seed);
        ParallelScan scan = ParallelScan.of(POOL, minBlock);
        // Small integers keep float and double sums exact, so they must match bit for bit.
        double[] d = new double[n];
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = rnd.nextInt(21) - 10;
            f[i] = (float) rnd.nextGaussian();
        }
        double[] dSum = d.clone();
        scan.inclusive(dSum, Double::sum);
        double[] dExc = d.clone();
        scan.exclusive(dExc, Double.NEGATIVE_INFINITY, Math::max);
        double accSum = 0;
        double accMax = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            assertEquals(accMax, dExc[i]);
            accSum += d[i];
            accMax = Math.max(accMax, d[i]);
            assertEquals(accSum, dSum[i]);
        }
        float[] fMax = f.clone();
        scan.inclusive(fMax, Math::max);
        float[] fExc = f.clone();
        scan.exclusive(fExc, 0f, (a, b) -> a + b);
        float fAccMax = Float.NEGATIVE_INFINITY;
        double exact = 0;
        for (int i = 0; i < n; i++) {
            fAccMax = Math.max(fAccMax, f[i]);
            assertEquals(fAccMax, fMax[i]);
            // Gaussian float sums are reassociated: equal up to rounding.
            assertEquals(exact, fExc[i], 1e-3 * (1 + Math.sqrt(i)));
            exact += f[i];
        }
    }

    @Property(tries = 100)
    void genericScansKeepOperandOrder(
            @ForAll long seed, @ForAll @IntRange(max = 500) int n, @ForAll @IntRange(min = 1, max = 16) int minBlock) {
        Random rnd = new Random(seed);
        ParallelScan scan = ParallelScan.of(POOL, minBlock);
        String[] s = new String[n];
        long[][] m = new long[n][];
        for (int i = 0; i < n; i++) {
            s[i] = Character.toString('a' + rnd.nextInt(26));
            m[i] = new long[] {rnd.nextInt(5) - 2, rnd.nextInt(5) - 2, rnd.nextInt(5) - 2, rnd.nextInt(5) - 2};
        }
        String[] inc = s.clone();
        scan.inclusive(inc, String::concat);
        String[] exc = s.clone();
        scan.exclusive(exc, "", String::concat);
        long[][] mInc = m.clone();
        scan.inclusive(mInc, MATMUL);
        String joined = String.join("", s);
        long[] acc = {1, 0, 0, 1};
        for (int i = 0; i < n; i++) {
            assertEquals(joined.substring(0, i), exc[i]);
            assertEquals(joined.substring(0, i + 1), inc[i]);
            acc = MATMUL.apply(acc, m[i]);
            assertArrayEquals(acc, mInc[i], "matrix prefix " + i);
        }
    }

    @Test
    void largeArrayOnTheCommonPoolMatchesArraysParallelPrefix() {
        long[] x = new Random(3).longs(2_000_000, -1000, 1000).toArray();
        long[] ours = x.clone();
        ParallelScan.common().inclusive(ours, Long::sum);
        long[] jdk = x.clone();
        Arrays.parallelPrefix(jdk, Long::sum);
        assertArrayEquals(jdk, ours);
        long[] affine = x.clone();
        ParallelScan.of(POOL, 1000).inclusive(affine, AFFINE);
        assertArrayEquals(sequentialInclusive(x, AFFINE), affine);
    }

    @Test
    void blockCountUsesEveryWorkerOnlyWhenBlocksAreLargeEnough() {
        ParallelScan scan = ParallelScan.of(POOL, 100);
        assertEquals(1, scan.blockCount(199));
        assertEquals(2, scan.blockCount(200));
        assertEquals(16, scan.blockCount(1_000_000));
        assertEquals(1, ParallelScan.of(new ForkJoinPool(1), 1).blockCount(1_000_000));
    }

    @Test
    void rejectsANonPositiveMinimumBlock() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParallelScan.of(POOL, 0));
        assertTrue(e.getMessage().contains("0"), e.getMessage());
    }
}
