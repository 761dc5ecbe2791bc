package dev.paperlab.framework.adapters;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;
import dev.paperlab.framework.nn.Scalars;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Collections;

/**
 * A linear layer with a low-rank adapter, LoRA (Hu, Shen, Wallis, Allen-Zhu, Li, Wang, Wang and
 * Chen, "LoRA: Low-Rank Adaptation of Large Language Models", 2021).
 *
 * <p>The pretrained weight {@code W0} is frozen and the update is constrained to rank r
 * (Eq. 3, with the scaling of Section 4.1):
 *
 * <pre>
 *   h = W0 x + b + (alpha / r) B A x,    A (r, in) random,  B (out, r) = 0
 * </pre>
 *
 * <p>so at the start {@code B A = 0} and the layer computes exactly what the base layer did. In
 * the row-vector convention of DJL's {@code Linear}: {@code Y = X W0^T + b + (alpha/r) dropout(X)
 * A^T B^T}. Only {@code A} and {@code B} train: {@code r (in + out)} parameters instead of {@code
 * in * out}. {@link #merge()} folds the update into the weight, {@code W = W0 + (alpha/r) B A},
 * so inference costs nothing extra (Section 4.1); {@link #unmerge()} takes it out again.
 *
 * <p>Dimension letters: N leading (batch) axes, in / out features, r rank.
 *
 * <p>This class extends {@link Linear} so that it can stand wherever a model declares a {@code
 * Linear} field (DJL's own attention block does); it does not use Linear's weight and bias but
 * holds the wrapped layer's own {@link Parameter} objects (shared, not copied), plus {@code loraA}
 * and {@code loraB}, and overrides every computation.
 */
public final class LoraLinear extends Linear {

    private final long inFeatures;
    private final long outFeatures;
    private final int rank;
    private final float alpha;
    private final float dropout;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter loraA;
    private final Parameter loraB;
    private boolean merged;

