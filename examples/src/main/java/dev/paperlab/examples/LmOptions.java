package dev.paperlab.examples;

import dev.paperlab.models.lm.LmConfig;
import picocli.CommandLine.Option;

/** Architecture options of the transformer LM (a picocli mixin shared by lm and lora). */
public final class LmOptions {
    @Option(names = "--layers", description = "Transformer blocks (default: ${DEFAULT-VALUE}).")
    int layers = 4;

    @Option(names = "--d-model", description = "Model width (default: ${DEFAULT-VALUE}).")
    int dModel = 128;

    @Option(names = "--heads", description = "Query heads (default: ${DEFAULT-VALUE}).")
    int heads = 4;

    @Option(names = "--kv-heads", description = "Key/value heads, a divisor of --heads (default: --heads).")
    Integer kvHeads;

    @Option(
            names = "--attention",
            description = "Key/value heads by name instead of --kv-heads: ${COMPLETION-CANDIDATES}"
                    + " (mha = heads, gqa = heads/2, mqa = 1).")
    LmConfig.HeadGrouping grouping;

    @Option(
            names = "--attention-kernel",
            description = "How attention is computed: ${COMPLETION-CANDIDATES}" + " (default: ${DEFAULT-VALUE}).")
    LmConfig.Kernel kernel = LmConfig.Kernel.CHUNKED;

    @Option(names = "--context", description = "Context length (default: ${DEFAULT-VALUE}).")
    int context = 128;

    @Option(names = "--position", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    LmConfig.PositionKind position = LmConfig.PositionKind.LEARNED;

    @Option(
            names = "--post-norm",
            description = "LayerNorm after each residual sum (original Transformer) instead of before.")
    boolean postNorm;

    @Option(names = "--no-tie", description = "Do not tie the output head to the token embedding.")
    boolean noTie;

    @Option(names = "--dropout", description = "Dropout rate (default: ${DEFAULT-VALUE}).")
    float dropout;

    LmConfig toConfig(int vocabSize) {
        LmConfig.Builder b = LmConfig.builder()
                .setVocabSize(vocabSize)
                .optContext(context)
                .optLayers(layers)
                .optDModel(dModel)
                .optHeads(heads)
                .optAttentionKernel(kernel)
                .optPosition(position)
                .optTieWeights(!noTie)
                .optDropout(dropout)
                .optPostNorm(postNorm);
        if (kvHeads != null && grouping != null) {
            throw new IllegalArgumentException("--attention " + grouping + " and --kv-heads " + kvHeads
                    + " both set the key/value heads; give one");
        }
        if (kvHeads != null) {
            b.optKvHeads(kvHeads);
        } else if (grouping != null) {
            b.optKvHeads(grouping);
        }
        return b.build();
    }
}
