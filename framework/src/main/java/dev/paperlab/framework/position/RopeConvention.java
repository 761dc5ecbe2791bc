package dev.paperlab.framework.position;

/**
 * Which feature pairs of a head of size {@code D} a rotary embedding rotates together.
 *
 * <p>Both rotate pair {@code i} (for {@code i = 0 .. D/2 - 1}) by the angle {@code m * theta_i},
 * {@code theta_i = base^(-2i/D)}; they differ only in where the two members of pair {@code i}
 * sit in the feature dimension. The conventions are equivalent up to a fixed permutation of the
 * features, see {@link Rope#interleavedToHalfSplit(int)}.
 */
public enum RopeConvention {
    /**
     * Pairs {@code (i, i + D/2)}: the first half of the features holds the first members, the
     * second half the second members ("rotate half"). Used by GPT-NeoX and Hugging Face Llama.
     */
    HALF_SPLIT,

    /**
     * Pairs {@code (2i, 2i + 1)}: adjacent features form a pair, as in the RoFormer paper's
     * rotation matrix (Eq. 15). Used by Meta's Llama reference code and GPT-J.
     */
    INTERLEAVED
}
