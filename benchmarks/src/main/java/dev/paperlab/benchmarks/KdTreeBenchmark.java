package dev.paperlab.benchmarks;

import dev.paperlab.framework.algorithms.knn.KdTree;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
 * Exact 10-NN of 1,000 queries among 1e5 uniform points in 8-D: the k-d tree (built in setup)
 * against a brute-force scan over a flat array with a sorted top-10 buffer.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx2g"})
public class KdTreeBenchmark {
    static final int N = 100_000;
    static final int DIM = 8;
    static final int K = 10;
    static final int QUERIES = 1000;

    double[] flat;
    double[][] queries;
    KdTree tree;

    @Setup
    public void setup() {
        Random rnd = new Random(42);
        double[][] points = new double[N][DIM];
        flat = new double[N * DIM];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < DIM; j++) {
                points[i][j] = rnd.nextDouble();
                flat[i * DIM + j] = points[i][j];
            }
        }
        queries = new double[QUERIES][DIM];
        for (double[] q : queries) {
            for (int j = 0; j < DIM; j++) {
                q[j] = rnd.nextDouble();
            }
        }
        tree = KdTree.build(points);
    }

    @Benchmark
    public long kdTree() {
        long sum = 0;
        for (double[] q : queries) {
            sum += tree.nearest(q, K).indices()[K - 1];
        }
        return sum;
    }

    @Benchmark
    public long bruteForce() {
        long sum = 0;
        double[] best = new double[K];
        int[] bestIdx = new int[K];
        for (double[] q : queries) {
            java.util.Arrays.fill(best, Double.POSITIVE_INFINITY);
            for (int i = 0; i < N; i++) {
                double s = 0;
                int base = i * DIM;
                for (int j = 0; j < DIM; j++) {
                    double t = q[j] - flat[base + j];
                    s += t * t;
                }
                if (s < best[K - 1]) {
                    int p = K - 1;
                    while (p > 0 && best[p - 1] > s) {
                        best[p] = best[p - 1];
                        bestIdx[p] = bestIdx[p - 1];
                        p--;
                    }
                    best[p] = s;
                    bestIdx[p] = i;
                }
            }
            sum += bestIdx[K - 1];
        }
        return sum;
    }
}
