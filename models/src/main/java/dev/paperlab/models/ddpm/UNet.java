package dev.paperlab.models.ddpm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.paperlab.framework.nn.GroupNorm;
import dev.paperlab.framework.nn.TorchDefaultInit;
import dev.paperlab.framework.nn.TorchOps;
import dev.paperlab.framework.position.SinusoidalEncoding;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * A small U-Net noise predictor eps_theta(x_t, t[, y]) in the shape of the DDPM network (Ho et al.
 * 2020, Appendix B; Ronneberger et al. 2015): a 3x3 input convolution, then per level one {@link
 * ResBlock} whose output is kept as a skip and a stride-2 3x3 convolution down; a middle of
 * ResBlock, optional {@link SelfAttention2d}, ResBlock at the lowest resolution; per level on the
 * way up one ResBlock on [h; skip] and a nearest-neighbour x2 up-sampling with a 3x3 convolution;
 * GN, SiLU and a 3x3 output convolution back to the image channels.
 *
 * <pre>
 *   emb = Linear(SiLU(Linear(PE(t))))  (+ Linear(onehot(y)) when class-conditional)    (B, 4C)
 *   levels l = 0..L-1 at side S / 2^l with C * mult[l] channels
 * </pre>
 *
 * <p>PE is the Transformer sinusoidal encoding ({@link SinusoidalEncoding#timestepEmbedding}).
 * Class conditioning (Ho &amp; Salimans 2022) embeds K classes plus one "no class" token, index K,
 * that label dropout trains and classifier-free guidance asks for.
 *
 * <p>Inputs: {@code x_t (B, Cimg, S, S)}, {@code t (B)} (any numeric type), and for a
 * class-conditional net {@code y (B)} int labels in [0, K]. Output: eps prediction shaped like
 * x_t. Fresh weights get PyTorch's default init ({@link TorchDefaultInit}).
 */
public final class UNet extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int imageChannels;
    private final int side;
    private final int base;
    private final int[] mult;
    private final int classes;
    private final int embedSize;
    private final Conv2d input;
    private final Linear time1;
    private final Linear time2;
    private Linear label;
    private final List<ResBlock> down = new ArrayList<>();
    private final List<Conv2d> pool = new ArrayList<>();
    private final ResBlock mid1;
    private SelfAttention2d attention;
    private final ResBlock mid2;
    private final List<ResBlock> up = new ArrayList<>();
    private final List<Conv2d> upConv = new ArrayList<>();
    private final GroupNorm outNorm;
    private final Conv2d output;

    private UNet(Builder b) {
        super(VERSION);
        imageChannels = b.imageChannels;
        side = b.side;
        base = b.base;
        mult = b.mult.clone();
        classes = b.classes;
        embedSize = 4 * base;
        input = addChildBlock("input", conv3x3(base, 1));
        time1 = addChildBlock("time1", Linear.builder().setUnits(embedSize).build());
        time2 = addChildBlock("time2", Linear.builder().setUnits(embedSize).build());
        if (classes > 0) {
            label = addChildBlock(
                    "label", Linear.builder().setUnits(embedSize).optBias(false).build());
        }
        int levels = mult.length;
        int ch = base;
        for (int l = 0; l < levels; l++) {
            int o = base * mult[l];
            down.add(addChildBlock("down" + l, new ResBlock(ch, o, b.groups)));
            ch = o;
            if (l < levels - 1) {
                pool.add(addChildBlock("pool" + l, conv3x3(ch, 2)));
            }
        }
        mid1 = addChildBlock("mid1", new ResBlock(ch, ch, b.groups));
        if (b.attention) {
            attention = addChildBlock("attention", new SelfAttention2d(ch, b.groups));
        }
        mid2 = addChildBlock("mid2", new ResBlock(ch, ch, b.groups));
        for (int l = levels - 1; l >= 0; l--) {
            int o = base * mult[l];
            up.add(addChildBlock("up" + l, new ResBlock(ch + o, o, b.groups)));
            ch = o;
            if (l > 0) {
                upConv.add(addChildBlock("upconv" + l, conv3x3(ch, 1)));
            }
        }
        outNorm =
                addChildBlock("outnorm", GroupNorm.builder().optGroups(b.groups).build());
        output = addChildBlock("output", conv3x3(imageChannels, 1));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Number of classes K of a class-conditional net (0 when unconditional); K is the null label. */
    public int classes() {
        return classes;
    }

    /** (channels, side, side) of the images this net denoises. */
    public Shape imageShape() {
        return new Shape(imageChannels, side, side);
    }

    static Conv2d conv3x3(int filters, int stride) {
        return Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(3, 3))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(1, 1))
                .build();
    }

    /** SiLU, x sigmoid(x): torch's fused kernel where reachable ({@link TorchOps}). */
    static NDArray silu(NDArray x) {
        if (TorchOps.accepts(x)) {
            return TorchOps.silu(x);
        }
        // not DJL's Activation.swish: it scales by beta with the number overload (see Scalars)
        return x.mul(Activation.sigmoid(x));
    }

    /**
     * Nearest-neighbour up-sampling by 2, as torch's {@code upsample_nearest2d}: one kernel each way.
     * Repeating rows then columns ({@code repeat(2, 2).repeat(3, 2)}) gives the same values, but its
     * backward reduces over the interleaved copies with a strided sum that took 10 ms a call at
     * (64, 64, 28, 28), 15x the native backward.
     */
    static NDArray nearestTimesTwo(NDArray h) {
        Shape s = h.getShape(); // (B, C, H, W)
        return h.getNDArrayInternal().interpolation(new long[] {2 * s.get(2), 2 * s.get(3)}, 0, false);
    }

    private static NDArray apply(AbstractBlock block, ParameterStore ps, boolean training, NDArray... in) {
        return block.forward(ps, new NDList(in), training).head();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0); // (B, Cimg, S, S)
        checkInputs(inputs);
        NDArray t = inputs.get(1).toType(DataType.FLOAT32, false); // (B)
        NDArray emb = SinusoidalEncoding.timestepEmbedding(t, base); // (B, C)
        emb = apply(time2, ps, training, silu(apply(time1, ps, training, emb))); // (B, 4C)
        if (label != null) {
            NDArray onehot = inputs.get(2).toType(DataType.INT32, false).oneHot(classes + 1); // (B, K+1)
            emb = emb.add(apply(label, ps, training, onehot)); // (B, 4C)
        }
        NDArray h = apply(input, ps, training, x); // (B, C, S, S)
        Deque<NDArray> skips = new ArrayDeque<>();
        for (int l = 0; l < down.size(); l++) {
            h = apply(down.get(l), ps, training, h, emb); // (B, C mult[l], S/2^l, S/2^l)
            skips.push(h);
            if (l < pool.size()) {
                h = apply(pool.get(l), ps, training, h); // (B, C mult[l], S/2^(l+1), ...)
            }
        }
        h = apply(mid1, ps, training, h, emb);
        if (attention != null) {
            h = apply(attention, ps, training, h);
        }
        h = apply(mid2, ps, training, h, emb);
        for (int i = 0; i < up.size(); i++) {
            h = apply(up.get(i), ps, training, h.concat(skips.pop(), 1), emb);
            if (i < upConv.size()) {
                NDArray doubled = nearestTimesTwo(h); // (B, ch, 2s, 2s)
                h = apply(upConv.get(i), ps, training, doubled);
            }
        }
        h = silu(apply(outNorm, ps, training, h));
        return new NDList(apply(output, ps, training, h)); // (B, Cimg, S, S)
    }

    private void checkInputs(NDList inputs) {
        int expected = classes > 0 ? 3 : 2;
        if (inputs.size() != expected) {
            throw new IllegalArgumentException("U-Net inputs must be (x_t, t" + (classes > 0 ? ", y" : "") + "), "
                    + expected + " arrays, got " + inputs.size());
        }
        Shape s = inputs.get(0).getShape();
        if (s.dimension() != 4 || s.get(1) != imageChannels || s.get(2) != side || s.get(3) != side) {
            throw new IllegalArgumentException(
                    "x_t must be (B, " + imageChannels + ", " + side + ", " + side + "), got " + s);
        }
        for (int i = 1; i < expected; i++) {
            Shape o = inputs.get(i).getShape();
            if (o.dimension() != 1 || o.get(0) != s.get(0)) {
                throw new IllegalArgumentException(
                        (i == 1 ? "t" : "y") + " must be (" + s.get(0) + "), one per image, got " + o);
            }
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        boolean fresh = !isInitialized();
        long n = inputShapes[0].get(0);
        Shape e = new Shape(n, embedSize);
        time1.initialize(manager, dataType, new Shape(n, base));
        time2.initialize(manager, dataType, e);
        if (label != null) {
            label.initialize(manager, dataType, new Shape(n, classes + 1));
        }
        input.initialize(manager, dataType, new Shape(n, imageChannels, side, side));
        long s = side;
        long ch = base;
        Deque<Long> skipChannels = new ArrayDeque<>();
        for (int l = 0; l < down.size(); l++) {
            down.get(l).initialize(manager, dataType, new Shape(n, ch, s, s), e);
            ch = (long) base * mult[l];
            skipChannels.push(ch);
            if (l < pool.size()) {
                pool.get(l).initialize(manager, dataType, new Shape(n, ch, s, s));
                s /= 2;
            }
        }
        Shape lowest = new Shape(n, ch, s, s);
        mid1.initialize(manager, dataType, lowest, e);
        if (attention != null) {
            attention.initialize(manager, dataType, lowest);
        }
        mid2.initialize(manager, dataType, lowest, e);
        for (int i = 0; i < up.size(); i++) {
            long skip = skipChannels.pop();
            up.get(i).initialize(manager, dataType, new Shape(n, ch + skip, s, s), e);
            ch = skip;
            if (i < upConv.size()) {
                s *= 2;
                upConv.get(i).initialize(manager, dataType, new Shape(n, ch, s, s));
            }
        }
        outNorm.initialize(manager, dataType, new Shape(n, ch, s, s));
        output.initialize(manager, dataType, new Shape(n, ch, s, s));
        if (fresh) {
            TorchDefaultInit.apply(this);
        }
    }

    /** Builder of a {@link UNet}; {@link #build()} checks every setting. */
    public static final class Builder {
        private int imageChannels = 1;
        private int side = 28;
        private int base = 32;
        private int[] mult = {1, 2, 2};
        private int groups = 8;
        private boolean attention = true;
        private int classes;

        private Builder() {}

        /** Image channels and side of the square images; 1 and 28 by default (Fashion-MNIST). */
        public Builder optImage(int channels, int side) {
            this.imageChannels = channels;
            this.side = side;
            return this;
        }

        /** Channels C of the first level; 32 by default. */
        public Builder optBaseChannels(int base) {
            this.base = base;
            return this;
        }

        /** Channel multiplier of each level (its length is the depth L); {1, 2, 2} by default. */
        public Builder optChannelMultipliers(int... mult) {
            this.mult = mult.clone();
            return this;
        }

        /** Group-norm groups, dividing every level's channels; 8 by default. */
        public Builder optGroups(int groups) {
            this.groups = groups;
            return this;
        }

        /** Self-attention at the lowest resolution; on by default. */
        public Builder optAttention(boolean attention) {
            this.attention = attention;
            return this;
        }

        /** K classes for class conditioning (0, the default, for an unconditional net). */
        public Builder optClasses(int classes) {
            this.classes = classes;
            return this;
        }

        public UNet build() {
            if (imageChannels < 1) {
                throw new IllegalArgumentException("image channels must be >= 1, got " + imageChannels);
            }
            if (base < 1 || mult.length < 1) {
                throw new IllegalArgumentException("base channels must be >= 1 and there must be >= 1 level, got "
                        + base + " and multipliers " + Arrays.toString(mult));
            }
            int halvings = mult.length - 1;
            if (side < 1 || side % (1 << halvings) != 0) {
                throw new IllegalArgumentException("image side " + side + " cannot be halved " + halvings
                        + " times (U-Net depth " + mult.length + "): it must be a positive multiple of "
                        + (1 << halvings));
            }
            if (groups < 1) {
                throw new IllegalArgumentException("group-norm groups must be >= 1, got " + groups);
            }
            for (int m : mult) {
                if (m < 1 || (base * m) % groups != 0) {
                    throw new IllegalArgumentException("every level's channels (base " + base + " x multiplier "
                            + m + ") must be positive and divisible by " + groups + " groups, multipliers "
                            + Arrays.toString(mult));
                }
            }
            if (base % groups != 0) {
                throw new IllegalArgumentException(
                        "base channels " + base + " must be divisible by " + groups + " groups");
            }
            if (base % 2 != 0) {
                throw new IllegalArgumentException(
                        "base channels (the timestep encoding size) must be even, got " + base);
            }
            if (classes < 0) {
                throw new IllegalArgumentException("classes must be >= 0, got " + classes);
            }
            return new UNet(this);
        }
    }
}
