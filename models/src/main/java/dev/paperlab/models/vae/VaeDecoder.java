package dev.paperlab.models.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.paperlab.framework.nn.ConvTranspose2d;

/**
 * The generative model {@code p_theta(x|z)} of a {@link Vae} as Bernoulli logits (Kingma &amp;
 * Welling 2013, Appendix C.1; {@code sigmoid(logits)} is the mean): {@code forward(z)} with z
 * {@code (N, J)} returns logits {@code (N, D)} for MLP or {@code (N, C, H, W)} for CONV. MLP: fc3
 * J&rarr;K ReLU, fc4 K&rarr;D. CONV: fc3, fc4 to {@code c2 x H/4 x W/4}, then two 4x4 stride-2
 * transposed convolutions back to {@code (C, H, W)}. Built by {@link Vae.Builder}; get it with
 * {@link Vae#decoder()}.
 */
public final class VaeDecoder extends AbstractBlock {
    private static final byte VERSION = 1;

    private final VaeLayout layout;
    private final Linear fc3;
    private final Linear fc4;
    private Block deconv1;
    private Block deconv2;

    VaeDecoder(VaeLayout layout) {
        super(VERSION);
        this.layout = layout;
        boolean mlp = layout.variant() == Vae.Variant.MLP;
        fc3 = addChildBlock("fc3", Vae.linear(layout.hiddenSize()));
        fc4 = addChildBlock("fc4", Vae.linear(mlp ? layout.inputSize() : layout.bottleneckSize()));
        if (!mlp) {
            deconv1 = addChildBlock("deconv1", deconv(layout.convChannels1()));
            deconv2 = addChildBlock("deconv2", deconv(layout.channels()));
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray z = inputs.head(); // (N, J)
        if (z.getShape().dimension() != 2 || z.getShape().get(1) != layout.latentSize()) {
            throw new IllegalArgumentException(
                    "latent codes must have shape (N, " + layout.latentSize() + "), got " + z.getShape());
        }
        NDArray h = Vae.relu(fc3, ps, z, training); // (N, K)
        if (layout.variant() == Vae.Variant.MLP) {
            return new NDList(Vae.apply(fc4, ps, h, training)); // (N, D)
        }
        long n = z.getShape().get(0);
        int r = VaeLayout.REDUCTION;
        NDArray a = Vae.relu(fc4, ps, h, training); // (N, c2 * H/4 * W/4)
        a = a.reshape(n, layout.convChannels2(), layout.height() / r, layout.width() / r); // (N, c2, H/4, W/4)
        a = Vae.relu(deconv1, ps, a, training); // (N, c1, H/2, W/2)
        return new NDList(Vae.apply(deconv2, ps, a, training)); // (N, C, H, W)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long n = inputShapes[0].get(0);
        return new Shape[] {layout.inputShape(n)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long n = inputShapes[0].get(0);
        fc3.initialize(manager, dataType, new Shape(n, layout.latentSize()));
        fc4.initialize(manager, dataType, new Shape(n, layout.hiddenSize()));
        if (layout.variant() == Vae.Variant.CONV) {
            int r = VaeLayout.REDUCTION;
            int s = VaeLayout.STRIDE;
            deconv1.initialize(
                    manager, dataType, new Shape(n, layout.convChannels2(), layout.height() / r, layout.width() / r));
            deconv2.initialize(
                    manager, dataType, new Shape(n, layout.convChannels1(), layout.height() / s, layout.width() / s));
        }
    }

    private static ConvTranspose2d deconv(int filters) {
        return ConvTranspose2d.builder()
                .setKernelShape(4, 4)
                .optStride(VaeLayout.STRIDE, VaeLayout.STRIDE)
                .optPadding(1, 1)
                .setFilters(filters)
                .build();
    }
}
