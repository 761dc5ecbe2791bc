package dev.paperlab.benchmarks;

import dev.paperlab.framework.algorithms.graph.CsrGraph;
import dev.paperlab.framework.algorithms.graph.Grid;
import dev.paperlab.framework.algorithms.graph.GridHeuristic;
import dev.paperlab.framework.algorithms.graph.GridSearch;
import java.util.Random;
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
 * A* and Dijkstra corner to corner on a 1,000 x 1,000 grid with 20% random obstacles and
 * 8-neighbour moves (octile heuristic): ours directly on the grid against JGraphT 1.5.2 on the
 * same move graph.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx8g"})
public class GridAStarBenchmark {
    static final int SIDE = 1000;

    Grid grid;
    Graph<Integer, DefaultWeightedEdge> jgrapht;
    int goal;

    @Setup
    public void setup() {
        Random rnd = new Random(42);
        boolean[][] blocked = new boolean[SIDE][SIDE];
        for (boolean[] row : blocked) {
            for (int c = 0; c < SIDE; c++) {
                row[c] = rnd.nextDouble() < 0.2;
            }
        }
        blocked[0][0] = false;
        blocked[SIDE - 1][SIDE - 1] = false;
        grid = Grid.of(blocked);
        goal = SIDE * SIDE - 1;
        CsrGraph moves = grid.toGraph(Grid.Connectivity.EIGHT);
        jgrapht = new SimpleDirectedWeightedGraph<>(DefaultWeightedEdge.class);
        for (int v = 0; v < moves.nodeCount(); v++) {
            jgrapht.addVertex(v);
        }
        for (int u = 0; u < moves.nodeCount(); u++) {
            for (int a = moves.arcStart(u); a < moves.arcEnd(u); a++) {
                jgrapht.setEdgeWeight(jgrapht.addEdge(u, moves.arcTarget(a)), moves.arcWeight(a));
            }
        }
    }

    static double octile(int u, int t) {
        int dr = Math.abs(u / SIDE - t / SIDE);
        int dc = Math.abs(u % SIDE - t % SIDE);
        return GridHeuristic.OCTILE.estimate(dr, dc);
    }

    @Benchmark
    public double aStarOurs() {
        return GridSearch.aStar(grid, Grid.Connectivity.EIGHT, GridHeuristic.OCTILE, 0, 0, SIDE - 1, SIDE - 1)
                .cost();
    }

    @Benchmark
    public double aStarJgrapht() {
        return new AStarShortestPath<>(jgrapht, GridAStarBenchmark::octile).getPathWeight(0, goal);
    }

    @Benchmark
    public double dijkstraOurs() {
        return GridSearch.dijkstra(grid, Grid.Connectivity.EIGHT, 0, 0, SIDE - 1, SIDE - 1)
                .cost();
    }

    @Benchmark
    public double dijkstraJgrapht() {
        return new DijkstraShortestPath<>(jgrapht).getPathWeight(0, goal);
    }
}
