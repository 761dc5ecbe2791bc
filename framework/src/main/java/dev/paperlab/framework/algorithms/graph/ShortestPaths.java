package dev.paperlab.framework.algorithms.graph;

/**
 * Single-source shortest-path tree: the distance to every node ({@code +inf} when unreachable)
 * and each node's predecessor on one shortest path ({@code -1} for the source and unreachable
 * nodes).
 */
public final class ShortestPaths {
    private final int source;
    private final double[] dist;
    private final int[] pred;

    ShortestPaths(int source, double[] dist, int[] pred) {
        this.source = source;
        this.dist = dist;
        this.pred = pred;
    }

    public int source() {
        return source;
    }

    public double distance(int node) {
        return dist[node];
    }

    /** A copy of all distances, indexed by node. */
    public double[] distances() {
        return dist.clone();
    }

    /** The predecessor of {@code node} on its shortest path, or {@code -1}. */
    public int predecessor(int node) {
        return pred[node];
    }

    public boolean reachable(int node) {
        return dist[node] != Double.POSITIVE_INFINITY;
    }

    /** The nodes of a shortest path from the source to {@code node}; empty if unreachable. */
    public int[] pathTo(int node) {
        if (node < 0 || node >= dist.length) {
            throw new IllegalArgumentException("target node " + node + " outside [0, " + dist.length + ")");
        }
        return reachable(node) ? Path.walkBack(pred, node) : new int[0];
    }
}
