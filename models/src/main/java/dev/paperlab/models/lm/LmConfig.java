package dev.paperlab.models.lm;

/**
 * Shape of a {@link DecoderLm}. Defaults follow the char-level nanoGPT baseline: 4 layers,
 * d_model 128, 4 heads, context 128, GELU MLP 4x, learned positions, tied embedding/head.
 *
 * @param vocabSize V, tokens in the vocabulary
 * @param context T_max, longest sequence (learned positions and caches are sized by it)
 * @param layers L, transformer blocks
 * @param dModel E, model width
 * @param heads H, query heads
 * @param kvHeads key/value heads: H for MHA, 1 for MQA, a divisor of H for GQA
 * @param attention which attention kernel to use
 * @param position learned absolute positions or RoPE
 * @param tieWeights whether the output head reuses the token embedding (Press &amp; Wolf 2017)
 * @param dropout dropout on attention weights and residual branches (0 = off)
 */
public record LmConfig(
        int vocabSize,
        int context,
        int layers,
        int dModel,
        int heads,
        int kvHeads,
        AttentionKind attention,
        PositionKind position,
        boolean tieWeights,
        float dropout) {

    /** Attention variants: MHA (kvHeads = heads), GQA, MQA (kvHeads = 1), tiled flash. */
    public enum AttentionKind {
        MHA,
        GQA,
        MQA,
        FLASH
    }

    /** Position information: learned absolute embeddings (GPT-2) or rotary (RoFormer). */
    public enum PositionKind {
        LEARNED,
        ROPE
    }

    public LmConfig {
        positive("vocab size", vocabSize);
        positive("context", context);
        positive("layers", layers);
        positive("d_model", dModel);
        positive("heads", heads);
        positive("kv heads", kvHeads);
        if (dModel % heads != 0) {
            throw new IllegalArgumentException(
                    "d_model " + dModel + " is not divisible by " + heads + " heads");
        }
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException(
                    heads + " heads are not divisible by " + kvHeads + " kv heads");
        }
        if (attention == AttentionKind.MHA && kvHeads != heads) {
            throw new IllegalArgumentException(
                    "attention mha needs kv heads = heads (" + heads + "), got " + kvHeads + "; use gqa");
        }
        if (attention == AttentionKind.MQA && kvHeads != 1) {
            throw new IllegalArgumentException("attention mqa needs kv heads = 1, got " + kvHeads);
        }
        if (position == PositionKind.ROPE && (dModel / heads) % 2 != 0) {
            throw new IllegalArgumentException(
                    "RoPE needs an even head size, got " + (dModel / heads) + " (d_model " + dModel
                            + " / " + heads + " heads)");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
    }

    /** The char-level baseline for a vocabulary of {@code vocabSize}. */
    public static LmConfig baseline(int vocabSize) {
        return new LmConfig(vocabSize, 128, 4, 128, 4, 4, AttentionKind.MHA, PositionKind.LEARNED, true, 0f);
    }

    public int headSize() {
        return dModel / heads;
    }
}
