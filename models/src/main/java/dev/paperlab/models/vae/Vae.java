package dev.paperlab.models.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.paperlab.framework.nn.ConvTranspose2d;
import dev.paperlab.framework.nn.TorchDefaultInit;

/**
 * The variational auto-encoder of Kingma &amp; Welling, 2013, "Auto-Encoding Variational Bayes":
 * a Gaussian encoder {@code q(z|x) = N(mu(x), diag(exp(logvar(x))))} and a Bernoulli decoder
 * {@code p(x|z)}, trained on the SGVB estimator of the evidence lower bound (Eq. 10):
 *
 * <pre>
 *   L(theta, phi; x) = -D_KL(q(z|x) || p(z)) + 1/L sum_l log p(x | z_l)
 *   z_l = mu + sigma (.) eps_l,  eps_l ~ N(0, I)                     (L = 1 sample here)
 * </pre>
 *
 * <p>Two variants. {@link Variant#MLP} is exactly the network of pytorch/examples {@code vae}:
 * fc1 D&rarr;K ReLU, fc21/fc22 K&rarr;J (mu, logvar), fc3 J&rarr;K ReLU, fc4 K&rarr;D.
 * {@link Variant#CONV} encodes with two 4x4 stride-2 convolutions (C&rarr;c1&rarr;c2, H/4 x W/4),
 * then fc1 to K, and decodes mirror-wise: fc3, fc4 to c2 x H/4 x W/4, then two 4x4 stride-2
 * transposed convolutions ({@link ConvTranspose2d}).
 *
 * <p>{@code forward} takes {@code (x)} or {@code (x, eps)} and returns {@code (logits, mu,
 * logvar)}. The decoder returns logits, not probabilities, so that {@link VaeLoss} can use the
 * stable BCE-with-logits. Noise: a given {@code eps} is always used; otherwise training mode
 * samples {@code eps} from the engine RNG and inference mode uses {@code z = mu}.
 *
 * <p>On first {@code initialize} every layer is redrawn with PyTorch's default init ({@link
 * TorchDefaultInit}), as pytorch/examples trains with it; already initialised or loaded weights
 * are kept. Child blocks are named after the PyTorch modules (DJL prefixes their position, so the
 * first weight is {@code 01fc1_weight}).
 *
 * <p>Legend: N batch, C/H/W image channels/height/width, D = C*H*W data size, K hidden size,
 * J latent size, c1/c2 filters of the two convolutions.
 */
public final class Vae extends AbstractBlock {

    /** The network family. */
    public enum Variant {
        /** Fully connected, as in pytorch/examples vae/main.py. */
        MLP,
        /** Two stride-2 convolutions in, two stride-2 transposed convolutions out. */
        CONV
    }

    private static final byte VERSION = 1;

    private final Variant variant;
    private final int inputSize;
    private final int hiddenSize;
    private final int latentSize;
    private final int channels;
    private final int height;
    private final int width;
    private final int convChannels1;
    private final int convChannels2;
    private final boolean torchDefaultInit;

    private Block conv1;
    private Block conv2;
    private final Linear fc1;
    private final Linear fc21;
    private final Linear fc22;
    private final Linear fc3;
    private final Linear fc4;
    private Block deconv1;
    private Block deconv2;

    private Vae(Builder b, int inputSize) {
        super(VERSION);
        variant = b.variant;
        this.inputSize = inputSize;
        hiddenSize = b.hiddenSize;
        latentSize = b.latentSize;
        channels = b.channels;
        height = b.height;
        width = b.width;
        convChannels1 = b.convChannels1;
        convChannels2 = b.convChannels2;
        torchDefaultInit = b.torchDefaultInit;
        if (variant == Variant.CONV) {
            conv1 = addChildBlock("conv1", conv(convChannels1));
            conv2 = addChildBlock("conv2", conv(convChannels2));
        }
        fc1 = addChildBlock("fc1", linear(hiddenSize));
        fc21 = addChildBlock("fc21", linear(latentSize));
        fc22 = addChildBlock("fc22", linear(latentSize));
        fc3 = addChildBlock("fc3", linear(hiddenSize));
        fc4 = addChildBlock("fc4", linear(variant == Variant.MLP ? inputSize : bottleneckSize()));
        if (variant == Variant.CONV) {
            deconv1 = addChildBlock("deconv1", deconv(convChannels1));
            deconv2 = addChildBlock("deconv2", deconv(channels));
        }
    }

