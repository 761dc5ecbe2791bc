package dev.paperlab.models.ddpm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.paperlab.framework.attention.Attention;
import dev.paperlab.framework.nn.GroupNorm;

/**
 * Single-head self-attention over the positions of a feature map, as the DDPM U-Net uses at its
 * lowest resolutions (Ho et al. 2020, Appendix B), with a residual connection:
 *
 * <pre>
 *   a = GN(x) as (B, HW, C);  q, k, v = a W_q, a W_k, a W_v
 *   y = x + (softmax(q k^T / sqrt(C)) v) W_o  back to (B, C, H, W)
 * </pre>
 *
 * The attention itself is {@link Attention#scaledDotProduct}.
 */
final class SelfAttention2d extends AbstractBlock {
    private static final byte VERSION = 1;

    private final GroupNorm norm;
    private final Linear qkv;
    private final Linear proj;

    SelfAttention2d(int channels, int groups) {
        super(VERSION);
        norm = addChildBlock("norm", GroupNorm.builder().optGroups(groups).build());
        qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * channels).build());
        proj = addChildBlock("proj", Linear.builder().setUnits(channels).build());
    }

    @Override
    @SuppressWarnings("checkstyle:LocalVariableName") // paper letters B, C, H, W
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head(); // (B, C, H, W)
        Shape s = x.getShape();
        long b = s.get(0);
        long c = s.get(1);
        long n = s.get(2) * s.get(3);
        NDArray a = norm.forward(ps, new NDList(x), training).head();
        a = a.reshape(b, c, n).transpose(0, 2, 1); // (B, HW, C)
        NDArray qkvOut = qkv.forward(ps, new NDList(a), training).head(); // (B, HW, 3C)
        NDList parts = qkvOut.reshape(b, 1, n, 3 * c).split(3, 3); // 3 x (B, 1, HW, C)
        NDArray o = Attention.scaledDotProduct(parts.get(0), parts.get(1), parts.get(2), null); // (B, 1, HW, C)
        o = proj.forward(ps, new NDList(o.reshape(b, n, c)), training).head(); // (B, HW, C)
        return new NDList(x.add(o.transpose(0, 2, 1).reshape(s))); // (B, C, H, W)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        long n = s.get(2) * s.get(3);
        norm.initialize(manager, dataType, s);
        qkv.initialize(manager, dataType, new Shape(s.get(0), n, s.get(1)));
        proj.initialize(manager, dataType, new Shape(s.get(0), n, s.get(1)));
    }
}
