package dev.paperlab.models.reinforce;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.paperlab.framework.nn.TorchDefaultInit;
import java.util.ArrayList;
import java.util.List;

/**
 * The policy and value networks of REINFORCE: {@code x -> Linear -> ReLU -> ... -> Linear},
 * input {@code (B, D)}, output {@code (B, K)}: K action logits of a categorical policy
 * {@code pi(a|s) = softmax(logits)_a}, or K = 1 for a value estimate {@code V(s)}. PyTorch's
 * default Linear initialisation, as in the pytorch/examples reference.
 *
 * <p>{@link #snapshot()} copies the weights into Java arrays: a rollout evaluates the policy once
 * per environment step on one observation, about a thousand multiply-adds, where a native call
 * costs tens of microseconds; the update then recomputes the log-probabilities of all the steps
 * in one batched forward pass with autograd.
 */
public final class Mlp extends AbstractBlock {
    private final List<Linear> layers = new ArrayList<>();
    private final int inputs;

    private Mlp(Builder b) {
        inputs = b.inputs;
        int index = 0;
        for (int h : b.hidden) {
            layers.add(addChildBlock(
                    "linear" + index++, Linear.builder().setUnits(h).build()));
        }
        layers.add(addChildBlock(
                "linear" + index, Linear.builder().setUnits(b.outputs).build()));
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = inputs;
        for (int i = 0; i < layers.size(); i++) {
            x = layers.get(i).forward(ps, x, training, params);
            if (i + 1 < layers.size()) {
                x = new NDList(Activation.relu(x.head()));
            }
        }
        return x;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] s = inputShapes;
        for (Linear l : layers) {
            s = l.getOutputShapes(s);
        }
        return s;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] s = inputShapes;
        for (Linear l : layers) {
            l.initialize(manager, dataType, s);
            s = l.getOutputShapes(s);
        }
        TorchDefaultInit.apply(this);
    }

    /** Input width D. */
    public int inputs() {
        return inputs;
    }

    /** A Java copy of the current weights, for single-observation forward passes. */
    public Snapshot snapshot() {
        double[][][] w = new double[layers.size()][][];
        double[][] b = new double[layers.size()][];
        for (int i = 0; i < layers.size(); i++) {
            NDArray weight = layers.get(i).getParameters().get("weight").getArray(); // (O, I)
            NDArray bias = layers.get(i).getParameters().get("bias").getArray(); // (O)
            int out = (int) weight.getShape().get(0);
            int in = (int) weight.getShape().get(1);
            float[] wf = weight.toFloatArray();
            float[] bf = bias.toFloatArray();
            w[i] = new double[out][in];
            b[i] = new double[out];
            for (int o = 0; o < out; o++) {
                for (int k = 0; k < in; k++) {
                    w[i][o][k] = wf[o * in + k];
                }
                b[i][o] = bf[o];
            }
        }
        return new Snapshot(w, b);
    }

    /** The network's weights as Java arrays; {@link #forward} is the block's forward for one input. */
    public static final class Snapshot {
        private final double[][][] w;
        private final double[][] b;

        Snapshot(double[][][] w, double[][] b) {
            this.w = w;
            this.b = b;
        }

        /** The outputs for one observation {@code x} (D) -> (K). */
        public double[] forward(double[] x) {
            double[] h = x;
            for (int i = 0; i < w.length; i++) {
                double[] next = new double[w[i].length];
                for (int o = 0; o < next.length; o++) {
                    double[] row = w[i][o];
                    double s = b[i][o];
                    for (int k = 0; k < row.length; k++) {
                        s += row[k] * h[k];
                    }
                    next[o] = i + 1 < w.length ? Math.max(0, s) : s;
                }
                h = next;
            }
            return h;
        }

        /** Softmax of {@link #forward}: the categorical policy's probabilities. */
        public double[] probabilities(double[] x) {
            double[] z = forward(x);
            double max = Double.NEGATIVE_INFINITY;
            for (double v : z) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (int i = 0; i < z.length; i++) {
                z[i] = Math.exp(z[i] - max);
                sum += z[i];
            }
            for (int i = 0; i < z.length; i++) {
                z[i] /= sum;
            }
            return z;
        }
    }

    /** Builder: {@code setInputs}, {@code setOutputs}, {@code optHidden} (default one layer of 128). */
    public static final class Builder {
        private int inputs;
        private int outputs;
        private int[] hidden = {128};

        public Builder setInputs(int inputs) {
            this.inputs = inputs;
            return this;
        }

        public Builder setOutputs(int outputs) {
            this.outputs = outputs;
            return this;
        }

        public Builder optHidden(int... hidden) {
            this.hidden = hidden.clone();
            return this;
        }

        public Mlp build() {
            if (inputs < 1) {
                throw new IllegalArgumentException("inputs must be >= 1, got " + inputs);
            }
            if (outputs < 1) {
                throw new IllegalArgumentException("outputs must be >= 1, got " + outputs);
            }
            for (int h : hidden) {
                if (h < 1) {
                    throw new IllegalArgumentException(
                            "hidden sizes must be >= 1, got " + java.util.Arrays.toString(hidden));
                }
            }
            return new Mlp(this);
        }
    }
}
