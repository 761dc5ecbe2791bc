package dev.paperlab.framework.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.Dropout;
import dev.paperlab.framework.nn.Scalars;
import java.util.function.Supplier;

/**
 * Scaled dot-product attention as a static function (Vaswani et al., 2017, "Attention Is All You
 * Need", Eq. 1):
 *
 * <pre>
 *   Attention(Q, K, V) = softmax(Q K^T / sqrt(d_k) + M) V
 * </pre>
 *
 * <p>Dimension letters: B batch, H query heads, Hkv key/value heads (H divisible by Hkv, see
 * {@link MultiHeadAttention} for grouped-query attention), T query length, S key length, D head
 * size (d_k). Queries are (B, H, T, D), keys and values (B, Hkv, S, D), the output (B, H, T, D).
 *
 * <p><b>Masks.</b> A mask must broadcast to the scores (B, H, T, S): rank 2 to 4, aligned on the
 * right, each dimension 1 or equal to the score's ({@code (T, S)}, {@code (B, 1, 1, S)}, ...).
 * A boolean mask is {@code true} where a query may attend; a floating mask is added to the
 * scores as it is ({@code 0} to keep, {@code -inf} or a large negative number to drop). Masked
 * positions get weight exactly 0. A query row with no allowed key has no softmax and gives NaN,
 * as in PyTorch.
 *
 * <p><b>Causal.</b> Query {@code i} sits at absolute position {@code i + S - T} (the queries are
 * the last T of S positions, as in incremental decoding with a {@link KvCache}) and may attend to
 * keys {@code j <= i + S - T}; causal attention therefore needs {@code S >= T}.
 */
public final class Attention {

    private Attention() {}

    /**
     * Returns {@code softmax(QK^T / sqrt(D) + mask) V}.
     *
     * @param q queries (B, H, T, D)
     * @param k keys (B, Hkv, S, D)
     * @param v values (B, Hkv, S, D)
     * @param mask a boolean or additive mask broadcastable to (B, H, T, S), or {@code null}
     * @return the output (B, H, T, D)
     */
    public static NDArray scaledDotProduct(NDArray q, NDArray k, NDArray v, NDArray mask) {
        return scaledDotProduct(q, k, v, mask, false);
    }

    /**
     * Returns {@code softmax(QK^T / sqrt(D) + mask) V}, optionally causal.
     *
     * @param q queries (B, H, T, D)
     * @param k keys (B, Hkv, S, D)
     * @param v values (B, Hkv, S, D)
     * @param mask a boolean or additive mask broadcastable to (B, H, T, S), or {@code null}
     * @param causal whether query {@code i} only sees keys up to its own position
     * @return the output (B, H, T, D)
     */
    public static NDArray scaledDotProduct(NDArray q, NDArray k, NDArray v, NDArray mask, boolean causal) {
        AttentionOutput out = compute(q, k, v, mask, causal, 0f);
        out.weights().close();
        return out.output();
    }

    /**
     * Returns the output and the attention weights {@code softmax(QK^T / sqrt(D) + mask)}.
     *
     * @param q queries (B, H, T, D)
     * @param k keys (B, Hkv, S, D)
     * @param v values (B, Hkv, S, D)
     * @param mask a boolean or additive mask broadcastable to (B, H, T, S), or {@code null}
     * @param causal whether query {@code i} only sees keys up to its own position
     * @return output (B, H, T, D) and weights (B, H, T, S)
     */
    public static AttentionOutput scaledDotProductWithWeights(
            NDArray q, NDArray k, NDArray v, NDArray mask, boolean causal) {
        return compute(q, k, v, mask, causal, 0f);
    }

    /**
     * The reference computation, validated; dropout (rate {@code dropout}, 0 for none) acts on
     * the weights that multiply V, the returned weights are those before dropout.
     */
    static AttentionOutput compute(NDArray q, NDArray k, NDArray v, NDArray mask, boolean causal, float dropout) {
        Shape scoreShape = AttentionInputs.validate(q, k, v, mask, causal, dropout);
        return core(q, k, v, mask, causal, scoreShape.get(3) - scoreShape.get(2), dropout);
    }

