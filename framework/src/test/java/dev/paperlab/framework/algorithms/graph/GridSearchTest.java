package dev.paperlab.framework.algorithms.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paperlab.framework.algorithms.graph.Grid.Connectivity;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.jgrapht.Graph;
import org.jgrapht.alg.shortestpath.DijkstraShortestPath;
import org.jgrapht.graph.DefaultWeightedEdge;
import org.jgrapht.graph.SimpleDirectedWeightedGraph;
import org.junit.jupiter.api.Test;

class GridSearchTest {
    @Test
    void goldenGridWithWall() {
        Grid grid = Grid.parse("S..#....", ".#.#.##.", ".#...#..", ".####.#.", "......#G");
        GridPath p = GridSearch.aStar(grid, Connectivity.FOUR, GridHeuristic.MANHATTAN, 0, 0, 4, 7);
        // Hand count: right 2, down 2, right 2, up 2, right 3, down 4 = 15 steps.
        assertEquals(15.0, p.cost());
        assertEquals(16, p.length());
        // Every diagonal shortcut here would cut a wall corner, so 8-neighbour moves cost the same.
        assertEquals(
                15.0,
                GridSearch.aStar(grid, Connectivity.EIGHT, GridHeuristic.OCTILE, 0, 0, 4, 7)
                        .cost(),
                1e-12);
        // An open 4-neighbour grid with the exact Manhattan heuristic expands only the path.
        Grid open = Grid.of(new boolean[20][30]);
        GridPath straight = GridSearch.aStar(open, Connectivity.FOUR, GridHeuristic.MANHATTAN, 0, 0, 19, 29);
        assertEquals(48.0, straight.cost());
        assertEquals(49, straight.expanded());
        GridPath diag = GridSearch.aStar(open, Connectivity.EIGHT, GridHeuristic.OCTILE, 0, 0, 19, 29);
        assertEquals(19 * Math.sqrt(2) + 10, diag.cost(), 1e-9);
    }

    @Property(tries = 400)
    void aStarMatchesDijkstraCostAndExpandsNoMore(@ForAll long seed) {
        Random rnd = new Random(seed);
        int rows = 1 + rnd.nextInt(25);
        int cols = 1 + rnd.nextInt(25);
        double density = rnd.nextDouble() * 0.4;
        boolean[][] blocked = new boolean[rows][cols];
        for (boolean[] row : blocked) {
            for (int c = 0; c < cols; c++) {
                row[c] = rnd.nextDouble() < density;
            }
        }
        int sr = rnd.nextInt(rows), sc = rnd.nextInt(cols), gr = rnd.nextInt(rows), gc = rnd.nextInt(cols);
        blocked[sr][sc] = false;
        blocked[gr][gc] = false;
        Grid grid = Grid.of(blocked);
        for (Connectivity conn : Connectivity.values()) {
            CsrGraph graph = grid.toGraph(conn);
            Path reference = Dijkstra.shortestPath(graph, sr * cols + sc, gr * cols + gc);
            GridPath dij = GridSearch.dijkstra(grid, conn, sr, sc, gr, gc);
            assertEquals(reference.cost(), dij.cost(), 1e-9);
            for (GridHeuristic h : GridHeuristic.values()) {
                if (!h.admits(conn)) {
                    continue;
                }
                GridPath p = GridSearch.aStar(grid, conn, h, sr, sc, gr, gc);
                assertEquals(reference.cost(), p.cost(), 1e-9, conn + " " + h);
                assertTrue(
                        p.expanded() <= dij.expanded(),
                        conn + " " + h + " expanded " + p.expanded() + " > " + dij.expanded());
                if (p.found()) {
                    assertEquals(p.cost(), walk(grid, conn, p), 1e-9);
                }
            }
        }
    }

