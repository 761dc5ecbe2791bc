package dev.paperlab.framework.check;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import dev.paperlab.framework.nn.Scalars;

/**
 * Scaled dot-product attention (Vaswani et al., "Attention Is All You Need", 2017, Eq. 1) written
 * naively as a reference form, and its gradients derived by hand.
 *
 * <p>Dimension letters: B batch (any leading axes), Tq queries, Tk keys, d query/key size, dv value
 * size. Forward:
 *
 * <pre>
 *   S = Q K^T / sqrt(d)        (B, Tq, Tk)
 *   P = softmax_rows(S)        (B, Tq, Tk)
 *   O = P V                    (B, Tq, dv)
 * </pre>
 *
 * <p>Backward, given the upstream gradient {@code dO = dL/dO}:
 *
 * <ul>
 *   <li>{@code O = P V} is a product, so {@code dV = P^T dO} and {@code dP = dO V^T}.
 *   <li>Each row of P is a softmax of the same row of S, with Jacobian {@code dP_ij/dS_il =
 *       P_ij (delta_jl - P_il)}. Contracting with {@code dP}: {@code dS_il = sum_j dP_ij P_ij
 *       (delta_jl - P_il) = P_il (dP_il - sum_j dP_ij P_ij)}, i.e. {@code dS = P * (dP -
 *       rowsum(dP * P))} with {@code *} element-wise.
 *   <li>{@code S = Q K^T / sqrt(d)} is again a product: {@code dQ = dS K / sqrt(d)} and {@code dK
 *       = dS^T Q / sqrt(d)}.
 * </ul>
 *
 * <p>No mask; the fused attention blocks of the framework are checked against this form.
 */
public final class AttentionGradient {

    /**
     * Gradients of the attention output with respect to its three inputs.
     *
     * @param dQ {@code (B, Tq, d)}
     * @param dK {@code (B, Tk, d)}
     * @param dV {@code (B, Tk, dv)}
     */
    public record Gradients(NDArray dQ, NDArray dK, NDArray dV) {}

    private AttentionGradient() {}

    /**
     * Naive attention {@code O = softmax(Q K^T / sqrt(d)) V}.
     *
     * @param q {@code (B, Tq, d)}
     * @param k {@code (B, Tk, d)}
     * @param v {@code (B, Tk, dv)}
     * @return {@code O}, {@code (B, Tq, dv)}
     */
    public static NDArray attention(NDArray q, NDArray k, NDArray v) {
        checkShapes(q, k, v, null);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray out = probabilities(q, k).matMul(v); // (B, Tq, dv)
            NDScope.unregister(out);
            return out;
        }
    }

    /**
     * The hand-derived gradient with respect to the queries only.
     *
     * @param q {@code (B, Tq, d)}
     * @param k {@code (B, Tk, d)}
     * @param v {@code (B, Tk, dv)}
     * @param dO upstream gradient {@code (B, Tq, dv)}
     * @return {@code dQ = dS K / sqrt(d)}, {@code (B, Tq, d)}
     */
    @SuppressWarnings("checkstyle:ParameterName") // paper symbols
    public static NDArray queryGradient(NDArray q, NDArray k, NDArray v, NDArray dO) {
        checkShapes(q, k, v, dO);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray dS = scoreGradient(probabilities(q, k), v, dO); // (B, Tq, Tk)
            // dQ = dS K / sqrt(d)
            NDArray dQ = Scalars.div(dS.matMul(k), Math.sqrt(q.getShape().tail())); // (B, Tq, d)
            NDScope.unregister(dQ);
            return dQ;
        }
    }

    /**
     * All three hand-derived gradients.
     *
     * @param q {@code (B, Tq, d)}
     * @param k {@code (B, Tk, d)}
     * @param v {@code (B, Tk, dv)}
     * @param dO upstream gradient {@code (B, Tq, dv)}
     * @return {@code dQ}, {@code dK}, {@code dV}
     */
    @SuppressWarnings("checkstyle:ParameterName") // paper symbols
    public static Gradients gradients(NDArray q, NDArray k, NDArray v, NDArray dO) {
        checkShapes(q, k, v, dO);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            double scale = Math.sqrt(q.getShape().tail());
            NDArray p = probabilities(q, k); // (B, Tq, Tk)
            // dV = P^T dO
            NDArray dV = transposeLast(p).matMul(dO); // (B, Tk, dv)
            NDArray dS = scoreGradient(p, v, dO); // (B, Tq, Tk)
            // dQ = dS K / sqrt(d),  dK = dS^T Q / sqrt(d)
            NDArray dQ = Scalars.div(dS.matMul(k), scale); // (B, Tq, d)
            NDArray dK = Scalars.div(transposeLast(dS).matMul(q), scale); // (B, Tk, d)
            NDScope.unregister(dQ, dK, dV);
            return new Gradients(dQ, dK, dV);
        }
    }

    /** P = softmax(Q K^T / sqrt(d)), (B, Tq, Tk). */
    private static NDArray probabilities(NDArray q, NDArray k) {
        // S = Q K^T / sqrt(d)
        NDArray s =
                Scalars.div(q.matMul(transposeLast(k)), Math.sqrt(q.getShape().tail())); // (B, Tq, Tk)
        return s.softmax(-1);
    }

    /** dS = P * (dP - rowsum(dP * P)) with dP = dO V^T. */
    @SuppressWarnings("checkstyle:ParameterName") // paper symbols
    private static NDArray scoreGradient(NDArray p, NDArray v, NDArray dO) {
        NDArray dP = dO.matMul(transposeLast(v)); // (B, Tq, Tk)
        NDArray rowSum = dP.mul(p).sum(new int[] {-1}, true); // (B, Tq, 1)
        return p.mul(dP.sub(rowSum)); // (B, Tq, Tk)
    }

    private static NDArray transposeLast(NDArray x) {
        int rank = x.getShape().dimension();
        return x.swapAxes(rank - 2, rank - 1);
    }

    @SuppressWarnings("checkstyle:ParameterName") // paper symbols
    private static void checkShapes(NDArray q, NDArray k, NDArray v, NDArray dO) {
        int rank = q.getShape().dimension();
        boolean ok = rank >= 2
                && k.getShape().dimension() == rank
                && v.getShape().dimension() == rank
                && q.getShape().tail() == k.getShape().tail()
                && k.getShape().get(rank - 2) == v.getShape().get(rank - 2);
        if (!ok) {
            throw new IllegalArgumentException("expected Q (B, Tq, d), K (B, Tk, d), V (B, Tk, dv)," + " but got "
                    + q.getShape() + ", " + k.getShape() + ", " + v.getShape());
        }
        if (dO != null) {
            long expectedRows = q.getShape().get(rank - 2);
            if (dO.getShape().dimension() != rank
                    || dO.getShape().get(rank - 2) != expectedRows
                    || dO.getShape().tail() != v.getShape().tail()) {
                throw new IllegalArgumentException("dO must be (B, Tq, dv) = (B, " + expectedRows + ", "
                        + v.getShape().tail() + "), but was " + dO.getShape());
            }
        }
    }
}
