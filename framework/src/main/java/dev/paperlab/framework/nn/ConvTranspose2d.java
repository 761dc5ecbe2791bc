package dev.paperlab.framework.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * 2-D transposed convolution ("fractionally strided", Dumoulin &amp; Visin, 2016, "A guide to
 * convolution arithmetic for deep learning"), with PyTorch's {@code nn.ConvTranspose2d} weight
 * layout and output size. DJL's PyTorch engine does not implement {@code
 * Conv2dTranspose}/{@code deconvolution}, so this block computes it from {@code conv2d}:
 *
 * <pre>
 *   y[n, o, s*i + a - p, s*j + b - p] += x[n, c, i, j] * W[c, o, a, b]   (scatter definition)
 *   = conv2d(pad(dilate_s(x), k - 1 - p, k - 1 - p + op), flip(W^T))      (Relationship 14)
 *   H_out = (H - 1) * s - 2 p + k + op
 * </pre>
 *
 * <p>{@code dilate_s} inserts {@code s - 1} zeros between neighbouring pixels, {@code W^T} swaps
 * the two channel axes and {@code flip} reverses both kernel axes. It is the adjoint of {@code
 * conv2d} with the same weight, stride and padding. Groups and dilation are not supported.
 *
 * <p>That form ({@link #convTranspose2dByDilation}, the reference) spends {@code 1 - 1/s^2} of its
 * products on the inserted zeros. {@link #convTranspose2d} skips them (the sub-pixel view of
 * Shi et al. 2016): writing the tap index as {@code a = s m + r}, output row {@code t} with
 * {@code t + p = s q + r} only meets taps of phase {@code r},
 *
 * <pre>
 *   y[t] = U[t + p],  U[s q + r] = z_r[q] = sum_m x[q - m] W[s m + r]
 * </pre>
 *
 * so one stride-1 convolution of the undilated input with the {@code s^2} phase kernels stacked as
 * output channels (kernels zero-padded to a multiple of s), then interleaving the phases, gives
 * the same output with {@code 1/s^2} of the products.
 *
 * <p>Its gradient runs through libtorch's stride-1 convolution backward, which oneDNN gets wrong
 * on some CPUs: training outside the harness should call {@link ConvGuard#ensureCorrectGradients()}
 * once first (the harness does).
 *
 * <p>Legend: N batch, C input channels, O output channels (filters), H/W input height/width,
 * k kernel size, s stride, p padding, op output padding.
 */
public final class ConvTranspose2d extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int filters;
    private final Shape kernel;
    private final Shape stride;
    private final Shape padding;
    private final Shape outputPadding;
    private final Parameter weight;
    private final Parameter bias;

    private ConvTranspose2d(Builder b) {
        super(VERSION);
        filters = b.filters;
        kernel = b.kernel;
        stride = b.stride;
        padding = b.padding;
        outputPadding = b.outputPadding;
        weight = addParameter(Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.WEIGHT)
                .optInitializer(TorchDefaultInit.weightInitializer())
                .build());
        bias = b.includeBias
                ? addParameter(Parameter.builder()
                        .setName("bias")
                        .setType(Parameter.Type.BIAS)
                        .build())
                : null;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Functional form.
     *
     * @param x input, (N, C, H, W)
     * @param w weight, (C, O, kH, kW)
     * @param b bias, (O), or null
     * @param stride (sH, sW)
     * @param padding (pH, pW), each at most k - 1
     * @param outputPadding (opH, opW), each below the stride
     * @return output, (N, O, H_out, W_out)
     */
    public static NDArray convTranspose2d(
            NDArray x, NDArray w, NDArray b, Shape stride, Shape padding, Shape outputPadding) {
        check(x, w);
        Shape xs = x.getShape();
        Shape ws = w.getShape();
        long n = xs.get(0);
        long o = ws.get(1);
        long sh = stride.get(0);
        long sw = stride.get(1);
        // kernels padded with zero taps to a multiple of the stride: M taps per phase
        long mh = (ws.get(2) + sh - 1) / sh;
        long mw = (ws.get(3) + sw - 1) / sw;
        NDArray phases;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray wp = w.pad(new Shape(0, mw * sw - ws.get(3), 0, mh * sh - ws.get(2)), 0); // (C, O, M sH, M sW)
            // a = s m + r: W[c, o, s m + r] -> phase kernel K_r[o, c, M - 1 - m] (swapped and flipped)
            phases = wp.reshape(new Shape(ws.get(0), o, mh, sh, mw, sw)) // (C, O, Mh, sH, Mw, sW)
                    .transpose(3, 5, 1, 0, 2, 4) // (sH, sW, O, C, Mh, Mw)
                    .flip(4, 5)
                    .reshape(new Shape(sh * sw * o, ws.get(0), mh, mw)); // (sH sW O, C, Mh, Mw)
            NDScope.unregister(phases);
        }
        onManagerOf(x, phases);
        // z_r[q] = sum_m x[q - m] W[s m + r]: a full correlation, q in [0, H + M - 1)
        NDArray z = Conv2d.conv2d(x, phases, null, new Shape(1, 1), new Shape(mh - 1, mw - 1))
                .singletonOrThrow(); // (N, sH sW O, Qh, Qw)
        long qh = z.getShape().get(2);
        long qw = z.getShape().get(3);
        // interleave the phases: U[s q + r] = z_r[q]
        NDArray u = z.reshape(new Shape(n, sh, sw, o, qh, qw))
                .transpose(0, 3, 4, 1, 5, 2) // (N, O, Qh, sH, Qw, sW)
                .reshape(new Shape(n, o, qh * sh, qw * sw)); // (N, O, Qh sH, Qw sW)
        // y[t] = U[t + p]; output padding beyond U's end is zeros
        long hOut = (xs.get(2) - 1) * sh - 2 * padding.get(0) + ws.get(2) + outputPadding.get(0);
        long wOut = (xs.get(3) - 1) * sw - 2 * padding.get(1) + ws.get(3) + outputPadding.get(1);
        long extraH = Math.max(0, padding.get(0) + hOut - qh * sh);
        long extraW = Math.max(0, padding.get(1) + wOut - qw * sw);
        if (extraH > 0 || extraW > 0) {
            u = u.pad(new Shape(0, extraW, 0, extraH), 0);
        }
        NDArray y = u.get(new NDIndex(":, :, " + padding.get(0) + ":" + (padding.get(0) + hOut) + ", " + padding.get(1)
                + ":" + (padding.get(1) + wOut))); // (N, O, H_out, W_out)
        return b == null ? y : y.add(onManagerOf(x, b.reshape(1, o, 1, 1)));
    }

    /**
     * Moves {@code a}, computed from a parameter, to the input's manager. An operation's result
     * belongs to its first operand's manager, here the model's, which lives as long as the model:
     * left there, every forward pass would keep its phase kernels until the model is closed (a
     * DCGAN run grew by 4-5 MB per step). On the input's manager the step's scope frees them.
     */
    private static NDArray onManagerOf(NDArray x, NDArray a) {
        a.attach(x.getManager());
        return a;
    }

    /**
     * The same result as {@link #convTranspose2d} from Relationship 14 directly: a stride-1
     * convolution over the input dilated with {@code s - 1} zeros, which spends {@code 1 - 1/s^2}
     * of its products on those zeros. The reference the fast form is tested against.
     */
    public static NDArray convTranspose2dByDilation(
            NDArray x, NDArray w, NDArray b, Shape stride, Shape padding, Shape outputPadding) {
        check(x, w);
        Shape ws = w.getShape();
        NDArray a = dilate(x, 2, stride.get(0)); // (N, C, (H-1)s+1, W)
        a = dilate(a, 3, stride.get(1)); // (N, C, (H-1)s+1, (W-1)s+1)
        long ph = ws.get(2) - 1 - padding.get(0);
        long pw = ws.get(3) - 1 - padding.get(1);
        // F.pad order, last axis first: (left, right, top, bottom); output padding at bottom/right.
        a = a.pad(new Shape(pw, pw + outputPadding.get(1), ph, ph + outputPadding.get(0)), 0);
        NDArray kernel;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            kernel = w.transpose(1, 0, 2, 3).flip(2, 3); // (O, C, kH, kW)
            NDScope.unregister(kernel);
        }
        onManagerOf(x, kernel);
        NDList y = b == null ? Conv2d.conv2d(a, kernel) : Conv2d.conv2d(a, kernel, b);
        return y.singletonOrThrow(); // (N, O, H_out, W_out)
    }

    private static void check(NDArray x, NDArray w) {
        Shape ws = w.getShape();
        if (x.getShape().dimension() != 4 || ws.dimension() != 4 || x.getShape().get(1) != ws.get(0)) {
            throw new IllegalArgumentException(
                    "expected input (N, C, H, W) and weight (C, O, kH, kW), got " + x.getShape() + " and " + ws);
        }
    }

    /** Inserts {@code s - 1} zeros between neighbours along {@code axis}: n -> (n - 1) s + 1. */
    private static NDArray dilate(NDArray x, int axis, long s) {
        if (s == 1) {
            return x;
        }
        Shape shape = x.getShape();
        long n = shape.get(axis);
        NDArray col = x.expandDims(axis + 1); // (..., n, 1, ...)
        Shape zerosShape = col.getShape().slice(0, axis + 1).add(s - 1).addAll(shape.slice(axis + 1));
        NDArray zeros = x.getManager().zeros(zerosShape, x.getDataType(), x.getDevice());
        NDArray spread = NDArrays.concat(new NDList(col, zeros), axis + 1); // (..., n, s, ...)
        long[] merged = shape.getShape();
        merged[axis] = n * s;
        NDArray flat = spread.reshape(new Shape(merged)); // (..., n s, ...)
        return flat.get(sliceSpec(shape.dimension(), axis, (n - 1) * s + 1));
    }

    private static String sliceSpec(int dims, int axis, long length) {
        StringBuilder spec = new StringBuilder();
        for (int i = 0; i < dims; i++) {
            spec.append(i == 0 ? "" : ",").append(i == axis ? "0:" + length : ":");
        }
        return spec.toString();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = bias == null ? null : ps.getValue(bias, x.getDevice(), training);
        return new NDList(convTranspose2d(x, w, b, stride, padding, outputPadding));
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        long channels = inputShapes[0].get(1);
        weight.setShape(new Shape(channels, filters).addAll(kernel));
        if (bias != null) {
            bias.setShape(new Shape(filters));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), filters, outSize(in.get(2), 0), outSize(in.get(3), 1))};
    }

    private long outSize(long in, int axis) {
        // H_out = (H - 1) s - 2 p + k + op
        return (in - 1) * stride.get(axis) - 2 * padding.get(axis) + kernel.get(axis) + outputPadding.get(axis);
    }

    /** Builder for {@link ConvTranspose2d}. */
    public static final class Builder {
        private int filters;
        private Shape kernel;
        private Shape stride = new Shape(1, 1);
        private Shape padding = new Shape(0, 0);
        private Shape outputPadding = new Shape(0, 0);
        private boolean includeBias = true;

        private Builder() {}

        /**
         * @param filters O, output channels (required)
         * @return this builder
         */
        public Builder setFilters(int filters) {
            this.filters = filters;
            return this;
        }

        /**
         * @param kh kernel height (required)
         * @param kw kernel width (required)
         * @return this builder
         */
        public Builder setKernelShape(int kh, int kw) {
            this.kernel = new Shape(kh, kw);
            return this;
        }

        /**
         * @param sh stride along the height; default 1
         * @param sw stride along the width; default 1
         * @return this builder
         */
        public Builder optStride(int sh, int sw) {
            this.stride = new Shape(sh, sw);
            return this;
        }

        /**
         * @param ph padding removed from top and bottom of the output; default 0
         * @param pw padding removed from left and right of the output; default 0
         * @return this builder
         */
        public Builder optPadding(int ph, int pw) {
            this.padding = new Shape(ph, pw);
            return this;
        }

        /**
         * @param oh extra output rows at the bottom; default 0
         * @param ow extra output columns at the right; default 0
         * @return this builder
         */
        public Builder optOutputPadding(int oh, int ow) {
            this.outputPadding = new Shape(oh, ow);
            return this;
        }

        /**
         * @param includeBias whether to add a bias; default true
         * @return this builder
         */
        public Builder optBias(boolean includeBias) {
            this.includeBias = includeBias;
            return this;
        }

        /**
         * @return the block
         * @throws IllegalArgumentException on a non-positive size, a padding above k - 1 or an
         *     output padding not below the stride
         */
        public ConvTranspose2d build() {
            if (filters <= 0) {
                throw new IllegalArgumentException("filters must be positive, got " + filters);
            }
            if (kernel == null) {
                throw new IllegalArgumentException("kernel shape is required");
            }
            for (int i = 0; i < 2; i++) {
                long k = kernel.get(i);
                long s = stride.get(i);
                long p = padding.get(i);
                long op = outputPadding.get(i);
                if (k <= 0 || s <= 0) {
                    throw new IllegalArgumentException(
                            "kernel " + kernel + " and stride " + stride + " must be positive");
                }
                if (p < 0 || p > k - 1) {
                    throw new IllegalArgumentException(
                            "padding " + p + " must be in [0, kernel - 1 = " + (k - 1) + "]");
                }
                if (op < 0 || op >= s) {
                    throw new IllegalArgumentException("output padding " + op + " must be in [0, stride = " + s + ")");
                }
            }
            return new ConvTranspose2d(this);
        }
    }
}
