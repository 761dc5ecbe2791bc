package dev.paperlab.models.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
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
 * transposed convolutions ({@link dev.paperlab.framework.nn.ConvTranspose2d}).
 *
 * <p>The two halves are child blocks a caller can use on their own: {@link #encoder()} ({@link
 * VaeEncoder}, x &rarr; (mu, logvar)) and {@link #decoder()} ({@link VaeDecoder}, z &rarr;
 * logits). The image shape {@code (C, H, W)} is a builder option (default (1, 28, 28)); the conv
 * variant needs H and W divisible by 4.
 *
 * <p>{@code forward} takes {@code (x)} or {@code (x, eps)} and returns {@code (logits, mu,
 * logvar)}. The decoder returns logits, not probabilities, so that {@link VaeLoss} can use the
 * stable BCE-with-logits. Noise: a given {@code eps} is always used; otherwise training mode
 * samples {@code eps} from the engine RNG and inference mode uses {@code z = mu}.
 *
 * <p>On first {@code initialize} every layer is redrawn with PyTorch's default init ({@link
 * TorchDefaultInit}), as pytorch/examples trains with it; already initialised or loaded weights
 * are kept. Child blocks are named after the PyTorch modules (DJL prefixes their position, so the
 * first weight is {@code 01encoder_01fc1_weight}).
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
        CONV;

        /** The lower-case name, as command lines and summaries spell it. */
        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final byte VERSION = 2;

    private final VaeLayout layout;
    private final boolean torchDefaultInit;
    private final VaeEncoder encoder;
    private final VaeDecoder decoder;

    private Vae(VaeLayout layout, boolean torchDefaultInit) {
        super(VERSION);
        this.layout = layout;
        this.torchDefaultInit = torchDefaultInit;
        encoder = addChildBlock("encoder", new VaeEncoder(layout));
        decoder = addChildBlock("decoder", new VaeDecoder(layout));
    }

    /** @return a builder with pytorch/examples defaults: MLP 784-400-20 */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the recognition model q(z|x): {@code forward(x)} gives {@code (mu, logvar)} */
    public VaeEncoder encoder() {
        return encoder;
    }

    /** @return the generative model p(x|z): {@code forward(z)} gives Bernoulli logits */
    public VaeDecoder decoder() {
        return decoder;
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
        return encoder.forward(ps, new NDList(x), training);
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
        return decoder.forward(ps, new NDList(z), training).singletonOrThrow();
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
            NDArray z = scratch.randomNormal(new Shape(n, layout.latentSize())); // (n, J)
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
        Shape latent = new Shape(n, layout.latentSize());
        return new Shape[] {layout.inputShape(n), latent, latent};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        boolean wasInitialized = isInitialized();
        long n = inputShapes[0].get(0);
        encoder.initialize(manager, dataType, layout.inputShape(n));
        decoder.initialize(manager, dataType, new Shape(n, layout.latentSize()));
        // Only a fresh model is redrawn; loaded or trained weights are left alone.
        if (torchDefaultInit && !wasInitialized) {
            TorchDefaultInit.apply(this);
        }
    }

    /** @return the network family */
    public Variant getVariant() {
        return layout.variant();
    }

    /** @return D, elements per example */
    public int getInputSize() {
        return layout.inputSize();
    }

    /** @return J */
    public int getLatentSize() {
        return layout.latentSize();
    }

    /** @return K */
    public int getHiddenSize() {
        return layout.hiddenSize();
    }

    /**
     * @return the image shape {@code (C, H, W)}; {@code (1, 1, D)} for an MLP built from {@link
     *     Builder#optInputSize} alone
     */
    public Shape getImageShape() {
        return layout.imageShape();
    }

    /**
     * The shape of a batch as the network takes it (and {@link VaeTask} initialises it with).
     *
     * @param batchSize N
     * @return {@code (N, D)} for MLP, {@code (N, C, H, W)} for CONV
     */
    public Shape inputShape(long batchSize) {
        return layout.inputShape(batchSize);
    }

    static NDArray apply(Block block, ParameterStore ps, NDArray x, boolean training) {
        return block.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    static NDArray relu(Block block, ParameterStore ps, NDArray x, boolean training) {
        return Activation.relu(apply(block, ps, x, training));
    }

    static Linear linear(int units) {
        return Linear.builder().setUnits(units).build();
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
        private boolean imageShapeSet;
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
         * @param inputSize D, elements per example, for flat data of no particular image shape;
         *     default C*H*W of the image shape. Set together with {@link #optImageShape} it must
         *     equal C*H*W.
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
         * @param height H; divisible by 4 for {@link Variant#CONV}
         * @param width W; divisible by 4 for {@link Variant#CONV}
         * @return this builder; default (1, 28, 28), Fashion-MNIST's shape
         */
        public Builder optImageShape(int channels, int height, int width) {
            this.channels = channels;
            this.height = height;
            this.width = width;
            this.imageShapeSet = true;
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
         * @throws IllegalArgumentException if a size is not positive, the conv variant's image is
         *     not divisible by its total stride 4, or the input size disagrees with the image shape
         */
        public Vae build() {
            if (variant == null) {
                throw new IllegalArgumentException("variant must not be null");
            }
            positive("hidden size", hiddenSize);
            positive("latent size", latentSize);
            positive("image channels", channels);
            positive("image height", height);
            positive("image width", width);
            int c = channels;
            int h = height;
            int w = width;
            if (inputSize != -1) {
                positive("input size", inputSize);
                if (!imageShapeSet && variant == Variant.MLP) {
                    // flat data of no image shape: a 1 x D strip
                    c = 1;
                    h = 1;
                    w = inputSize;
                } else if (inputSize != c * h * w) {
                    throw new IllegalArgumentException("input size " + inputSize + " does not match image shape (" + c
                            + ", " + h + ", " + w + ") = " + c * h * w);
                }
            }
            if (variant == Variant.CONV) {
                positive("conv channels c1", convChannels1);
                positive("conv channels c2", convChannels2);
                int r = VaeLayout.REDUCTION;
                if (h % r != 0 || w % r != 0) {
                    throw new IllegalArgumentException("image height x width " + h + " x " + w
                            + " must be divisible by " + r + " (two stride-" + VaeLayout.STRIDE + " convolutions)");
                }
            }
            return new Vae(
                    new VaeLayout(variant, c, h, w, hiddenSize, latentSize, convChannels1, convChannels2),
                    torchDefaultInit);
        }

        private static void positive(String name, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
        }
    }
}
