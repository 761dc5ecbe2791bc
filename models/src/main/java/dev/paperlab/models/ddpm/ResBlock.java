package dev.paperlab.models.ddpm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.paperlab.framework.nn.GroupNorm;

/**
 * The residual block of the DDPM U-Net (Ho et al. 2020, Appendix B, after the Wide ResNet of
 * PixelCNN++), with the timestep embedding added once inside it:
 *
 * <pre>
 *   h = conv3x3(SiLU(GN(x)))                           (B, O, H, W)
 *   h = h + Linear(SiLU(emb))[:, :, None, None]        the time (and class) embedding
 *   h = conv3x3(SiLU(GN(h)))
 *   y = skip(x) + h                                    skip = 1x1 conv when C != O, else identity
 * </pre>
 *
 * Inputs {@code (x (B, C, H, W), emb (B, E))}; output {@code (B, O, H, W)}.
 */
final class ResBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int out;
    private final GroupNorm norm1;
    private final Conv2d conv1;
    private final Linear embed;
    private final GroupNorm norm2;
    private final Conv2d conv2;
    private Conv2d skip;

    ResBlock(int in, int out, int groups) {
        super(VERSION);
        this.out = out;
        norm1 = addChildBlock("norm1", GroupNorm.builder().optGroups(groups).build());
        conv1 = addChildBlock("conv1", UNet.conv3x3(out, 1));
        embed = addChildBlock("embed", Linear.builder().setUnits(out).build());
        norm2 = addChildBlock("norm2", GroupNorm.builder().optGroups(groups).build());
        conv2 = addChildBlock("conv2", UNet.conv3x3(out, 1));
        if (in != out) {
            skip = addChildBlock(
                    "skip",
                    Conv2d.builder()
                            .setFilters(out)
                            .setKernelShape(new Shape(1, 1))
                            .build());
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0); // (B, C, H, W)
        NDArray emb = inputs.get(1); // (B, E)
        NDArray h = UNet.silu(norm1.forward(ps, new NDList(x), training).head()); // (B, C, H, W)
        h = conv1.forward(ps, new NDList(h), training).head(); // (B, O, H, W)
        NDArray e = embed.forward(ps, new NDList(UNet.silu(emb)), training).head(); // (B, O)
        h = h.add(e.reshape(e.getShape().get(0), out, 1, 1)); // (B, O, H, W)
        h = UNet.silu(norm2.forward(ps, new NDList(h), training).head());
        h = conv2.forward(ps, new NDList(h), training).head(); // (B, O, H, W)
        NDArray s = skip == null ? x : skip.forward(ps, new NDList(x), training).head();
        return new NDList(s.add(h));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        return new Shape[] {new Shape(x.get(0), out, x.get(2), x.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        Shape o = new Shape(x.get(0), out, x.get(2), x.get(3));
        norm1.initialize(manager, dataType, x);
        conv1.initialize(manager, dataType, x);
        embed.initialize(manager, dataType, inputShapes[1]);
        norm2.initialize(manager, dataType, o);
        conv2.initialize(manager, dataType, o);
        if (skip != null) {
            skip.initialize(manager, dataType, x);
        }
    }
}
