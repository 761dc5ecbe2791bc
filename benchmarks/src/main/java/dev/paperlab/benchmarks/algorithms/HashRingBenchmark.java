package dev.paperlab.benchmarks.algorithms;

import com.google.common.hash.Hashing;
import dev.paperlab.framework.algorithms.hashing.ConsistentHashRing;
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
 * 10^6 random 64-bit keys to one of 10 nodes: the ring (200 virtual nodes each, keys hashed
 * with murmur3) against Guava's jump hash, which takes the random keys as they are.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx2g"})
public class HashRingBenchmark {
    private static final int N = 1_000_000;
    private static final int NODES = 10;

    private long[] keys;
    private ConsistentHashRing ring;

    @Setup
    public void setUp() {
        keys = new Random(5).longs(N).toArray();
        ring = ConsistentHashRing.create(200);
        for (int s = 0; s < NODES; s++) {
            ring.addNode("node-" + s);
        }
    }

    @Benchmark
    public long paperlabRing() {
        long sum = 0;
        for (long key : keys) {
            sum += ring.nodeIndexFor(key);
        }
        return sum;
    }

    @Benchmark
    public long guavaJumpHash() {
        long sum = 0;
        for (long key : keys) {
            sum += Hashing.consistentHash(key, NODES);
        }
        return sum;
    }
}
