package dev.paperlab.framework.algorithms.graph;

import java.util.Arrays;

/**
 * The result of a single-pair search: the node sequence from source to target (empty when the
 * target is unreachable), its total cost ({@code +inf} when unreachable) and how many nodes the
 * search expanded (removed from its open queue).
 */
public record Path(int[] nodes, double cost, int expanded) {
    public Path {
        nodes = nodes.clone();
    }

    @Override
    public int[] nodes() {
        return nodes.clone();
    }

    public boolean found() {
        return nodes.length > 0;
    }

    /** Follows a predecessor array back from {@code target}; {@code -1} marks the source. */
    static int[] walkBack(int[] pred, int target) {
        int len = 1;
        for (int v = pred[target]; v != -1; v = pred[v]) {
            len++;
        }
        int[] out = new int[len];
        for (int v = target, i = len - 1; v != -1; v = pred[v], i--) {
            out[i] = v;
        }
        return out;
    }

    @Override
    public String toString() {
        return "Path" + Arrays.toString(nodes) + " cost " + cost + ", expanded " + expanded;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Path p
                && Arrays.equals(nodes, p.nodes)
                && Double.compare(cost, p.cost) == 0
                && expanded == p.expanded;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(nodes) + Double.hashCode(cost) * 17 + expanded;
    }
}
