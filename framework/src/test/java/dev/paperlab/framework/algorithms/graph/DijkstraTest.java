package dev.paperlab.framework.algorithms.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.jgrapht.Graph;
import org.jgrapht.alg.interfaces.ShortestPathAlgorithm.SingleSourcePaths;
import org.jgrapht.alg.shortestpath.DijkstraShortestPath;
import org.jgrapht.graph.DefaultWeightedEdge;
import org.junit.jupiter.api.Test;

class DijkstraTest {
    /** JGraphT's documentation example, nodes renumbered 1..5 -> 0..4. */
    private static CsrGraph jgraphtExample() {
        return CsrGraph.builder(5, false)
                .addEdge(0, 1, 2)
                .addEdge(0, 2, 3)
                .addEdge(0, 4, 100)
                .addEdge(1, 3, 5)
                .addEdge(2, 3, 20)
                .addEdge(3, 4, 5)
                .build();
    }

    @Test
    void goldenJgraphtExampleFromNode3() {
        ShortestPaths sp = Dijkstra.shortestPaths(jgraphtExample(), 2);
        // Distances to nodes 3, 1, 2, 4, 5 (1-based) are 0, 3, 5, 10, 15.
        assertArrayEquals(new double[] {3, 5, 0, 10, 15}, sp.distances());
        assertArrayEquals(new int[] {2, 0, 1, 3, 4}, sp.pathTo(4));
        Path p = Dijkstra.shortestPath(jgraphtExample(), 2, 4);
        assertArrayEquals(new int[] {2, 0, 1, 3, 4}, p.nodes());
        assertEquals(15.0, p.cost());
        assertEquals(5, p.expanded());
    }

    @Property(tries = 150)
    void distancesMatchJgraphtAndBellmanFord(@ForAll long seed) {
        Random rnd = new Random(seed);
        int n = 1 + rnd.nextInt(40);
        RandomGraphs rg = RandomGraphs.simple(rnd, n, rnd.nextInt(4 * n + 1), 20);
        CsrGraph g = rg.csr();
        int s = rnd.nextInt(n);
        ShortestPaths sp = Dijkstra.shortestPaths(g, s);
        double[] bf = RandomGraphs.bellmanFord(g, s);
        Graph<Integer, DefaultWeightedEdge> jg = rg.jgrapht();
        SingleSourcePaths<Integer, DefaultWeightedEdge> ref = new DijkstraShortestPath<>(jg).getPaths(s);
        for (int v = 0; v < n; v++) {
            assertEquals(bf[v], sp.distance(v), "Bellman-Ford distance to " + v);
            assertEquals(ref.getWeight(v), sp.distance(v), "JGraphT distance to " + v);
            int[] path = sp.pathTo(v);
            if (sp.reachable(v)) {
                assertEquals(s, path[0]);
                assertEquals(v, path[path.length - 1]);
                assertEquals(sp.distance(v), RandomGraphs.pathCost(g, path));
            } else {
                assertEquals(0, path.length);
            }
            Path single = Dijkstra.shortestPath(g, s, v);
            assertEquals(sp.distance(v), single.cost());
            if (single.found()) {
                assertEquals(single.cost(), RandomGraphs.pathCost(g, single.nodes()));
            }
        }
    }

    @Property(tries = 50)
    void undirectedGraphMatchesBothArcDirections(@ForAll long seed) {
        Random rnd = new Random(seed);
        int n = 2 + rnd.nextInt(30);
        RandomGraphs rg = RandomGraphs.simple(rnd, n, 2 * n, 9);
        CsrGraph undirected = CsrGraph.fromEdges(n, rg.from, rg.to, rg.w, false);
        int m = rg.from.length;
        int[] f2 = new int[2 * m];
        int[] t2 = new int[2 * m];
        double[] w2 = new double[2 * m];
        for (int i = 0; i < m; i++) {
            f2[2 * i] = rg.from[i];
            t2[2 * i] = rg.to[i];
            f2[2 * i + 1] = rg.to[i];
            t2[2 * i + 1] = rg.from[i];
            w2[2 * i] = w2[2 * i + 1] = rg.w[i];
        }
        CsrGraph both = CsrGraph.fromEdges(n, f2, t2, w2, true);
        assertEquals(2 * m, undirected.arcCount());
        assertArrayEquals(
                RandomGraphs.bellmanFord(both, 0),
                Dijkstra.shortestPaths(undirected, 0).distances());
    }

    @Test
    void unreachableTargetGivesEmptyPath() {
        CsrGraph g = CsrGraph.builder(3, true).addEdge(0, 1, 1).build();
        Path p = Dijkstra.shortestPath(g, 0, 2);
        assertFalse(p.found());
        assertEquals(Double.POSITIVE_INFINITY, p.cost());
        assertEquals(0, Dijkstra.shortestPaths(g, 0).pathTo(2).length);
    }

    @Test
    void negativeOrNanWeightIsRejectedNamingEdgeAndWeight() {
        CsrGraph neg =
                CsrGraph.builder(3, true).addEdge(0, 1, 1).addEdge(1, 2, -2.5).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dijkstra.shortestPaths(neg, 0));
        assertTrue(e.getMessage().contains("1 -> 2") && e.getMessage().contains("-2.5"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> CsrGraph.builder(3, true).addEdge(2, 0, Double.NaN).build());
        assertTrue(e.getMessage().contains("2 -> 0") && e.getMessage().contains("NaN"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> CsrGraph.builder(3, true).addEdge(0, 3, 1).build());
        assertTrue(e.getMessage().contains("3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Dijkstra.shortestPaths(jgraphtExample(), 7));
        assertTrue(e.getMessage().contains("source node 7"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> CsrGraph.fromEdges(2, new int[1], new int[2], new double[1], true));
    }
}
