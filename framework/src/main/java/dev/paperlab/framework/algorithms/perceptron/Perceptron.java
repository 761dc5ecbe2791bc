package dev.paperlab.framework.algorithms.perceptron;

/**
 * The online perceptron (Rosenblatt, 1958) with its averaged variant (Freund and Schapire,
 * 1999), on {@code float[]} features and labels {@code y in {-1, +1}}.
 *
 * <p>Prediction is {@code sign(w . x + b)} (a score of 0 counts as -1). On each example the
 * update is mistake-driven: if {@code y (w . x + b) <= 0} then {@code w <- w + y x} and
 * {@code b <- b + y}, which is the bias-free rule on the augmented vector {@code (x, 1)}.
 *
 * <p>Novikoff (1962): if {@code ||(x, 1)|| <= R} for all examples and some unit vector
 * {@code u} separates them with margin {@code y u . (x, 1) >= gamma > 0}, the perceptron makes
 * at most {@code (R / gamma)^2} mistakes, however many passes it makes over the data.
 *
 * <p>Averaged weights {@code w_avg = (1/T) sum_{t=1..T} w_t}, where {@code w_t} are the weights
 * after the t-th example, are kept in O(d) per update: with {@code u = sum_s s y_s x_s} over
 * the updates at steps {@code s}, {@code w_avg = w + (w - u) / T}.
 *
 * <p>Legend: {@code d} feature dimension, {@code T} examples seen.
 */
public final class Perceptron {
    private final int dimension;
    private final boolean useBias;
    private final float[] w;
    private float b;
    private final double[] u;
    private double ub;
    private long steps;
    private long mistakes;

    private Perceptron(int dimension, boolean useBias) {
        this.dimension = dimension;
        this.useBias = useBias;
        this.w = new float[dimension];
        this.u = new double[dimension];
    }

    /** A perceptron on {@code dimension} features with a bias term, all weights zero. */
    public static Perceptron create(int dimension) {
        return create(dimension, true);
    }

    /** A perceptron with or without a bias term (without: the separator passes the origin). */
    public static Perceptron create(int dimension, boolean useBias) {
        if (dimension < 1) {
            throw new IllegalArgumentException("feature dimension must be >= 1, got " + dimension);
        }
        return new Perceptron(dimension, useBias);
    }

    /** The current score {@code w . x + b}. */
    public double score(float[] x) {
        checkFeatures(x);
        double s = b;
        for (int j = 0; j < dimension; j++) {
            s += (double) w[j] * x[j];
        }
        return s;
    }

    /** The current prediction, +1 or -1. */
    public int predict(float[] x) {
        return score(x) > 0 ? 1 : -1;
    }

    /** One online step; returns true when it was a mistake (and the weights were updated). */
    public boolean update(float[] x, int y) {
        if (y != 1 && y != -1) {
            throw new IllegalArgumentException("label must be -1 or +1, got " + y);
        }
        steps++;
        if (y * score(x) > 0) {
            return false;
        }
        mistakes++;
        // w <- w + y x, b <- b + y; u accumulates s y x for the average.
        for (int j = 0; j < dimension; j++) {
            w[j] += y * x[j];
            u[j] += (double) steps * y * x[j];
        }
        if (useBias) {
            b += y;
            ub += (double) steps * y;
        }
        return true;
    }

    /**
     * Passes over the data in order until an epoch makes no mistake or {@code maxEpochs} passes
     * are done; returns the number of passes made.
     */
    public int fit(float[][] xs, int[] ys, int maxEpochs) {
        if (xs.length != ys.length) {
            throw new IllegalArgumentException(xs.length + " feature vectors but " + ys.length + " labels");
        }
        if (maxEpochs < 1) {
            throw new IllegalArgumentException("max epochs must be >= 1, got " + maxEpochs);
        }
        for (int epoch = 1; epoch <= maxEpochs; epoch++) {
            long before = mistakes;
            for (int i = 0; i < xs.length; i++) {
                update(xs[i], ys[i]);
            }
            if (mistakes == before) {
                return epoch;
            }
        }
        return maxEpochs;
    }

    /** The averaged score {@code w_avg . x + b_avg}; 0 before any example. */
    public double averagedScore(float[] x) {
        checkFeatures(x);
        double[] wa = averagedWeights();
        double s = averagedBias();
        for (int j = 0; j < dimension; j++) {
            s += wa[j] * x[j];
        }
        return s;
    }

    /** The averaged prediction, +1 or -1. */
    public int predictAveraged(float[] x) {
        return averagedScore(x) > 0 ? 1 : -1;
    }

    /** {@code w_avg = w + (w - u) / T}; zeros before any example. */
    public double[] averagedWeights() {
        double[] out = new double[dimension];
        if (steps == 0) {
            return out;
        }
        for (int j = 0; j < dimension; j++) {
            out[j] = w[j] + (w[j] - u[j]) / steps;
        }
        return out;
    }

    /** {@code b_avg = b + (b - u_b) / T}. */
    public double averagedBias() {
        return steps == 0 ? 0 : b + (b - ub) / steps;
    }

    /** A copy of the current weights {@code w}. */
    public float[] weights() {
        return w.clone();
    }

    /** The current bias {@code b} (always 0 without a bias term). */
    public float bias() {
        return b;
    }

    /** Mistakes (updates) so far. */
    public long mistakes() {
        return mistakes;
    }

    /** Examples seen so far, {@code T}. */
    public long steps() {
        return steps;
    }

    /** The feature dimension {@code d}. */
    public int dimension() {
        return dimension;
    }

    private void checkFeatures(float[] x) {
        if (x.length != dimension) {
            throw new IllegalArgumentException(
                    "feature vector of length " + x.length + " does not match dimension " + dimension);
        }
    }
}