    /** @return a builder with pytorch/examples defaults: MLP 784-400-20 */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The encoder {@code q(z|x)}.
     *
     * @param ps parameter store
     * @param x data, (N, D) or (N, C, H, W)
     * @param training whether in training mode
     * @return {@code (mu, logvar)}, each (N, J)
     */
    public NDList encode(ParameterStore ps, NDArray x, boolean training) {
        long n = checkInput(x);
        NDArray h; // (N, K)
        if (variant == Variant.MLP) {
            h = relu(fc1, ps, x.reshape(n, inputSize), training); // (N, K)
        } else {
            NDArray a = x.reshape(n, channels, height, width); // (N, C, H, W)
            a = relu(conv1, ps, a, training); // (N, c1, H/2, W/2)
            a = relu(conv2, ps, a, training); // (N, c2, H/4, W/4)
            h = relu(fc1, ps, a.reshape(n, bottleneckSize()), training); // (N, K)
        }
        NDArray mu = apply(fc21, ps, h, training); // (N, J)
        NDArray logvar = apply(fc22, ps, h, training); // (N, J)
        return new NDList(mu, logvar);
    }

    /**
     * The decoder {@code p(x|z)} as Bernoulli logits.
     *
     * @param ps parameter store
     * @param z latent codes, (N, J)
     * @param training whether in training mode
     * @return logits, (N, D) for MLP, (N, C, H, W) for CONV
     */
    public NDArray decodeLogits(ParameterStore ps, NDArray z, boolean training) {
        if (z.getShape().dimension() != 2 || z.getShape().get(1) != latentSize) {
            throw new IllegalArgumentException(
                    "latent codes must have shape (N, " + latentSize + "), got " + z.getShape());
        }
        NDArray h = relu(fc3, ps, z, training); // (N, K)
        if (variant == Variant.MLP) {
            return apply(fc4, ps, h, training); // (N, D)
        }
        long n = z.getShape().get(0);
        NDArray a = relu(fc4, ps, h, training); // (N, c2 * H/4 * W/4)
        a = a.reshape(n, convChannels2, height / 4, width / 4); // (N, c2, H/4, W/4)
        a = relu(deconv1, ps, a, training); // (N, c1, H/2, W/2)
        return apply(deconv2, ps, a, training); // (N, C, H, W)
    }

    /**
     * Encoder in inference mode, outside a trainer.
     *
     * @param x data, (N, D) or (N, C, H, W)
     * @return {@code (mu, logvar)}, each (N, J)
     */
    public NDList encode(NDArray x) {
        return encode(new ParameterStore(x.getManager(), false), x, false);
    }

    /**
     * Decoder mean {@code sigmoid(logits)}: Bernoulli probabilities per pixel.
     *
     * @param z latent codes, (N, J)
     * @return probabilities, (N, D) or (N, C, H, W)
     */
    public NDArray decode(NDArray z) {
        NDArray logits = decodeLogits(new ParameterStore(z.getManager(), false), z, false);
        return Activation.sigmoid(logits);
    }

