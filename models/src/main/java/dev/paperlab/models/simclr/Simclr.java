package dev.paperlab.models.simclr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.paperlab.framework.nn.ChannelsLast;
import dev.paperlab.framework.nn.TorchDefaultInit;
import java.util.Locale;

/**
 * The SimCLR network (Chen et al. 2020, §2.1): a base encoder {@code f} whose output {@code h =
 * f(x)} is the representation, and a projection head {@code g}, an MLP with one hidden ReLU
 * layer, whose output {@code z = g(h)} feeds the contrastive loss ({@link NtXentLoss}). After
 * training {@code g} is thrown away and {@code h} is evaluated.
 *
 * <p>Encoder, a small conv net for grey 28x28 images: three conv3x3 stride 2 with BN and ReLU,
 * 1&rarr;c1 (H/2), c1&rarr;c2 (H/4), c2&rarr;c3 (H/8, rounded up); convolutions without bias (BN
 * has one). The PyTorch reference starts with a stride-1 convolution and a max-pool instead; on
 * CPU with oneDNN capped at AVX (the project's default, see {@code ConvGuard}) the backward pass of
 * that full-resolution stem took about 2 CPU-seconds per 512 images here, the stride-2 stem's
 * 0.1. Then either {@link Readout#POOL}, global average pooling to {@code c3} features (as the
 * reference), or {@link Readout#FLATTEN}, the {@code c3 x H/8 x W/8} map (4 x 4 for 28 x 28)
 * flattened position by position with the channels innermost (NHWC order), which keeps the
 * spatial layout: where on the garment a pattern sits stays in the representation.
 *
 * <p>The encoder runs channels-last ({@link ChannelsLast}) on the PyTorch engine: oneDNN's
 * native layout, without the reorders libtorch otherwise makes around each convolution's
 * backward (a fifth of the step's operator time here). The NHWC flatten is then a view, and its
 * gradient arrives channels-last too; flattened channel by channel, the gradient would come back
 * in the other layout and every layer's backward would mix the two, each several times slower.
 *
 * <p>Head: Linear(R&rarr;P) ReLU Linear(P&rarr;Z). Weights get PyTorch's default init ({@link
 * TorchDefaultInit}) on first initialisation.
 *
 * <p>{@code forward(x)} returns {@code (h, z)}. Legend: N batch, H/W image size, R
 * representation size, P head hidden size, Z projection size.
 */
public final class Simclr extends AbstractBlock {

    /** How the last feature map becomes the representation h. */
    public enum Readout {
        /** Global average pooling: c3 features, translation-invariant. */
        POOL,
        /** The whole map flattened: c3 * 16 features for 28 x 28 images, spatial layout kept. */
        FLATTEN;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final byte VERSION = 2; // 2: the flattened representation in NHWC order

    private final int height;
    private final int width;
    private final int[] channels;
    private final Readout readout;
    private final int representationSize;
    private final int projectionSize;
    private final SequentialBlock encoder;
    private final SequentialBlock head;

    private Simclr(Builder b) {
        super(VERSION);
        this.height = b.height;
        this.width = b.width;
        this.channels = b.channels.clone();
        this.readout = b.readout;
        int cells = mapSide(height) * mapSide(width);
        this.representationSize = readout == Readout.POOL ? channels[2] : channels[2] * cells;
        this.projectionSize = b.projectionSize;
        SequentialBlock f = new SequentialBlock();
        f.addAll(convBnRelu(channels[0], 2));
        f.addAll(convBnRelu(channels[1], 2));
        f.addAll(convBnRelu(channels[2], 2));
        f.add(readout == Readout.POOL ? Pool.globalAvgPool2dBlock() : ChannelsLast.flattenBlock());
        this.encoder = addChildBlock("encoder", f);
        SequentialBlock g = new SequentialBlock()
                .add(Linear.builder().setUnits(b.hiddenSize).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(projectionSize).build());
        this.head = addChildBlock("head", g);
    }

    public static Builder builder() {
        return new Builder();
    }

    private static ai.djl.nn.Block[] convBnRelu(int filters, int stride) {
        return new ai.djl.nn.Block[] {
            Conv2d.builder()
                    .setKernelShape(new Shape(3, 3))
                    .optStride(new Shape(stride, stride))
                    .optPadding(new Shape(1, 1))
                    .optBias(false)
                    .setFilters(filters)
                    .build(),
            BatchNorm.builder().build(),
            Activation.reluBlock()
        };
    }

    /** The base encoder f: {@code (N, 1, H, W)} to {@code (N, R)}. */
    public SequentialBlock encoder() {
        return encoder;
    }

