package dev.paperlab.framework.algorithms.knn;

/**
 * A k-d tree for exact nearest-neighbour and radius queries in any dimension (J. L. Bentley,
 * "Multidimensional binary search trees used for associative searching", CACM 18(9), 1975;
 * J. H. Friedman, J. L. Bentley, R. A. Finkel, "An Algorithm for Finding Best Matches in
 * Logarithmic Expected Time", ACM TOMS 3(3), 1977).
 *
 * <p>Build: each range of points is split at its median along the coordinate of widest spread,
 * found by selection (Hoare's FIND, expected linear time) rather than sorting, so the build is
 * O(n d log n). The tree is implicit: the node over positions {@code [lo, hi)} has its pivot at
 * {@code mid = (lo + hi) / 2}, left part {@code <=} and right part {@code >=} the pivot's split
 * coordinate; ranges of at most {@value #LEAF_SIZE} points are scanned. Coordinates are stored
 * flat in tree order for cache locality.
 *
 * <p>Query: descend to the near side first, then visit the far side only if the squared distance
 * from the query to the far cell's box (the per-axis offsets to the split planes met so far,
 * Arya and Mount's incremental distance) is not larger than the current k-th best. Distances are
 * Euclidean; squared distances are summed over coordinates in index order, and equal squared
 * distances are ordered by lower point index. A subtree is pruned only when its bound is strictly
 * larger, so the result equals a brute-force scan exactly, ties included.
 */
public final class KdTree {
    /** Ranges this small are scanned instead of split (a tight loop beats deeper pruning). */
    public static final int LEAF_SIZE = 32;

    private final int n;
    private final int dim;
    private final double[] coords; // tree order, n x dim
    private final int[] index; // tree position -> original point index
    private final int[] splitDim; // split coordinate of the node whose pivot sits at a position

    private KdTree(int n, int dim, double[] coords, int[] index, int[] splitDim) {
        this.n = n;
        this.dim = dim;
        this.coords = coords;
        this.index = index;
        this.splitDim = splitDim;
    }

    /** Builds a tree over {@code points[i]} (copied), all of the same dimension {@code >= 1}. */
    public static KdTree build(double[][] points) {
        int n = points.length;
        int dim = n == 0 ? 1 : points[0].length;
        if (dim < 1) {
            throw new IllegalArgumentException("points must have dimension >= 1, got 0");
        }
        double[] raw = new double[n * dim];
        for (int i = 0; i < n; i++) {
            if (points[i].length != dim) {
                throw new IllegalArgumentException(
                        "point " + i + " has dimension " + points[i].length + ", point 0 has " + dim);
            }
            for (int j = 0; j < dim; j++) {
                double x = points[i][j];
                if (!Double.isFinite(x)) {
                    throw new IllegalArgumentException("point " + i + " coordinate " + j + " is " + x);
                }
                raw[i * dim + j] = x;
            }
        }
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        int[] splitDim = new int[n];
        new Builder(raw, dim, perm, splitDim).split(0, n);
        double[] coords = new double[n * dim];
        for (int pos = 0; pos < n; pos++) {
            System.arraycopy(raw, perm[pos] * dim, coords, pos * dim, dim);
        }
        return new KdTree(n, dim, coords, perm, splitDim);
    }

    public int size() {
        return n;
    }

    public int dimension() {
        return dim;
    }

    /**
     * The {@code k} points nearest to {@code query} (all points when {@code k >= size()}), nearest
     * first, equal distances by lower index.
     */
    public Neighbors nearest(double[] query, int k) {
        checkQuery(query);
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        KnnCollector out = new KnnCollector(Math.min(k, n));
        if (n > 0) {
            search(0, n, query, new double[dim], 0.0, out);
        }
        return out.result();
    }

    /** All points within Euclidean distance {@code radius} (squared distance {@code <= r^2}). */
    public Neighbors withinRadius(double[] query, double radius) {
        checkQuery(query);
        if (!(radius >= 0) || radius == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("radius must be finite and >= 0, got " + radius);
        }
        RadiusCollector out = new RadiusCollector(radius * radius);
        if (n > 0) {
            search(0, n, query, new double[dim], 0.0, out);
        }
        return out.result();
    }

    private void checkQuery(double[] query) {
        // an empty tree has no dimension of its own: any query simply finds nothing
        if (n > 0 && query.length != dim) {
            throw new IllegalArgumentException(
                    "query has dimension " + query.length + ", the tree has dimension " + dim);
        }
        for (int j = 0; j < query.length; j++) {
            if (!Double.isFinite(query[j])) {
                throw new IllegalArgumentException("query coordinate " + j + " is " + query[j]);
            }
        }
    }