    /**
     * Ancestral sampling from the prior: {@code z ~ N(0, I)}, returns {@code E[x|z]}.
     *
     * @param manager manager the samples are attached to
     * @param n number of samples
     * @return probabilities, (n, D) or (n, C, H, W)
     */
    public NDArray sample(NDManager manager, int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("number of samples must be positive, got " + n);
        }
        try (NDManager scratch = manager.newSubManager()) {
            NDArray z = scratch.randomNormal(new Shape(n, latentSize)); // (n, J)
            NDArray probabilities = decode(z); // (n, D) or (n, C, H, W)
            probabilities.attach(manager);
            return probabilities;
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0); // (N, D) or (N, C, H, W)
        NDList q = encode(ps, x, training);
        NDArray mu = q.get(0); // (N, J)
        NDArray logvar = q.get(1); // (N, J)
        NDArray z; // (N, J)
        if (inputs.size() > 1) {
            z = GaussianMath.reparameterize(mu, logvar, inputs.get(1));
        } else if (training) {
            NDArray eps = mu.getManager().randomNormal(mu.getShape()); // (N, J)
            // Eq. 10 with L = 1: z = mu + sigma (.) eps, eps ~ N(0, I)
            z = GaussianMath.reparameterize(mu, logvar, eps);
        } else {
            z = mu;
        }
        NDArray logits = decodeLogits(ps, z, training);
        return new NDList(logits, mu, logvar);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long n = inputShapes[0].get(0);
        Shape out =
                variant == Variant.MLP
                        ? new Shape(n, inputSize)
                        : new Shape(n, channels, height, width);
        Shape latent = new Shape(n, latentSize);
        return new Shape[] {out, latent, latent};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        boolean wasInitialized = isInitialized();
        long n = inputShapes[0].get(0);
        if (variant == Variant.MLP) {
            fc1.initialize(manager, dataType, new Shape(n, inputSize));
        } else {
            conv1.initialize(manager, dataType, new Shape(n, channels, height, width));
            conv2.initialize(manager, dataType, new Shape(n, convChannels1, height / 2, width / 2));
            fc1.initialize(manager, dataType, new Shape(n, bottleneckSize()));
            deconv1.initialize(
                    manager, dataType, new Shape(n, convChannels2, height / 4, width / 4));
            deconv2.initialize(
                    manager, dataType, new Shape(n, convChannels1, height / 2, width / 2));
        }
        fc21.initialize(manager, dataType, new Shape(n, hiddenSize));
        fc22.initialize(manager, dataType, new Shape(n, hiddenSize));
        fc3.initialize(manager, dataType, new Shape(n, latentSize));
        fc4.initialize(manager, dataType, new Shape(n, hiddenSize));
        // Only a fresh model is redrawn; loaded or trained weights are left alone.
        if (torchDefaultInit && !wasInitialized) {
            TorchDefaultInit.apply(this);
        }
    }

    /** @return the network family */
    public Variant getVariant() {
        return variant;
    }

    /** @return D, elements per example */
    public int getInputSize() {
        return inputSize;
    }

    /** @return J */
    public int getLatentSize() {
        return latentSize;
    }

    /** @return K */
    public int getHiddenSize() {
        return hiddenSize;
    }

    private int bottleneckSize() {
        return convChannels2 * (height / 4) * (width / 4);
    }

    private long checkInput(NDArray x) {
        Shape s = x.getShape();
        long n = s.dimension() == 0 ? 0 : s.get(0);
        if (s.dimension() < 2 || s.size() != n * inputSize) {
            String expected =
                    variant == Variant.MLP
                            ? "(N, " + inputSize + ")"
                            : "(N, " + channels + ", " + height + ", " + width + ") or (N, "
                                    + inputSize + ")";
            throw new IllegalArgumentException("input must have shape " + expected + ", got " + s);
        }
        return n;
    }

    private static NDArray apply(Block block, ParameterStore ps, NDArray x, boolean training) {
        return block.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    private static NDArray relu(Block block, ParameterStore ps, NDArray x, boolean training) {
        return Activation.relu(apply(block, ps, x, training));
    }

    private static Linear linear(int units) {
        return Linear.builder().setUnits(units).build();
    }

    private static Conv2d conv(int filters) {
        return Conv2d.builder()
                .setKernelShape(new Shape(4, 4))
                .optStride(new Shape(2, 2))
                .optPadding(new Shape(1, 1))
                .setFilters(filters)
                .build();
    }

    private static ConvTranspose2d deconv(int filters) {
        return ConvTranspose2d.builder()
                .setKernelShape(4, 4)
                .optStride(2, 2)
                .optPadding(1, 1)
                .setFilters(filters)
                .build();
    }

    /** Builder for {@link Vae}; every option has the pytorch/examples default. */
    public static final class Builder {
        private Variant variant = Variant.MLP;
        private int inputSize = -1;
        private int hiddenSize = 400;
        private int latentSize = 20;
        private int channels = 1;
        private int height = 28;
        private int width = 28;
        private int convChannels1 = 32;
        private int convChannels2 = 64;
        private boolean torchDefaultInit = true;

        private Builder() {}

        /**
         * @param variant network family; default {@link Variant#MLP}
         * @return this builder
         */
        public Builder optVariant(Variant variant) {
            this.variant = variant;
            return this;
        }

        /**
         * @param inputSize D, elements per example; default 784 (MLP) or C*H*W (CONV, where a
         *     different value is an error)
         * @return this builder
         */
        public Builder optInputSize(int inputSize) {
            this.inputSize = inputSize;
            return this;
        }

        /**
         * @param hiddenSize K; default 400
         * @return this builder
         */
        public Builder optHiddenSize(int hiddenSize) {
            this.hiddenSize = hiddenSize;
            return this;
        }

        /**
         * @param latentSize J; default 20
         * @return this builder
         */
        public Builder optLatentSize(int latentSize) {
            this.latentSize = latentSize;
            return this;
        }

        /**
         * @param channels C
         * @param height H, divisible by 4
         * @param width W, divisible by 4
         * @return this builder; default (1, 28, 28), used by {@link Variant#CONV}
         */
        public Builder optImageShape(int channels, int height, int width) {
            this.channels = channels;
            this.height = height;
            this.width = width;
            return this;
        }

        /**
         * @param first filters of the first convolution (c1); default 32
         * @param second filters of the second convolution (c2); default 64
         * @return this builder, used by {@link Variant#CONV}
         */
        public Builder optConvChannels(int first, int second) {
            this.convChannels1 = first;
            this.convChannels2 = second;
            return this;
        }

        /**
         * @param torchDefaultInit redraw the layers with PyTorch's default init when the block
         *     is first initialised; default true
         * @return this builder
         */
        public Builder optTorchDefaultInit(boolean torchDefaultInit) {
            this.torchDefaultInit = torchDefaultInit;
            return this;
        }

        /**
         * @return the block
         * @throws IllegalArgumentException if a size is not positive, the image is not divisible
         *     by 4, or the input size disagrees with the image shape
         */
        public Vae build() {
            if (variant == null) {
                throw new IllegalArgumentException("variant must not be null");
            }
            positive("hidden size", hiddenSize);
            positive("latent size", latentSize);
            if (variant == Variant.MLP) {
                int d = inputSize == -1 ? 784 : inputSize;
                positive("input size", d);
                return new Vae(this, d);
            } else {
                positive("image channels", channels);
                positive("conv channels c1", convChannels1);
                positive("conv channels c2", convChannels2);
                if (height <= 0 || width <= 0 || height % 4 != 0 || width % 4 != 0) {
                    throw new IllegalArgumentException(
                            "image height x width " + height + " x " + width
                                    + " must be positive and divisible by 4"
                                    + " (two stride-2 convolutions)");
                }
                int pixels = channels * height * width;
                if (inputSize != -1 && inputSize != pixels) {
                    throw new IllegalArgumentException(
                            "input size " + inputSize + " does not match image shape (" + channels
                                    + ", " + height + ", " + width + ") = " + pixels);
                }
                return new Vae(this, pixels);
            }
        }

        private static void positive(String name, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
        }
    }
}
