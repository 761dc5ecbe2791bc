package dev.paperlab.framework.algorithms.sparse;

/** Shape checks shared by the sparse formats; messages print both shapes. */
final class Shapes {
    private Shapes() {}

    static void checkShape(int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("matrix shape " + rows + " x " + cols + " has a negative dimension");
        }
    }

    static void checkProduct(int aRows, int aCols, int bRows, int bCols) {
        if (aCols != bRows) {
            throw new IllegalArgumentException("cannot multiply " + aRows + " x " + aCols + " by " + bRows + " x "
                    + bCols + ": inner dimensions " + aCols + " and " + bRows + " differ");
        }
    }

    static String shape(int rows, int cols) {
        return rows + " x " + cols;
    }
}
