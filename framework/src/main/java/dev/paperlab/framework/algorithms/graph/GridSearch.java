package dev.paperlab.framework.algorithms.graph;

import java.util.Arrays;

/**
 * A* (Hart, Nilsson and Raphael 1968) directly on a {@link Grid}, without building a graph:
 * neighbours are generated from the move set and {@code f(v) = g(v) + h(v)} uses a
 * {@link GridHeuristic}. Ties in {@code f} are broken towards the larger {@code g}. Every
 * allowed heuristic is consistent, so a closed cell is never reopened and each cell is expanded
 * at most once (rounding in sums of {@code sqrt(2)} cannot trigger spurious re-expansions).
 *
 * <pre>{@code
 * Grid grid = Grid.parse("S..#", ".#..", "...G");
 * GridPath p = GridSearch.aStar(grid, Grid.Connectivity.FOUR, GridHeuristic.MANHATTAN, 0, 0, 2, 3);
 * // p.cost() == 5.0
 * }</pre>
 */
public final class GridSearch {
    private GridSearch() {}

    /** A least-cost path between two free cells; a heuristic the moves make inadmissible is an error. */
    public static GridPath aStar(
            Grid grid,
            Grid.Connectivity connectivity,
            GridHeuristic heuristic,
            int startRow,
            int startCol,
            int goalRow,
            int goalCol) {
        if (!heuristic.admits(connectivity)) {
            throw new IllegalArgumentException(
                    "heuristic " + heuristic + " is inadmissible with " + connectivity + "-neighbour moves");
        }
        grid.checkFreeCell("start", startRow, startCol);
        grid.checkFreeCell("goal", goalRow, goalCol);
        int cols = grid.cols();
        int n = grid.rows() * cols;
        int[][] moves = Grid.moves(connectivity);
        double[] g = new double[n];
        int[] pred = new int[n];
        boolean[] closed = new boolean[n];
        Arrays.fill(g, Double.POSITIVE_INFINITY);
        IndexedMinHeap open = new IndexedMinHeap(n);
        int start = startRow * cols + startCol;
        int goal = goalRow * cols + goalCol;
        g[start] = 0.0;
        pred[start] = -1;
        open.insert(start, h(heuristic, startRow, startCol, goalRow, goalCol), 0.0);
        int expanded = 0;
        while (!open.isEmpty()) {
            int u = open.poll();
            closed[u] = true;
            expanded++;
            if (u == goal) {
                return toGridPath(pred, goal, cols, g[goal], expanded);
            }
            int r = u / cols;
            int c = u - r * cols;
            double gu = g[u];
            for (int[] mv : moves) {
                if (!grid.canStep(r, c, mv[0], mv[1])) {
                    continue;
                }
                int nr = r + mv[0];
                int nc = c + mv[1];
                int v = nr * cols + nc;
                if (closed[v]) {
                    continue; // the grid heuristics are consistent: a closed g is final
                }
                double alt = gu + ((mv[0] != 0 && mv[1] != 0) ? Grid.SQRT2 : 1.0);
                if (!(alt < g[v])) {
                    continue;
                }
                g[v] = alt;
                pred[v] = u;
                double f = alt + h(heuristic, nr, nc, goalRow, goalCol);
                if (open.contains(v)) {
                    open.decreaseKey(v, f, -alt);
                } else {
                    open.insert(v, f, -alt);
                }
            }
        }
        return new GridPath(new int[0], new int[0], Double.POSITIVE_INFINITY, expanded);
    }

    /** Dijkstra on the grid: {@link #aStar} with {@link GridHeuristic#ZERO}. */
    public static GridPath dijkstra(Grid grid, Grid.Connectivity connectivity, int sr, int sc, int gr, int gc) {
        return aStar(grid, connectivity, GridHeuristic.ZERO, sr, sc, gr, gc);
    }

    private static double h(GridHeuristic heuristic, int r, int c, int gr, int gc) {
        return heuristic.estimate(Math.abs(r - gr), Math.abs(c - gc));
    }

    private static GridPath toGridPath(int[] pred, int goal, int cols, double cost, int expanded) {
        int[] ids = Path.walkBack(pred, goal);
        int[] rows = new int[ids.length];
        int[] cs = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            rows[i] = ids[i] / cols;
            cs[i] = ids[i] % cols;
        }
        return new GridPath(rows, cs, cost, expanded);
    }
}
