package dev.paperlab.models.lm;

import dev.paperlab.framework.attention.AttentionKernel;
import dev.paperlab.framework.attention.FlashAttention;
import java.util.Locale;

/**
 * Shape of a {@link DecoderLm}. Defaults follow the char-level nanoGPT baseline: 4 layers,
 * d_model 128, 4 heads, context 128, GELU MLP 4x, learned positions, tied embedding/head.
 * Head grouping (how many key/value heads) and the attention kernel (how softmax(QK^T)V is
 * computed) are independent: any kernel works with any grouping.
 *
 * @param vocabSize V, tokens in the vocabulary
 * @param context T_max, longest sequence (learned positions and caches are sized by it)
 * @param layers L, transformer blocks
 * @param dModel E, model width
 * @param heads H, query heads
 * @param kvHeads key/value heads: H for MHA, 1 for MQA, a divisor of H for GQA
 * @param attentionKernel how attention is computed; every kernel gives the same result up to rounding
 * @param position learned absolute positions or RoPE
 * @param tieWeights whether the output head reuses the token embedding (Press &amp; Wolf 2017)
 * @param dropout dropout on attention weights and residual branches (0 = off)
 * @param postNorm LayerNorm after each residual sum (Vaswani et al. 2017) instead of before (GPT-2)
 */
