package dev.paperlab.framework.algorithms.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ClusteringMetricsTest {
    @Test
    void goldenCases() {
        // A relabelled perfect clustering scores 1.
        assertEquals(
                1.0, ClusteringMetrics.clusteringAccuracy(new int[] {2, 2, 0, 0, 1, 1}, new int[] {0, 0, 1, 1, 2, 2}));
        // Best map 0->0, 1->1: 4 of 6 agree.
        assertEquals(
                4.0 / 6,
                ClusteringMetrics.clusteringAccuracy(new int[] {0, 0, 0, 1, 1, 1}, new int[] {0, 0, 1, 1, 1, 0}),
                1e-15);
        // One cluster for two labels: at most the larger label's share.
        assertEquals(0.75, ClusteringMetrics.clusteringAccuracy(new int[] {0, 0, 0, 0}, new int[] {1, 1, 1, 0}));
    }

    @Property(tries = 200)
    void equalsBruteForceOverLabelMaps(@ForAll long seed) {
        Random rnd = new Random(seed);
        int k = 1 + rnd.nextInt(5);
        int n = 1 + rnd.nextInt(40);
        int[] pred = new int[n];
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) {
            pred[i] = rnd.nextInt(k);
            truth[i] = rnd.nextInt(k);
        }
        double best = 0;
        for (int[] perm : permutations(k)) {
            int hits = 0;
            for (int i = 0; i < n; i++) {
                hits += perm[pred[i]] == truth[i] ? 1 : 0;
            }
            best = Math.max(best, (double) hits / n);
        }
        assertEquals(best, ClusteringMetrics.clusteringAccuracy(pred, truth), 1e-12);
        // Renaming the predicted clusters never changes the score.
        int[] renamed = new int[n];
        for (int i = 0; i < n; i++) {
            renamed[i] = (pred[i] + 1) % k;
        }
        assertEquals(best, ClusteringMetrics.clusteringAccuracy(renamed, truth), 1e-12);
    }

    private static java.util.List<int[]> permutations(int k) {
        java.util.List<int[]> out = new java.util.ArrayList<>();
        permute(new int[k], new boolean[k], 0, out);
        return out;
    }

    private static void permute(int[] cur, boolean[] used, int i, java.util.List<int[]> out) {
        if (i == cur.length) {
            out.add(cur.clone());
            return;
        }
        for (int v = 0; v < cur.length; v++) {
            if (!used[v]) {
                used[v] = true;
                cur[i] = v;
                permute(cur, used, i + 1, out);
                used[v] = false;
            }
        }
    }

    @Test
    void badInputsAreRejected() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> ClusteringMetrics.clusteringAccuracy(new int[3], new int[2]));
        assertTrue(e.getMessage().contains("3") && e.getMessage().contains("2"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> ClusteringMetrics.clusteringAccuracy(new int[] {0, -4}, new int[2]));
        assertTrue(e.getMessage().contains("predicted[1] = -4"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> ClusteringMetrics.clusteringAccuracy(new int[0], new int[0]));
    }
}
