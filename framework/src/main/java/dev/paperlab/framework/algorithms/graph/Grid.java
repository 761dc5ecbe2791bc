package dev.paperlab.framework.algorithms.graph;

/**
 * An immutable occupancy grid: {@code rows x cols} cells, each free or blocked. Cell
 * {@code (r, c)} has the id {@code r * cols + c}, which is also its node in {@link #toGraph}.
 *
 * <p>Moves: {@link Connectivity#FOUR} steps to the 4 orthogonal neighbours at cost 1;
 * {@link Connectivity#EIGHT} adds diagonal steps at cost {@code sqrt(2)}, allowed only when both
 * orthogonal cells beside the diagonal are free (no cutting corners of obstacles).
 */
public final class Grid {
    /** Which neighbours a cell may step to. */
    public enum Connectivity {
        FOUR,
        EIGHT
    }

    static final double SQRT2 = Math.sqrt(2.0);

    private final int rows;
    private final int cols;
    private final boolean[] blocked;

    private Grid(int rows, int cols, boolean[] blocked) {
        this.rows = rows;
        this.cols = cols;
        this.blocked = blocked;
    }

    /** A grid from a rectangular {@code blocked[row][col]} map. */
    public static Grid of(boolean[][] blocked) {
        int rows = blocked.length;
        int cols = rows == 0 ? 0 : blocked[0].length;
        boolean[] flat = new boolean[rows * cols];
        for (int r = 0; r < rows; r++) {
            checkRowLength(r, blocked[r].length, cols);
            System.arraycopy(blocked[r], 0, flat, r * cols, cols);
        }
        return new Grid(rows, cols, flat);
    }

    /** A grid from a rectangular character map in which {@code wall} marks blocked cells. */
    public static Grid of(char[][] map, char wall) {
        int rows = map.length;
        int cols = rows == 0 ? 0 : map[0].length;
        boolean[] flat = new boolean[rows * cols];
        for (int r = 0; r < rows; r++) {
            checkRowLength(r, map[r].length, cols);
            for (int c = 0; c < cols; c++) {
                flat[r * cols + c] = map[r][c] == wall;
            }
        }
        return new Grid(rows, cols, flat);
    }

    /** Parses rows of text such as {@code "..#."}: {@code '#'} is blocked, anything else free. */
    public static Grid parse(String... lines) {
        char[][] map = new char[lines.length][];
        for (int r = 0; r < lines.length; r++) {
            map[r] = lines[r].toCharArray();
        }
        return of(map, '#');
    }

    private static void checkRowLength(int r, int length, int cols) {
        if (length != cols) {
            throw new IllegalArgumentException("grid row " + r + " has " + length + " cells, row 0 has " + cols);
        }
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public boolean inside(int r, int c) {
        return r >= 0 && r < rows && c >= 0 && c < cols;
    }

    public boolean isBlocked(int r, int c) {
        return blocked[r * cols + c];
    }

    /** True when {@code (r, c)} is inside the grid and free. */
    public boolean isFree(int r, int c) {
        return inside(r, c) && !blocked[r * cols + c];
    }

    /** Throws unless {@code (r, c)} is a free cell, naming the argument. */
    void checkFreeCell(String what, int r, int c) {
        if (!inside(r, c)) {
            throw new IllegalArgumentException(
                    what + " cell (" + r + ", " + c + ") outside the " + rows + " x " + cols + " grid");
        }
        if (isBlocked(r, c)) {
            throw new IllegalArgumentException(what + " cell (" + r + ", " + c + ") is blocked");
        }
    }

    /**
     * The move graph of this grid (directed arcs both ways between free neighbours), for use with
     * {@link Dijkstra} or {@link AStar}.
     */
    public CsrGraph toGraph(Connectivity connectivity) {
        CsrGraph.Builder b = CsrGraph.builder(rows * cols, true);
        int[][] moves = moves(connectivity);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                if (blocked[r * cols + c]) {
                    continue;
                }
                for (int[] mv : moves) {
                    if (canStep(r, c, mv[0], mv[1])) {
                        double w = (mv[0] != 0 && mv[1] != 0) ? SQRT2 : 1.0;
                        b.addEdge(r * cols + c, (r + mv[0]) * cols + c + mv[1], w);
                    }
                }
            }
        }
        return b.build();
    }

    static int[][] moves(Connectivity connectivity) {
        int[][] four = {{-1, 0}, {0, -1}, {0, 1}, {1, 0}};
        if (connectivity == Connectivity.FOUR) {
            return four;
        }
        return new int[][] {{-1, 0}, {0, -1}, {0, 1}, {1, 0}, {-1, -1}, {-1, 1}, {1, -1}, {1, 1}};
    }

    /** Whether a free cell {@code (r, c)} may step by {@code (dr, dc)}. */
    boolean canStep(int r, int c, int dr, int dc) {
        int nr = r + dr;
        int nc = c + dc;
        if (!isFree(nr, nc)) {
            return false;
        }
        // A diagonal step needs both orthogonal cells beside it free.
        return dr == 0 || dc == 0 || (!blocked[r * cols + nc] && !blocked[nr * cols + c]);
    }
}
