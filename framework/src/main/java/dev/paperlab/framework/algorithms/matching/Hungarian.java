package dev.paperlab.framework.algorithms.matching;

import java.util.Arrays;

/**
 * The assignment problem by the Hungarian method (H. W. Kuhn, "The Hungarian method for the
 * assignment problem", Naval Research Logistics Quarterly 2, 1955; J. Munkres, "Algorithms for
 * the Assignment and Transportation Problems", J. SIAM 5(1), 1957) in its shortest augmenting
 * path form with dual potentials (R. Jonker, A. Volgenant, "A shortest augmenting path algorithm
 * for dense and sparse linear assignment problems", Computing 38, 1987).
 *
 * <p>Minimize {@code sum_i C[i, s(i)]} over injective {@code s}. Potentials {@code u} (rows) and
 * {@code v} (columns) keep every reduced cost {@code C[i,j] - u[i] - v[j] >= 0} and tight on
 * matched pairs. Each row is added by a Dijkstra-like search over reduced costs from that row to
 * a free column; the potentials then shift by the search distances and the path is flipped.
 * {@code n} searches of O(n m) each: O(n^2 m) for {@code n <= m}. A matrix with more rows than
 * columns is solved transposed.
 */
public final class Hungarian {
    private Hungarian() {}

    /** A minimum-cost assignment of the rows of {@code cost} to distinct columns. */
    public static Assignment minimize(double[][] cost) {
        return solve(cost, false);
    }

    /** A maximum-weight assignment (the minimum of the negated matrix). */
    public static Assignment maximize(double[][] weight) {
        return solve(weight, true);
    }

    private static Assignment solve(double[][] c, boolean maximize) {
        int n = c.length;
        int m = n == 0 ? 0 : c[0].length;
        for (int i = 0; i < n; i++) {
            if (c[i].length != m) {
                throw new IllegalArgumentException(
                        "cost row " + i + " has " + c[i].length + " entries, row 0 has " + m);
            }
            for (int j = 0; j < m; j++) {
                if (!Double.isFinite(c[i][j])) {
                    throw new IllegalArgumentException("cost[" + i + "][" + j + "] = " + c[i][j] + " is not finite");
                }
            }
        }
        boolean transpose = n > m;
        int rows = transpose ? m : n;
        int cols = transpose ? n : m;
        // Flat row-major copy (rows <= cols), negated to maximize.
        double[] a = new double[rows * cols];
        double sign = maximize ? -1.0 : 1.0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                a[i * cols + j] = sign * (transpose ? c[j][i] : c[i][j]);
            }
        }
        int[] colOwner = shortestAugmentingPaths(a, rows, cols);
        int[] rowToCol = new int[n];
        Arrays.fill(rowToCol, -1);
        for (int j = 0; j < cols; j++) {
            int i = colOwner[j];
            if (i >= 0) {
                if (transpose) {
                    rowToCol[j] = i;
                } else {
                    rowToCol[i] = j;
                }
            }
        }
        double total = 0.0;
        for (int i = 0; i < n; i++) {
            if (rowToCol[i] >= 0) {
                total += c[i][rowToCol[i]];
            }
        }
        return new Assignment(rowToCol, total);
    }

    /**
     * Core for {@code rows <= cols} on a flat matrix; returns the row owning each column or -1.
     * Column index {@code cols} is a virtual start column that holds the row being inserted.
     */
    private static int[] shortestAugmentingPaths(double[] a, int rows, int cols) {
        double[] u = new double[rows];
        double[] v = new double[cols + 1];
        int[] owner = new int[cols + 1]; // owner[j]: row matched to column j, -1 if free
        int[] way = new int[cols + 1]; // previous column on the shortest path to j
        double[] minv = new double[cols + 1];
        boolean[] used = new boolean[cols + 1];
        Arrays.fill(owner, -1);
        final int start = cols;
        for (int row = 0; row < rows; row++) {
            owner[start] = row;
            int j0 = start;
            Arrays.fill(minv, Double.POSITIVE_INFINITY);
            Arrays.fill(used, false);
            // Dijkstra over reduced costs until a free column is reached.
            do {
                used[j0] = true;
                int i0 = owner[j0];
                int base = i0 * cols;
                double ui0 = u[i0];
                double delta = Double.POSITIVE_INFINITY;
                int j1 = -1;
                for (int j = 0; j < cols; j++) {
                    if (used[j]) {
                        continue;
                    }
                    // Reduced cost C[i0,j] - u[i0] - v[j] >= 0.
                    double cur = a[base + j] - ui0 - v[j];
                    if (cur < minv[j]) {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if (minv[j] < delta) {
                        delta = minv[j];
                        j1 = j;
                    }
                }
                // Shift potentials by delta: tight edges stay tight, reduced costs stay >= 0.
                for (int j = 0; j <= cols; j++) {
                    if (used[j]) {
                        u[owner[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            } while (owner[j0] != -1);
            // Flip the augmenting path back to the start column.
            do {
                int j1 = way[j0];
                owner[j0] = owner[j1];
                j0 = j1;
            } while (j0 != start);
        }
        return Arrays.copyOf(owner, cols);
    }
}
