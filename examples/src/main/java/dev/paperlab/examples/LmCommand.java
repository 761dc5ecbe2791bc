package dev.paperlab.examples;

import dev.paperlab.datasets.shards.ShardManifest;
import dev.paperlab.datasets.shards.TokenShards;
import dev.paperlab.datasets.text.TextDedup;
import dev.paperlab.models.decoding.Generator;
import dev.paperlab.models.decoding.SamplingConfig;
import dev.paperlab.models.lm.BpeCodec;
import dev.paperlab.models.lm.ByteVocabulary;
import dev.paperlab.models.lm.CharVocabulary;
import dev.paperlab.models.lm.DecoderLm;
import dev.paperlab.models.lm.LmConfig;
import dev.paperlab.models.lm.LmStore;
import dev.paperlab.models.lm.LmTask;
import dev.paperlab.models.lm.TextCodec;
import dev.paperlab.models.lm.TextCorpus;
import dev.paperlab.models.tokenizer.BpeTokenizer;
import dev.paperlab.training.Harness;
import dev.paperlab.training.RunConfig;
import dev.paperlab.training.RunState;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Trains the decoder-only transformer on a text file, or on token shards written by the pipeline
 * ({@code --data}, memory-mapped), with the last 10% held out, and samples from it.
 */
@Command(
        name = "lm",
        mixinStandardHelpOptions = true,
        description = "Decoder-only transformer LM (char- or byte-level) on tinyshakespeare or any text.")
public final class LmCommand extends ExampleCommand {
    @Mixin
    CommonOptions common;

    @Mixin
    LmOptions arch;

    @Option(names = "--input", description = "Text file (default: shared/data/tinyshakespeare.txt).")
    Path input;

    @Option(
            names = "--data",
            description = "Token shard folder written by the pipeline's `corpus` job: trains on its BPE ids,"
                    + " memory-mapped, last 10% held out (instead of --input).")
    Path data;

