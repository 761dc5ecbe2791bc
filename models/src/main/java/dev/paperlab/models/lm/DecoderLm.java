package dev.paperlab.models.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import dev.paperlab.framework.attention.KvCache;
import dev.paperlab.framework.nn.Scalars;
import dev.paperlab.framework.nn.TransformerBlock;
import dev.paperlab.framework.position.RopeConvention;
import dev.paperlab.framework.position.SinusoidalEncoding;
import java.util.ArrayList;
import java.util.List;

/**
 * Decoder-only transformer LM (GPT, Radford et al. 2018; pre-norm GPT-2 layout):
 *
 * <pre>
 *   h_0 = W_e[tokens] (+ W_p[positions] when positions are learned; RoPE acts inside attention;
 *         sqrt(E) W_e[tokens] + PE[positions] with fixed sinusoids, Vaswani et al. 2017)
 *   h_l = Block_l(h_{l-1}),  l = 1..L
 *   logits = LN_f(h_L) W_e^T          (tied head; an untied Linear otherwise)
 * </pre>
 *
 * Blocks are pre-norm, or post-norm with {@link LmConfig#postNorm()} (then LN_f is kept as well).
 * Input tokens (B, T) int; output logits (B, T, V). Initialisation as GPT-2: weights N(0, 0.02),
 * residual output projections N(0, 0.02 / sqrt(2L)), biases 0, LayerNorm gain 1.
 *
 * <p>Built with {@link #builder()}: {@code DecoderLm.builder().setVocabSize(65).optLayers(2).build()},
 * or {@code DecoderLm.builder().optConfig(saved).build()} from a whole {@link LmConfig}.
 */
public final class DecoderLm extends AbstractBlock {
    private static final byte VERSION = 1;
    private final LmConfig config;
    private final Parameter tokenEmbedding;
    private final Parameter positionEmbedding;
    private final List<TransformerBlock> blocks = new ArrayList<>();
    private final LayerNorm lnF;
    private final Linear head;

    private DecoderLm(LmConfig config) {
        super(VERSION);
        this.config = config;
        tokenEmbedding = addParameter(Parameter.builder()
                .setName("tokenEmbedding")
                .setType(Parameter.Type.WEIGHT)
                .optInitializer(new NormalInitializer(0.02f))
                .optShape(new Shape(config.vocabSize(), config.dModel()))
                .build());
        positionEmbedding = config.position() == LmConfig.PositionKind.LEARNED
                ? addParameter(Parameter.builder()
                        .setName("positionEmbedding")
                        .setType(Parameter.Type.WEIGHT)
                        .optInitializer(new NormalInitializer(0.02f))
                        .optShape(new Shape(config.context(), config.dModel()))
                        .build())
                : null;
        for (int i = 0; i < config.layers(); i++) {
            TransformerBlock.Builder block = TransformerBlock.builder()
                    .setEmbeddingSize(config.dModel())
                    .setHeads(config.heads())
                    .optKvHeads(config.kvHeads())
                    .optDropout(config.dropout())
                    .optKernel(config.attentionKernel().create())
                    .optPostNorm(config.postNorm());
            if (config.position() == LmConfig.PositionKind.ROPE) {
                block.optRotary(RopeConvention.HALF_SPLIT);
            }
            blocks.add(addChildBlock("block" + i, block.build()));
        }
        lnF = addChildBlock("lnF", LayerNorm.builder().axis(2).build());
        head = config.tieWeights()
                ? null
                : addChildBlock(
                        "head",
                        Linear.builder()
                                .setUnits(config.vocabSize())
                                .optBias(false)
                                .build());
    }

    /** Returns a builder with the baseline's defaults ({@link LmConfig#builder()}). */
    public static Builder builder() {
        return new Builder();
    }

    public LmConfig config() {
        return config;
    }

