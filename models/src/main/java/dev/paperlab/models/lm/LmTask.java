package dev.paperlab.models.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import dev.paperlab.training.Gradients;
import dev.paperlab.training.Parts;
import dev.paperlab.training.RunConfig;
import dev.paperlab.training.StepContext;
import dev.paperlab.training.TrainedPart;
import dev.paperlab.training.TrainingTask;
import dev.paperlab.training.optim.Adam;
import java.util.List;
import java.util.Map;

/**
 * Next-token prediction with the harness: each step draws B random windows (seeded by the
 * step), minimises the mean cross-entropy {@code -log p(x_{t+1} | x_{<=t})} with AdamW and
 * global-norm gradient clipping; evaluation is the mean cross-entropy over every non-overlapping
 * validation window.
 */
public final class LmTask implements TrainingTask {
    private static final int EVAL_BATCH = 64;
    private final LmConfig lmConfig;
    private final TextCorpus corpus;
    private final float weightDecay;
    private final double clipNorm;
    private final String dataSource;
    private final Loss loss = new SoftmaxCrossEntropyLoss("ce", 1f, -1, true, true);
    private DecoderLm lm;
    private TrainedPart part;
    private RunConfig config;
    private final DecoderLm pretrained;

    /**
     * @param pretrained an already initialised model to keep training (its parameters are not
     *     redrawn), or {@code null} for a fresh one
     */
    public LmTask(
            LmConfig lmConfig,
            TextCorpus corpus,
            float weightDecay,
            double clipNorm,
            String dataSource,
            DecoderLm pretrained) {
        corpus.requireWindows(lmConfig.context());
        this.lmConfig = lmConfig;
        this.corpus = corpus;
        this.weightDecay = weightDecay;
        this.clipNorm = clipNorm;
        this.dataSource = dataSource;
        this.pretrained = pretrained;
        this.lm = pretrained;
    }

    public DecoderLm model() {
        return lm;
    }

    @Override
    public void setUp(RunConfig config) {
        this.config = config;
        lm = pretrained != null
                ? pretrained
                : DecoderLm.builder().optConfig(lmConfig).build();
        Adam adamW = Adam.builder()
                .optLearningRate(config.learningRate())
                .optDecoupledWeightDecay(true)
                .optWeightDecays(weightDecay)
                .build();
        boolean fresh = !lm.isInitialized();
        part = Parts.create("lm", lm, loss, adamW, config.device(), new Shape(config.batchSize(), lmConfig.context()));
        if (fresh) {
            lm.applyGptInit(part.model().getNDManager());
        }
    }

    @Override
    public List<TrainedPart> parts() {
        return part == null ? List.of() : List.of(part);
    }

    @Override
    public long stepsPerEpoch() {
        return config.maxSteps() > 0 ? config.maxSteps() : 500;
    }

    @Override
    public long examplesPerStep() {
        return config.batchSize();
    }

    @Override
    public Map<String, Double> step(StepContext context) {
        Trainer trainer = part.trainer();
        NDArray[] xy = corpus.sampleBatch(context.scope(), context.random(), config.batchSize(), lmConfig.context());
        double value;
        try (GradientCollector collector = trainer.newGradientCollector()) {
            NDArray logits = trainer.forward(new NDList(xy[0])).head(); // (B, T, V)
            NDArray ce = crossEntropy(logits, xy[1]);
            collector.backward(ce);
            value = ce.getFloat();
        }
        double norm = clipNorm > 0 ? Gradients.clipGlobalNorm(lm, clipNorm) : Double.NaN;
        part.step();
        return clipNorm > 0 ? Map.of("loss", value, "grad_norm", norm) : Map.of("loss", value);
    }

    private NDArray crossEntropy(NDArray logits, NDArray targets) {
        long v = logits.getShape().get(2);
        return loss.evaluate(new NDList(targets.reshape(-1)), new NDList(logits.reshape(-1, v)));
    }

    /** Mean cross-entropy per token over all non-overlapping validation windows. */
    public double validationLoss(NDManager scope) {
        int windows = corpus.valWindows(lmConfig.context());
        double total = 0;
        ParameterStore ps = new ParameterStore(scope, false);
        for (int from = 0; from < windows; from += EVAL_BATCH) {
            int to = Math.min(windows, from + EVAL_BATCH);
            try (NDManager batch = scope.newSubManager()) {
                NDArray[] xy = corpus.valBatch(batch, from, to, lmConfig.context());
                NDArray logits = lm.forward(ps, xy[0], null, 0, false);
                total += crossEntropy(logits, xy[1]).getFloat() * (to - from);
            }
        }
        return total / windows;
    }

    @Override
    public Map<String, Double> evaluate(NDManager scope) {
        return Map.of("val_loss", validationLoss(scope));
    }

    @Override
    public String dataSource() {
        return dataSource;
    }
}
