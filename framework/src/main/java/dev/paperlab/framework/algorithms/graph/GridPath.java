package dev.paperlab.framework.algorithms.graph;

/**
 * A path on a {@link Grid}: {@code rows[i], cols[i]} is the i-th cell from start to goal (both
 * empty when the goal is unreachable), the path cost ({@code +inf} when unreachable) and the
 * number of cells the search expanded.
 */
public record GridPath(int[] rows, int[] cols, double cost, int expanded) {
    public GridPath {
        rows = rows.clone();
        cols = cols.clone();
    }

    @Override
    public int[] rows() {
        return rows.clone();
    }

    @Override
    public int[] cols() {
        return cols.clone();
    }

    public boolean found() {
        return rows.length > 0;
    }

    /** Number of cells on the path, start and goal included. */
    public int length() {
        return rows.length;
    }
}