    @Property(tries = 30)
    void gridCostMatchesJgrapht(@ForAll long seed) {
        Random rnd = new Random(seed);
        int rows = 2 + rnd.nextInt(15);
        int cols = 2 + rnd.nextInt(15);
        boolean[][] blocked = new boolean[rows][cols];
        for (boolean[] row : blocked) {
            for (int c = 0; c < cols; c++) {
                row[c] = rnd.nextDouble() < 0.25;
            }
        }
        blocked[0][0] = false;
        blocked[rows - 1][cols - 1] = false;
        Grid grid = Grid.of(blocked);
        Graph<Integer, DefaultWeightedEdge> jg = new SimpleDirectedWeightedGraph<>(DefaultWeightedEdge.class);
        CsrGraph csr = grid.toGraph(Connectivity.EIGHT);
        for (int v = 0; v < csr.nodeCount(); v++) {
            jg.addVertex(v);
        }
        for (int u = 0; u < csr.nodeCount(); u++) {
            for (int a = csr.arcStart(u); a < csr.arcEnd(u); a++) {
                jg.setEdgeWeight(jg.addEdge(u, csr.arcTarget(a)), csr.arcWeight(a));
            }
        }
        double expected = new DijkstraShortestPath<>(jg).getPathWeight(0, rows * cols - 1);
        GridPath p = GridSearch.aStar(grid, Connectivity.EIGHT, GridHeuristic.OCTILE, 0, 0, rows - 1, cols - 1);
        assertEquals(expected, p.cost(), 1e-9);
    }

    /** Replays a path, checking each step is a legal move, and returns its cost. */
    private static double walk(Grid grid, Connectivity conn, GridPath p) {
        int[] r = p.rows();
        int[] c = p.cols();
        double cost = 0;
        for (int i = 0; i + 1 < r.length; i++) {
            int dr = r[i + 1] - r[i];
            int dc = c[i + 1] - c[i];
            boolean diagonal = dr != 0 && dc != 0;
            assertTrue(Math.abs(dr) <= 1 && Math.abs(dc) <= 1 && (dr != 0 || dc != 0));
            assertFalse(diagonal && conn == Connectivity.FOUR);
            assertTrue(grid.canStep(r[i], c[i], dr, dc), "step " + i + " is legal");
            cost += diagonal ? Math.sqrt(2) : 1;
        }
        return cost;
    }

    @Test
    void unreachableGoalAndBadArguments() {
        Grid walled = Grid.parse("..#..", "..#..");
        GridPath p = GridSearch.aStar(walled, Connectivity.EIGHT, GridHeuristic.EUCLIDEAN, 0, 0, 1, 4);
        assertFalse(p.found());
        assertEquals(Double.POSITIVE_INFINITY, p.cost());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> GridSearch.aStar(walled, Connectivity.EIGHT, GridHeuristic.MANHATTAN, 0, 0, 1, 1));
        assertTrue(e.getMessage().contains("MANHATTAN") && e.getMessage().contains("EIGHT"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> GridSearch.aStar(walled, Connectivity.FOUR, GridHeuristic.MANHATTAN, 0, 2, 1, 1));
        assertTrue(e.getMessage().contains("start cell (0, 2) is blocked"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> GridSearch.aStar(walled, Connectivity.FOUR, GridHeuristic.MANHATTAN, 0, 0, 2, 1));
        assertTrue(e.getMessage().contains("goal cell (2, 1) outside the 2 x 5 grid"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Grid.parse("...", ".."));
        assertTrue(e.getMessage().contains("row 1 has 2 cells, row 0 has 3"), e.getMessage());
        // No corner cutting: the diagonal between two blocked orthogonals is closed.
        Grid corner = Grid.parse(".#", "#.");
        assertFalse(GridSearch.aStar(corner, Connectivity.EIGHT, GridHeuristic.OCTILE, 0, 0, 1, 1)
                .found());
        assertArrayEquals(
                new int[] {0},
                GridSearch.dijkstra(corner, Connectivity.FOUR, 0, 0, 0, 0).rows());
    }
}
