package dev.paperlab.framework.algorithms.knn;

/**
 * The k best candidates in a bounded max-heap whose root is the worst kept: larger squared
 * distance is worse, and on equal distance the larger index is worse.
 */
final class KnnCollector implements Collector {
    private final int k;
    private final double[] dist;
    private final int[] idx;
    private int size;

    KnnCollector(int k) {
        this.k = k;
        this.dist = new double[k];
        this.idx = new int[k];
    }

    @Override
    public double limit() {
        return size < k ? Double.POSITIVE_INFINITY : dist[0];
    }

    @Override
    public void offer(double d, int i) {
        if (size < k) {
            int slot = size++;
            // Sift up while the parent is better (the root must be the worst).
            while (slot > 0) {
                int parent = (slot - 1) >>> 1;
                if (!worse(d, i, dist[parent], idx[parent])) {
                    break;
                }
                dist[slot] = dist[parent];
                idx[slot] = idx[parent];
                slot = parent;
            }
            dist[slot] = d;
            idx[slot] = i;
        } else if (k > 0 && worse(dist[0], idx[0], d, i)) {
            siftDownFromRoot(d, i);
        }
    }

    private void siftDownFromRoot(double d, int i) {
        int slot = 0;
        int half = size >>> 1;
        while (slot < half) {
            int child = 2 * slot + 1;
            int right = child + 1;
            if (right < size && worse(dist[right], idx[right], dist[child], idx[child])) {
                child = right;
            }
            if (!worse(dist[child], idx[child], d, i)) {
                break;
            }
            dist[slot] = dist[child];
            idx[slot] = idx[child];
            slot = child;
        }
        dist[slot] = d;
        idx[slot] = i;
    }

    static boolean worse(double d1, int i1, double d2, int i2) {
        return d1 > d2 || (d1 == d2 && i1 > i2);
    }

    @Override
    public Neighbors result() {
        int m = size;
        int[] outIdx = new int[m];
        double[] outDist = new double[m];
        // Pop the worst into the back: ascending order.
        for (int t = m - 1; t >= 0; t--) {
            outIdx[t] = idx[0];
            outDist[t] = Math.sqrt(dist[0]);
            size--;
            if (size > 0) {
                siftDownFromRoot(dist[size], idx[size]);
            }
        }
        return new Neighbors(outIdx, outDist);
    }
}
