package dev.paperlab.benchmarks;

import dev.paperlab.framework.algorithms.graph.AStar;
import dev.paperlab.framework.algorithms.graph.CsrGraph;
import dev.paperlab.framework.algorithms.graph.Dijkstra;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jgrapht.Graph;
import org.jgrapht.alg.shortestpath.AStarShortestPath;
import org.jgrapht.alg.shortestpath.DijkstraShortestPath;
import org.jgrapht.graph.DefaultWeightedEdge;
import org.jgrapht.graph.SimpleDirectedWeightedGraph;
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
 * Dijkstra and A* on a random directed graph of 1e5 nodes and 1e6 arcs: ours (CSR + indexed heap
 * with decrease-key) against JGraphT 1.5.2 (pairing heap on its default graph). Nodes lie in the
 * unit square and an arc weighs its Euclidean length times {@code 1 + U(0, 1)}, so the
 * straight-line distance is an admissible A* heuristic. Dijkstra settles every node; A* runs
 * between a fixed pair.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx6g"})
public class ShortestPathBenchmark {
    static final int NODES = 100_000;
    static final int ARCS = 1_000_000;

    double[] x;
    double[] y;
    CsrGraph csr;
    Graph<Integer, DefaultWeightedEdge> jgrapht;
    int source;
    int target;

    @Setup
    public void setup() {
        Random rnd = new Random(42);
        x = new double[NODES];
        y = new double[NODES];
        for (int v = 0; v < NODES; v++) {
            x[v] = rnd.nextDouble();
            y[v] = rnd.nextDouble();
        }
        int[] from = new int[ARCS];
        int[] to = new int[ARCS];
        double[] w = new double[ARCS];
        Set<Long> seen = new HashSet<>();
        jgrapht = new SimpleDirectedWeightedGraph<>(DefaultWeightedEdge.class);
        for (int v = 0; v < NODES; v++) {
            jgrapht.addVertex(v);
        }
        for (int k = 0; k < ARCS; ) {
            int u = rnd.nextInt(NODES);
            int v = rnd.nextInt(NODES);
            if (u == v || !seen.add((long) u * NODES + v)) {
                continue;
            }
            from[k] = u;
            to[k] = v;
            w[k] = Math.hypot(x[u] - x[v], y[u] - y[v]) * (1 + rnd.nextDouble());
            jgrapht.setEdgeWeight(jgrapht.addEdge(u, v), w[k]);
            k++;
        }
        csr = CsrGraph.fromEdges(NODES, from, to, w, true);
        source = 0;
        target = 1;
    }

    double h(int v) {
        return Math.hypot(x[v] - x[target], y[v] - y[target]);
    }

    @Benchmark
    public double dijkstraOurs() {
        return Dijkstra.shortestPaths(csr, source).distance(target);
    }

    @Benchmark
    public double dijkstraJgrapht() {
        return new DijkstraShortestPath<>(jgrapht).getPaths(source).getWeight(target);
    }

    @Benchmark
    public double aStarOurs() {
        return AStar.search(csr, source, target, this::h).cost();
    }

    @Benchmark
    public double aStarJgrapht() {
        return new AStarShortestPath<>(jgrapht, (u, t) -> h(u)).getPathWeight(source, target);
    }
}