    private LoraLinear(Builder builder, long in, long out) {
        super(Linear.builder().setUnits(out).optBias(builder.bias != null));
        inFeatures = in;
        outFeatures = out;
        rank = builder.rank;
        alpha = Float.isNaN(builder.alpha) ? builder.rank : builder.alpha;
        dropout = builder.dropout;
        // Drop Linear's own (never initialized) parameters: this layer uses the wrapped ones.
        parameters.clear();
        weight = addParameter(builder.weight);
        bias = builder.bias == null ? null : addParameter(builder.bias);
        Initializer initA = builder.init == LoraInit.GAUSSIAN
                ? new NormalInitializer(1f / rank)
                : new UniformInitializer((float) (1.0 / Math.sqrt(in)));
        loraA = addParameter(Parameter.builder()
                .setName("loraA")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(rank, in))
                .optInitializer(initA)
                .build());
        loraB = addParameter(Parameter.builder()
                .setName("loraB")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(out, rank))
                .optInitializer(Initializer.ZEROS)
                .build());
        // The base is already initialized, so the adapter starts on its manager and type now.
        NDArray w = weight.getArray();
        loraA.initialize(w.getManager(), w.getDataType());
        loraB.initialize(w.getManager(), w.getDataType());
        weight.freeze(true);
        if (bias != null) {
            bias.freeze(true);
        }
    }

    @Override
    @SuppressWarnings("checkstyle:LocalVariableName") // paper symbols
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow(); // (N, in)
        Device device = x.getDevice();
        NDArray w = parameterStore.getValue(weight, device, training); // (out, in)
        NDArray b = bias == null ? null : parameterStore.getValue(bias, device, training);
        if (merged) {
            // W already holds W0 + (alpha/r) B A
            return Linear.linear(x, w, b);
        }
        NDArray a = parameterStore.getValue(loraA, device, training); // (r, in)
        NDArray up = parameterStore.getValue(loraB, device, training); // (out, r)
        NDArray dropped = dropout > 0 && training
                ? Dropout.dropout(x, dropout, true).singletonOrThrow() // (N, in)
                : x;
        return new NDList(lora(x, dropped, w, b, a, up, getScaling()));
    }

    /**
     * Functional form {@code Y = X W0^T + b + s X A^T B^T} (no dropout).
     *
     * @param x input {@code (N, in)}
     * @param weight frozen {@code W0}, {@code (out, in)}
     * @param bias {@code (out)} or null
     * @param a {@code A}, {@code (r, in)}
     * @param b {@code B}, {@code (out, r)}
     * @param scaling {@code s = alpha / r}
     * @return {@code (N, out)}
     */
    public static NDArray lora(NDArray x, NDArray weight, NDArray bias, NDArray a, NDArray b, float scaling) {
        return lora(x, x, weight, bias, a, b, scaling);
    }

    private static NDArray lora(
            NDArray x, NDArray dropped, NDArray weight, NDArray bias, NDArray a, NDArray b, float scaling) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray base = Linear.linear(x, weight, bias).singletonOrThrow(); // (N, out)
            NDArray down = Linear.linear(dropped, a).singletonOrThrow(); // (N, r)
            NDArray update = Scalars.mul(Linear.linear(down, b).singletonOrThrow(), scaling); // (N, out)
            // Eq. 3: h = W0 x + (alpha/r) B A x
            NDArray out = base.add(update);
            NDScope.unregister(out);
            return out;
        }
    }

    /** Folds the update into the weight, {@code W += (alpha/r) B A}; a no-op when merged. */
    public void merge() {
        if (!merged) {
            weight.getArray().addi(delta());
            merged = true;
        }
    }

    /**
     * Takes the update out of the weight, {@code W -= (alpha/r) B A}, restoring {@code W0} up to
     * rounding; a no-op when not merged. A and B must not have changed since {@link #merge()}.
     */
    public void unmerge() {
        if (merged) {
            weight.getArray().subi(delta());
            merged = false;
        }
    }

    /** {@code (alpha/r) B A}, {@code (out, in)}, on the weight's manager. */
    private NDArray delta() {
        NDArray w = weight.getArray();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray d = Scalars.mul(loraB.getArray().matMul(loraA.getArray()), getScaling()); // (out, in)
            NDArray typed = d.toType(w.getDataType(), false).toDevice(w.getDevice(), false);
            typed.attach(w.getManager());
            NDScope.unregister(typed);
            return typed;
        }
    }

    /** Returns whether the update is currently folded into the weight. */
    public boolean isMerged() {
        return merged;
    }

    /** Returns {@code r (in + out)}, the number of trainable values this adapter adds. */
    public long getTrainableParameterCount() {
        return rank * (inFeatures + outFeatures);
    }

    /** Returns the scaling {@code alpha / r}. */
    public float getScaling() {
        return alpha / rank;
    }

    /** Returns the rank r. */
    public int getRank() {
        return rank;
    }

    /** Returns {@code A}, {@code (r, in)}. */
    public Parameter getLoraA() {
        return loraA;
    }

    /** Returns {@code B}, {@code (out, r)}. */
    public Parameter getLoraB() {
        return loraB;
    }

    /** Returns the frozen base weight {@code W0} (merged: {@code W0 + (alpha/r) B A}). */
    public Parameter getBaseWeight() {
        return weight;
    }

    @Override
    public void prepare(Shape[] inputShapes) {
        // every parameter already has its shape and array
    }

    @Override
    public PairList<String, Shape> describeInput() {
        return new PairList<>(
                Collections.singletonList("linearInput"), Collections.singletonList(new Shape(inFeatures)));
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        os.writeLong(inFeatures);
        os.writeLong(outFeatures);
        os.writeInt(rank);
        os.writeFloat(alpha);
        os.writeBoolean(merged);
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        long in = is.readLong();
        long out = is.readLong();
        int r = is.readInt();
        float a = is.readFloat();
        if (in != inFeatures || out != outFeatures || r != rank || a != alpha) {
            throw new MalformedModelException(String.format(
                    "saved LoRA layer (in %d, out %d, r %d, alpha %s) does not match this one"
                            + " (in %d, out %d, r %d, alpha %s)",
                    in, out, r, a, inFeatures, outFeatures, rank, alpha));
        }
        merged = is.readBoolean();
    }

    @Override
    public String toString() {
        return String.format(
                "LoraLinear(in %d, out %d, r %d, alpha %s, dropout %s%s)",
                inFeatures, outFeatures, rank, alpha, dropout, merged ? ", merged" : "");
    }

    /**
     * Returns a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a {@link LoraLinear}; a base ({@code setBase} or {@code setWeight}) and the rank are
     * required. It extends Linear's builder only so that {@code LoraLinear.builder()} hides {@code
     * Linear.builder()}; the sizes come from the base weight, so {@link #setUnits} and {@link
     * #optBias} are refused.
     */
    public static final class Builder extends Linear.Builder {
        private Parameter weight;
        private Parameter bias;
        private int rank;
        private float alpha = Float.NaN;
        private float dropout;
        private LoraInit init = LoraInit.KAIMING_UNIFORM;

        private Builder() {}

        /**
         * Refused: the output size is the base weight's.
         *
         * @param units ignored
         * @return never
         */
        @Override
        public Builder setUnits(long units) {
            throw new UnsupportedOperationException(
                    "LoRA output size comes from the base weight; use setBase or setWeight");
        }

        /**
         * Refused: the bias is the base layer's.
         *
         * @param bias ignored
         * @return never
         */
        @Override
        public Builder optBias(boolean bias) {
            throw new UnsupportedOperationException("LoRA bias comes from the base layer; use setBase or setWeight");
        }

        /**
         * Adapts an initialized {@link Linear}, sharing (and freezing) its weight and bias.
         *
         * @param linear the base layer
         * @return this builder
         */
        public Builder setBase(Linear linear) {
            if (linear instanceof LoraLinear) {
                throw new IllegalArgumentException("layer is already adapted: " + linear);
            }
            this.weight = linear.getDirectParameters().get("weight");
            this.bias = linear.getDirectParameters().get("bias");
            return this;
        }

        /**
         * Adapts a bare weight (and optional bias).
         *
         * @param weight {@code W0}, {@code (out, in)}
         * @param bias {@code (out)} or null
         * @return this builder
         */
        public Builder setWeight(NDArray weight, NDArray bias) {
            this.weight = Parameter.builder()
                    .setName("weight")
                    .setType(Parameter.Type.WEIGHT)
                    .optShape(weight.getShape())
                    .optArray(weight)
                    .build();
            this.bias = bias == null
                    ? null
                    : Parameter.builder()
                            .setName("bias")
                            .setType(Parameter.Type.BIAS)
                            .optShape(bias.getShape())
                            .optArray(bias)
                            .build();
            return this;
        }

        /**
         * Sets the rank r, {@code 1 <= r <= min(in, out)} (required).
         *
         * @param rank r
         * @return this builder
         */
        public Builder setRank(int rank) {
            this.rank = rank;
            return this;
        }

        /**
         * Sets alpha; the update is scaled by {@code alpha / r}. Default: r (scaling 1).
         *
         * @param alpha {@code > 0}
         * @return this builder
         */
        public Builder optAlpha(float alpha) {
            this.alpha = alpha;
            return this;
        }

        /**
         * Sets the dropout rate applied to the adapter's input in training; default 0.
         *
         * @param dropout rate in {@code [0, 1)}
         * @return this builder
         */
        public Builder optDropout(float dropout) {
            this.dropout = dropout;
            return this;
        }

        /**
         * Sets how A starts; default {@link LoraInit#KAIMING_UNIFORM}.
         *
         * @param init the initialization
         * @return this builder
         */
        public Builder optInit(LoraInit init) {
            this.init = init;
            return this;
        }

        /**
         * Validates the settings and builds the adapter.
         *
         * @return the adapted layer
         * @throws IllegalArgumentException naming the bad setting and its value
         */
        @Override
        public LoraLinear build() {
            if (weight == null || !weight.isInitialized()) {
                throw new IllegalArgumentException(
                        "base weight must be set and initialized" + " (initialize the model before adapting it)");
            }
            Shape shape = weight.getArray().getShape();
            if (shape.dimension() != 2) {
                throw new IllegalArgumentException("base weight must be (out, in), but was " + shape);
            }
            long out = shape.get(0);
            long in = shape.get(1);
            long max = Math.min(in, out);
            if (rank < 1 || rank > max) {
                throw new IllegalArgumentException(
                        String.format("LoRA rank %d must be in [1, min(in %d, out %d) = %d]", rank, in, out, max));
            }
            if (!Float.isNaN(alpha) && !(alpha > 0 && Float.isFinite(alpha))) {
                throw new IllegalArgumentException("LoRA alpha must be > 0, but was " + alpha);
            }
            if (!(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("LoRA dropout must be in [0, 1), but was " + dropout);
            }
            if (init == null) {
                throw new IllegalArgumentException("LoRA init must not be null");
            }
            return new LoraLinear(this, in, out);
        }
    }
}
