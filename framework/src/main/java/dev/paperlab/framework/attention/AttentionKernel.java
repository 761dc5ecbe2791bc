package dev.paperlab.framework.attention;

import ai.djl.ndarray.NDArray;

/**
 * One way to compute {@code softmax(QK^T / sqrt(D) + M) V}. Implementations give the same
 * result up to rounding: {@link #naive()} materialises the (T, S) weights, {@link FlashAttention}
 * works tile by tile. Shapes and mask conventions are those of {@link Attention}.
 */
public interface AttentionKernel {

    /**
     * Attends queries to keys and values.
     *
     * @param q queries (B, H, T, D)
     * @param k keys (B, Hkv, S, D), H divisible by Hkv
     * @param v values (B, Hkv, S, D)
     * @param mask a boolean or additive mask broadcastable to (B, H, T, S), or {@code null}
     * @param causal whether query {@code i} only sees keys {@code j <= i + S - T}
     * @param dropout the dropout rate on the attention weights, 0 for none (pass 0 outside
     *     training)
     * @return the output (B, H, T, D)
     */
    NDArray attend(
            NDArray q, NDArray k, NDArray v, NDArray mask, boolean causal, float dropout);

    /**
     * Attends without mask or dropout.
     *
     * @param q queries (B, H, T, D)
     * @param k keys (B, Hkv, S, D)
     * @param v values (B, Hkv, S, D)
     * @param causal whether query {@code i} only sees keys {@code j <= i + S - T}
     * @return the output (B, H, T, D)
     */
    default NDArray attend(NDArray q, NDArray k, NDArray v, boolean causal) {
        return attend(q, k, v, null, causal, 0f);
    }

    /**
     * The reference kernel: {@link Attention#scaledDotProduct} with the full weight matrix.
     *
     * @return the naive kernel
     */
    static AttentionKernel naive() {
        return NaiveKernel.INSTANCE;
    }

    /** The reference path, kept beside the tiled one. */
    enum NaiveKernel implements AttentionKernel {
        INSTANCE;

        @Override
        public NDArray attend(
                NDArray q, NDArray k, NDArray v, NDArray mask, boolean causal, float dropout) {
            AttentionOutput out = Attention.compute(q, k, v, mask, causal, dropout);
            out.weights().close();
            return out.output();
        }

        @Override
        public String toString() {
            return "naive";
        }
    }
}