    /**
     * The unvalidated computation; with {@code causal}, query {@code i} sits at absolute position
     * {@code i + offset}.
     */
    @SuppressWarnings("checkstyle:LocalVariableName") // paper letters
    static AttentionOutput core(
            NDArray q, NDArray k, NDArray v, NDArray mask, boolean causal, long offset, float dropout) {
        int groups = (int) (q.getShape().get(1) / k.getShape().get(1));
        long T = q.getShape().get(2);
        long S = k.getShape().get(2);
        long D = q.getShape().get(3);
        AttentionOutput result;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray kh = repeatKv(k, groups); // (B, H, S, D)
            NDArray vh = repeatKv(v, groups); // (B, H, S, D)
            // Scale Q (B, H, T, D) rather than the larger scores (B, H, T, S).
            NDArray qs = Scalars.mul(q, 1.0 / Math.sqrt(D)); // (B, H, T, D)
            // Eq. 1: Q K^T / sqrt(d_k)
            NDArray scores = qs.matMul(kh.transpose(0, 1, 3, 2)); // (B, H, T, S)
            // In place: matmul keeps its inputs, not its output, for the backward pass.
            if (causal) {
                scores.addi(additive(causalAllowed(q.getManager(), 0, T, 0, S, offset)));
            }
            if (mask != null) {
                scores.addi(mask.getDataType() == DataType.BOOLEAN ? additive(mask) : mask);
            }
            // Measured on libtorch 2.7.1 CPU: the fused softmax, forward and backward, is faster
            // than exp(logSoftmax(x)) or exp(x - max) / sum.
            NDArray weights = scores.softmax(-1); // (B, H, T, S), rows sum to 1
            scores.close(); // free the (T, S) scores before the next (T, S) temporary
            NDArray used =
                    dropout > 0f ? Dropout.dropout(weights, dropout, true).head() : weights;
            NDArray out = used.matMul(vh); // (B, H, T, D)
            NDScope.unregister(out);
            NDScope.unregister(weights);
            result = new AttentionOutput(out, weights);
        }
        adopt(result.output(), result.weights());
        return result;
    }

    /**
     * Returns the additive causal mask (T, S): 0 where key {@code j <= i + S - T}, -inf elsewhere.
     *
     * @param manager where the mask is created
     * @param t the query length T
     * @param s the key length S (at least T)
     * @return a float32 (T, S) mask to add to the scores
     */
    public static NDArray causalMask(NDManager manager, long t, long s) {
        return scoped(() -> additive(causalAllowed(manager, 0, t, 0, s, s - t)));
    }

    /**
     * Returns the boolean key-padding mask (B, 1, 1, S): {@code true} for the first
     * {@code lengths[b]} keys of sequence {@code b}.
     *
     * @param lengths valid lengths (B), integer type
     * @param s the key length S
     * @return a boolean mask broadcastable to the scores (B, H, T, S)
     */
    public static NDArray paddingMask(NDArray lengths, long s) {
        long b = lengths.getShape().get(0);
        NDManager manager = lengths.getManager();
        return scoped(() -> {
            NDArray positions = manager.arange(0, s, 1, DataType.INT64).reshape(1, s);
            NDArray limits = lengths.toType(DataType.INT64, false).reshape(b, 1);
            return positions.lt(limits).reshape(b, 1, 1, s); // (B, 1, 1, S)
        });
    }

    /** Boolean (rows, cols) tile: query {@code i0 + r} may see key {@code j0 + c}. */
    static NDArray causalAllowed(NDManager manager, long i0, long i1, long j0, long j1, long offset) {
        return scoped(() -> {
            NDArray rows = // (Br, 1) absolute query positions
                    manager.arange(i0 + offset, i1 + offset, 1, DataType.INT64).reshape(i1 - i0, 1);
            NDArray cols = manager.arange(j0, j1, 1, DataType.INT64).reshape(1, j1 - j0);
            return cols.lte(rows); // (Br, Bc)
        });
    }

    /** Turns a boolean mask into the additive one: log(1) = 0 keeps, log(0) = -inf drops. */
    static NDArray additive(NDArray booleanMask) {
        return scoped(() -> booleanMask.toType(DataType.FLOAT32, false).log());
    }

    /**
     * Repeats each of the Hkv key/value heads {@code groups} times so that query head {@code h}
     * meets key/value head {@code h / groups} (Ainslie et al., 2023). Returns the input itself
     * when {@code groups == 1}.
     *
     * @param kv keys or values (B, Hkv, S, D)
     * @param groups query heads per key/value head, H / Hkv
     * @return (B, H, S, D)
     */
    public static NDArray repeatKv(NDArray kv, int groups) {
        if (groups == 1) {
            return kv;
        }
        Shape s = kv.getShape();
        return scoped(() -> kv.expandDims(2) // (B, Hkv, 1, S, D)
                .broadcast(s.get(0), s.get(1), groups, s.get(2), s.get(3))
                .reshape(s.get(0), s.get(1) * groups, s.get(2), s.get(3)));
    }

    /**
     * Runs {@code body} in its own {@link NDScope}, closing its temporaries; the result belongs to
     * the caller's scope, as the result of a single operation would.
     */
    static NDArray scoped(Supplier<NDArray> body) {
        NDArray result;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            result = body.get();
            NDScope.unregister(result);
        }
        NDScope.register(result);
        return result;
    }

    /** Closes the non-null arrays. */
    static void closeAll(NDArray... arrays) {
        for (NDArray a : arrays) {
            if (a != null) {
                a.close();
            }
        }
    }

    /** Hands results created in a closed inner scope to the caller's scope. */
    static void adopt(NDArray... results) {
        for (NDArray r : results) {
            NDScope.register(r);
        }
    }
}
