package dev.paperlab.framework.algorithms.hashing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.hash.Hashing;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ConsistentHashRingTest {
    private static final int KEYS = 1_000_000;

    static ConsistentHashRing ring(int nodes, int virtualNodes) {
        ConsistentHashRing ring = ConsistentHashRing.create(virtualNodes);
        for (int s = 0; s < nodes; s++) {
            ring.addNode("node-" + s);
        }
        return ring;
    }

    static double maxOverMean(int[] loads) {
        long max = 0;
        long sum = 0;
        for (int l : loads) {
            max = Math.max(max, l);
            sum += l;
        }
        return max / ((double) sum / loads.length);
    }

    @Test
    void tenNodesOfTwoHundredVirtualNodesAreBalanced() {
        ConsistentHashRing ring = ring(10, 200);
        int[] loads = new int[10];
        int[] jump = new int[10];
        for (long key = 0; key < KEYS; key++) {
            loads[ring.nodeIndexFor(key)]++;
            jump[Hashing.consistentHash(Murmur3.hash64(key, 0), 10)]++;
        }
        double ringRatio = maxOverMean(loads);
        double jumpRatio = maxOverMean(jump);
        System.out.printf("max/mean load: ring %.4f, jump hash %.4f%n", ringRatio, jumpRatio);
        assertTrue(ringRatio <= 1.15, "ring max/mean load " + ringRatio);
        assertTrue(jumpRatio <= 1.01, "jump hash max/mean load " + jumpRatio);
    }

    @Test
    void addingAnEleventhNodeMovesAboutOneEleventhOfKeysAllToIt() {
        ConsistentHashRing ring = ring(10, 200);
        String[] before = new String[KEYS];
        int[] jumpBefore = new int[KEYS];
        for (int key = 0; key < KEYS; key++) {
            before[key] = ring.nodeFor(key);
            jumpBefore[key] = Hashing.consistentHash(Murmur3.hash64(key, 0), 10);
        }
        ring.addNode("node-10");
        int moved = 0;
        int jumpMoved = 0;
        for (int key = 0; key < KEYS; key++) {
            String now = ring.nodeFor(key);
            if (!now.equals(before[key])) {
                moved++;
                assertEquals("node-10", now, "a key moved between old nodes");
            }
            if (Hashing.consistentHash(Murmur3.hash64(key, 0), 11) != jumpBefore[key]) {
                jumpMoved++;
            }
        }
        double fraction = (double) moved / KEYS;
        double jumpFraction = (double) jumpMoved / KEYS;
        System.out.printf("keys moved: ring %.4f, jump hash %.4f, ideal %.4f%n", fraction, jumpFraction, 1.0 / 11);
        assertTrue(fraction >= 0.7 / 11 && fraction <= 1.3 / 11, "ring moved " + fraction);
        assertTrue(Math.abs(jumpFraction - 1.0 / 11) < 0.005, "jump moved " + jumpFraction);
    }

    @Property(tries = 20)
    void removingANodeMovesOnlyItsKeys(
            @ForAll @IntRange(min = 2, max = 12) int nodes,
            @ForAll @IntRange(min = 1, max = 50) int virtualNodes,
            @ForAll long keySeed) {
        ConsistentHashRing ring = ring(nodes, virtualNodes);
        String victim = "node-" + Math.floorMod(keySeed, nodes);
        long[] keys = new long[2000];
        String[] before = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = keySeed * 31 + i;
            before[i] = ring.nodeFor(keys[i]);
        }
        ring.removeNode(victim);
        for (int i = 0; i < keys.length; i++) {
            String now = ring.nodeFor(keys[i]);
            if (!before[i].equals(victim)) {
                assertEquals(before[i], now);
            }
            assertTrue(!now.equals(victim));
        }
    }

    /** Brute force: a linear scan for the first point clockwise, and a walk for replicas. */
    @Property(tries = 30)
    void lookupAndReplicasMatchALinearScanOfTheRing(
            @ForAll @IntRange(min = 1, max = 8) int nodes,
            @ForAll @IntRange(min = 1, max = 20) int virtualNodes,
            @ForAll long key,
            @ForAll @IntRange(min = 1, max = 8) int r0) {
        ConsistentHashRing ring = ring(nodes, virtualNodes);
        List<long[]> points = new ArrayList<>();
        for (int s = 0; s < nodes; s++) {
            for (int v = 0; v < virtualNodes; v++) {
                points.add(new long[] {Murmur3.hash128("node-" + s + "#" + v, 0).h1(), s});
            }
        }
        points.sort((a, b) -> Long.compare(a[0], b[0]));
        long h = Murmur3.hash64(key, 0);
        int start = 0;
        while (start < points.size() && points.get(start)[0] < h) {
            start++;
        }
        start %= points.size();
        int r = Math.min(r0, nodes);
        List<String> expected = new ArrayList<>();
        for (int j = 0; expected.size() < r; j++) {
            String node = "node-" + points.get((start + j) % points.size())[1];
            if (!expected.contains(node)) {
                expected.add(node);
            }
        }
        assertEquals(expected.get(0), ring.nodeFor(key));
        List<String> replicas = ring.replicasFor(key, r);
        assertEquals(expected, replicas);
        assertEquals(r, new HashSet<>(replicas).size());
    }

    @Test
    void textKeysUseTheSameRing() {
        ConsistentHashRing ring = ring(5, 100);
        assertEquals(ring.replicasFor("user:42", 3).get(0), ring.nodeFor("user:42"));
    }

    @Test
    void rejectsBadArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConsistentHashRing.create(0));
        assertTrue(e.getMessage().contains("0"), e.getMessage());
        ConsistentHashRing ring = ring(3, 10);
        e = assertThrows(IllegalArgumentException.class, () -> ring.addNode("node-1"));
        assertTrue(e.getMessage().contains("node-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ring.removeNode("node-9"));
        assertTrue(e.getMessage().contains("node-9"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ring.replicasFor(1L, 4));
        assertTrue(e.getMessage().contains("4") && e.getMessage().contains("3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ring.replicasFor(1L, 0));
        assertThrows(
                IllegalStateException.class, () -> ConsistentHashRing.create(5).nodeFor(1L));
    }
}
