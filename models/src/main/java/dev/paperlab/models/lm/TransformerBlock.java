package dev.paperlab.models.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.paperlab.framework.attention.FlashAttention;
import dev.paperlab.framework.attention.AttentionKernel;
import dev.paperlab.framework.attention.KvCache;
import dev.paperlab.framework.attention.MultiHeadAttention;
import dev.paperlab.framework.position.RopeConvention;

/**
 * One pre-norm transformer block (GPT-2 ordering, Radford et al. 2019):
 *
 * <pre>
 *   x = x + Attn(LN_1(x))           causal self-attention, MHA / GQA / MQA / flash
 *   x = x + W_2 GELU(W_1 LN_2(x))   position-wise MLP, hidden 4E
 * </pre>
 *
 * Input and output (B, T, E).
 */
public final class TransformerBlock extends AbstractBlock {
    private static final byte VERSION = 1;
    private final LayerNorm ln1;
    private final MultiHeadAttention attention;
    private final LayerNorm ln2;
    private final Linear fc;
    private final Linear fcProj;
    private final Dropout dropout;
    private final float dropoutRate;

    public TransformerBlock(LmConfig config) {
        super(VERSION);
        ln1 = addChildBlock("ln1", LayerNorm.builder().axis(2).build());
        AttentionKernel kernel =
                config.attention() == LmConfig.AttentionKind.FLASH ? FlashAttention.create() : AttentionKernel.chunked();
        MultiHeadAttention.Builder mha = MultiHeadAttention.builder()
                .setEmbeddingSize(config.dModel())
                .setHeads(config.heads())
                .optKvHeads(config.kvHeads())
                .optCausal(true)
                .optDropout(config.dropout())
                .optKernel(kernel);
        if (config.position() == LmConfig.PositionKind.ROPE) {
            mha.optRotary(RopeConvention.HALF_SPLIT);
        }
        attention = addChildBlock("attention", mha.build());
        ln2 = addChildBlock("ln2", LayerNorm.builder().axis(2).build());
        fc = addChildBlock("fc", Linear.builder().setUnits(4L * config.dModel()).build());
        fcProj = addChildBlock("fcProj", Linear.builder().setUnits(config.dModel()).build());
        dropout = addChildBlock("dropout", Dropout.builder().optRate(config.dropout()).build());
        dropoutRate = config.dropout();
    }

    public MultiHeadAttention attention() {
        return attention;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.head(), null, training));
    }

    /**
     * @param x (B, T, E)
     * @param cache this layer's KV cache for incremental decoding, or {@code null}
     * @return (B, T, E)
     */
    public NDArray forward(ParameterStore ps, NDArray x, KvCache cache, boolean training) {
        NDArray h = ln1.forward(ps, new NDList(x), training).head(); // (B, T, E)
        NDArray a = attention.forward(ps, h, null, cache, training); // (B, T, E)
        x = x.add(residual(ps, a, training)); // x + Attn(LN1(x))
        NDArray m = ln2.forward(ps, new NDList(x), training).head(); // (B, T, E)
        m = fc.forward(ps, new NDList(m), training).head(); // (B, T, 4E)
        m = Activation.gelu(m);
        m = fcProj.forward(ps, new NDList(m), training).head(); // (B, T, E)
        return x.add(residual(ps, m, training)); // x + MLP(LN2(x))
    }

    private NDArray residual(ParameterStore ps, NDArray branch, boolean training) {
        return training && dropoutRate > 0 ? dropout.forward(ps, new NDList(branch), true).head() : branch;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        ln1.initialize(manager, dataType, x);
        attention.initialize(manager, dataType, x);
        ln2.initialize(manager, dataType, x);
        fc.initialize(manager, dataType, x);
        fcProj.initialize(manager, dataType, new Shape(x.get(0), x.get(1), 4 * x.get(2)));
        dropout.initialize(manager, dataType, x);
    }
}
