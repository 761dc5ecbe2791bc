package dev.paperlab.framework.algorithms.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class AStarTest {
    /** Nodes on a plane, arcs weighted at least their Euclidean length: straight-line h is admissible. */
    private static final class Geometric {
        final double[] x;
        final double[] y;
        final CsrGraph graph;

        Geometric(Random rnd, int n, int m) {
            x = new double[n];
            y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = rnd.nextInt(100);
                y[i] = rnd.nextInt(100);
            }
            CsrGraph.Builder b = CsrGraph.builder(n, rnd.nextBoolean());
            for (int e = 0; e < m; e++) {
                int u = rnd.nextInt(n);
                int v = rnd.nextInt(n);
                b.addEdge(u, v, Math.hypot(x[u] - x[v], y[u] - y[v]) * (1 + rnd.nextDouble()));
            }
            graph = b.build();
        }

        double h(int v, int t) {
            return Math.hypot(x[v] - x[t], y[v] - y[t]);
        }
    }

    @Property(tries = 150)
    void admissibleHeuristicGivesDijkstraCostWithNoMoreExpansions(@ForAll long seed) {
        Random rnd = new Random(seed);
        int n = 1 + rnd.nextInt(60);
        Geometric geo = new Geometric(rnd, n, rnd.nextInt(5 * n + 1));
        int s = rnd.nextInt(n);
        int t = rnd.nextInt(n);
        Path dij = Dijkstra.shortestPath(geo.graph, s, t);
        Path astar = AStar.search(geo.graph, s, t, v -> geo.h(v, t));
        assertEquals(dij.cost(), astar.cost(), 1e-9);
        assertEquals(dij.found(), astar.found());
        if (astar.found()) {
            assertEquals(astar.cost(), RandomGraphs.pathCost(geo.graph, astar.nodes()), 1e-9);
            assertTrue(astar.expanded() <= dij.expanded(), astar + " vs " + dij);
        }
        Path zero = AStar.search(geo.graph, s, t, v -> 0.0);
        assertEquals(dij.cost(), zero.cost(), 1e-9);
    }

    @Property(tries = 150)
    void inconsistentButAdmissibleHeuristicStillOptimal(@ForAll long seed) {
        Random rnd = new Random(seed);
        int n = 2 + rnd.nextInt(40);
        RandomGraphs rg = RandomGraphs.simple(rnd, n, rnd.nextInt(5 * n), 20);
        CsrGraph g = rg.csr();
        int s = rnd.nextInt(n);
        int t = rnd.nextInt(n);
        // h(v) = a random fraction of the true distance to t: admissible, often inconsistent.
        CsrGraph reversed = CsrGraph.fromEdges(n, rg.to, rg.from, rg.w, true);
        double[] toT = Dijkstra.shortestPaths(reversed, t).distances();
        double[] h = new double[n];
        for (int v = 0; v < n; v++) {
            h[v] = toT[v] == Double.POSITIVE_INFINITY ? 1e6 : toT[v] * rnd.nextDouble();
        }
        h[t] = 0;
        Path astar = AStar.search(g, s, t, v -> h[v]);
        assertEquals(RandomGraphs.bellmanFord(g, s)[t], astar.cost());
        if (astar.found()) {
            assertEquals(astar.cost(), RandomGraphs.pathCost(g, astar.nodes()));
        }
    }

    @Test
    void goldenJgraphtExample() {
        CsrGraph g = CsrGraph.builder(5, false)
                .addEdge(0, 1, 2)
                .addEdge(0, 2, 3)
                .addEdge(0, 4, 100)
                .addEdge(1, 3, 5)
                .addEdge(2, 3, 20)
                .addEdge(3, 4, 5)
                .build();
        // The exact remaining distances to node 4 are a perfect heuristic: only the path expands.
        double[] exact = {12, 10, 15, 5, 0};
        Path p = AStar.search(g, 2, 4, v -> exact[v]);
        assertArrayEquals(new int[] {2, 0, 1, 3, 4}, p.nodes());
        assertEquals(15.0, p.cost());
        assertEquals(5, p.expanded());
        assertFalse(
                AStar.search(CsrGraph.builder(2, true).build(), 0, 1, v -> 0).found());
    }

    @Test
    void invalidHeuristicIsRejectedNamingNodeAndValue() {
        CsrGraph g = CsrGraph.builder(3, true).addEdge(0, 1, 1).addEdge(1, 2, 1).build();
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> AStar.search(g, 0, 2, v -> v == 1 ? -1 : 0));
        assertTrue(e.getMessage().contains("node 1") && e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AStar.search(g, 0, 2, v -> v == 0 ? Double.NaN : 0));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AStar.search(g, 0, 2, v -> 3));
        assertTrue(e.getMessage().contains("target node 2") && e.getMessage().contains("3.0"), e.getMessage());
        CsrGraph neg = CsrGraph.builder(2, true).addEdge(0, 1, -1).build();
        assertThrows(IllegalArgumentException.class, () -> AStar.search(neg, 0, 1, v -> 0));
        assertThrows(IllegalArgumentException.class, () -> AStar.search(g, 0, 5, v -> 0));
    }
}
