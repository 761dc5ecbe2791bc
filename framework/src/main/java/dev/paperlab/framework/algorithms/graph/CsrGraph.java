package dev.paperlab.framework.algorithms.graph;

import java.util.Arrays;

/**
 * A weighted graph in compressed sparse row form: the out-edges of node {@code u} are
 * {@code targets[offsets[u] .. offsets[u+1])} with the matching {@code weights}. Three flat arrays
 * keep the edge scan of Dijkstra and A* cache friendly and allocation free.
 *
 * <p>An undirected edge is stored as two arcs. Weights must be finite (NaN and infinities are
 * rejected when building); whether negative weights are allowed is up to the algorithm.
 */
public final class CsrGraph {
    private final int nodeCount;
    private final int[] offsets;
    private final int[] targets;
    private final double[] weights;

    private CsrGraph(int nodeCount, int[] offsets, int[] targets, double[] weights) {
        this.nodeCount = nodeCount;
        this.offsets = offsets;
        this.targets = targets;
        this.weights = weights;
    }

    /**
     * Builds a graph from parallel edge lists. Edge {@code i} goes from {@code from[i]} to
     * {@code to[i]} with weight {@code weight[i]}; when {@code directed} is false it is also stored
     * in reverse. Arcs keep the input order within each source node.
     */
    public static CsrGraph fromEdges(int nodeCount, int[] from, int[] to, double[] weight, boolean directed) {
        if (nodeCount < 0) {
            throw new IllegalArgumentException("node count must be >= 0, got " + nodeCount);
        }
        if (from.length != to.length || from.length != weight.length) {
            throw new IllegalArgumentException("edge lists differ in length: from " + from.length + ", to " + to.length
                    + ", weight " + weight.length);
        }
        int m = from.length;
        for (int i = 0; i < m; i++) {
            checkNode(nodeCount, from[i], i);
            checkNode(nodeCount, to[i], i);
            if (!Double.isFinite(weight[i])) {
                throw new IllegalArgumentException(
                        "edge " + i + " (" + from[i] + " -> " + to[i] + ") has non-finite weight " + weight[i]);
            }
        }
        int arcs = directed ? m : 2 * m;
        // Counting sort of arcs by source node: O(n + m).
        int[] offsets = new int[nodeCount + 1];
        for (int i = 0; i < m; i++) {
            offsets[from[i] + 1]++;
            if (!directed) {
                offsets[to[i] + 1]++;
            }
        }
        for (int u = 0; u < nodeCount; u++) {
            offsets[u + 1] += offsets[u];
        }
        int[] next = Arrays.copyOf(offsets, nodeCount);
        int[] targets = new int[arcs];
        double[] weights = new double[arcs];
        for (int i = 0; i < m; i++) {
            int a = next[from[i]]++;
            targets[a] = to[i];
            weights[a] = weight[i];
            if (!directed) {
                int b = next[to[i]]++;
                targets[b] = from[i];
                weights[b] = weight[i];
            }
        }
        return new CsrGraph(nodeCount, offsets, targets, weights);
    }

    /** Starts a builder that collects edges one at a time. */
    public static Builder builder(int nodeCount, boolean directed) {
        return new Builder(nodeCount, directed);
    }

    private static void checkNode(int n, int node, int edge) {
        if (node < 0 || node >= n) {
            throw new IllegalArgumentException("edge " + edge + " has endpoint " + node + " outside [0, " + n + ")");
        }
    }

    public int nodeCount() {
        return nodeCount;
    }

    /** The number of stored arcs (twice the edge count for an undirected graph). */
    public int arcCount() {
        return targets.length;
    }

    /** First arc index of {@code u}. */
    public int arcStart(int u) {
        return offsets[u];
    }

    /** One past the last arc index of {@code u}. */
    public int arcEnd(int u) {
        return offsets[u + 1];
    }

    public int arcTarget(int arc) {
        return targets[arc];
    }

    public double arcWeight(int arc) {
        return weights[arc];
    }

    /** Throws when {@code node} is not a node of this graph, naming the argument. */
    void checkNode(String what, int node) {
        if (node < 0 || node >= nodeCount) {
            throw new IllegalArgumentException(what + " node " + node + " outside [0, " + nodeCount + ")");
        }
    }

    /** Throws on the first negative arc, naming its endpoints and weight. */
    void requireNonNegativeWeights() {
        for (int u = 0; u < nodeCount; u++) {
            for (int a = offsets[u]; a < offsets[u + 1]; a++) {
                if (!(weights[a] >= 0)) {
                    throw new IllegalArgumentException("edge " + u + " -> " + targets[a] + " has negative weight "
                            + weights[a] + "; Dijkstra and A* need weights >= 0");
                }
            }
        }
    }

    /** Collects edges into growable arrays, then builds a {@link CsrGraph}. */
    public static final class Builder {
        private final int nodeCount;
        private final boolean directed;
        private int[] from = new int[16];
        private int[] to = new int[16];
        private double[] weight = new double[16];
        private int size;

        private Builder(int nodeCount, boolean directed) {
            if (nodeCount < 0) {
                throw new IllegalArgumentException("node count must be >= 0, got " + nodeCount);
            }
            this.nodeCount = nodeCount;
            this.directed = directed;
        }

        /** Adds an edge; endpoints and weight are validated by {@link #build()}. */
        public Builder addEdge(int u, int v, double w) {
            if (size == from.length) {
                int cap = 2 * size;
                from = Arrays.copyOf(from, cap);
                to = Arrays.copyOf(to, cap);
                weight = Arrays.copyOf(weight, cap);
            }
            from[size] = u;
            to[size] = v;
            weight[size] = w;
            size++;
            return this;
        }

        public CsrGraph build() {
            return fromEdges(
                    nodeCount,
                    Arrays.copyOf(from, size),
                    Arrays.copyOf(to, size),
                    Arrays.copyOf(weight, size),
                    directed);
        }
    }
}
