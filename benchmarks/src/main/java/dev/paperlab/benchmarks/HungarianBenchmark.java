package dev.paperlab.benchmarks;

import dev.paperlab.framework.algorithms.matching.Hungarian;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jgrapht.alg.matching.KuhnMunkresMinimalWeightBipartitePerfectMatching;
import org.jgrapht.graph.DefaultWeightedEdge;
import org.jgrapht.graph.SimpleWeightedGraph;
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
 * A 500 x 500 assignment with uniform random costs: ours (shortest augmenting paths with
 * potentials) against JGraphT's Kuhn-Munkres on the complete bipartite graph (built in setup).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx4g"})
public class HungarianBenchmark {
    static final int N = 500;

    double[][] cost;
    SimpleWeightedGraph<Integer, DefaultWeightedEdge> graph;
    Set<Integer> left;
    Set<Integer> right;

    @Setup
    public void setup() {
        Random rnd = new Random(42);
        cost = new double[N][N];
        graph = new SimpleWeightedGraph<>(DefaultWeightedEdge.class);
        left = new HashSet<>();
        right = new HashSet<>();
        for (int v = 0; v < N; v++) {
            graph.addVertex(v);
            graph.addVertex(N + v);
            left.add(v);
            right.add(N + v);
        }
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                cost[i][j] = rnd.nextDouble();
                graph.setEdgeWeight(graph.addEdge(i, N + j), cost[i][j]);
            }
        }
    }

    @Benchmark
    public double ours() {
        return Hungarian.minimize(cost).cost();
    }

    @Benchmark
    public double jgrapht() {
        return new KuhnMunkresMinimalWeightBipartitePerfectMatching<>(graph, left, right)
                .getMatching()
                .getWeight();
    }
}
