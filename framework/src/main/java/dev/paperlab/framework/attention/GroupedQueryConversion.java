package dev.paperlab.framework.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;

/**
 * Uptraining's first step from Ainslie et al. (2023), §2.1: a multi-head checkpoint becomes a
 * grouped-query one by mean-pooling the key and value projection heads of each group,
 *
 * <pre>
 *   W_g^K = (1 / G) sum_{h in group g} W_h^K,   W_g^V likewise,   G = Hsrc / Hkv
 * </pre>
 *
 * while W^Q and W^O are copied. Groups are contiguous, matching {@link Attention#repeatKv}:
 * target key/value head g pools source heads {@code [g * G, (g + 1) * G)}. The source may itself
 * be grouped (Hsrc key/value heads); Hsrc must be divisible by Hkv. When the heads within each
 * group are identical the converted block computes exactly what the source computes.
 */
public final class GroupedQueryConversion {

    private GroupedQueryConversion() {}

    /**
     * Returns a new block with {@code kvHeads} key/value heads, initialised from {@code source}.
     *
     * @param source an initialised block
     * @param kvHeads Hkv of the new block, dividing the source's key/value heads
     * @param manager owner of the new parameters
     * @return the converted block, same E, H, causality, dropout and kernel
     */
    public static MultiHeadAttention meanPool(MultiHeadAttention source, int kvHeads, NDManager manager) {
        if (!weight(source.getQueryProjection()).isInitialized()) {
            throw new IllegalArgumentException("the source block is not initialised");
        }
        if (kvHeads < 1 || source.kvHeads() % kvHeads != 0) {
            throw new IllegalArgumentException("source key/value heads "
                    + source.kvHeads()
                    + " are not divisible by "
                    + kvHeads
                    + " target key/value heads");
        }
        MultiHeadAttention target = MultiHeadAttention.builder()
                .setEmbeddingSize(source.embeddingSize())
                .setHeads(source.heads())
                .optKvHeads(kvHeads)
                .optCausal(source.isCausal())
                .optDropout(source.dropout())
                .optBias(source.hasBias())
                .optKernel(source.kernel())
                .optRotary(source.rope())
                .build();
        NDArray sourceWeight = weight(source.getQueryProjection()).getArray();
        target.initialize(manager, sourceWeight.getDataType(), new Shape(1, 1, source.embeddingSize()));
        copy(source.getQueryProjection(), target.getQueryProjection());
        copy(source.getOutputProjection(), target.getOutputProjection());
        int groups = source.kvHeads() / kvHeads;
        pool(source.getKeyProjection(), target.getKeyProjection(), kvHeads, groups);
        pool(source.getValueProjection(), target.getValueProjection(), kvHeads, groups);
        return target;
    }

    private static Parameter weight(Linear linear) {
        return linear.getParameters().get("weight");
    }

    private static void copy(Linear from, Linear to) {
        for (String name : from.getParameters().keys()) {
            from.getParameters()
                    .get(name)
                    .getArray()
                    .copyTo(to.getParameters().get(name).getArray());
        }
    }

    /** Mean over each group of G consecutive heads of a (Hsrc * D, ...) parameter. */
    private static void pool(Linear from, Linear to, int kvHeads, int groups) {
        for (String name : from.getParameters().keys()) {
            NDArray src = from.getParameters().get(name).getArray(); // (Hsrc * D[, E])
            NDArray dst = to.getParameters().get(name).getArray(); // (Hkv * D[, E])
            Shape s = src.getShape();
            long rows = s.get(0) / ((long) kvHeads * groups); // D
            long cols = s.dimension() == 2 ? s.get(1) : 1; // E, or 1 for the bias
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                // W_g = (1 / G) sum over the group's heads
                NDArray pooled = src.reshape(kvHeads, groups, rows, cols) // (Hkv, G, D, E)
                        .mean(new int[] {1}) // (Hkv, D, E)
                        .reshape(dst.getShape());
                pooled.copyTo(dst);
            }
        }
    }
}