    /** The vocabularies {@code --tokens} accepts. */
    enum Tokens {
        CHARS,
        BYTES,
        BPE;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Option(names = "--tokens", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Tokens tokens = Tokens.CHARS;

    @Option(names = "--tokenizer", description = "With --tokens bpe: a tokenizer saved by `bpe train`.")
    Path tokenizer;

    @Option(
            names = "--dedup",
            description = "Drop paragraphs whose 5-word shingles were seen before with at least"
                    + " this containment (Bloom filter); 0 = off (default: ${DEFAULT-VALUE}).")
    double dedup;

    @Option(names = "--weight-decay", description = "AdamW decoupled weight decay (default: ${DEFAULT-VALUE}).")
    float weightDecay = 0.01f;

    @Option(names = "--clip", description = "Global gradient-norm clip, 0 = off (default: ${DEFAULT-VALUE}).")
    double clip = 1.0;

    @Option(names = "--sample-tokens", description = "Tokens to generate after training (default: ${DEFAULT-VALUE}).")
    int sampleTokens = 200;

    @Option(names = "--temperature", description = "Sampling temperature, 0 = greedy (default: ${DEFAULT-VALUE}).")
    float temperature = 0.8f;

    @Option(names = "--top-k", description = "Top-k sampling, 0 = off (default: ${DEFAULT-VALUE}).")
    int topK = 0;

    private BpeTokenizer loadTokenizer() throws java.io.IOException {
        if (tokenizer == null) {
            throw new IllegalArgumentException("--tokens bpe needs --tokenizer FILE (made by: bpe train --model FILE)");
        }
        return BpeTokenizer.load(loadTokenizerFile());
    }

    private Path loadTokenizerFile() {
        if (!java.nio.file.Files.isRegularFile(tokenizer)) {
            throw new IllegalArgumentException("--tokenizer " + tokenizer + " does not exist");
        }
        return tokenizer;
    }

    @Override
    public Map<String, Object> runExample() throws Exception {
        if (common.steps == 0) {
            common.steps = 500;
        }
        RunConfig config = common.toConfig("lm", 32, 3e-4f);
        TextCodec codec;
        TextCorpus corpus;
        String source;
        TextDedup.Result dedupResult = null;
        TokenShards shards = null;
        if (data != null) {
            if (input != null || dedup > 0 || tokens == Tokens.BYTES) {
                throw new IllegalArgumentException("--data " + data + " brings its own tokens and BPE tokenizer;"
                        + " leave out --input, --dedup and --tokens bytes");
            }
            if (!java.nio.file.Files.isDirectory(data)) {
                throw new IllegalArgumentException("--data " + data + " is not a folder");
            }
            shards = TokenShards.open(data);
            if (tokenizer != null) {
                shards.requireTokenizer(ShardManifest.sha256(loadTokenizerFile()), tokenizer.toString());
            }
            codec = new BpeCodec(BpeTokenizer.load(shards.tokenizerFile()));
            corpus = new TextCorpus(shards, 0.1);
            source = data.toAbsolutePath().normalize().toString();
        } else {
            Path file = TextFiles.resolve(input, "tinyshakespeare.txt");
            String text = TextFiles.read(file);
            if (dedup > 0) {
                dedupResult = TextDedup.paragraphs(text, dedup);
                text = dedupResult.text();
            }
            codec = switch (tokens) {
                case CHARS -> CharVocabulary.of(text);
                case BYTES -> new ByteVocabulary();
                case BPE -> new BpeCodec(loadTokenizer());
            };
            corpus = new TextCorpus(codec.encode(text), 0.1);
            source = file.toString();
        }
        LmConfig lmConfig = arch.toConfig(codec.vocabSize());
        try (LmTask task = new LmTask(lmConfig, corpus, weightDecay, clip, source, null)) {
            RunState state = Harness.withDefaultListeners(config).fit(task);
            DecoderLm lm = task.model();
            Path modelDir = config.outDir().resolve("model");
            LmStore.save(modelDir, lm, codec);
            var manager = task.parts().get(0).model().getNDManager();
            int[] prompt = codec.encode("\n");
            int[] ids = Generator.generate(
                    lm,
                    manager,
                    prompt,
                    sampleTokens,
                    new SamplingConfig(temperature, topK, 1f),
                    new Random(config.seed()));
            String sample = codec.decode(java.util.Arrays.copyOfRange(ids, prompt.length, ids.length));
            System.out.println("--- sample ---\n" + sample + "\n--------------");
            Map<String, Object> s = state.summary();
            s.put("command", "lm");
            s.put("tokens", codec.describe());
            s.put("vocab_size", codec.vocabSize());
            s.put("config", lmConfig);
            s.put("parameters", lm.parameterCount());
            s.put("non_embedding_parameters", lm.nonEmbeddingParameterCount());
            s.put("tokens_seen", state.step() * (long) config.batchSize() * lmConfig.context());
            s.put("steps_per_second", state.step() / Math.max(1e-9, state.trainSeconds()));
            s.put("kv_cache_bytes_full_context", lm.cacheBytes(1));
            s.put("val_loss", state.evalMetrics().get("val_loss"));
            if (shards != null) {
                s.put("data", source);
                s.put("data_tokens", shards.size());
                s.put("data_documents", shards.documentCount());
            }
            if (dedupResult != null) {
                s.put("dedup_removed_paragraphs", dedupResult.removed());
                s.put("dedup_kept_paragraphs", dedupResult.kept());
            }
            s.put("model", modelDir.toString());
            s.put("sample", sample);
            Map<String, Object> summary = finalSummary(state);
            Pictures.curves(
                    config.outDir().resolve("metrics.csv"),
                    config.outDir().resolve("loss.png"),
                    "LM cross-entropy (nats/token)",
                    List.of("loss", "val_loss"));
            return summary;
        }
    }
}
