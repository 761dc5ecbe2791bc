package dev.paperlab.framework.algorithms.knn;

import java.util.Arrays;

/** Every candidate with squared distance {@code <= r^2}, sorted by (distance, index) at the end. */
final class RadiusCollector implements Collector {
    private final double limit;
    private double[] dist = new double[16];
    private int[] idx = new int[16];
    private int size;

    RadiusCollector(double squaredRadius) {
        this.limit = squaredRadius;
    }

    @Override
    public double limit() {
        return limit;
    }

    @Override
    public void offer(double d, int i) {
        if (size == dist.length) {
            dist = Arrays.copyOf(dist, 2 * size);
            idx = Arrays.copyOf(idx, 2 * size);
        }
        dist[size] = d;
        idx[size++] = i;
    }

    @Override
    public Neighbors result() {
        Integer[] order = new Integer[size];
        for (int t = 0; t < size; t++) {
            order[t] = t;
        }
        Arrays.sort(
                order,
                (a, b) -> dist[a] != dist[b] ? Double.compare(dist[a], dist[b]) : Integer.compare(idx[a], idx[b]));
        int[] outIdx = new int[size];
        double[] outDist = new double[size];
        for (int t = 0; t < size; t++) {
            outIdx[t] = idx[order[t]];
            outDist[t] = Math.sqrt(dist[order[t]]);
        }
        return new Neighbors(outIdx, outDist);
    }
}