    /**
     * Visits positions {@code [lo, hi)}; {@code off[j]} is the query's offset to the cell along
     * axis j and {@code bound = sum_j off[j]^2} the squared distance to the cell.
     */
    private void search(int lo, int hi, double[] q, double[] off, double bound, Collector out) {
        if (bound > out.limit()) {
            return; // the k-th best shrank since this cell was queued
        }
        if (hi - lo <= LEAF_SIZE) {
            double limit = out.limit();
            for (int pos = lo, base = lo * dim; pos < hi; pos++, base += dim) {
                double s = 0.0;
                for (int j = 0; j < dim; j++) {
                    double t = q[j] - coords[base + j];
                    s += t * t;
                }
                if (s <= limit) {
                    out.offer(s, index[pos]);
                    limit = out.limit();
                }
            }
            return;
        }
        int mid = (lo + hi) >>> 1;
        int d = splitDim[mid];
        offer(mid, q, out);
        double diff = q[d] - coords[mid * dim + d];
        boolean leftIsNear = diff <= 0;
        if (leftIsNear) {
            search(lo, mid, q, off, bound, out);
        } else {
            search(mid + 1, hi, q, off, bound, out);
        }
        double saved = off[d];
        off[d] = diff;
        // Summed in axis order, the bound never exceeds a far point's computed squared distance.
        double farBound = 0.0;
        for (int j = 0; j < dim; j++) {
            farBound += off[j] * off[j];
        }
        if (farBound <= out.limit()) {
            if (leftIsNear) {
                search(mid + 1, hi, q, off, farBound, out);
            } else {
                search(lo, mid, q, off, farBound, out);
            }
        }
        off[d] = saved;
    }

    /** Offers the point at {@code pos}; its squared distance is summed in axis order. */
    private void offer(int pos, double[] q, Collector out) {
        double s = 0.0;
        int base = pos * dim;
        for (int j = 0; j < dim; j++) {
            double t = q[j] - coords[base + j];
            s += t * t;
        }
        if (s <= out.limit()) {
            out.offer(s, index[pos]);
        }
    }

    /** Median splits by selection over the index permutation. */
    private static final class Builder {
        private final double[] raw;
        private final int dim;
        private final int[] perm;
        private final int[] splitDim;

        Builder(double[] raw, int dim, int[] perm, int[] splitDim) {
            this.raw = raw;
            this.dim = dim;
            this.perm = perm;
            this.splitDim = splitDim;
        }

        void split(int lo, int hi) {
            if (hi - lo <= LEAF_SIZE) {
                return;
            }
            int d = widestAxis(lo, hi);
            int mid = (lo + hi) >>> 1;
            select(lo, hi - 1, mid, d);
            splitDim[mid] = d;
            split(lo, mid);
            split(mid + 1, hi);
        }

        private double key(int pos, int d) {
            return raw[perm[pos] * dim + d];
        }

        private int widestAxis(int lo, int hi) {
            int best = 0;
            double bestSpread = -1;
            for (int d = 0; d < dim; d++) {
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                for (int pos = lo; pos < hi; pos++) {
                    double x = key(pos, d);
                    min = Math.min(min, x);
                    max = Math.max(max, x);
                }
                if (max - min > bestSpread) {
                    bestSpread = max - min;
                    best = d;
                }
            }
            return best;
        }

        /**
         * Hoare's FIND on {@code [l, r]}: afterwards position k holds the k-th smallest key along
         * d, with keys {@code <=} it before and {@code >=} it after. Duplicates are safe.
         */
        private void select(int l, int r, int k, int d) {
            while (l < r) {
                double pivot = medianOfThree(key(l, d), key((l + r) >>> 1, d), key(r, d));
                int i = l;
                int j = r;
                do {
                    while (key(i, d) < pivot) {
                        i++;
                    }
                    while (key(j, d) > pivot) {
                        j--;
                    }
                    if (i <= j) {
                        int t = perm[i];
                        perm[i] = perm[j];
                        perm[j] = t;
                        i++;
                        j--;
                    }
                } while (i <= j);
                if (k <= j) {
                    r = j;
                } else if (k >= i) {
                    l = i;
                } else {
                    return;
                }
            }
        }

        private static double medianOfThree(double a, double b, double c) {
            return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
        }
    }
}
