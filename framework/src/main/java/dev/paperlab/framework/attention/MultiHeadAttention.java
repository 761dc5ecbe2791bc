package dev.paperlab.framework.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.paperlab.framework.position.RopeConvention;
import dev.paperlab.framework.position.RotaryEmbedding;

/**
 * Multi-head attention (Vaswani et al., 2017, §3.2.2) with grouped key/value heads (Ainslie et
 * al., 2023, "GQA: Training Generalized Multi-Query Transformer Models from Multi-Head
 * Checkpoints"):
 *
 * <pre>
 *   head_h = Attention(X W_h^Q, X W_g(h)^K, X W_g(h)^V),   g(h) = h / (H / Hkv)
 *   MultiHead(X) = Concat(head_1, ..., head_H) W^O
 * </pre>
 *
 * H query heads share Hkv key/value heads in contiguous groups of H / Hkv: Hkv = H is
 * multi-head attention, Hkv = 1 multi-query attention (Shazeer, 2019), anything between is
 * GQA. The key/value projections are (Hkv * D, E), so a {@link KvCache} is H / Hkv times
 * smaller than for MHA. {@link GroupedQueryConversion} turns an MHA block into a GQA block.
 *
 * <p>Dimension letters: B batch, T query length, S key length (T plus cached positions), E
 * embedding size, H query heads, Hkv key/value heads, D = E / H head size.
 *
 * <p>Input {@code [x]} or {@code [x, mask]} with x (B, T, E) and a mask as in {@link Attention};
 * output (B, T, E). Parameters are the children {@code queryProjection}, {@code keyProjection},
 * {@code valueProjection}, {@code outputProjection} (DJL {@link Linear}, weight (out, in)), in
 * that order; within each projection, output rows {@code [h * D, (h + 1) * D)} belong to head h.
 */
