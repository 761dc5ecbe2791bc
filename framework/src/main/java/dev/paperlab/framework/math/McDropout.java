package dev.paperlab.framework.math;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;

/**
 * Dropout as approximate Bayesian inference (#22; Gal &amp; Ghahramani 2016, "Dropout as a Bayesian
 * Approximation"). A network trained with dropout and L2 decay fits a variational distribution
 * over its weights; keeping dropout on at test time samples from it, and T stochastic passes give
 * the moments of the approximate predictive distribution (their Eq. 8 and 9):
 *
 * <pre>
 *   E[y*]   ~ (1/T) sum_t f_t(x*)
 *   Var[y*] ~ tau^-1 + (1/T) sum_t f_t(x*)^2 - E[y*]^2        (f_t: one pass with a fresh dropout mask)
 * </pre>
 *
 * <p>{@link #predict} returns the mean and the model part of the variance (the sample variance of
 * the passes; the constant {@code tau^-1} is the same at every input). Away from the training data
 * the masks disagree more, so that variance grows. DJL's {@link Dropout} is active whenever a
 * forward pass is called with {@code training = true}, which is how the passes are drawn.
 */
public final class McDropout {

    private McDropout() {}

    /** Predictive mean and model variance per input row. */
    public record Prediction(double[] mean, double[] variance) {}

    /**
     * T stochastic forward passes with dropout on.
     *
     * @param x inputs (N, D) for a block with one output per row, (N, 1)
     */
    public static Prediction predict(Block block, ParameterStore ps, NDArray x, int passes) {
        if (passes < 2) {
            throw new IllegalArgumentException("passes = " + passes + ", expected at least 2 for a variance");
        }
        int n = Math.toIntExact(x.getShape().get(0));
        double[] sum = new double[n];
        double[] sumSq = new double[n];
        for (int t = 0; t < passes; t++) {
            try (NDManager scope = x.getManager().newSubManager()) {
                NDArray in = x.duplicate();
                in.attach(scope);
                float[] f = block.forward(ps, new NDList(in), true) // dropout on: one posterior sample
                        .singletonOrThrow()
                        .toFloatArray();
                if (f.length != n) {
                    throw new IllegalArgumentException(
                            "the block returned " + f.length + " values for " + n + " inputs, expected one per row");
                }
                for (int i = 0; i < n; i++) {
                    sum[i] += f[i];
                    sumSq[i] += (double) f[i] * f[i];
                }
            }
        }
        double[] mean = new double[n];
        double[] var = new double[n];
        for (int i = 0; i < n; i++) {
            mean[i] = sum[i] / passes;
            var[i] = Math.max(0, sumSq[i] / passes - mean[i] * mean[i]);
        }
        return new Prediction(mean, var);
    }

    /** A regression MLP 1 -> hidden -> hidden -> 1 with ReLU and dropout before each hidden layer's output. */
    public static SequentialBlock mlp(int hidden, float rate) {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(hidden).build())
                .add(Activation::relu)
                .add(Dropout.builder().optRate(rate).build())
                .add(Linear.builder().setUnits(hidden).build())
                .add(Activation::relu)
                .add(Dropout.builder().optRate(rate).build())
                .add(Linear.builder().setUnits(1).build());
    }

    /**
     * Fits {@code block} to (x, y) by full-batch Adam on the squared error with weight decay (the
     * prior of the paper's variational objective), dropout on, each step in its own scope.
     *
     * @return the parameter store the block was trained with
     */
    public static ParameterStore fit(
            Block block, NDManager manager, NDArray x, NDArray y, int steps, float lr, float weightDecay, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        block.initialize(manager, DataType.FLOAT32, x.getShape());
        for (Pair<String, Parameter> p : block.getParameters()) {
            p.getValue().getArray().setRequiresGradient(true);
        }
        ParameterStore ps = new ParameterStore(manager, false);
        Optimizer adam = Optimizer.adam()
                .optLearningRateTracker(Tracker.fixed(lr))
                .optWeightDecays(weightDecay)
                .build();
        for (int s = 0; s < steps; s++) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray in = x.duplicate();
                in.attach(scope);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray pred = block.forward(ps, new NDList(in), true).singletonOrThrow(); // (N, 1)
                    gc.backward(pred.sub(y).square().mean());
                }
                for (Pair<String, Parameter> p : block.getParameters()) {
                    NDArray w = p.getValue().getArray();
                    try (NDArray g = w.getGradient()) {
                        adam.update(p.getValue().getId(), w, g);
                    }
                }
            }
        }
        return ps;
    }

    /** Column vector (N, 1) of the given values. */
    public static NDArray column(NDManager manager, double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return manager.create(f, new Shape(v.length, 1));
    }
}
