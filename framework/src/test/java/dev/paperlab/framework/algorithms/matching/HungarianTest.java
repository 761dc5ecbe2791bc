package dev.paperlab.framework.algorithms.matching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.jgrapht.alg.interfaces.MatchingAlgorithm;
import org.jgrapht.alg.matching.KuhnMunkresMinimalWeightBipartitePerfectMatching;
import org.jgrapht.graph.DefaultWeightedEdge;
import org.jgrapht.graph.SimpleWeightedGraph;
import org.junit.jupiter.api.Test;

class HungarianTest {
    /** Exhaustive minimum over injective maps from the smaller side into the larger. */
    static double bruteForceMin(double[][] c) {
        int n = c.length;
        int m = n == 0 ? 0 : c[0].length;
        boolean transpose = n > m;
        int small = Math.min(n, m);
        int large = Math.max(n, m);
        return search(c, transpose, 0, small, new boolean[large]);
    }

    private static double search(double[][] c, boolean t, int i, int small, boolean[] used) {
        if (i == small) {
            return 0;
        }
        double best = Double.POSITIVE_INFINITY;
        for (int j = 0; j < used.length; j++) {
            if (!used[j]) {
                used[j] = true;
                double here = t ? c[j][i] : c[i][j];
                best = Math.min(best, here + search(c, t, i + 1, small, used));
                used[j] = false;
            }
        }
        return best;
    }

    static double[][] randomIntCosts(Random rnd, int n, int m, int range) {
        double[][] c = new double[n][m];
        for (double[] row : c) {
            for (int j = 0; j < m; j++) {
                row[j] = rnd.nextInt(2 * range + 1) - range;
            }
        }
        return c;
    }

    /** Checks the assignment is injective, of size min(n, m), and sums to its reported cost. */
    static void checkValid(double[][] c, Assignment a) {
        int n = c.length;
        int m = n == 0 ? 0 : c[0].length;
        int[] s = a.rowToCol();
        assertEquals(n, s.length);
        boolean[] used = new boolean[m];
        int pairs = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            if (s[i] >= 0) {
                assertTrue(!used[s[i]], "column " + s[i] + " used twice");
                used[s[i]] = true;
                pairs++;
                sum += c[i][s[i]];
            }
        }
        assertEquals(Math.min(n, m), pairs);
        assertEquals(sum, a.cost());
    }

    @Property(tries = 300)
    void minimizeMatchesBruteForce(@ForAll long seed) {
        Random rnd = new Random(seed);
        int n = rnd.nextInt(8) + 1;
        // Square up to 8 x 8; rectangular either way with the larger side up to 8.
        int m = rnd.nextBoolean() ? n : 1 + rnd.nextInt(8);
        double[][] c = randomIntCosts(rnd, n, m, rnd.nextBoolean() ? 3 : 100);
        Assignment a = Hungarian.minimize(c);
        checkValid(c, a);
        assertEquals(bruteForceMin(c), a.cost());
    }

    @Property(tries = 100)
    void maximizeIsMinimizeOfNegation(@ForAll long seed) {
        Random rnd = new Random(seed);
        int n = 1 + rnd.nextInt(7);
        int m = 1 + rnd.nextInt(7);
        double[][] c = randomIntCosts(rnd, n, m, 50);
        double[][] neg = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                neg[i][j] = -c[i][j];
            }
        }
        Assignment max = Hungarian.maximize(c);
        checkValid(c, max);
        assertEquals(-bruteForceMin(neg), max.cost(), 0.0); // delta 0 treats -0.0 == 0.0
    }

    @Property(tries = 20)
    void matchesJgraphtKuhnMunkresOnLargerMatrices(@ForAll long seed) {
        Random rnd = new Random(seed);
        int n = 20 + rnd.nextInt(41);
        double[][] c = new double[n][n];
        SimpleWeightedGraph<Integer, DefaultWeightedEdge> g = new SimpleWeightedGraph<>(DefaultWeightedEdge.class);
        java.util.Set<Integer> left = new java.util.HashSet<>();
        java.util.Set<Integer> right = new java.util.HashSet<>();
        for (int v = 0; v < n; v++) {
            g.addVertex(v);
            g.addVertex(n + v);
            left.add(v);
            right.add(n + v);
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                c[i][j] = rnd.nextInt(1000);
                g.setEdgeWeight(g.addEdge(i, n + j), c[i][j]);
            }
        }
        MatchingAlgorithm.Matching<Integer, DefaultWeightedEdge> ref =
                new KuhnMunkresMinimalWeightBipartitePerfectMatching<>(g, left, right).getMatching();
        Assignment a = Hungarian.minimize(c);
        checkValid(c, a);
        assertEquals(ref.getWeight(), a.cost());
    }

    @Test
    void goldenRectangularCases() {
        // Both rows prefer column 0; the unique optimum is 1 + 2 (row 0 -> 0, row 1 -> 2).
        double[][] wide = {{1, 3, 9}, {1, 9, 2}};
        assertArrayEquals(new int[] {0, 2}, Hungarian.minimize(wide).rowToCol());
        assertEquals(3.0, Hungarian.minimize(wide).cost());
        double[][] tall = {{4, 1}, {2, 8}, {3, 7}};
        Assignment a = Hungarian.minimize(tall);
        assertArrayEquals(new int[] {1, 0, -1}, a.rowToCol());
        assertEquals(3.0, a.cost());
        assertArrayEquals(new int[] {1, 0}, a.colToRow(2));
        assertEquals(0, Hungarian.minimize(new double[0][0]).rowToCol().length);
        assertArrayEquals(
                new int[] {-1, -1}, Hungarian.minimize(new double[2][0]).rowToCol());
    }

    @Test
    void nonFiniteOrRaggedCostsAreRejected() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Hungarian.minimize(new double[][] {{1, 2}, {Double.NaN, 3}}));
        assertTrue(e.getMessage().contains("cost[1][0] = NaN"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> Hungarian.maximize(new double[][] {{1, Double.POSITIVE_INFINITY}}));
        assertTrue(e.getMessage().contains("cost[0][1] = Infinity"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Hungarian.minimize(new double[][] {{1, 2}, {3}}));
        assertTrue(e.getMessage().contains("row 1 has 1"), e.getMessage());
    }
}
