package dev.paperlab.framework.algorithms.graph;

/**
 * Distance estimates between grid cells with {@code dr = |r1 - r2|}, {@code dc = |c1 - c2|}.
 * Each is admissible and consistent for the moves it is allowed with (see {@link #admits}).
 */
public enum GridHeuristic {
    /** {@code h = 0}: A* becomes Dijkstra. */
    ZERO,
    /** {@code h = dr + dc}: exact on an empty 4-neighbour grid, overestimates with diagonals. */
    MANHATTAN,
    /** {@code h = sqrt(dr^2 + dc^2)}. */
    EUCLIDEAN,
    /** {@code h = max(dr, dc) + (sqrt(2) - 1) min(dr, dc)}: exact on an empty 8-neighbour grid. */
    OCTILE;

    /** The estimate for the offsets {@code dr, dc >= 0}. */
    public double estimate(int dr, int dc) {
        switch (this) {
            case MANHATTAN:
                return dr + dc;
            case EUCLIDEAN:
                return Math.sqrt((double) dr * dr + (double) dc * dc);
            case OCTILE:
                return Math.max(dr, dc) + (Grid.SQRT2 - 1.0) * Math.min(dr, dc);
            default:
                return 0.0;
        }
    }

    /** False only for Manhattan with diagonal moves, where it overestimates. */
    public boolean admits(Grid.Connectivity connectivity) {
        return !(this == MANHATTAN && connectivity == Grid.Connectivity.EIGHT);
    }
}
