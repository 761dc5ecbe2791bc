package dev.paperlab.framework.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.Dropout;
import dev.paperlab.framework.nn.Scalars;

/**
 * Tiled exact attention with an online softmax (Dao, Fu, Ermon, Rudra and Ré, 2022,
 * "FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness", Algorithm 1).
 *
 * <p>Q is cut into row blocks of Br queries, K and V into column blocks of Bc keys. For each row
 * block i the running row maximum m, the running sum l and the unnormalised output O are updated
 * per column block j:
 *
 * <pre>
 *   S_ij  = Q_i K_j^T / sqrt(D)                                   (Br, Bc)
 *   m_new = max(m, rowmax(S_ij))
 *   P_ij  = exp(S_ij - m_new)
 *   l     = exp(m - m_new) l + rowsum(P_ij)
 *   O     = exp(m - m_new) O + P_ij V_j
 *   finally O_i = O / l and L_i = m + log(l)                        (the log-sum-exp)
 * </pre>
 *
 * Dividing by l once at the end instead of after every block (Dao, 2023, FlashAttention-2 §3.1)
 * is the same arithmetic as line 12 of Algorithm 1 with fewer operations. The full (T, S) score
 * matrix never exists: the largest temporary is one (B, H, Br, Bc) tile, and every tile's
 * temporaries are closed by an {@link NDScope} as soon as the tile is done. With causal masking,
 * tiles wholly above the diagonal are skipped and only tiles crossing it are masked. Lengths need
 * not be multiples of the block sizes.
 *
 * <p>Dimension letters as in {@link Attention}: B batch, H heads, T queries, S keys, D head size.
 *
 * <p>Inside a model, DJL's autograd differentiates this forward tile by tile (DJL has no custom
 * autograd function). {@link #backward} is the paper's recomputing backward pass written by
 * hand (Algorithm 2 / Appendix B), which needs only O and L from the forward pass.
 */
public final class FlashAttention implements AttentionKernel {

    /** Default block size for both Br and Bc. */
    public static final int DEFAULT_BLOCK = 64;

    private final int blockRows;
    private final int blockCols;

    private FlashAttention(int blockRows, int blockCols) {
        if (blockRows < 1 || blockCols < 1) {
            throw new IllegalArgumentException(
                    "block sizes must be positive; got Br " + blockRows + ", Bc " + blockCols);
        }
        this.blockRows = blockRows;
        this.blockCols = blockCols;
    }

    /**
     * Returns a kernel with {@link #DEFAULT_BLOCK} rows and columns per tile.
     *
     * @return the kernel
     */
    public static FlashAttention create() {
        return new FlashAttention(DEFAULT_BLOCK, DEFAULT_BLOCK);
    }

    /**
     * Returns a kernel with the given tile size.
     *
     * @param blockRows Br, queries per tile (at least 1)
     * @param blockCols Bc, keys per tile (at least 1)
     * @return the kernel
     */
    public static FlashAttention withBlocks(int blockRows, int blockCols) {
        return new FlashAttention(blockRows, blockCols);
    }

    /**
     * Returns Br.
     *
     * @return queries per tile
     */
    public int blockRows() {
        return blockRows;
    }

    /**
     * Returns Bc.
     *
     * @return keys per tile
     */
    public int blockCols() {
        return blockCols;
    }

    @Override
    public NDArray attend(NDArray q, NDArray k, NDArray v, NDArray mask, boolean causal, float dropout) {
        FlashOutput out = forward(q, k, v, mask, causal, dropout);
        out.logSumExp().close();
        return out.output();
    }

    /**
     * The tiled forward pass without dropout.
     *
     * @param q queries (B, H, T, D)
     * @param k keys (B, Hkv, S, D)
     * @param v values (B, Hkv, S, D)
     * @param mask a boolean or additive mask broadcastable to (B, H, T, S), or {@code null}
     * @param causal whether query {@code i} only sees keys {@code j <= i + S - T}
     * @return O (B, H, T, D) and the log-sum-exp L (B, H, T)
     */
    public FlashOutput forward(NDArray q, NDArray k, NDArray v, NDArray mask, boolean causal) {
        return forward(q, k, v, mask, causal, 0f);
    }

