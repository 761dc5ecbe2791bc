package dev.paperlab.framework.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The input checks of every {@link AttentionKernel} (and of {@link Attention}'s static functions
 * and the flash backward pass), in one place, so that all of them reject the same bad input with
 * the same message: the argument, the expected shape or range, and the actual value.
 *
 * <p>Shapes as in {@link Attention}: q (B, H, T, D), k and v (B, Hkv, S, D) with Hkv dividing H,
 * a mask broadcastable to the scores (B, H, T, S), causal attention needing S &gt;= T.
 */
public final class AttentionInputs {

    private AttentionInputs() {}

    /**
     * Validates the inputs of one attention call.
     *
     * @param q queries
     * @param k keys
     * @param v values
     * @param mask the mask, or {@code null}
     * @param causal whether the call is causal
     * @param dropout the dropout rate on the weights
     * @return the score shape (B, H, T, S)
     * @throws IllegalArgumentException naming the argument, what was expected and what it got
     */
    public static Shape validate(NDArray q, NDArray k, NDArray v, NDArray mask, boolean causal, float dropout) {
        Shape qs = q.getShape();
        Shape ks = k.getShape();
        Shape vs = v.getShape();
        requireRank4("q", "(B, H, T, D)", qs);
        requireRank4("k", "(B, Hkv, S, D)", ks);
        requireRank4("v", "(B, Hkv, S, D)", vs);
        if (ks.get(0) != qs.get(0) || ks.get(3) != qs.get(3)) {
            throw new IllegalArgumentException("k must be (B, Hkv, S, D) with B = " + qs.get(0) + " and D = "
                    + qs.get(3) + " as in q " + qs + "; got " + ks);
        }
        if (qs.get(1) % ks.get(1) != 0) {
            throw new IllegalArgumentException("k must have a number of heads Hkv dividing the " + qs.get(1)
                    + " query heads of q " + qs + "; got " + ks);
        }
        if (!vs.equals(ks)) {
            throw new IllegalArgumentException("v must have the shape of k " + ks + "; got " + vs);
        }
        if (causal && ks.get(2) < qs.get(2)) {
            throw new IllegalArgumentException("k must have at least T = " + qs.get(2)
                    + " positions for causal attention (the queries are the last T); got "
                    + ks);
        }
        Shape scores = new Shape(qs.get(0), qs.get(1), qs.get(2), ks.get(2));
        if (mask != null && !broadcasts(mask.getShape(), scores)) {
            throw new IllegalArgumentException("mask must broadcast to the attention scores (B, H, T, S) " + scores
                    + " (rank 2 to 4, each dimension 1 or equal); got " + mask.getShape());
        }
        if (!(dropout >= 0f && dropout < 1f)) {
            throw new IllegalArgumentException("dropout must be in [0, 1); got " + dropout);
        }
        return scores;
    }

    private static void requireRank4(String name, String expected, Shape actual) {
        if (actual.dimension() != 4) {
            throw new IllegalArgumentException(name + " must be " + expected + ", rank 4; got " + actual);
        }
    }

    /** Rank 2 to 4, aligned on the right, each dimension 1 or the score's. */
    private static boolean broadcasts(Shape m, Shape scores) {
        boolean ok = m.dimension() >= 2 && m.dimension() <= 4;
        for (int i = 1; ok && i <= m.dimension(); i++) {
            long size = m.get(m.dimension() - i);
            ok = size == 1 || size == scores.get(4 - i);
        }
        return ok;
    }
}