    public List<TransformerBlock> blocks() {
        return blocks;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.head(), null, 0, training));
    }

    /**
     * @param tokens (B, T) token ids
     * @param caches one KV cache per layer for incremental decoding, or {@code null}
     * @param offset position of tokens[:, 0] (the cache length before this call)
     * @return logits (B, T, V)
     */
    @SuppressWarnings("checkstyle:LocalVariableName")
    public NDArray forward(ParameterStore ps, NDArray tokens, List<KvCache> caches, int offset, boolean training) {
        Shape s = tokens.getShape();
        if (s.dimension() != 2) {
            throw new IllegalArgumentException("tokens must be (B, T), got " + s);
        }
        long T = s.get(1);
        if (offset + T > config.context() && positionEmbedding != null) {
            throw new IllegalArgumentException("positions " + offset + ".." + (offset + T - 1)
                    + " exceed the context of " + config.context() + " learned positions");
        }
        NDArray wte = ps.getValue(tokenEmbedding, tokens.getDevice(), training); // (V, E)
        NDArray x = Embedding.embedding(tokens, wte, SparseFormat.DENSE).head(); // (B, T, E)
        if (config.position() == LmConfig.PositionKind.SINUSOIDAL) {
            // Vaswani et al. Sec. 3.4-3.5: embeddings times sqrt(E), plus the fixed sinusoids
            NDArray pe = SinusoidalEncoding.table(x.getManager(), (int) (offset + T), config.dModel())
                    .get(offset + ":"); // (T, E)
            x = Scalars.mul(x, (float) Math.sqrt(config.dModel())).add(pe); // (B, T, E)
        }
        if (positionEmbedding != null) {
            NDArray wpe = ps.getValue(positionEmbedding, tokens.getDevice(), training); // (Tmax, E)
            NDArray positions = wpe.get(offset + ":" + (offset + T)); // (T, E)
            positions.attach(x.getManager()); // a view of a parameter: let the step's scope free it
            x = x.add(positions); // (B, T, E)
        }
        for (int i = 0; i < blocks.size(); i++) {
            x = blocks.get(i).forward(ps, x, caches == null ? null : caches.get(i), training);
        }
        x = lnF.forward(ps, new NDList(x), training).head(); // (B, T, E)
        return head == null
                ? Linear.linear(x, wte).head() // (B, T, V), tied: logits = h W_e^T
                : head.forward(ps, new NDList(x), training).head();
    }

    /** Number of scalars in all parameters (tied weights counted once). */
    public long parameterCount() {
        return getParameters().values().stream()
                .mapToLong(p -> p.getArray().size())
                .sum();
    }

    /**
     * Parameters outside the token and position embeddings and an untied output head: the N of
     * Kaplan et al. 2020 (Sec. 2.1), about {@code 12 L E^2} for this architecture.
     */
    public long nonEmbeddingParameterCount() {
        long embeddings = tokenEmbedding.getArray().size()
                + (positionEmbedding != null ? positionEmbedding.getArray().size() : 0)
                + (head != null ? (long) config.vocabSize() * config.dModel() : 0);
        return parameterCount() - embeddings;
    }

    /** Bytes of float32 KV caches for {@code batch} sequences of the full context, all layers. */
    public long cacheBytes(long batch) {
        return blocks.stream()
                .mapToLong(b -> b.attention().cacheBytes(batch, config.context()))
                .sum();
    }

    /** One empty cache per layer, for {@code batch} sequences of up to {@link LmConfig#context()}. */
    public List<KvCache> newCaches(NDManager manager, long batch) {
        List<KvCache> caches = new ArrayList<>();
        for (TransformerBlock b : blocks) {
            caches.add(b.attention().newCache(manager, batch, config.context()));
        }
        return caches;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape t = inputShapes[0];
        return new Shape[] {new Shape(t.get(0), t.get(1), config.vocabSize())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape t = inputShapes[0];
        Shape x = new Shape(t.get(0), t.get(1), config.dModel());
        for (TransformerBlock b : blocks) {
            b.initialize(manager, dataType, x);
        }
        lnF.initialize(manager, dataType, x);
        if (head != null) {
            head.initialize(manager, dataType, x);
        }
    }

    /** GPT-2 initialisation of every parameter (call after {@code initialize}). */
    public void applyGptInit(NDManager manager) {
        double projStd = 0.02 / Math.sqrt(2.0 * config.layers());
        for (Pair<String, Parameter> pair : getParameters()) {
            String name = pair.getKey();
            NDArray array = pair.getValue().getArray();
            NDArray fresh;
            if (name.endsWith("_bias") || name.endsWith("_beta")) {
                fresh = manager.zeros(array.getShape(), array.getDataType());
            } else if (name.endsWith("_gamma")) {
                fresh = manager.ones(array.getShape(), array.getDataType());
            } else {
                boolean proj = name.endsWith("outputProjection_weight") || name.endsWith("fcProj_weight");
                fresh = manager.randomNormal(
                        0f, (float) (proj ? projStd : 0.02), array.getShape(), array.getDataType());
            }
            fresh.copyTo(array);
            fresh.close();
        }
    }

    /**
     * Settings of a {@link DecoderLm}; they are the fields of {@link LmConfig}, which
     * {@link #build()} checks together.
     */
    public static final class Builder {
        private LmConfig.Builder config = LmConfig.builder();

        private Builder() {}

        /** Starts from every setting of {@code config} (e.g. one loaded from {@code lm.json}). */
        public Builder optConfig(LmConfig config) {
            this.config = config.toBuilder();
            return this;
        }

        /** Sets V, the vocabulary size (required unless {@link #optConfig} gave it). */
        public Builder setVocabSize(int vocabSize) {
            config.setVocabSize(vocabSize);
            return this;
        }

        /** Sets T_max; default 128. */
        public Builder optContext(int context) {
            config.optContext(context);
            return this;
        }

        /** Sets L; default 4. */
        public Builder optLayers(int layers) {
            config.optLayers(layers);
            return this;
        }

        /** Sets E; default 128. */
        public Builder optDModel(int dModel) {
            config.optDModel(dModel);
            return this;
        }

        /** Sets H; default 4. */
        public Builder optHeads(int heads) {
            config.optHeads(heads);
            return this;
        }

        /** Sets the key/value heads; default H. */
        public Builder optKvHeads(int kvHeads) {
            config.optKvHeads(kvHeads);
            return this;
        }

        /** Sets the attention kernel; default chunked. */
        public Builder optAttentionKernel(LmConfig.Kernel kernel) {
            config.optAttentionKernel(kernel);
            return this;
        }

        /** Sets learned positions or RoPE; default learned. */
        public Builder optPosition(LmConfig.PositionKind position) {
            config.optPosition(position);
            return this;
        }

        /** Sets whether the head reuses the token embedding; default true. */
        public Builder optTieWeights(boolean tieWeights) {
            config.optTieWeights(tieWeights);
            return this;
        }

        /** Sets the dropout rate; default 0. */
        public Builder optDropout(float dropout) {
            config.optDropout(dropout);
            return this;
        }

        /**
         * Builds the model.
         *
         * @throws IllegalArgumentException naming the values when the settings do not fit
         *     together (see {@link LmConfig.Builder#build()})
         */
        public DecoderLm build() {
            return new DecoderLm(config.build());
        }
    }
}
