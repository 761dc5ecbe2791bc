package dev.paperlab.framework.algorithms.graph;

import java.util.Random;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultWeightedEdge;
import org.jgrapht.graph.SimpleDirectedWeightedGraph;

/** Random edge lists shared by the graph tests, and their JGraphT twins. */
final class RandomGraphs {
    final int n;
    final int[] from;
    final int[] to;
    final double[] w;

    private RandomGraphs(int n, int[] from, int[] to, double[] w) {
        this.n = n;
        this.from = from;
        this.to = to;
        this.w = w;
    }

    /** m random arcs without self loops or parallel arcs (JGraphT simple graphs need that). */
    static RandomGraphs simple(Random rnd, int n, int m, double maxWeight) {
        java.util.Set<Long> seen = new java.util.HashSet<>();
        int[] from = new int[m];
        int[] to = new int[m];
        double[] w = new double[m];
        int k = 0;
        for (int tries = 0; k < m && tries < 20 * m; tries++) {
            int u = rnd.nextInt(n);
            int v = rnd.nextInt(n);
            if (u == v || !seen.add((long) u * n + v)) {
                continue;
            }
            from[k] = u;
            to[k] = v;
            // Integer-valued weights keep sums exact, so distances compare with ==.
            w[k] = rnd.nextInt((int) maxWeight + 1);
            k++;
        }
        return new RandomGraphs(
                n, java.util.Arrays.copyOf(from, k), java.util.Arrays.copyOf(to, k), java.util.Arrays.copyOf(w, k));
    }

    CsrGraph csr() {
        return CsrGraph.fromEdges(n, from, to, w, true);
    }

    Graph<Integer, DefaultWeightedEdge> jgrapht() {
        Graph<Integer, DefaultWeightedEdge> g = new SimpleDirectedWeightedGraph<>(DefaultWeightedEdge.class);
        for (int v = 0; v < n; v++) {
            g.addVertex(v);
        }
        for (int i = 0; i < from.length; i++) {
            DefaultWeightedEdge e = g.addEdge(from[i], to[i]);
            g.setEdgeWeight(e, w[i]);
        }
        return g;
    }

    /** Bellman-Ford: n-1 rounds of relaxing every arc, the brute-force reference. */
    static double[] bellmanFord(CsrGraph g, int source) {
        double[] d = new double[g.nodeCount()];
        java.util.Arrays.fill(d, Double.POSITIVE_INFINITY);
        d[source] = 0;
        for (int round = 1; round < g.nodeCount(); round++) {
            boolean changed = false;
            for (int u = 0; u < g.nodeCount(); u++) {
                for (int a = g.arcStart(u); a < g.arcEnd(u); a++) {
                    double alt = d[u] + g.arcWeight(a);
                    if (alt < d[g.arcTarget(a)]) {
                        d[g.arcTarget(a)] = alt;
                        changed = true;
                    }
                }
            }
            if (!changed) {
                break;
            }
        }
        return d;
    }

    /** The cost of a node path, failing if a step is not an arc (cheapest parallel arc used). */
    static double pathCost(CsrGraph g, int[] path) {
        double cost = 0;
        for (int i = 0; i + 1 < path.length; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int a = g.arcStart(path[i]); a < g.arcEnd(path[i]); a++) {
                if (g.arcTarget(a) == path[i + 1]) {
                    best = Math.min(best, g.arcWeight(a));
                }
            }
            if (best == Double.POSITIVE_INFINITY) {
                throw new AssertionError("no arc " + path[i] + " -> " + path[i + 1]);
            }
            cost += best;
        }
        return cost;
    }
}
