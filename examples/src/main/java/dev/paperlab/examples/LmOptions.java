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

    @Option(names = "--kv-heads", description = "Key/value heads (default: heads for mha/flash, 1 for mqa, heads/2 for gqa).")
    Integer kvHeads;

    @Option(names = "--context", description = "Context length (default: ${DEFAULT-VALUE}).")
    int context = 128;

    @Option(names = "--attention", description = "mha, gqa, mqa or flash (default: ${DEFAULT-VALUE}).")
    String attention = "mha";

    @Option(names = "--position", description = "learned or rope (default: ${DEFAULT-VALUE}).")
    String position = "learned";

    @Option(names = "--no-tie", description = "Do not tie the output head to the token embedding.")
    boolean noTie;

    @Option(names = "--dropout", description = "Dropout rate (default: ${DEFAULT-VALUE}).")
    float dropout;

    LmConfig toConfig(int vocabSize) {
        LmConfig.AttentionKind kind = switch (attention) {
            case "mha" -> LmConfig.AttentionKind.MHA;
            case "gqa" -> LmConfig.AttentionKind.GQA;
            case "mqa" -> LmConfig.AttentionKind.MQA;
            case "flash" -> LmConfig.AttentionKind.FLASH;
            default -> throw new IllegalArgumentException("--attention must be mha, gqa, mqa or flash, got '" + attention + "'");
        };
        LmConfig.PositionKind pos = switch (position) {
            case "learned" -> LmConfig.PositionKind.LEARNED;
            case "rope" -> LmConfig.PositionKind.ROPE;
            default -> throw new IllegalArgumentException("--position must be learned or rope, got '" + position + "'");
        };
        int kv = kvHeads != null ? kvHeads : switch (kind) {
            case MQA -> 1;
            case GQA -> Math.max(1, heads / 2);
            default -> heads;
        };
        return new LmConfig(vocabSize, context, layers, dModel, heads, kv, kind, pos, !noTie, dropout);
    }
}
