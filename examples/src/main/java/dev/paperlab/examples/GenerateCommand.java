package dev.paperlab.examples;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.paperlab.models.decoding.BeamConfig;
import dev.paperlab.models.decoding.BeamSearch;
import dev.paperlab.models.decoding.Generator;
import dev.paperlab.models.decoding.LmStepModel;
import dev.paperlab.models.decoding.SamplingConfig;
import dev.paperlab.models.lm.LmStore;
import dev.paperlab.models.lm.TextCodec;
import dev.paperlab.training.listeners.SummaryJsonListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Decodes from an LM saved by {@code lm}: greedy, beam search or sampling. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Generate text from a saved LM by greedy decoding, beam search or sampling.")
public final class GenerateCommand extends ExampleCommand {
    /** The decoding strategies {@code --strategy} accepts. */
    enum Strategy {
        GREEDY,
        BEAM,
        SAMPLE;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Mixin
    RunOptions run;

    @Option(names = "--model", description = "Folder of a model saved by lm (default: ${DEFAULT-VALUE}).")
    Path model = Path.of("runs", "lm", "model");

    @Option(names = "--prompt", description = "Text to continue (default: a newline).")
    String prompt = "\n";

    @Option(names = "--max-tokens", description = "Tokens to generate (default: ${DEFAULT-VALUE}).")
    int maxTokens = 100;

    @Option(names = "--strategy", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Strategy strategy = Strategy.SAMPLE;

    @Option(names = "--beams", description = "Beam width for --strategy beam (default: ${DEFAULT-VALUE}).")
    int beams = 4;

    @Option(
            names = "--length-penalty",
            description = "Beam score = sum log p / length^alpha (default: ${DEFAULT-VALUE}).")
    double lengthPenalty = 1.0;

    @Option(names = "--early-stopping", description = "Beam search: true, heuristic or never (default: heuristic).")
    BeamConfig.EarlyStopping earlyStopping = BeamConfig.EarlyStopping.HEURISTIC;

    @Option(
            names = "--eos",
            description = "End-of-sequence token id for beam search, -1 = none (default: ${DEFAULT-VALUE}).")
    int eos = -1;

    @Option(names = "--temperature", description = "Sampling temperature (default: ${DEFAULT-VALUE}).")
    float temperature = 0.8f;

    @Option(
            names = "--top-k",
            description = "Sample among the k most likely tokens, 0 = all (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(
            names = "--top-p",
            description = "Sample from the smallest set reaching this mass (default: ${DEFAULT-VALUE}).")
    float topP = 1f;

    @Option(names = "--num-return", description = "Sequences to return (default: ${DEFAULT-VALUE}).")
    int numReturn = 1;

    /** One generated continuation. */
    private record Output(String text, double score, double logProb) {}

    @Override
    public Map<String, Object> runExample() throws Exception {
        if (!Files.isRegularFile(model.resolve("lm.json"))) {
            throw new IllegalArgumentException("--model " + model + " holds no saved LM (no lm.json there);"
                    + " train one first with: lm --out " + (model.getParent() != null ? model.getParent() : "DIR"));
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("--max-tokens must be >= 1, got " + maxTokens);
        }
        if (numReturn < 1) {
            throw new IllegalArgumentException("--num-return must be >= 1, got " + numReturn);
        }
        Device dev = run.device();
        Path out = run.out("generate");
        try (NDManager manager = NDManager.newBaseManager(dev)) {
            LmStore.Loaded loaded = LmStore.load(model, manager);
            TextCodec codec = loaded.codec();
            int[] ids = codec.encode(prompt);
            if (ids.length == 0) {
                throw new IllegalArgumentException("--prompt must not be empty");
            }
            long start = System.nanoTime();
            List<Output> outputs = new ArrayList<>();
            Integer steps = null;
            switch (strategy) {
                case BEAM -> {
                    BeamConfig config = new BeamConfig(beams, maxTokens, lengthPenalty, earlyStopping, eos, numReturn);
                    BeamSearch.Result r = BeamSearch.search(new LmStepModel(loaded.model()), manager, ids, config);
                    r.hypotheses()
                            .forEach(h -> outputs.add(new Output(codec.decode(h.tokens()), h.score(), h.logProb())));
                    steps = r.steps();
                }
                case GREEDY, SAMPLE -> {
                    SamplingConfig config = strategy == Strategy.GREEDY
                            ? SamplingConfig.greedy()
                            : new SamplingConfig(temperature, topK, topP);
                    if (config.isGreedy() && numReturn > 1) {
                        throw new IllegalArgumentException("--num-return " + numReturn
                                + " needs --strategy beam or sample (greedy has one answer)");
                    }
                    Random random = new Random(run.seed);
                    for (int i = 0; i < numReturn; i++) {
                        Generator.Sequence s =
                                Generator.sequence(loaded.model(), manager, ids, maxTokens, config, random);
                        outputs.add(new Output(codec.decode(s.tokens()), s.logProb(), s.logProb()));
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            for (int i = 0; i < outputs.size(); i++) {
                System.out.printf(
                        Locale.ROOT,
                        "--- %d (score %.4f) ---%n%s%s%n",
                        i + 1,
                        outputs.get(i).score(),
                        prompt,
                        outputs.get(i).text());
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("command", "generate");
            summary.put("model", model.toString());
            summary.put("tokens", codec.describe());
            summary.put("strategy", strategy.toString());
            summary.put("prompt", prompt);
            summary.put("max_tokens", maxTokens);
            summary.put("seed", run.seed);
            summary.put("device", dev.toString());
            if (steps != null) {
                summary.put("beams", beams);
                summary.put("length_penalty", lengthPenalty);
                summary.put("early_stopping", earlyStopping.name().toLowerCase(Locale.ROOT));
                summary.put("beam_steps", steps);
            } else if (strategy == Strategy.SAMPLE) {
                summary.put("temperature", temperature);
                summary.put("top_k", topK);
                summary.put("top_p", topP);
            }
            summary.put("sequences", outputs.stream().map(Output::text).toList());
            summary.put("scores", outputs.stream().map(Output::score).toList());
            summary.put("log_probs", outputs.stream().map(Output::logProb).toList());
            summary.put("seconds", seconds);
            SummaryJsonListener.write(out.resolve("summary.json"), summary);
            return summary;
        }
    }
}
