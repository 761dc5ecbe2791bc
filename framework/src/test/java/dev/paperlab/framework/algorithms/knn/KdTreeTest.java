package dev.paperlab.framework.algorithms.knn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class KdTreeTest {
    /** Brute force: every squared distance (summed in axis order), sorted by (distance, index). */
    static Integer[] bruteOrder(double[][] pts, double[] q, double[] d2) {
        for (int i = 0; i < pts.length; i++) {
            double s = 0;
            for (int j = 0; j < q.length; j++) {
                double t = q[j] - pts[i][j];
                s += t * t;
            }
            d2[i] = s;
        }
        Integer[] order = IntStream.range(0, pts.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> d2[i]).thenComparingInt(i -> i));
        return order;
    }

    /** Points on a coarse integer lattice so duplicates and distance ties are common. */
    static double[][] randomPoints(Random rnd, int n, int dim, int grid) {
        double[][] p = new double[n][dim];
        for (double[] row : p) {
            for (int j = 0; j < dim; j++) {
                row[j] = grid > 0 ? rnd.nextInt(grid) : rnd.nextGaussian();
            }
        }
        return p;
    }

    @org.junit.jupiter.api.Test
    void anEmptyTreeAnswersAnyQueryWithNothing() {
        KdTree tree = KdTree.build(new double[0][]);
        assertEquals(0, tree.nearest(new double[] {1, 2, 3}, 5).size());
        assertEquals(0, tree.withinRadius(new double[] {1}, 2).size());
    }

    @Property(tries = 200)
    void knnEqualsBruteForceIncludingTies(@ForAll long seed) {
        Random rnd = new Random(seed);
        int n = rnd.nextInt(1200);
        int dim = 1 + rnd.nextInt(6);
        int grid = rnd.nextBoolean() ? 1 + rnd.nextInt(5) : 0;
        double[][] pts = randomPoints(rnd, n, dim, grid);
        KdTree tree = KdTree.build(pts);
        for (int t = 0; t < 5; t++) {
            double[] q = randomPoints(rnd, 1, dim, grid)[0];
            int k = 1 + rnd.nextInt(20);
            double[] d2 = new double[n];
            Integer[] order = bruteOrder(pts, q, d2);
            Neighbors nb = tree.nearest(q, k);
            int m = Math.min(k, n);
            assertEquals(m, nb.size());
            for (int r = 0; r < m; r++) {
                assertEquals(order[r], nb.indices()[r], "rank " + r);
                assertEquals(Math.sqrt(d2[order[r]]), nb.distances()[r]);
            }
        }
    }

    @Property(tries = 150)
    void radiusEqualsBruteForce(@ForAll long seed) {
        Random rnd = new Random(seed);
        int n = rnd.nextInt(1200);
        int dim = 1 + rnd.nextInt(5);
        int grid = rnd.nextBoolean() ? 1 + rnd.nextInt(6) : 0;
        double[][] pts = randomPoints(rnd, n, dim, grid);
        KdTree tree = KdTree.build(pts);
        double[] q = randomPoints(rnd, 1, dim, grid)[0];
        // Integer radii hit lattice distances exactly: the boundary is inclusive.
        double radius = grid > 0 ? rnd.nextInt(4) : rnd.nextDouble() * 2;
        double[] d2 = new double[n];
        Integer[] order = bruteOrder(pts, q, d2);
        int[] expected = Arrays.stream(order)
                .filter(i -> d2[i] <= radius * radius)
                .mapToInt(Integer::intValue)
                .toArray();
        assertArrayEquals(expected, tree.withinRadius(q, radius).indices());
    }

    @Test
    void goldenTiesBreakByLowerIndex() {
        // Points 1, 2, 3 are all at distance 1 from the origin; point 0 is the query itself.
        double[][] pts = {{0, 0}, {0, 1}, {1, 0}, {-1, 0}, {3, 3}};
        KdTree tree = KdTree.build(pts);
        Neighbors nb = tree.nearest(new double[] {0, 0}, 3);
        assertArrayEquals(new int[] {0, 1, 2}, nb.indices());
        assertArrayEquals(new double[] {0, 1, 1}, nb.distances());
        assertArrayEquals(
                new int[] {0, 1, 2, 3},
                tree.withinRadius(new double[] {0, 0}, 1).indices());
        // Duplicated points: many copies at the same spot, lowest indices first.
        double[][] dup = new double[50][3];
        Neighbors d = KdTree.build(dup).nearest(new double[3], 4);
        assertArrayEquals(new int[] {0, 1, 2, 3}, d.indices());
        assertEquals(5, tree.nearest(new double[] {9, 9}, 10).size());
        assertEquals(
                0, KdTree.build(new double[0][]).nearest(new double[] {1}, 3).size());
    }

    @Test
    void badInputsAreRejected() {
        KdTree tree = KdTree.build(new double[][] {{1, 2, 3}, {4, 5, 6}});
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> tree.nearest(new double[] {1, 2}, 1));
        assertTrue(e.getMessage().contains("dimension 2") && e.getMessage().contains("dimension 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> tree.nearest(new double[3], 0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> tree.withinRadius(new double[3], -1));
        assertTrue(e.getMessage().contains("-1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> tree.nearest(new double[] {0, Double.NaN, 0}, 1));
        assertTrue(e.getMessage().contains("coordinate 1 is NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KdTree.build(new double[][] {{1, 2}, {1, 2, 3}}));
        assertTrue(e.getMessage().contains("point 1 has dimension 3, point 0 has 2"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> KdTree.build(new double[][] {{1, Double.POSITIVE_INFINITY}}));
        assertTrue(e.getMessage().contains("point 0 coordinate 1 is Infinity"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KdTree.build(new double[][] {{}}));
    }
}
