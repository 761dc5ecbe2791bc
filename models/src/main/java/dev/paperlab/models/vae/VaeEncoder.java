package dev.paperlab.models.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The recognition model {@code q_phi(z|x) = N(mu(x), diag(exp(logvar(x))))} of a {@link Vae}
 * (Kingma &amp; Welling 2013, Appendix C.2): {@code forward(x)} returns {@code (mu, logvar)}, each
 * {@code (N, J)}. MLP: fc1 D&rarr;K ReLU, fc21/fc22 K&rarr;J. CONV: two 4x4 stride-2
 * convolutions C&rarr;c1&rarr;c2 (H/4 x W/4), fc1 to K, then fc21/fc22. Accepts {@code (N, D)} or
 * {@code (N, C, H, W)}. Built by {@link Vae.Builder}; get it with {@link Vae#encoder()}.
 */
public final class VaeEncoder extends AbstractBlock {
    private static final byte VERSION = 1;

    private final VaeLayout layout;
    private Block conv1;
    private Block conv2;
    private final Linear fc1;
    private final Linear fc21;
    private final Linear fc22;

    VaeEncoder(VaeLayout layout) {
        super(VERSION);
        this.layout = layout;
        if (layout.variant() == Vae.Variant.CONV) {
            conv1 = addChildBlock("conv1", conv(layout.convChannels1()));
            conv2 = addChildBlock("conv2", conv(layout.convChannels2()));
        }
        fc1 = addChildBlock("fc1", Vae.linear(layout.hiddenSize()));
        fc21 = addChildBlock("fc21", Vae.linear(layout.latentSize()));
        fc22 = addChildBlock("fc22", Vae.linear(layout.latentSize()));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head(); // (N, D) or (N, C, H, W)
        long n = checkInput(x);
        NDArray h; // (N, K)
        if (layout.variant() == Vae.Variant.MLP) {
            h = Vae.relu(fc1, ps, x.reshape(n, layout.inputSize()), training); // (N, K)
        } else {
            NDArray a = x.reshape(n, layout.channels(), layout.height(), layout.width()); // (N, C, H, W)
            a = Vae.relu(conv1, ps, a, training); // (N, c1, H/2, W/2)
            a = Vae.relu(conv2, ps, a, training); // (N, c2, H/4, W/4)
            h = Vae.relu(fc1, ps, a.reshape(n, layout.bottleneckSize()), training); // (N, K)
        }
        NDArray mu = Vae.apply(fc21, ps, h, training); // (N, J)
        NDArray logvar = Vae.apply(fc22, ps, h, training); // (N, J)
        return new NDList(mu, logvar);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape latent = new Shape(inputShapes[0].get(0), layout.latentSize());
        return new Shape[] {latent, latent};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long n = inputShapes[0].get(0);
        int c = layout.channels();
        int h = layout.height();
        int w = layout.width();
        if (layout.variant() == Vae.Variant.MLP) {
            fc1.initialize(manager, dataType, new Shape(n, layout.inputSize()));
        } else {
            conv1.initialize(manager, dataType, new Shape(n, c, h, w));
            conv2.initialize(
                    manager,
                    dataType,
                    new Shape(n, layout.convChannels1(), h / VaeLayout.STRIDE, w / VaeLayout.STRIDE));
            fc1.initialize(manager, dataType, new Shape(n, layout.bottleneckSize()));
        }
        fc21.initialize(manager, dataType, new Shape(n, layout.hiddenSize()));
        fc22.initialize(manager, dataType, new Shape(n, layout.hiddenSize()));
    }

    private long checkInput(NDArray x) {
        Shape s = x.getShape();
        long n = s.dimension() == 0 ? 0 : s.get(0);
        if (s.dimension() < 2 || s.size() != n * layout.inputSize()) {
            String expected = layout.variant() == Vae.Variant.MLP
                    ? "(N, " + layout.inputSize() + ")"
                    : "(N, " + layout.channels() + ", " + layout.height() + ", " + layout.width() + ") or (N, "
                            + layout.inputSize() + ")";
            throw new IllegalArgumentException("input must have shape " + expected + ", got " + s);
        }
        return n;
    }

    private static Conv2d conv(int filters) {
        return Conv2d.builder()
                .setKernelShape(new Shape(4, 4))
                .optStride(new Shape(VaeLayout.STRIDE, VaeLayout.STRIDE))
                .optPadding(new Shape(1, 1))
                .setFilters(filters)
                .build();
    }
}