public final class MultiHeadAttention extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int embeddingSize;
    private final int heads;
    private final int kvHeads;
    private final boolean causal;
    private final float dropout;
    private final boolean bias;
    private final AttentionKernel kernel;
    private final RopeConvention rope;
    private RotaryEmbedding rotary;
    private final Linear queryProjection;
    private final Linear keyProjection;
    private final Linear valueProjection;
    private final Linear outputProjection;

    private MultiHeadAttention(Builder b) {
        super(VERSION);
        embeddingSize = b.embeddingSize;
        heads = b.heads;
        kvHeads = b.resolvedKvHeads();
        causal = b.causal;
        dropout = b.dropout;
        bias = b.bias;
        kernel = b.kernel;
        rope = b.rope;
        long kvSize = (long) kvHeads * headSize();
        queryProjection = addChildBlock("queryProjection", linear(embeddingSize));
        keyProjection = addChildBlock("keyProjection", linear(kvSize));
        valueProjection = addChildBlock("valueProjection", linear(kvSize));
        outputProjection = addChildBlock("outputProjection", linear(embeddingSize));
    }

    private Linear linear(long units) {
        return Linear.builder().setUnits(units).optBias(bias).build();
    }

    /**
     * Returns a new builder.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray mask = inputs.size() > 1 ? inputs.get(1) : null;
        return new NDList(forward(ps, inputs.head(), mask, null, training));
    }

    /**
     * Attends, optionally continuing from a cache. With a cache, the new positions' keys and
     * values are appended to it and the queries attend to every cached position (causally, the
     * queries being the last T of them).
     *
     * @param ps the parameter store
     * @param x the new positions (B, T, E)
     * @param mask a mask broadcastable to (B, H, T, S), or {@code null}
     * @param cache the cache to extend, or {@code null}
     * @param training whether dropout is active
     * @return the output (B, T, E)
     */
    @SuppressWarnings("checkstyle:LocalVariableName") // paper letters
    public NDArray forward(ParameterStore ps, NDArray x, NDArray mask, KvCache cache, boolean training) {
        Shape xs = x.getShape();
        if (xs.dimension() != 3 || xs.get(2) != embeddingSize) {
            throw new IllegalArgumentException("input must be (B, T, E) with E = " + embeddingSize + "; got " + xs);
        }
        long B = xs.get(0);
        long T = xs.get(1);
        NDArray q = heads(queryProjection, ps, x, heads, training); // (B, H, T, D)
        NDArray k = heads(keyProjection, ps, x, kvHeads, training); // (B, Hkv, T, D)
        NDArray v = heads(valueProjection, ps, x, kvHeads, training); // (B, Hkv, T, D)
        if (rope != null) {
            // RoFormer Eq. 34: rotate q_m and k_n by their absolute positions m, n
            int offset = cache == null ? 0 : cache.length();
            RotaryEmbedding r = rotary();
            NDArray qr = r.apply(q, offset); // (B, H, T, D)
            NDArray kr = r.apply(k, offset); // (B, Hkv, T, D)
            Attention.closeAll(q, k);
            q = qr;
            k = kr;
        }
        if (cache != null) {
            cache.append(k, v);
            k.close();
            v.close();
            k = cache.keys(); // (B, Hkv, S, D)
            v = cache.values(); // (B, Hkv, S, D)
        }
        float rate = training ? dropout : 0f;
        NDArray o = kernel.attend(q, k, v, mask, causal, rate); // (B, H, T, D)
        Attention.closeAll(q, k, v);
        // Concat(head_1, ..., head_H)
        NDArray perToken = o.transpose(0, 2, 1, 3); // (B, T, H, D)
        NDArray merged = perToken.reshape(B, T, embeddingSize); // (B, T, E)
        Attention.closeAll(o, perToken);
        NDArray y = outputProjection.forward(ps, new NDList(merged), training).head();
        merged.close();
        return y; // (B, T, E)
    }

    /** The cos/sin tables, made once on the parameters' manager so they outlive a step. */
    private RotaryEmbedding rotary() {
        if (rotary == null) {
            NDManager owner =
                    queryProjection.getParameters().get("weight").getArray().getManager();
            rotary = RotaryEmbedding.builder()
                    .setHeadSize(headSize())
                    .setManager(owner)
                    .optConvention(rope)
                    .build();
        }
        return rotary;
    }

    /** The RoPE convention applied to queries and keys, or {@code null} without RoPE. */
    public RopeConvention rope() {
        return rope;
    }

    /** Projects x and splits the result into heads: (B, T, E) -> (B, n, T, D). */
    private NDArray heads(Linear proj, ParameterStore ps, NDArray x, int n, boolean training) {
        Shape xs = x.getShape();
        try (NDArray p = proj.forward(ps, new NDList(x), training).head(); // (B, T, n * D)
                NDArray split = p.reshape(xs.get(0), xs.get(1), n, headSize())) {
            return split.transpose(0, 2, 1, 3); // (B, n, T, D)
        }
    }

    /**
     * Allocates an empty float32 cache for this block's key/value heads.
     *
     * @param manager owner of the buffers
     * @param batch B
     * @param capacity the most positions it will hold
     * @return the cache
     */
    public KvCache newCache(NDManager manager, long batch, int capacity) {
        return KvCache.allocate(manager, batch, kvHeads, capacity, headSize(), DataType.FLOAT32);
    }

    /**
     * Bytes a float32 cache of {@code length} positions needs: {@code 2 * B * Hkv * length * D *
     * 4}, H / Hkv times less than multi-head attention with the same E and H.
     *
     * @param batch B
     * @param length positions
     * @return the size in bytes
     */
    public long cacheBytes(long batch, long length) {
        return KvCache.bytesFor(batch, kvHeads, length, headSize(), DataType.FLOAT32);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        queryProjection.initialize(manager, dataType, in);
        keyProjection.initialize(manager, dataType, in);
        valueProjection.initialize(manager, dataType, in);
        outputProjection.initialize(manager, dataType, in);
    }

    /** @return E */
    public int embeddingSize() {
        return embeddingSize;
    }

    /** @return H, the number of query heads */
    public int heads() {
        return heads;
    }

    /** @return Hkv, the number of key/value heads */
    public int kvHeads() {
        return kvHeads;
    }

    /** @return D = E / H */
    public int headSize() {
        return embeddingSize / heads;
    }

    /** @return whether attention is causal */
    public boolean isCausal() {
        return causal;
    }

    /** @return the dropout rate on the attention weights */
    public float dropout() {
        return dropout;
    }

    /** @return whether the projections have a bias */
    public boolean hasBias() {
        return bias;
    }

    /** @return the kernel computing softmax(QK^T / sqrt(D)) V */
    public AttentionKernel kernel() {
        return kernel;
    }

    /** @return W^Q, weight (H * D, E) */
    public Linear getQueryProjection() {
        return queryProjection;
    }

    /** @return W^K, weight (Hkv * D, E) */
    public Linear getKeyProjection() {
        return keyProjection;
    }

    /** @return W^V, weight (Hkv * D, E) */
    public Linear getValueProjection() {
        return valueProjection;
    }

    /** @return W^O, weight (E, H * D) */
    public Linear getOutputProjection() {
        return outputProjection;
    }

    @Override
    public String toString() {
        return String.format(
                "MultiHeadAttention(E=%d, H=%d, Hkv=%d, causal=%b, dropout=%s, kernel=%s)",
                embeddingSize, heads, kvHeads, causal, dropout, kernel);
    }

    /** Builder: {@code setEmbeddingSize} and {@code setHeads} are required. */
    public static final class Builder {
        private int embeddingSize;
        private int heads;
        private Integer kvHeads; // null: same as heads
        private boolean causal;
        private float dropout;
        private boolean bias = true;
        private AttentionKernel kernel = AttentionKernel.chunked();
        private RopeConvention rope;

        private Builder() {}

        /**
         * Sets E, the model size.
         *
         * @param embeddingSize E, divisible by the number of heads
         * @return this builder
         */
        public Builder setEmbeddingSize(int embeddingSize) {
            this.embeddingSize = embeddingSize;
            return this;
        }

        /**
         * Sets H, the number of query heads.
         *
         * @param heads H
         * @return this builder
         */
        public Builder setHeads(int heads) {
            this.heads = heads;
            return this;
        }

        /**
         * Sets Hkv, the number of key/value heads; default H (multi-head attention), 1 is
         * multi-query attention.
         *
         * @param kvHeads Hkv, dividing H
         * @return this builder
         */
        public Builder optKvHeads(int kvHeads) {
            this.kvHeads = kvHeads;
            return this;
        }

        /**
         * Sets causal (decoder) masking; default false.
         *
         * @param causal whether position t only sees positions up to t
         * @return this builder
         */
        public Builder optCausal(boolean causal) {
            this.causal = causal;
            return this;
        }

        /**
         * Sets dropout on the attention weights during training; default 0.
         *
         * @param dropout the rate in [0, 1)
         * @return this builder
         */
        public Builder optDropout(float dropout) {
            this.dropout = dropout;
            return this;
        }

        /**
         * Sets whether the four projections have a bias; default true.
         *
         * @param bias whether to add a bias
         * @return this builder
         */
        public Builder optBias(boolean bias) {
            this.bias = bias;
            return this;
        }

        /**
         * Sets the attention kernel; default {@link AttentionKernel#chunked()}, which computes
         * exactly what {@link AttentionKernel#naive()} computes with less allocation.
         *
         * @param kernel e.g. {@link FlashAttention#create()}
         * @return this builder
         */
        /**
         * Applies rotary position embeddings (Su et al. 2021) to queries and keys with the given
         * pair convention; positions continue from the KV cache length. Default: none.
         *
         * @param convention the convention, or {@code null} for no RoPE
         * @return this builder
         */
        public Builder optRotary(RopeConvention convention) {
            this.rope = convention;
            return this;
        }

        public Builder optKernel(AttentionKernel kernel) {
            this.kernel = kernel;
            return this;
        }

        private int resolvedKvHeads() {
            return kvHeads == null ? heads : kvHeads;
        }

        /**
         * Builds the block.
         *
         * @return the block
         * @throws IllegalArgumentException if a size is not positive, E is not divisible by H,
         *     H is not divisible by Hkv, or the dropout rate is outside [0, 1)
         */
        public MultiHeadAttention build() {
            int hkv = resolvedKvHeads();
            if (embeddingSize < 1 || heads < 1 || hkv < 1) {
                throw new IllegalArgumentException("embedding size, heads and kvHeads must be positive; got "
                        + embeddingSize
                        + ", "
                        + heads
                        + ", "
                        + hkv);
            }
            if (embeddingSize % heads != 0) {
                throw new IllegalArgumentException(
                        "embedding size " + embeddingSize + " is not divisible by " + heads + " heads");
            }
            if (hkv > heads || heads % hkv != 0) {
                throw new IllegalArgumentException(
                        heads + " query heads are not divisible by " + hkv + " key/value heads");
            }
            if (!(dropout >= 0f && dropout < 1f)) {
                throw new IllegalArgumentException("dropout must be in [0, 1); got " + dropout);
            }
            if (kernel == null) {
                throw new IllegalArgumentException("kernel must not be null");
            }
            return new MultiHeadAttention(this);
        }
    }
}
