package dev.paperlab.datasets.envs;

import ai.djl.ndarray.NDManager;
import dev.paperlab.framework.algorithms.graph.Grid;
import dev.paperlab.framework.algorithms.graph.GridHeuristic;
import dev.paperlab.framework.algorithms.graph.GridPath;
import dev.paperlab.framework.algorithms.graph.GridSearch;
import java.util.Random;

/**
 * A grid world (Sutton &amp; Barto 2018, ch. 3-4) with walls, a start, a goal and slippery moves.
 *
 * <p>The map is rows of text: {@code '#'} wall, {@code 'S'} start, {@code 'G'} goal, anything
 * else free. Actions 0 up, 1 right, 2 down, 3 left; with probability {@code slip} the action is
 * replaced by one drawn uniformly from the four. A move into a wall or off the map stays put.
 * Reward {@link #STEP_REWARD} per step and {@link #GOAL_REWARD} on reaching the goal, which ends
 * the episode; it is truncated after {@code maxSteps}. The observation is the one-hot of the
 * agent's cell ({@code rows * cols}). {@link #optimalSteps()} is the fewest moves from start to
 * goal, by A* with the Manhattan heuristic over the 4-connected free cells.
 */
public final class GridWorld extends DiscreteEnv {
    /** Reward of every step that does not reach the goal. */
    public static final double STEP_REWARD = -0.01;
    /** Reward of the step that reaches the goal. */
    public static final double GOAL_REWARD = 1.0;

    private static final int[] DR = {-1, 0, 1, 0};
    private static final int[] DC = {0, 1, 0, -1};

    private final Grid grid;
    private final int startRow;
    private final int startCol;
    private final int goalRow;
    private final int goalCol;
    private final double slip;
    private final int maxSteps;
    private final int optimalSteps;
    private int row;
    private int col;
    private int elapsed;

    /**
     * @param map rows of equal length with one {@code 'S'} and one {@code 'G'}
     * @param slip probability in [0, 1] that a move is replaced by a random one
     * @param maxSteps truncation, >= 1
     * @param seed seed of the slip RNG
     */
    public GridWorld(NDManager manager, String[] map, double slip, int maxSteps, long seed) {
        super(manager, 4, seed);
        if (!(slip >= 0 && slip <= 1)) {
            throw new IllegalArgumentException("slip must be in [0, 1], got " + slip);
        }
        if (maxSteps < 1) {
            throw new IllegalArgumentException("maxSteps must be >= 1, got " + maxSteps);
        }
        this.grid = Grid.parse(map);
        int[] s = find(map, 'S');
        int[] g = find(map, 'G');
        startRow = s[0];
        startCol = s[1];
        goalRow = g[0];
        goalCol = g[1];
        this.slip = slip;
        this.maxSteps = maxSteps;
        GridPath path = GridSearch.aStar(
                grid, Grid.Connectivity.FOUR, GridHeuristic.MANHATTAN, startRow, startCol, goalRow, goalCol);
        if (!path.found()) {
            throw new IllegalArgumentException("map has no path from S to G: " + String.join("/", map));
        }
        optimalSteps = path.length() - 1;
    }

    /** A 6 x 6 map with inner walls: the shortest paths go round them on either side. */
    public static String[] defaultMap() {
        return new String[] {
            "S....#", //
            ".###.#", "...#..", ".#.#.#", ".#...G", "......"
        };
    }

    private static int[] find(String[] map, char c) {
        int[] at = null;
        for (int r = 0; r < map.length; r++) {
            for (int k = 0; k < map[r].length(); k++) {
                if (map[r].charAt(k) == c) {
                    if (at != null) {
                        throw new IllegalArgumentException(
                                "map must have one '" + c + "', found a second at row " + r + " column " + k);
                    }
                    at = new int[] {r, k};
                }
            }
        }
        if (at == null) {
            throw new IllegalArgumentException("map must have one '" + c + "', found none");
        }
        return at;
    }

    /** Fewest moves from start to goal (A*). */
    public int optimalSteps() {
        return optimalSteps;
    }

    public int rows() {
        return grid.rows();
    }

    public int cols() {
        return grid.cols();
    }

    /** Current cell as {@code {row, col}}. */
    public int[] position() {
        return new int[] {row, col};
    }

    @Override
    public int observationSize() {
        return grid.rows() * grid.cols();
    }

    @Override
    public double[] observation() {
        double[] o = new double[observationSize()];
        o[row * grid.cols() + col] = 1;
        return o;
    }

    @Override
    protected void resetState(Random random) {
        row = startRow;
        col = startCol;
        elapsed = 0;
    }

    @Override
    protected Transition advance(int action, Random random) {
        int a = action;
        if (slip > 0 && random.nextDouble() < slip) {
            a = random.nextInt(4);
        }
        int r = row + DR[a];
        int c = col + DC[a];
        if (grid.inside(r, c) && grid.isFree(r, c)) {
            row = r;
            col = c;
        }
        elapsed++;
        boolean goal = row == goalRow && col == goalCol;
        return new Transition(goal ? GOAL_REWARD : STEP_REWARD, goal, !goal && elapsed >= maxSteps);
    }
}
