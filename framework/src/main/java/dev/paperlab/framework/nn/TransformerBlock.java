package dev.paperlab.framework.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.paperlab.framework.attention.AttentionKernel;
import dev.paperlab.framework.attention.KvCache;
import dev.paperlab.framework.attention.MultiHeadAttention;
import dev.paperlab.framework.position.RopeConvention;

/**
 * One pre-norm transformer block (GPT-2 ordering, Radford et al. 2019):
 *
 * <pre>
 *   x = x + Attn(LN_1(x))           self-attention: MHA / GQA / MQA, any {@link AttentionKernel}
 *   x = x + W_2 GELU(W_1 LN_2(x))   position-wise MLP, hidden 4E by default
 * </pre>
 *
 * With {@link Builder#optPostNorm} the block is post-norm instead, as in the original Transformer
 * (Vaswani et al. 2017, Sec. 3.1: {@code LayerNorm(x + Sublayer(x))}):
 *
 * <pre>
 *   x = LN_1(x + Attn(x))
 *   x = LN_2(x + W_2 GELU(W_1 x))
 * </pre>
 *
 * Input and output (B, T, E). Dropout, when set, acts on the attention weights and on both
 * residual branches during training. Children, in order: {@code ln1}, {@code attention} (a
 * {@link MultiHeadAttention}), {@code ln2}, {@code fc}, {@code fcProj}, {@code dropout}.
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
    private final long hiddenSize;
    private final boolean postNorm;

    private TransformerBlock(Builder b, MultiHeadAttention attention) {
        super(VERSION);
        ln1 = addChildBlock("ln1", LayerNorm.builder().axis(2).build());
        this.attention = addChildBlock("attention", attention);
        ln2 = addChildBlock("ln2", LayerNorm.builder().axis(2).build());
        hiddenSize = b.hiddenSize();
        fc = addChildBlock("fc", Linear.builder().setUnits(hiddenSize).build());
        fcProj = addChildBlock(
                "fcProj", Linear.builder().setUnits(b.embeddingSize).build());
        dropout = addChildBlock("dropout", Dropout.builder().optRate(b.dropout).build());
        dropoutRate = b.dropout;
        postNorm = b.postNorm;
    }

    /** Returns a new builder. */
    public static Builder builder() {
        return new Builder();
    }

    public MultiHeadAttention attention() {
        return attention;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.head(), null, training));
    }

    /**
     * @param x (B, T, E)
     * @param cache this layer's KV cache for incremental decoding, or {@code null}
     * @return (B, T, E)
     */
    public NDArray forward(ParameterStore ps, NDArray x, KvCache cache, boolean training) {
        if (postNorm) {
            NDArray a = attention.forward(ps, x, null, cache, training); // (B, T, E)
            x = ln1.forward(ps, new NDList(x.add(residual(ps, a, training))), training)
                    .head(); // LN1(x + Attn(x))
            NDArray m = Activation.gelu(fc.forward(ps, new NDList(x), training).head()); // (B, T, 4E)
            m = fcProj.forward(ps, new NDList(m), training).head(); // (B, T, E)
            return ln2.forward(ps, new NDList(x.add(residual(ps, m, training))), training)
                    .head(); // LN2(x + MLP(x))
        }
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
        return training && dropoutRate > 0
                ? dropout.forward(ps, new NDList(branch), true).head()
                : branch;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        ln1.initialize(manager, dataType, x);
        attention.initialize(manager, dataType, x);
        ln2.initialize(manager, dataType, x);
        fc.initialize(manager, dataType, x);
        fcProj.initialize(manager, dataType, new Shape(x.get(0), x.get(1), hiddenSize));
        dropout.initialize(manager, dataType, x);
    }

    /** Settings of a block; {@link #build()} checks them together. */
    public static final class Builder {
        private int embeddingSize;
        private int heads;
        private Integer kvHeads;
        private Integer hidden;
        private boolean causal = true;
        private float dropout;
        private AttentionKernel kernel = AttentionKernel.chunked();
        private RopeConvention rope;
        private boolean postNorm;

        private Builder() {}

        /** Sets E, the model width (required). */
        public Builder setEmbeddingSize(int embeddingSize) {
            this.embeddingSize = embeddingSize;
            return this;
        }

        /** Sets H, the query heads (required). */
        public Builder setHeads(int heads) {
            this.heads = heads;
            return this;
        }

        /** Sets Hkv, the key/value heads; default H. */
        public Builder optKvHeads(int kvHeads) {
            this.kvHeads = kvHeads;
            return this;
        }

        /** Sets the MLP's hidden width; default 4E. */
        public Builder optHiddenSize(int hidden) {
            this.hidden = hidden;
            return this;
        }

        /** Sets causal (decoder) attention; default true. */
        public Builder optCausal(boolean causal) {
            this.causal = causal;
            return this;
        }

        /** Sets the dropout rate of the attention weights and residual branches; default 0. */
        public Builder optDropout(float dropout) {
            this.dropout = dropout;
            return this;
        }

        /** Sets the attention kernel; default {@link AttentionKernel#chunked()}. */
        public Builder optKernel(AttentionKernel kernel) {
            this.kernel = kernel;
            return this;
        }

        /** Applies RoPE to queries and keys with this convention; default none ({@code null}). */
        public Builder optRotary(RopeConvention rope) {
            this.rope = rope;
            return this;
        }

        /** Normalises after each residual sum (original Transformer) instead of before; default false. */
        public Builder optPostNorm(boolean postNorm) {
            this.postNorm = postNorm;
            return this;
        }

        private long hiddenSize() {
            return hidden != null ? hidden : 4L * embeddingSize;
        }

        /**
         * Builds the block.
         *
         * @throws IllegalArgumentException naming the values when the attention settings are
         *     inconsistent (see {@link MultiHeadAttention.Builder#build()}), RoPE meets an odd
         *     head size, or the hidden size is not positive
         */
        public TransformerBlock build() {
            MultiHeadAttention.Builder mha = MultiHeadAttention.builder()
                    .setEmbeddingSize(embeddingSize)
                    .setHeads(heads)
                    .optCausal(causal)
                    .optDropout(dropout)
                    .optKernel(kernel)
                    .optRotary(rope);
            if (kvHeads != null) {
                mha.optKvHeads(kvHeads);
            }
            MultiHeadAttention attention = mha.build(); // checks E, H, Hkv, dropout and kernel
            if (rope != null && (embeddingSize / heads) % 2 != 0) {
                throw new IllegalArgumentException("RoPE needs an even head size, got " + (embeddingSize / heads)
                        + " (embedding size " + embeddingSize + " / " + heads + " heads)");
            }
            if (hiddenSize() < 1) {
                throw new IllegalArgumentException("MLP hidden size must be >= 1, got " + hiddenSize());
            }
            return new TransformerBlock(this, attention);
        }
    }
}
