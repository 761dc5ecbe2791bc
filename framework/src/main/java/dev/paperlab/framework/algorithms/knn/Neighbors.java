package dev.paperlab.framework.algorithms.knn;

import java.util.Arrays;

/**
 * Query result: point indices (into the array the tree was built from) and their Euclidean
 * distances, nearest first; equal distances are ordered by lower point index.
 */
public record Neighbors(int[] indices, double[] distances) {
    public Neighbors {
        if (indices.length != distances.length) {
            throw new IllegalArgumentException(indices.length + " indices but " + distances.length + " distances");
        }
        indices = indices.clone();
        distances = distances.clone();
    }

    @Override
    public int[] indices() {
        return indices.clone();
    }

    @Override
    public double[] distances() {
        return distances.clone();
    }

    public int size() {
        return indices.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Neighbors nb
                && Arrays.equals(indices, nb.indices)
                && Arrays.equals(distances, nb.distances);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(indices) + Arrays.hashCode(distances);
    }

    @Override
    public String toString() {
        return "Neighbors" + Arrays.toString(indices) + " at " + Arrays.toString(distances);
    }
}
