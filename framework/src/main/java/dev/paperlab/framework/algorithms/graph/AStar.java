package dev.paperlab.framework.algorithms.graph;

import java.util.Arrays;
import java.util.function.IntToDoubleFunction;

/**
 * A* search (P. E. Hart, N. J. Nilsson, B. Raphael, "A Formal Basis for the Heuristic
 * Determination of Minimum Cost Paths", IEEE Trans. SSC 4(2), 1968) on a {@link CsrGraph}.
 *
 * <p>Nodes are expanded in order of {@code f(v) = g(v) + h(v)}, where {@code g} is the best known
 * cost from the source and {@code h} estimates the remaining cost to the target. If {@code h} is
 * admissible ({@code h(v) <= h*(v)}), the first time the target is expanded its cost is optimal.
 * A closed node whose {@code g} later improves is reopened, so an admissible but inconsistent
 * heuristic still gives the optimal cost; with a consistent one ({@code h(u) <= w(u,v) + h(v)})
 * no node is expanded twice. Ties in {@code f} go to the larger {@code g}.
 *
 * <p>{@code h} must be finite and {@code >= 0} at every node it is asked about, and
 * {@code h(target) = 0}; otherwise an {@link IllegalArgumentException} names the node and value.
 * With {@code h = 0} this is Dijkstra's algorithm.
 */
public final class AStar {
    private AStar() {}

    /** A least-cost path from {@code source} to {@code target} guided by {@code heuristic}. */
    public static Path search(CsrGraph graph, int source, int target, IntToDoubleFunction heuristic) {
        graph.checkNode("source", source);
        graph.checkNode("target", target);
        graph.requireNonNegativeWeights();
        double hTarget = heuristic.applyAsDouble(target);
        if (hTarget != 0.0) {
            throw new IllegalArgumentException(
                    "heuristic at target node " + target + " is " + hTarget + ", an admissible heuristic is 0 there");
        }
        int n = graph.nodeCount();
        double[] g = new double[n];
        double[] h = new double[n];
        int[] pred = new int[n];
        Arrays.fill(g, Double.POSITIVE_INFINITY);
        Arrays.fill(h, Double.NaN); // not evaluated yet
        Arrays.fill(pred, -1);
        IndexedMinHeap open = new IndexedMinHeap(n);
        g[source] = 0.0;
        h[source] = checkedH(heuristic, source);
        open.insert(source, h[source], 0.0);
        int expanded = 0;
        while (!open.isEmpty()) {
            int u = open.poll();
            expanded++;
            if (u == target) {
                return new Path(Path.walkBack(pred, target), g[target], expanded);
            }
            double gu = g[u];
            for (int a = graph.arcStart(u), end = graph.arcEnd(u); a < end; a++) {
                int v = graph.arcTarget(a);
                double alt = gu + graph.arcWeight(a);
                if (!(alt < g[v])) {
                    continue;
                }
                g[v] = alt;
                pred[v] = u;
                if (Double.isNaN(h[v])) {
                    h[v] = checkedH(heuristic, v);
                }
                // f(v) = g(v) + h(v); tie key -g prefers nodes deeper along the path.
                double f = alt + h[v];
                if (open.contains(v)) {
                    open.decreaseKey(v, f, -alt);
                } else {
                    // New, or reopened: a closed node improves only if h is inconsistent.
                    open.insert(v, f, -alt);
                }
            }
        }
        return new Path(new int[0], Double.POSITIVE_INFINITY, expanded);
    }

    private static double checkedH(IntToDoubleFunction heuristic, int node) {
        double value = heuristic.applyAsDouble(node);
        if (!(value >= 0) || value == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(
                    "heuristic at node " + node + " is " + value + ", it must be finite and >= 0");
        }
        return value;
    }
}