    /** The projection head g: {@code (N, R)} to {@code (N, Z)}. */
    public SequentialBlock head() {
        return head;
    }

    /** R, the size of the representation h. */
    public int representationSize() {
        return representationSize;
    }

    /** The input shape of a batch of {@code n} images. */
    public Shape inputShape(long n) {
        return new Shape(n, 1, height, width);
    }

    /**
     * The representation h of {@code images} in inference mode (batch norm with its running
     * statistics), {@code batch} images at a time, each chunk in its own scope.
     *
     * @param images (M, 1, H, W) or (M, H*W)
     * @param into the manager of the result
     * @return (M, R)
     */
    public NDArray represent(NDArray images, int batch, NDManager into) {
        long count = images.getShape().get(0);
        if (images.getShape().size() != count * height * width) {
            throw new IllegalArgumentException("images must be (M, 1, " + height + ", " + width + ") or (M, "
                    + height * width + "), got " + images.getShape());
        }
        try (NDManager scope = into.newSubManager()) {
            NDList parts = new NDList();
            for (long start = 0; start < count; start += batch) {
                long end = Math.min(count, start + batch);
                try (NDManager chunk = scope.newSubManager()) {
                    NDArray x = images.get(start + ":" + end);
                    x.attach(chunk);
                    NDArray h = encoder.forward(
                                    new ParameterStore(chunk, false),
                                    new NDList(ChannelsLast.of(x.reshape(inputShape(end - start)))),
                                    false)
                            .singletonOrThrow(); // (b, R)
                    h.attach(scope);
                    parts.add(h);
                }
            }
            NDArray all = ai.djl.ndarray.NDArrays.concat(parts, 0); // (M, R)
            all.attach(into);
            return all;
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        Shape s = x.getShape();
        if (s.dimension() != 4 || s.get(1) != 1 || s.get(2) != height || s.get(3) != width) {
            throw new IllegalArgumentException("images must be (N, 1, " + height + ", " + width + "), got " + s);
        }
        NDArray h =
                encoder.forward(ps, new NDList(ChannelsLast.of(x)), training).singletonOrThrow(); // (N, R)
        NDArray z = head.forward(ps, new NDList(h), training).singletonOrThrow(); // (N, Z)
        return new NDList(h, z);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long n = inputShapes[0].get(0);
        return new Shape[] {new Shape(n, representationSize), new Shape(n, projectionSize)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        boolean wasInitialized = isInitialized();
        long n = inputShapes[0].get(0);
        encoder.initialize(manager, dataType, inputShapes[0]);
        head.initialize(manager, dataType, new Shape(n, representationSize));
        if (!wasInitialized) {
            TorchDefaultInit.apply(this);
        }
    }

    /** Side of the last feature map: three stride-2 convolutions with padding 1, ceil(s/2) each. */
    private static int mapSide(int side) {
        int s = (side + 1) / 2;
        s = (s + 1) / 2;
        return (s + 1) / 2;
    }

    /** Builder; defaults: 28x28, channels 32, 64, 128, {@link Readout#POOL}, head 128-64. */
    public static final class Builder {
        private int height = 28;
        private int width = 28;
        private int[] channels = {32, 64, 128};
        private Readout readout = Readout.POOL;
        private int hiddenSize = 128;
        private int projectionSize = 64;

        private Builder() {}

        public Builder optImageSize(int height, int width) {
            this.height = height;
            this.width = width;
            return this;
        }

        /** Filters of the three convolutions, c1, c2, c3. */
        public Builder optChannels(int c1, int c2, int c3) {
            this.channels = new int[] {c1, c2, c3};
            return this;
        }

        public Builder optReadout(Readout readout) {
            this.readout = java.util.Objects.requireNonNull(readout, "readout");
            return this;
        }

        /** Hidden size P and output size Z of the projection head. */
        public Builder optHead(int hiddenSize, int projectionSize) {
            this.hiddenSize = hiddenSize;
            this.projectionSize = projectionSize;
            return this;
        }

        public Simclr build() {
            if (height < 8 || width < 8) {
                throw new IllegalArgumentException(
                        "image size must be at least 8 x 8 (three halvings), got " + height + " x " + width);
            }
            for (int i = 0; i < 3; i++) {
                positive("channels c" + (i + 1), channels[i]);
            }
            positive("head hidden size", hiddenSize);
            positive("projection size", projectionSize);
            return new Simclr(this);
        }

        private static void positive(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be >= 1, got " + value);
            }
        }
    }
}