public record LmConfig(
        int vocabSize,
        int context,
        int layers,
        int dModel,
        int heads,
        int kvHeads,
        Kernel attentionKernel,
        PositionKind position,
        boolean tieWeights,
        float dropout,
        boolean postNorm) {

    /** The attention kernels of {@code framework.attention}; names print in lower case (CLI values). */
    public enum Kernel {
        /** The full (T, S) weight matrix: the reference path. */
        NAIVE,
        /** The naive arithmetic over blocks of queries (the default: same numbers, less memory). */
        CHUNKED,
        /** Tiled attention with an online softmax (Dao et al. 2022). */
        FLASH;

        /** A fresh kernel of this kind. */
        public AttentionKernel create() {
            return switch (this) {
                case NAIVE -> AttentionKernel.naive();
                case CHUNKED -> AttentionKernel.chunked();
                case FLASH -> FlashAttention.create();
            };
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Named head groupings, a shorthand for {@code kvHeads}: MHA (Vaswani et al. 2017) one
     * key/value head per query head, GQA (Ainslie et al. 2023) half as many, MQA (Shazeer 2019) one.
     */
    public enum HeadGrouping {
        MHA,
        GQA,
        MQA;

        /** Key/value heads for {@code heads} query heads. */
        public int kvHeads(int heads) {
            return switch (this) {
                case MHA -> heads;
                case GQA -> Math.max(1, heads / 2);
                case MQA -> 1;
            };
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Position information: learned absolute embeddings (GPT-2), rotary (RoFormer), or the fixed
     * sinusoids of Vaswani et al. 2017 (Sec. 3.5; token embeddings scaled by sqrt(E) as in their
     * Sec. 3.4).
     */
    public enum PositionKind {
        LEARNED,
        ROPE,
        SINUSOIDAL;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public LmConfig {
        positive("vocab size", vocabSize);
        positive("context", context);
        positive("layers", layers);
        positive("d_model", dModel);
        positive("heads", heads);
        positive("kv heads", kvHeads);
        if (dModel % heads != 0) {
            throw new IllegalArgumentException("d_model " + dModel + " is not divisible by " + heads + " heads");
        }
        if (kvHeads > heads || heads % kvHeads != 0) {
            throw new IllegalArgumentException(heads + " heads are not divisible by " + kvHeads + " kv heads");
        }
        if (attentionKernel == null) {
            throw new IllegalArgumentException("attention kernel must be one of naive, chunked, flash; got null");
        }
        if (position == null) {
            throw new IllegalArgumentException("position must be learned or rope; got null");
        }
        if (position == PositionKind.ROPE && (dModel / heads) % 2 != 0) {
            throw new IllegalArgumentException("RoPE needs an even head size, got " + (dModel / heads) + " (d_model "
                    + dModel + " / " + heads + " heads)");
        }
        if (position == PositionKind.SINUSOIDAL && dModel % 2 != 0) {
            throw new IllegalArgumentException("sinusoidal positions need an even d_model, got " + dModel);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
    }

    /** A pre-norm configuration (the form before {@code postNorm} existed). */
    public LmConfig(
            int vocabSize,
            int context,
            int layers,
            int dModel,
            int heads,
            int kvHeads,
            Kernel attentionKernel,
            PositionKind position,
            boolean tieWeights,
            float dropout) {
        this(vocabSize, context, layers, dModel, heads, kvHeads, attentionKernel, position, tieWeights, dropout, false);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
    }

    /** The char-level baseline for a vocabulary of {@code vocabSize}. */
    public static LmConfig baseline(int vocabSize) {
        return builder().setVocabSize(vocabSize).build();
    }

    /** A builder starting from the baseline's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        return new Builder()
                .setVocabSize(vocabSize)
                .optContext(context)
                .optLayers(layers)
                .optDModel(dModel)
                .optHeads(heads)
                .optKvHeads(kvHeads)
                .optAttentionKernel(attentionKernel)
                .optPosition(position)
                .optTieWeights(tieWeights)
                .optDropout(dropout)
                .optPostNorm(postNorm);
    }

    public int headSize() {
        return dModel / heads;
    }

    /** Collects the settings; {@link #build()} checks them together. */
    public static final class Builder {
        private int vocabSize;
        private int context = 128;
        private int layers = 4;
        private int dModel = 128;
        private int heads = 4;
        private Integer kvHeads;
        private HeadGrouping grouping;
        private Kernel attentionKernel = Kernel.CHUNKED;
        private PositionKind position = PositionKind.LEARNED;
        private boolean tieWeights = true;
        private float dropout;
        private boolean postNorm;

        private Builder() {}

        /** Sets V, the vocabulary size (required). */
        public Builder setVocabSize(int vocabSize) {
            this.vocabSize = vocabSize;
            return this;
        }

        /** Sets T_max; default 128. */
        public Builder optContext(int context) {
            this.context = context;
            return this;
        }

        /** Sets L; default 4. */
        public Builder optLayers(int layers) {
            this.layers = layers;
            return this;
        }

        /** Sets E; default 128. */
        public Builder optDModel(int dModel) {
            this.dModel = dModel;
            return this;
        }

        /** Sets H; default 4. */
        public Builder optHeads(int heads) {
            this.heads = heads;
            return this;
        }

        /** Sets the key/value heads; default H (MHA). */
        public Builder optKvHeads(int kvHeads) {
            this.kvHeads = kvHeads;
            this.grouping = null;
            return this;
        }

        /** Sets the key/value heads from a named grouping of the query heads set at build time. */
        public Builder optKvHeads(HeadGrouping grouping) {
            this.kvHeads = null;
            this.grouping = grouping;
            return this;
        }

        /** Sets the attention kernel; default {@link Kernel#CHUNKED}. */
        public Builder optAttentionKernel(Kernel attentionKernel) {
            this.attentionKernel = attentionKernel;
            return this;
        }

        /** Sets learned positions or RoPE; default learned. */
        public Builder optPosition(PositionKind position) {
            this.position = position;
            return this;
        }

        /** Sets whether the head reuses the token embedding; default true. */
        public Builder optTieWeights(boolean tieWeights) {
            this.tieWeights = tieWeights;
            return this;
        }

        /** Sets the dropout rate; default 0. */
        public Builder optDropout(float dropout) {
            this.dropout = dropout;
            return this;
        }

        /** Sets post-norm blocks (original Transformer) instead of pre-norm; default false. */
        public Builder optPostNorm(boolean postNorm) {
            this.postNorm = postNorm;
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @throws IllegalArgumentException naming the values when a size is not positive, d_model
         *     is not divisible by the heads, the heads not by the kv heads, RoPE meets an odd head
         *     size, or dropout is outside [0, 1)
         */
        public LmConfig build() {
            int kv = kvHeads != null ? kvHeads : grouping != null ? grouping.kvHeads(heads) : heads;
            return new LmConfig(
                    vocabSize,
                    context,
                    layers,
                    dModel,
                    heads,
                    kv,
                    attentionKernel,
                    position,
                    tieWeights,
                    dropout,
                    postNorm);
        }
    }
}
