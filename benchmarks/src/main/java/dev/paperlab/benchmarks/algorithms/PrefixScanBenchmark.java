package dev.paperlab.benchmarks.algorithms;

import dev.paperlab.framework.algorithms.scan.ParallelScan;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Inclusive sum scan of 10^7 longs, in place. Every method rescans the same array (sums wrap,
 * which costs nothing extra), so no copy is timed.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx2g"})
public class PrefixScanBenchmark {
    private static final int N = 10_000_000;

    private long[] data;
    private ForkJoinPool allCores;
    private ParallelScan commonScan;
    private ParallelScan allCoresScan;

    @Setup
    public void setUp() {
        data = new Random(11).longs(N, 0, 1000).toArray();
        commonScan = ParallelScan.common();
        allCores = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
        allCoresScan = ParallelScan.of(allCores, ParallelScan.DEFAULT_MIN_BLOCK);
    }

    @TearDown
    public void tearDown() {
        allCores.shutdown();
    }

    /** On the common pool (parallelism = cores - 1; one worker means one sequential pass). */
    @Benchmark
    public long[] paperlabScanCommonPool() {
        commonScan.inclusive(data, Long::sum);
        return data;
    }

    /** On a pool with one worker per core. */
    @Benchmark
    public long[] paperlabScanAllCores() {
        allCoresScan.inclusive(data, Long::sum);
        return data;
    }

    @Benchmark
    public long[] jdkParallelPrefix() {
        Arrays.parallelPrefix(data, Long::sum);
        return data;
    }

    @Benchmark
    public long[] sequentialLoop() {
        long[] a = data;
        for (int i = 1; i < a.length; i++) {
            a[i] += a[i - 1];
        }
        return a;
    }
}
