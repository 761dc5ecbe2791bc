package dev.paperlab.datasets.synthetic;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;

/**
 * N points in the plane with the mixture component that drew each one.
 *
 * @param points 2N floats, {@code x_0, y_0, x_1, y_1, ...}
 * @param labels N component indices in {@code 0..components-1}
 * @param components number of mixture components K
 */
public record Samples2d(float[] points, int[] labels, int components) {

    /**
     * Checks that the arrays agree.
     *
     * @throws IllegalArgumentException if {@code points.length != 2 * labels.length}
     */
    public Samples2d {
        if (points.length != 2 * labels.length) {
            throw new IllegalArgumentException("points must hold 2 floats per label: expected "
                    + 2 * labels.length
                    + " but found "
                    + points.length);
        }
    }

    /**
     * Returns the number of points N.
     *
     * @return N
     */
    public int size() {
        return labels.length;
    }

    /**
     * Returns the x coordinate of point i.
     *
     * @param i point index
     * @return x_i
     */
    public float x(int i) {
        return points[2 * i];
    }

    /**
     * Returns the y coordinate of point i.
     *
     * @param i point index
     * @return y_i
     */
    public float y(int i) {
        return points[2 * i + 1];
    }

    /**
     * Copies the points into an array.
     *
     * @param manager the manager that owns the result
     * @return {@code (N, 2)} float32
     */
    public NDArray pointArray(NDManager manager) {
        return manager.create(points, new Shape(size(), 2));
    }

    /**
     * Copies the component labels into an array.
     *
     * @param manager the manager that owns the result
     * @return {@code (N)} float32 component indices
     */
    public NDArray labelArray(NDManager manager) {
        float[] y = new float[size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = labels[i];
        }
        return manager.create(y);
    }

    /**
     * Wraps the points as a DJL dataset: data {@code (N, 2)}, labels {@code (N)} float32 component
     * indices; batches are {@code (B, 2)} and {@code (B)}.
     *
     * @param manager the manager that owns the dataset's arrays (close it to free them)
     * @param batchSize batch size B
     * @param shuffle whether each epoch visits the points in a random order
     * @return the dataset
     */
    public ArrayDataset toDataset(NDManager manager, int batchSize, boolean shuffle) {
        return new ArrayDataset.Builder()
                .setData(pointArray(manager))
                .optLabels(labelArray(manager))
                .setSampling(batchSize, shuffle)
                .build();
    }
}
