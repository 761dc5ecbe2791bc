package dev.paperlab.framework.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.paperlab.framework.nn.Scalars;

/**
 * The recomputing backward pass of FlashAttention (Dao et al., 2022, Algorithm 2 and Appendix
 * B.2), written by hand. The weights are never stored: each tile recomputes them from Q, K and
 * the log-sum-exp L saved by the forward pass.
 *
 * <pre>
 *   D_i   = rowsum(dO_i * O_i)                         (B, H, Br, 1)
 *   S_ij  = Q_i K_j^T / sqrt(d)
 *   P_ij  = exp(S_ij - L_i)                            masked entries give 0
 *   dV_j += P_ij^T dO_i
 *   dP_ij = dO_i V_j^T
 *   dS_ij = P_ij * (dP_ij - D_i)
 *   dQ_i += dS_ij K_j / sqrt(d)
 *   dK_j += dS_ij^T Q_i / sqrt(d)
 * </pre>
 *
 * <p>Outer loop over key blocks j (dK_j, dV_j stay local), inner loop over query blocks i (dQ_i
 * accumulates across j), as in the paper. Causal tiles wholly above the diagonal are skipped.
 * With grouped key/value heads, the gradients of the heads that share a key/value head are
 * summed. Dimension letters as in {@link Attention}. Runs outside autograd.
 */
final class FlashBackward {

    private FlashBackward() {}

    @SuppressWarnings("checkstyle:LocalVariableName") // paper letters
    static FlashGradients backward(
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
        Shape scoreShape = AttentionInputs.validate(q, k, v, mask, causal, 0f);
        Shape qShape = q.getShape();
        if (!o.getShape().equals(qShape) || !dO.getShape().equals(qShape)) {
            throw new IllegalArgumentException("o and dO must have the shape of q "
                    + qShape
                    + "; got o "
                    + o.getShape()
                    + ", dO "
                    + dO.getShape());
        }
        Shape lseShape = new Shape(qShape.get(0), qShape.get(1), qShape.get(2));
        if (!lse.getShape().equals(lseShape)) {
            throw new IllegalArgumentException("lse must be (B, H, T) " + lseShape + "; got " + lse.getShape());
        }
        if (blockRows < 1 || blockCols < 1) {
            throw new IllegalArgumentException(
                    "block sizes must be positive; got Br " + blockRows + ", Bc " + blockCols);
        }
        long B = qShape.get(0);
        long H = qShape.get(1);
        long T = qShape.get(2);
        long D = qShape.get(3);
        long S = scoreShape.get(3);
        int groups = (int) (H / k.getShape().get(1));
        double scale = 1.0 / Math.sqrt(D);
        NDManager manager = q.getManager();
        FlashGradients result;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            FlashTiles t = new FlashTiles(
                    Scalars.mul(q, scale), // (B, H, T, D)
                    Attention.repeatKv(k, groups), // (B, H, S, D)
                    Attention.repeatKv(v, groups), // (B, H, S, D)
                    FlashTiles.additiveMask4(mask),
                    causal,
                    S - T);
            // D = rowsum(dO * O)
            NDArray dRow = dO.mul(o).sum(new int[] {-1}, true); // (B, H, T, 1)
            NDArray lse4 = lse.expandDims(-1); // (B, H, T, 1)
            NDList dqTiles = new NDList();
            for (long i0 = 0; i0 < T; i0 += blockRows) {
                long rows = Math.min(i0 + blockRows, T) - i0;
                dqTiles.add(manager.zeros(new Shape(B, H, rows, D), q.getDataType()));
            }
            NDList dkTiles = new NDList();
            NDList dvTiles = new NDList();
            for (long j0 = 0; j0 < S; j0 += blockCols) {
                long j1 = Math.min(j0 + blockCols, S);
                NDIndex cols = new NDIndex(":, :, {}:{}", j0, j1);
                NDArray kj = t.k.get(cols); // (B, H, Bc, D)
                NDArray vj = t.v.get(cols); // (B, H, Bc, D)
                NDArray dkj = manager.zeros(kj.getShape(), k.getDataType()); // (B, H, Bc, D)
                NDArray dvj = manager.zeros(vj.getShape(), v.getDataType()); // (B, H, Bc, D)
                for (int bi = 0; bi < dqTiles.size(); bi++) {
                    long i0 = (long) bi * blockRows;
                    long i1 = Math.min(i0 + blockRows, T);
                    if (causal && i1 - 1 + t.offset < j0) {
                        continue; // every query of the block precedes every key of the tile
                    }
                    try (NDScope tileScope = new NDScope()) {
                        tileScope.suppressNotUsedWarning();
                        NDIndex rowIndex = new NDIndex(":, :, {}:{}", i0, i1);
                        NDArray qi = t.qs.get(rowIndex); // (B, H, Br, D), already / sqrt(d)
                        NDArray doi = dO.get(rowIndex); // (B, H, Br, D)
                        // S_ij = Q_i K_j^T / sqrt(d)
                        NDArray s = qi.matMul(kj.transpose(0, 1, 3, 2)); // (B, H, Br, Bc)
                        t.maskTile(s, i0, i1, j0, j1);
                        // P_ij = exp(S_ij - L_i)
                        NDArray p = s.subi(lse4.get(rowIndex)).exp(); // (B, H, Br, Bc)
                        // dV_j += P_ij^T dO_i
                        dvj.addi(p.transpose(0, 1, 3, 2).matMul(doi));
                        // dP_ij = dO_i V_j^T
                        NDArray dp = doi.matMul(vj.transpose(0, 1, 3, 2)); // (B, H, Br, Bc)
                        // dS_ij = P_ij * (dP_ij - D_i)
                        NDArray ds = dp.subi(dRow.get(rowIndex)).muli(p); // (B, H, Br, Bc)
                        // dQ_i += dS_ij K_j / sqrt(d)
                        dqTiles.get(bi).addi(Scalars.muli(ds.matMul(kj), scale));
                        // dK_j += dS_ij^T Q_i / sqrt(d)   (qi carries the 1 / sqrt(d))
                        dkj.addi(ds.transpose(0, 1, 3, 2).matMul(qi));
                    }
                }
                dkTiles.add(dkj);
                dvTiles.add(dvj);
            }
            NDArray dq = concat(dqTiles);
            NDArray dk = sumGroups(concat(dkTiles), groups);
            NDArray dv = sumGroups(concat(dvTiles), groups);
            NDScope.unregister(dq);
            NDScope.unregister(dk);
            NDScope.unregister(dv);
            result = new FlashGradients(dq, dk, dv);
        }
        Attention.adopt(result.dq(), result.dk(), result.dv());
        return result;
    }

    private static NDArray concat(NDList tiles) {
        return tiles.size() == 1 ? tiles.head() : NDArrays.concat(tiles, 2);
    }

    /** (B, H, S, D) -> (B, Hkv, S, D): sums the query heads that share a key/value head. */
    private static NDArray sumGroups(NDArray grad, int groups) {
        if (groups == 1) {
            return grad;
        }
        Shape s = grad.getShape();
        return grad.reshape(s.get(0), s.get(1) / groups, groups, s.get(2), s.get(3))
                .sum(new int[] {2});
    }
}
