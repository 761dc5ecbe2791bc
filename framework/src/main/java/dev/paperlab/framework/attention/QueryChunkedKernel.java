package dev.paperlab.framework.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Exact attention over blocks of queries: {@link Attention#scaledDotProduct} applied to rows
 * {@code [i0, i1)} of Q at a time, each against all keys, so each row's softmax is the naive
 * one. Splitting only the queries (Rabe and Staats, 2021, "Self-attention Does Not Need O(n^2)
 * Memory", split keys as well) needs no online softmax; it bounds the largest temporary, one
 * (B, H, rows, S) score block, by a byte budget.
 *
 * <p>Why: the (B, H, T, S) matrices of long sequences are too big for the C allocator to reuse
 * (glibc serves blocks above 32 MiB by fresh mmap, paying a page fault per 4 KiB on every
 * forward and backward pass); blocks under the budget are recycled. Dimension letters as in
 * {@link Attention}.
 */
final class QueryChunkedKernel implements AttentionKernel {

    /** Default budget for one score block. */
    static final long DEFAULT_BUDGET = 16L << 20;

    private final long maxScoreBytes;

    QueryChunkedKernel(long maxScoreBytes) {
        if (maxScoreBytes < 1) {
            throw new IllegalArgumentException("score block budget must be positive; got " + maxScoreBytes + " bytes");
        }
        this.maxScoreBytes = maxScoreBytes;
    }

    @Override
    @SuppressWarnings("checkstyle:LocalVariableName") // paper letters
    public NDArray attend(NDArray q, NDArray k, NDArray v, NDArray mask, boolean causal, float dropout) {
        Shape scoreShape = AttentionInputs.validate(q, k, v, mask, causal, dropout);
        long B = scoreShape.get(0);
        long H = scoreShape.get(1);
        long T = scoreShape.get(2);
        long S = scoreShape.get(3);
        long rowBytes = B * H * S * q.getDataType().getNumOfBytes();
        long rows = Math.max(1, maxScoreBytes / rowBytes);
        if (rows >= T) {
            AttentionOutput out = Attention.core(q, k, v, mask, causal, S - T, dropout);
            out.weights().close();
            return out.output();
        }
        NDList blocks = new NDList();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            int groups = (int) (H / k.getShape().get(1));
            NDArray kh = Attention.repeatKv(k, groups); // (B, H, S, D), once for all blocks
            NDArray vh = Attention.repeatKv(v, groups); // (B, H, S, D)
            NDArray mask4 = mask == null ? null : mask.reshape(rank4(mask.getShape()));
            for (long i0 = 0; i0 < T; i0 += rows) {
                long i1 = Math.min(i0 + rows, T);
                NDIndex rowIndex = new NDIndex(":, :, {}:{}", i0, i1);
                NDArray qi = q.get(rowIndex); // (B, H, rows, D)
                NDArray mi = mask4 == null || mask4.getShape().get(2) == 1 ? mask4 : mask4.get(rowIndex);
                // Block rows sit at absolute positions i0 + S - T onwards.
                AttentionOutput out = Attention.core(qi, kh, vh, mi, causal, S - T + i0, dropout);
                out.weights().close();
                NDScope.unregister(out.output());
                blocks.add(out.output()); // (B, H, rows, D)
            }
        }
        return FlashAttention.joinRows(blocks);
    }

    /** Pads a mask shape with leading 1s to rank 4. */
    private static long[] rank4(Shape s) {
        long[] dims = {1, 1, 1, 1};
        for (int i = 1; i <= s.dimension(); i++) {
            dims[4 - i] = s.get(s.dimension() - i);
        }
        return dims;
    }

    @Override
    public String toString() {
        return "query-chunked(" + maxScoreBytes + " bytes)";
    }
}
