package dev.paperlab.framework.attention;

import ai.djl.ndarray.NDArray;

/**
 * One way to compute {@code softmax(QK^T / sqrt(D) + M) V}. Implementations give the same
 * result up to rounding: {@link #naive()} materialises the (T, S) weights, {@link #chunked()}
 * does the same for a block of queries at a time, {@link FlashAttention} works tile by tile with
 * an online softmax. Shapes and mask conventions are those of {@link Attention}; every
 * implementation checks its inputs with {@link AttentionInputs#validate}, so all of them reject a
 * bad input with the same message.
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
    NDArray attend(NDArray q, NDArray k, NDArray v, NDArray mask, boolean causal, float dropout);

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

    /**
     * Exact attention over blocks of queries whose (B, H, rows, S) scores fit in 16 MiB; the
     * same arithmetic per row as {@link #naive()}, with allocations the C allocator can reuse.
     *
     * @return the query-chunked kernel
     */
    static AttentionKernel chunked() {
        return new QueryChunkedKernel(QueryChunkedKernel.DEFAULT_BUDGET);
    }

    /**
     * Exact attention over blocks of queries whose scores fit in {@code maxScoreBytes}.
     *
     * @param maxScoreBytes the byte budget of one (B, H, rows, S) score block (at least one row)
     * @return the query-chunked kernel
     */
    static AttentionKernel chunked(long maxScoreBytes) {
        return new QueryChunkedKernel(maxScoreBytes);
    }

    /** The reference path, kept beside the tiled one. */
    enum NaiveKernel implements AttentionKernel {
        INSTANCE;

        @Override
        public NDArray attend(NDArray q, NDArray k, NDArray v, NDArray mask, boolean causal, float dropout) {
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