    /**
     * The tiled forward pass; dropout (rate {@code dropout}, 0 for none) acts on each P tile
     * after its row sum entered l, which equals dropout on the normalised weights.
     *
     * @param q queries (B, H, T, D)
     * @param k keys (B, Hkv, S, D)
     * @param v values (B, Hkv, S, D)
     * @param mask a boolean or additive mask broadcastable to (B, H, T, S), or {@code null}
     * @param causal whether query {@code i} only sees keys {@code j <= i + S - T}
     * @param dropout the dropout rate on the attention weights
     * @return O (B, H, T, D) and the log-sum-exp L (B, H, T)
     */
    @SuppressWarnings("checkstyle:LocalVariableName") // paper letters
    public FlashOutput forward(NDArray q, NDArray k, NDArray v, NDArray mask, boolean causal, float dropout) {
        Shape scoreShape = AttentionInputs.validate(q, k, v, mask, causal, dropout);
        long T = scoreShape.get(2);
        long S = scoreShape.get(3);
        int groups = (int) (q.getShape().get(1) / k.getShape().get(1));
        NDList outTiles = new NDList();
        NDList lseTiles = new NDList();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            FlashTiles t = new FlashTiles(
                    Scalars.mul(q, 1.0 / Math.sqrt(q.getShape().get(3))), // (B, H, T, D)
                    Attention.repeatKv(k, groups), // (B, H, S, D)
                    Attention.repeatKv(v, groups), // (B, H, S, D)
                    FlashTiles.additiveMask4(mask),
                    causal,
                    S - T);
            for (long i0 = 0; i0 < T; i0 += blockRows) {
                NDArray[] row = forwardRow(t, i0, Math.min(i0 + blockRows, T), dropout);
                outTiles.add(row[0]);
                lseTiles.add(row[1]);
            }
        }
        FlashOutput result = new FlashOutput(joinRows(outTiles), joinRows(lseTiles));
        Attention.adopt(result.output(), result.logSumExp()); // registering twice is harmless
        return result;
    }

    /**
     * The hand-written recomputing backward pass (Algorithm 2), unmasked, with
     * {@link #DEFAULT_BLOCK} tiles.
     *
     * @param q queries (B, H, T, D)
     * @param k keys (B, Hkv, S, D)
     * @param v values (B, Hkv, S, D)
     * @param o the forward output O (B, H, T, D)
     * @param lse the forward log-sum-exp L (B, H, T)
     * @param dO the gradient of the loss with respect to O (B, H, T, D)
     * @return dQ, dK, dV
     */
    public static FlashGradients backward(NDArray q, NDArray k, NDArray v, NDArray o, NDArray lse, NDArray dO) {
        return backward(q, k, v, o, lse, dO, null, false, DEFAULT_BLOCK, DEFAULT_BLOCK);
    }

    /**
     * The hand-written recomputing backward pass (Algorithm 2) with the forward's masking.
     *
     * @param q queries (B, H, T, D)
     * @param k keys (B, Hkv, S, D)
     * @param v values (B, Hkv, S, D)
     * @param o the forward output O (B, H, T, D)
     * @param lse the forward log-sum-exp L (B, H, T)
     * @param dO the gradient of the loss with respect to O (B, H, T, D)
     * @param mask the forward's mask, or {@code null}
     * @param causal whether the forward was causal
     * @param blockRows Br
     * @param blockCols Bc
     * @return dQ, dK, dV
     */
    public static FlashGradients backward(
            NDArray q,
            NDArray k,
            NDArray v,
            NDArray o,
            NDArray lse,
            NDArray dO,
            NDArray mask,
            boolean causal,
            int blockRows,
            int blockCols) {
        return FlashBackward.backward(q, k, v, o, lse, dO, mask, causal, blockRows, blockCols);
    }

    /** Runs the online softmax for queries [i0, i1); the results are owned by the caller. */
    @SuppressWarnings("checkstyle:LocalVariableName")
    private NDArray[] forwardRow(FlashTiles t, long i0, long i1, float dropout) {
        long S = t.k.getShape().get(2);
        NDArray m = null; // running row max (B, H, Br, 1)
        NDArray l = null; // running row sum (B, H, Br, 1)
        NDArray acc = null; // unnormalised output (B, H, Br, D)
        try (NDScope rowScope = new NDScope()) {
            rowScope.suppressNotUsedWarning();
            NDArray qi = t.qs.get(new NDIndex(":, :, {}:{}", i0, i1)); // (B, H, Br, D)
            // Causal: tiles starting after the block's last position i1 - 1 + offset are skipped.
            long jEnd = t.causal ? Math.min(S, i1 + t.offset) : S;
            for (long j0 = 0; j0 < jEnd; j0 += blockCols) {
                long j1 = Math.min(j0 + blockCols, S);
                NDArray[] next = new NDArray[3];
                try (NDScope tileScope = new NDScope()) {
                    tileScope.suppressNotUsedWarning();
                    NDArray kj = t.k.get(new NDIndex(":, :, {}:{}", j0, j1)); // (B, H, Bc, D)
                    NDArray vj = t.v.get(new NDIndex(":, :, {}:{}", j0, j1)); // (B, H, Bc, D)
                    // S_ij = Q_i K_j^T / sqrt(D)
                    NDArray s = qi.matMul(kj.transpose(0, 1, 3, 2)); // (B, H, Br, Bc)
                    t.maskTile(s, i0, i1, j0, j1);
                    // m_new = max(m, rowmax(S_ij)); the output does not depend on m, so it is
                    // held constant for autograd.
                    NDArray rowMax = s.stopGradient().max(new int[] {-1}, true); // (B, H, Br, 1)
                    NDArray mNew = m == null ? rowMax : m.maximum(rowMax);
                    // A user mask can empty a row so far (m = -inf); clamping makes its
                    // exp(-inf - m) 0 rather than NaN. Causal rows always see key 0 first.
                    NDArray mSafe = t.mask == null ? mNew : Scalars.maximum(mNew, -Float.MAX_VALUE);
                    // P_ij = exp(S_ij - m_new); in place, as subtraction keeps nothing for
                    // the backward pass
                    NDArray p = s.subi(mSafe).exp(); // (B, H, Br, Bc)
                    NDArray rowSum = p.sum(new int[] {-1}, true); // (B, H, Br, 1)
                    NDArray pKept =
                            dropout > 0f ? Dropout.dropout(p, dropout, true).head() : p;
                    NDArray pv = pKept.matMul(vj); // (B, H, Br, D)
                    if (m == null) {
                        next[1] = rowSum;
                        next[2] = pv;
                    } else {
                        // rescale the old statistics by exp(m - m_new)
                        NDArray alpha = m.sub(mSafe).exp(); // (B, H, Br, 1)
                        next[1] = l.mul(alpha).add(rowSum);
                        next[2] = acc.mul(alpha).add(pv);
                    }
                    next[0] = mNew;
                    for (NDArray a : next) {
                        NDScope.unregister(a);
                    }
                }
                Attention.closeAll(m, l, acc);
                m = next[0];
                l = next[1];
                acc = next[2];
            }
            // O_i = O / l, L_i = m + log(l)
            NDArray out = acc.div(l); // (B, H, Br, D)
            NDArray lse = m.add(l.log()).squeeze(-1); // (B, H, Br)
            NDScope.unregister(out);
            NDScope.unregister(lse);
            Attention.closeAll(m, l, acc);
            return new NDArray[] {out, lse};
        }
    }

    /** Concatenates row blocks along the query axis and closes the pieces. */
    static NDArray joinRows(NDList tiles) {
        if (tiles.size() == 1) {
            return tiles.head();
        }
        NDArray joined = NDArrays.concat(tiles, 2);
        tiles.close();
        return joined;
    }
}
