package dev.paperlab.framework.algorithms.graph;

import java.util.Arrays;

/**
 * Dijkstra's shortest paths (E. W. Dijkstra, "A note on two problems in connexion with graphs",
 * Numerische Mathematik 1, 1959) for non-negative edge weights.
 *
 * <p>Nodes are settled in order of their tentative distance {@code d(v)}; relaxing an arc
 * {@code (u, v, w)} applies {@code d(v) <- min(d(v), d(u) + w)}. The open set is an
 * {@link IndexedMinHeap} whose {@code decreaseKey} lowers a queued node in place, so the queue
 * never holds more than {@code n} entries: O((n + m) log n) time, O(n) extra memory.
 */
public final class Dijkstra {
    private Dijkstra() {}

    /** Shortest distances and predecessors from {@code source} to every node. */
    public static ShortestPaths shortestPaths(CsrGraph graph, int source) {
        graph.checkNode("source", source);
        graph.requireNonNegativeWeights();
        int n = graph.nodeCount();
        double[] dist = new double[n];
        int[] pred = new int[n];
        run(graph, source, -1, dist, pred, new boolean[n]);
        return new ShortestPaths(source, dist, pred);
    }

    /** A shortest path from {@code source} to {@code target}, stopping once the target settles. */
    public static Path shortestPath(CsrGraph graph, int source, int target) {
        graph.checkNode("source", source);
        graph.checkNode("target", target);
        graph.requireNonNegativeWeights();
        int n = graph.nodeCount();
        double[] dist = new double[n];
        int[] pred = new int[n];
        int expanded = run(graph, source, target, dist, pred, new boolean[n]);
        if (dist[target] == Double.POSITIVE_INFINITY) {
            return new Path(new int[0], Double.POSITIVE_INFINITY, expanded);
        }
        return new Path(Path.walkBack(pred, target), dist[target], expanded);
    }

    /** Runs the search, returns the number of settled nodes. {@code target < 0} settles all. */
    private static int run(CsrGraph g, int source, int target, double[] dist, int[] pred, boolean[] settled) {
        Arrays.fill(dist, Double.POSITIVE_INFINITY);
        Arrays.fill(pred, -1);
        IndexedMinHeap open = new IndexedMinHeap(g.nodeCount());
        dist[source] = 0.0;
        open.insert(source, 0.0);
        int expanded = 0;
        while (!open.isEmpty()) {
            int u = open.poll();
            settled[u] = true;
            expanded++;
            if (u == target) {
                break;
            }
            double du = dist[u];
            for (int a = g.arcStart(u), end = g.arcEnd(u); a < end; a++) {
                int v = g.arcTarget(a);
                if (settled[v]) {
                    continue;
                }
                // Relaxation: d(v) <- min(d(v), d(u) + w(u, v)).
                double alt = du + g.arcWeight(a);
                if (alt < dist[v]) {
                    boolean queued = dist[v] != Double.POSITIVE_INFINITY;
                    dist[v] = alt;
                    pred[v] = u;
                    if (queued) {
                        open.decreaseKey(v, alt);
                    } else {
                        open.insert(v, alt);
                    }
                }
            }
        }
        return expanded;
    }
}
