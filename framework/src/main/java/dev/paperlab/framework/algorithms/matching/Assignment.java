package dev.paperlab.framework.algorithms.matching;

import java.util.Arrays;

/**
 * An optimal assignment of an {@code n x m} cost matrix: {@code rowToCol[i]} is the column given
 * to row {@code i}, or {@code -1} when {@code n > m} leaves the row out; {@code min(n, m)} pairs
 * in all, each column used at most once. {@code cost} is the sum of the chosen original entries.
 */
public record Assignment(int[] rowToCol, double cost) {
    public Assignment {
        rowToCol = rowToCol.clone();
    }

    @Override
    public int[] rowToCol() {
        return rowToCol.clone();
    }

    /** The inverse map for {@code cols} columns: the row of each column, or {@code -1}. */
    public int[] colToRow(int cols) {
        int[] inverse = new int[cols];
        Arrays.fill(inverse, -1);
        for (int i = 0; i < rowToCol.length; i++) {
            if (rowToCol[i] >= 0) {
                inverse[rowToCol[i]] = i;
            }
        }
        return inverse;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Assignment a && Arrays.equals(rowToCol, a.rowToCol) && Double.compare(cost, a.cost) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(rowToCol) + Double.hashCode(cost);
    }

    @Override
    public String toString() {
        return "Assignment" + Arrays.toString(rowToCol) + " cost " + cost;
    }
}
