package dev.paperlab.framework.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Scaled queries, keys, values and masking shared by the tiles of one FlashAttention pass,
 * forward or backward. Dimension letters as in {@link Attention}; Br and Bc are the tile sizes.
 */
final class FlashTiles {

    final NDArray qs; // Q / sqrt(D) (B, H, T, D)
    final NDArray k; // (B, H, S, D), key/value heads already repeated
    final NDArray v;
    final NDArray mask; // additive, rank 4, or null
    final boolean causal;
    final long offset; // S - T: query i sits at position i + offset

    FlashTiles(NDArray qs, NDArray k, NDArray v, NDArray mask, boolean causal, long offset) {
        this.qs = qs;
        this.k = k;
        this.v = v;
        this.mask = mask;
        this.causal = causal;
        this.offset = offset;
    }

    /** Adds the causal and user masks of tile (i, j) to the scores in place. */
    void maskTile(NDArray s, long i0, long i1, long j0, long j1) {
        // Only tiles crossing the diagonal need the causal mask.
        if (causal && j1 - 1 > i0 + offset) {
            NDArray allowed = Attention.causalAllowed(s.getManager(), i0, i1, j0, j1, offset);
            s.addi(Attention.additive(allowed)); // (B, H, Br, Bc)
        }
        if (mask != null) {
            Shape ms = mask.getShape();
            String rows = ms.get(2) == 1 ? ":" : i0 + ":" + i1;
            String cols = ms.get(3) == 1 ? ":" : j0 + ":" + j1;
            s.addi(mask.get(":, :, " + rows + ", " + cols));
        }
    }

    /** The mask as an additive (rank 4) float array, or null. */
    static NDArray additiveMask4(NDArray mask) {
        if (mask == null) {
            return null;
        }
        NDArray m = mask.getDataType() == DataType.BOOLEAN ? Attention.additive(mask) : mask;
        Shape s = m.getShape();
        long[] dims = {1, 1, 1, 1};
        for (int i = 1; i <= s.dimension(); i++) {
            dims[4 - i] = s.get(s.dimension() - i);
        }
        return m.reshape(dims);
    }
}
