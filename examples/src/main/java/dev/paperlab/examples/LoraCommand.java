package dev.paperlab.examples;

import ai.djl.ndarray.NDManager;
import dev.paperlab.framework.adapters.Lora;
import dev.paperlab.framework.adapters.LoraLinear;
import dev.paperlab.models.lm.ByteVocabulary;
import dev.paperlab.models.lm.DecoderLm;
import dev.paperlab.models.lm.LmConfig;
import dev.paperlab.models.lm.LmStore;
import dev.paperlab.models.lm.LmTask;
import dev.paperlab.models.lm.TextCodec;
import dev.paperlab.models.lm.TextCorpus;
import dev.paperlab.training.Harness;
import dev.paperlab.training.RunConfig;
import dev.paperlab.training.RunState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * LoRA fine-tuning (Hu et al. 2021): takes a saved LM (or pretrains a byte-level one on
 * tinyshakespeare), adapts the query and value projections with rank-r adapters, freezes the
 * rest, fine-tunes on another text, then merges the adapters and checks the merged model scores
 * the same.
 */
@Command(
        name = "lora",
        mixinStandardHelpOptions = true,
        description = "LoRA fine-tuning of a trained LM on another text (default wikitext-2-valid).")
public final class LoraCommand extends ExampleCommand {
    @Mixin
    CommonOptions common;

    @Mixin
    LmOptions arch;

    @Option(names = "--base", description = "Folder of a model saved by `lm` (default: pretrain one here).")
    Path base;

    @Option(names = "--pretrain-input", description = "Text to pretrain on when no --base (default: tinyshakespeare).")
    Path pretrainInput;

    @Option(names = "--pretrain-steps", description = "Pretraining steps when no --base (default: ${DEFAULT-VALUE}).")
    int pretrainSteps = 300;

    @Option(names = "--input", description = "Text to fine-tune on (default: shared/data/wikitext-2-valid.txt).")
    Path input;

    @Option(names = "--rank", description = "LoRA rank r (default: ${DEFAULT-VALUE}).")
    int rank = 8;

    @Option(
            names = "--alpha",
            description = "LoRA alpha; the update is scaled by alpha / r (default: ${DEFAULT-VALUE}).")
    float alpha = 16;

    @Option(names = "--targets", split = ",", description = "Projections to adapt (default: ${DEFAULT-VALUE}).")
    List<String> targets = List.of("queryProjection", "valueProjection");

    @Override
    public Map<String, Object> runExample() throws Exception {
        if (common.steps == 0) {
            common.steps = 200;
        }
        RunConfig config = common.toConfig("lora", 32, 1e-3f);
        Path baseDir = base != null ? base : pretrain(config);
        Path file = TextFiles.resolve(input, "wikitext-2-valid.txt");
        try (NDManager manager = NDManager.newBaseManager(config.device())) {
            LmStore.Loaded loaded = LmStore.load(baseDir, manager);
            DecoderLm lm = loaded.model();
            TextCodec codec = loaded.codec();
            TextCorpus corpus = new TextCorpus(codec.encode(TextFiles.read(file)), 0.1);
            Lora.Report report = Lora.apply(lm, path -> targets.stream().anyMatch(path::endsWith), rank, alpha);
            if (report.adapters().isEmpty()) {
                throw new IllegalArgumentException("--targets " + targets + " matched no Linear layer of the model");
            }
            try (LmTask task = new LmTask(lm.config(), corpus, 0f, 1.0, file.toString(), lm)) {
                double before;
                Harness harness = Harness.withDefaultListeners(config);
                // val loss of the untouched base: B = 0, so the adapted model equals it
                try (NDManager scope = manager.newSubManager()) {
                    before = task.validationLoss(scope);
                }
                RunState state = harness.fit(task);
                double after = state.evalMetrics().get("val_loss");
                Lora.adapters(lm).forEach(LoraLinear::merge);
                double merged;
                try (NDManager scope = manager.newSubManager()) {
                    merged = task.validationLoss(scope);
                }
                Map<String, Object> s = state.summary();
                s.put("command", "lora");
                s.put("base", baseDir.toString());
                s.put("adapted", report.adaptedPaths());
                s.put("rank", rank);
                s.put("alpha", alpha);
                s.put("trainable_parameters", report.trainableParameters());
                s.put("total_parameters", report.totalParameters());
                s.put("trainable_fraction", report.trainableFraction());
                s.put("val_loss_before", before);
                s.put("val_loss_after", after);
                s.put("merged_val_loss", merged);
                Map<String, Object> summary = finalSummary(state);
                Pictures.curves(
                        config.outDir().resolve("metrics.csv"),
                        config.outDir().resolve("loss.png"),
                        "LoRA fine-tuning cross-entropy (nats/byte)",
                        List.of("loss", "val_loss"));
                return summary;
            }
        }
    }

    /** Pretrains a byte-level LM (bytes carry over to any text) and returns its folder. */
    private Path pretrain(RunConfig config) throws Exception {
        Path file = TextFiles.resolve(pretrainInput, "tinyshakespeare.txt");
        TextCodec codec = new ByteVocabulary();
        LmConfig lmConfig = arch.toConfig(codec.vocabSize());
        RunConfig pre = RunConfig.builder()
                .optMaxSteps(pretrainSteps)
                .optBatchSize(config.batchSize())
                .optLearningRate(3e-4f * 3)
                .optSeed(config.seed())
                .optDevice(config.device())
                .optOutDir(config.outDir().resolve("pretrain"))
                .optProgress(config.progress())
                .build();
        try (LmTask task = new LmTask(
                lmConfig, new TextCorpus(codec.encode(TextFiles.read(file)), 0.1), 0.01f, 1.0, file.toString(), null)) {
            Harness.withDefaultListeners(pre).fit(task);
            Path dir = pre.outDir().resolve("model");
            LmStore.save(dir, task.model(), codec);
            return dir;
        }
    }
}
