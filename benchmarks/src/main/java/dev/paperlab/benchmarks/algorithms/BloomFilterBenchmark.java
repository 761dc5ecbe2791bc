package dev.paperlab.benchmarks.algorithms;

import com.google.common.hash.Funnels;
import dev.paperlab.framework.algorithms.bloom.BloomFilter;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A filter sized for 10^6 keys at p = 0.01: put 10^6 random longs, then query 10^6 others.
 * Guava gets pre-boxed keys.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx2g"})
public class BloomFilterBenchmark {
    private static final int N = 1_000_000;
    private static final double P = 0.01;

    private long[] keys;
    private long[] queries;
    private Long[] boxedKeys;
    private Long[] boxedQueries;

    @Setup
    public void setUp() {
        Random rnd = new Random(7);
        keys = rnd.longs(N).toArray();
        queries = rnd.longs(N).toArray();
        boxedKeys = new Long[N];
        boxedQueries = new Long[N];
        for (int i = 0; i < N; i++) {
            boxedKeys[i] = keys[i];
            boxedQueries[i] = queries[i];
        }
    }

    @Benchmark
    public int paperlabBloom() {
        BloomFilter filter = BloomFilter.create(N, P);
        for (long key : keys) {
            filter.put(key);
        }
        int hits = 0;
        for (long q : queries) {
            hits += filter.mightContain(q) ? 1 : 0;
        }
        return hits;
    }

    @Benchmark
    public int guavaBloom() {
        com.google.common.hash.BloomFilter<Long> filter =
                com.google.common.hash.BloomFilter.create(Funnels.longFunnel(), N, P);
        for (Long key : boxedKeys) {
            filter.put(key);
        }
        int hits = 0;
        for (Long q : boxedQueries) {
            hits += filter.mightContain(q) ? 1 : 0;
        }
        return hits;
    }
}
