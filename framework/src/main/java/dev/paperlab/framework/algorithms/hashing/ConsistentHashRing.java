package dev.paperlab.framework.algorithms.hashing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * A consistent-hash ring with virtual nodes (Karger et al., 1997; virtual nodes as in Dynamo,
 * DeCandia et al., 2007).
 *
 * <p>Each node {@code s} is placed at {@code V} points {@code h("s#i")}, {@code i = 0..V-1}, of
 * the 64-bit ring; a key {@code x} belongs to the node of the first point clockwise from
 * {@code h(x)}: {@code node(x) = owner(min{p : p >= h(x)})}, wrapping to the smallest point.
 * {@code h} is {@link Murmur3} (the first 64 bits). Adding a node moves only the keys that
 * now fall on its arcs, about {@code 1/(n+1)} of them; removing one moves only its own keys.
 * With {@code V} points per node the arc a node owns has relative spread about
 * {@code 1/sqrt(V)}, so larger {@code V} balances load better.
 *
 * <p>Legend: {@code n} nodes, {@code V} virtual nodes per node, {@code r} replicas.
 *
 * <p>Lookups are O(1) expected: the points sit in a sorted primitive array, and a table over the
 * top {@code b} bits of the hash ({@code 2^b >= 4 n V}) gives the first point of each bucket,
 * so a lookup checks about one point instead of binary-searching {@code log2(n V)} of them.
 * Not thread-safe: guard {@link #addNode}/{@link #removeNode} against concurrent lookups.
 */
public final class ConsistentHashRing {
    private static final int SEED = 0;

    private final int virtualNodes;
    private final List<String> nodes = new ArrayList<>();
    private long[] points = new long[0];
    private int[] owners = new int[0];
    /** bucketStart[j] = index of the first point in bucket j or later; one extra entry = length. */
    private int[] bucketStart = new int[0];

    private int bucketShift = 64;

    private ConsistentHashRing(int virtualNodes) {
        this.virtualNodes = virtualNodes;
    }

    /** An empty ring that places each node at {@code virtualNodes} points (>= 1). */
    public static ConsistentHashRing create(int virtualNodes) {
        if (virtualNodes < 1) {
            throw new IllegalArgumentException("virtual nodes per node must be >= 1, got " + virtualNodes);
        }
        return new ConsistentHashRing(virtualNodes);
    }

    /** Adds a node; its name must not be on the ring yet. */
    public void addNode(String node) {
        if (nodes.contains(node)) {
            throw new IllegalArgumentException("node '" + node + "' is already on the ring");
        }
        nodes.add(node);
        rebuild();
    }

    /** Removes a node; only the keys it owned move, each to its clockwise successor. */
    public void removeNode(String node) {
        if (!nodes.remove(node)) {
            throw new IllegalArgumentException("node '" + node + "' is not on the ring " + nodes);
        }
        rebuild();
    }

    /** The nodes in the order they were added. */
    public List<String> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    /** The number of nodes. */
    public int nodeCount() {
        return nodes.size();
    }

    /** Virtual nodes per node. */
    public int virtualNodes() {
        return virtualNodes;
    }

    /** The node that owns a 64-bit key. */
    public String nodeFor(long key) {
        return nodes.get(owners[firstPointAtOrAfter(Murmur3.hash64(key, SEED))]);
    }

    /** The node that owns a text key (hashed as UTF-8). */
    public String nodeFor(CharSequence key) {
        return nodes.get(owners[firstPointAtOrAfter(Murmur3.hash128(key, SEED).h1())]);
    }

    /** The index, in {@link #nodes()}, of the node that owns a 64-bit key. */
    public int nodeIndexFor(long key) {
        return owners[firstPointAtOrAfter(Murmur3.hash64(key, SEED))];
    }

    /**
     * The {@code r} distinct nodes met walking clockwise from the key: the owner first, then the
     * successors that hold its replicas.
     */
    public List<String> replicasFor(long key, int r) {
        return replicasFrom(Murmur3.hash64(key, SEED), r);
    }

    /** {@link #replicasFor(long, int)} for a text key. */
    public List<String> replicasFor(CharSequence key, int r) {
        return replicasFrom(Murmur3.hash128(key, SEED).h1(), r);
    }

    private List<String> replicasFrom(long hash, int r) {
        if (r < 1 || r > nodes.size()) {
            throw new IllegalArgumentException(
                    "replica count " + r + " must be in [1, " + nodes.size() + "] (node count)");
        }
        List<String> out = new ArrayList<>(r);
        boolean[] taken = new boolean[nodes.size()];
        int p = firstPointAtOrAfter(hash);
        while (out.size() < r) {
            int owner = owners[p];
            if (!taken[owner]) {
                taken[owner] = true;
                out.add(nodes.get(owner));
            }
            p = p + 1 == points.length ? 0 : p + 1;
        }
        return out;
    }

    private int firstPointAtOrAfter(long hash) {
        if (points.length == 0) {
            throw new IllegalStateException("the ring has no nodes");
        }
        int b = bucket(hash);
        int i = bucketStart[b];
        int end = bucketStart[b + 1];
        while (i < end && points[i] < hash) {
            i++;
        }
        // Past the largest point the ring wraps to the smallest.
        return i == points.length ? 0 : i;
    }

    /** Top bits of the hash in signed order (flipping the sign bit makes it unsigned order). */
    private int bucket(long hash) {
        return (int) ((hash ^ Long.MIN_VALUE) >>> bucketShift);
    }

    private void rebuild() {
        int total = nodes.size() * virtualNodes;
        long[] pos = new long[total];
        int[] own = new int[total];
        for (int s = 0; s < nodes.size(); s++) {
            for (int v = 0; v < virtualNodes; v++) {
                pos[s * virtualNodes + v] =
                        Murmur3.hash128(nodes.get(s) + "#" + v, SEED).h1();
                own[s * virtualNodes + v] = s;
            }
        }
        // Equal points (a 2^-64 event) are ordered by node name so the ring is deterministic.
        Integer[] order = new Integer[total];
        for (int i = 0; i < total; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingLong(i -> pos[i]).thenComparing(i -> nodes.get(own[i])));
        points = new long[total];
        owners = new int[total];
        for (int i = 0; i < total; i++) {
            points[i] = pos[order[i]];
            owners[i] = own[order[i]];
        }
        int bits = Math.min(22, 64 - Long.numberOfLeadingZeros(4L * Math.max(total, 1) - 1));
        bucketShift = 64 - bits;
        bucketStart = new int[(1 << bits) + 1];
        int p = 0;
        for (int j = 0; j <= 1 << bits; j++) {
            while (p < total && bucket(points[p]) < j) {
                p++;
            }
            bucketStart[j] = p;
        }
    }
}
