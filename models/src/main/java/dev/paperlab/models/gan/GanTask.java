package dev.paperlab.models.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.CosineTracker;
import dev.paperlab.framework.nn.SquaredErrorLoss;
import dev.paperlab.models.eval.FashionClassifier;
import dev.paperlab.models.eval.ImageScores;
import dev.paperlab.training.Ema;
import dev.paperlab.training.EvalContext;
import dev.paperlab.training.Parts;
import dev.paperlab.training.RunConfig;
import dev.paperlab.training.StepContext;
import dev.paperlab.training.TrainedPart;
import dev.paperlab.training.TrainingTask;
import dev.paperlab.training.optim.Adam;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;

/**
 * Alternating two-player training (Goodfellow et al. 2014, Algorithm 1) on the harness: per step,
 * K discriminator updates, each on a fresh real batch and a fresh z, then one generator update.
 * Each player is its own {@link TrainedPart} updated with {@link TrainedPart#update} on its own
 * loss ({@link GanLoss}) alone: D's gradient never enters G's update and G's never enters D's.
 *
 * <p>Random draws come from the step's Java RNG in this order, so a resumed run repeats them: for
 * each of the K discriminator updates, the real batch ({@link RealData#batch}) then z (B x Z
 * standard normals, row after row); then z for the generator update. Adam with lr from the run
 * and beta1 = 0.5 (DCGAN, Radford et al. 2015, §4) is the default optimizer of both players.
 *
 * <p>For 2-D data with known centres, evaluation draws 10,000 samples (by default) and reports {@code
 * modes_covered} and {@code high_quality_share} ({@link ModeCoverage}), and keeps the samples of
 * each evaluation ({@link #snapshots()}) for pictures. For images with {@link
 * Builder#optImageScores}, each evaluation scores 10,000 samples (by default) ({@code frechet}, {@code
 * class_coverage}, see {@link ImageScores}; G's output is taken to be in [-1, 1], tanh's range, as
 * the real images are scaled) and keeps {@value #GRID_SAMPLES} samples from the same fixed latents
 * every time, so the pictures of successive evaluations show one set of z's as G learns.
 */
public final class GanTask implements TrainingTask {
    /** Samples drawn for each evaluation (mode coverage, image scores) unless set otherwise. */
    public static final int EVAL_SAMPLES = 10_000;

    /** Samples kept per evaluation of an image run, for a grid picture. */
    public static final int GRID_SAMPLES = 64;

    /** Seed of the fixed latents behind every evaluation's sample grid. */
    private static final long GRID_SEED = 0x67726964L;

    /** A source of real examples. */
    @FunctionalInterface
    public interface RealData {
        /** {@code n} real examples, shape (n, data shape...), created in {@code scope}. */
        NDArray batch(NDManager scope, int n, Random random);
    }

    /**
     * Samples of one evaluation after {@code step} steps: 2-D points (x0, y0, x1, y1, ...), or the
     * values of {@link #GRID_SAMPLES} images one after the other, in G's output range.
     */
    public record Snapshot(long step, float[] points) {}

    private final Block generatorBlock;
    private final Block discriminatorBlock;
    private final RealData data;
    private final Shape dataShape;
    private final int latentSize;
    private final GanLoss loss;
    private final int discriminatorSteps;
    private final Function<Float, Optimizer> optimizer;
    private final double[][] centres;
    private final long stepsPerEpoch;
    private final String dataSource;
    private final float averageDecay;
    private final long decaySteps;
    private final boolean jointPass;
    private final ImageScores imageScores;
    private final int evalSamples;
    private final List<Snapshot> snapshots = new ArrayList<>();
    private ImageScores.Score lastScore;
    private Ema generatorAverage;
    private TrainedPart generator;
    private TrainedPart discriminator;
    private int batchSize;

    private GanTask(Builder b) {
        this.generatorBlock = b.generator;
        this.discriminatorBlock = b.discriminator;
        this.data = b.data;
        this.dataShape = b.dataShape;
        this.latentSize = b.latentSize;
        this.loss = b.loss;
        this.discriminatorSteps = b.discriminatorSteps;
        this.optimizer = b.optimizer;
        this.centres = b.centres;
        this.stepsPerEpoch = b.stepsPerEpoch;
        this.dataSource = b.dataSource;
        this.averageDecay = b.averageDecay;
        this.decaySteps = b.decaySteps;
        this.jointPass = b.jointPass;
        this.imageScores = b.imageScores;
        this.evalSamples = b.evalSamples;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Adam(lr, beta1 = 0.5, beta2 = 0.999), the DCGAN setting. */
    public static Optimizer defaultOptimizer(float learningRate) {
        return defaultOptimizer(learningRate, 0);
    }

    /**
     * The default Adam, its learning rate decayed from lr to 0 on a half cosine over {@code
     * updates} updates when {@code updates > 0} (constant otherwise).
     */
    public static Optimizer defaultOptimizer(float learningRate, long updates) {
        Adam.Builder b = Adam.builder().optBeta1(0.5f);
        if (updates > 0) {
            b.optLearningRateTracker(CosineTracker.builder()
                    .setBaseValue(learningRate)
                    .optFinalValue(0f)
                    .setMaxUpdates((int) Math.min(Integer.MAX_VALUE, updates))
                    .build());
        } else {
            b.optLearningRate(learningRate);
        }
        return b.build();
    }

    @Override
    public void setUp(RunConfig config) {
        batchSize = config.batchSize();
        // The trainers' DJL Loss is never called: the step computes GanLoss itself.
        Loss unused = new SquaredErrorLoss();
        generator = Parts.create(
                "generator",
                generatorBlock,
                unused,
                optimizer != null
                        ? optimizer.apply(config.learningRate())
                        : defaultOptimizer(config.learningRate(), decaySteps),
                config.device(),
                new Shape(batchSize, latentSize));
        discriminator = Parts.create(
                "discriminator",
                discriminatorBlock,
                unused,
                optimizer != null
                        ? optimizer.apply(config.learningRate())
                        : defaultOptimizer(config.learningRate(), decaySteps * discriminatorSteps),
                config.device(),
                new Shape(batchSize).addAll(dataShape));
        if (averageDecay > 0) {
            generatorAverage = new Ema("generator", generatorBlock, averageDecay);
        }
    }

    @Override
    public List<Ema> averages() {
        return generatorAverage == null ? List.of() : List.of(generatorAverage);
    }

    @Override
    public List<TrainedPart> parts() {
        return List.of(generator, discriminator);
    }

    public TrainedPart generator() {
        return generator;
    }

    public TrainedPart discriminator() {
        return discriminator;
    }

    @Override
    public long stepsPerEpoch() {
        return stepsPerEpoch;
    }

    @Override
    public long examplesPerStep() {
        return batchSize;
    }

    /** Both players are updated only through {@link TrainedPart#update}, which zeroes first. */
    @Override
    public boolean zeroesOwnGradients() {
        return true;
    }

    @Override
    public Map<String, Double> step(StepContext context) {
        NDManager scope = context.scope();
        Random random = context.random();
        double dLoss = 0;
        for (int k = 0; k < discriminatorSteps; k++) {
            NDArray real = data.batch(scope, batchSize, random);
            NDArray z = latent(scope, batchSize, random);
            // G(z) as a constant for D's update: stopGradient keeps G's graph out of D's backward
            NDArray fake = forward(generator, z).stopGradient(); // (B, data shape...)
            dLoss = discriminator.update(() -> {
                if (!jointPass) {
                    return loss.discriminator(forward(discriminator, real), forward(discriminator, fake));
                }
                // one pass over [real; fake]: the same as two passes for players without batch
                // statistics, with half the operator calls
                NDArray logits = forward(discriminator, real.concat(fake)); // (2B, 1)
                return loss.discriminator(logits.get("0:" + batchSize), logits.get(batchSize + ":"));
            });
        }
        NDArray z = latent(scope, batchSize, random);
        // D's weights take no gradient in G's update: backward then skips their weight products
        // (the update never reads them), and G's gradient is the same
        List<Parameter> frozen = trainable(discriminator);
        frozen.forEach(w -> w.freeze(true));
        double gLoss;
        try {
            gLoss = generator.update(() -> loss.generator(forward(discriminator, forward(generator, z))));
        } finally {
            frozen.forEach(w -> w.freeze(false));
        }
        if (generatorAverage != null) {
            generatorAverage.update();
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("d_loss", dLoss);
        metrics.put("g_loss", gLoss);
        return metrics;
    }

    /** The parameters of {@code part} that take a gradient (a user's frozen ones stay frozen). */
    private static List<Parameter> trainable(TrainedPart part) {
        List<Parameter> trainable = new ArrayList<>();
        part.model().getBlock().getParameters().forEach(p -> {
            if (p.getValue().requiresGradient()) {
                trainable.add(p.getValue());
            }
        });
        return trainable;
    }

    /** n x Z standard normals from {@code random}, row after row, shape (n, Z). */
    public NDArray latent(NDManager scope, int n, Random random) {
        float[] z = new float[n * latentSize];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) random.nextGaussian();
        }
        return scope.create(z, new Shape(n, latentSize));
    }

    /**
     * {@code n} generator samples in inference mode from z drawn with {@code random}, created in
     * {@code scope}; shape (n, data shape...). With a generator average, the averaged weights
     * generate them.
     */
    public NDArray sample(NDManager scope, int n, Random random) {
        NDArray z = latent(scope, n, random);
        ParameterStore ps = new ParameterStore(scope, false);
        if (generatorAverage == null) {
            return generatorBlock.forward(ps, new NDList(z), false).head();
        }
        try (Ema.Swap swap = generatorAverage.swapIn()) {
            return generatorBlock.forward(ps, new NDList(z), false).head();
        }
    }

    @Override
    public Map<String, Double> evaluate(EvalContext context) {
        if (imageScores != null) {
            return scoreImages(context);
        }
        if (centres == null) {
            return Map.of();
        }
        float[] points = sample(context.scope(), evalSamples, context.random()).toFloatArray();
        snapshots.add(new Snapshot(context.step(), points));
        ModeCoverage c = ModeCoverage.score(points, centres, ModeCoverage.RADIUS, ModeCoverage.MIN_SHARE);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("modes_covered", (double) c.modesCovered());
        m.put("high_quality_share", c.highQualityShare());
        return m;
    }

    private Map<String, Double> scoreImages(EvalContext context) {
        Random random = context.random();
        // G's tanh output is in [-1, 1]; the classifier reads pixels in [0, 1]
        lastScore = imageScores.score(
                context.scope(),
                evalSamples,
                (scope, count) -> FashionClassifier.fromTanh(sample(scope, count, random)));
        try (NDManager scope = context.newIterationScope()) {
            float[] grid = sample(scope, GRID_SAMPLES, new Random(GRID_SEED)).toFloatArray();
            snapshots.add(new Snapshot(context.step(), grid));
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("frechet", lastScore.frechet());
        m.put("class_coverage", (double) lastScore.coverage().covered());
        return m;
    }

    /**
     * The samples of every evaluation so far (2-D data with centres, or images with scores),
     * oldest first.
     */
    public List<Snapshot> snapshots() {
        return List.copyOf(snapshots);
    }

    /** The latest evaluation's image scores, or {@code null} before one (or without scores). */
    public ImageScores.Score lastScore() {
        return lastScore;
    }

    @Override
    public String dataSource() {
        return dataSource;
    }

    private static NDArray forward(TrainedPart part, NDArray x) {
        return part.trainer().forward(new NDList(x)).head();
    }

    /** Builder of a {@link GanTask}; {@link #build()} checks every setting. */
    public static final class Builder {
        private Block generator;
        private Block discriminator;
        private RealData data;
        private Shape dataShape;
        private int latentSize;
        private GanLoss loss = GanLoss.NS;
        private int discriminatorSteps = 1;
        private Function<Float, Optimizer> optimizer;
        private long decaySteps;
        private boolean jointPass = true;
        private double[][] centres;
        private long stepsPerEpoch = 1000;
        private String dataSource = "synthetic";
        private float averageDecay;
        private ImageScores imageScores;
        private int evalSamples = EVAL_SAMPLES;

        private Builder() {}

        /** The generator block: z (B, Z) to samples (B, data shape...). */
        public Builder setGenerator(Block generator) {
            this.generator = generator;
            return this;
        }

        /** The discriminator block: samples (B, data shape...) to logits (B, 1). */
        public Builder setDiscriminator(Block discriminator) {
            this.discriminator = discriminator;
            return this;
        }

        /** The real data and the shape of one example (without the batch axis). */
        public Builder setData(RealData data, Shape dataShape) {
            this.data = data;
            this.dataShape = dataShape;
            return this;
        }

        /** Latent size Z, at least 1. */
        public Builder setLatentSize(int latentSize) {
            this.latentSize = latentSize;
            return this;
        }

        /** The players' losses; non-saturating by default. */
        public Builder optLoss(GanLoss loss) {
            this.loss = loss;
            return this;
        }

        /** Discriminator updates K per generator update, at least 1; 1 by default. */
        public Builder optDiscriminatorSteps(int k) {
            this.discriminatorSteps = k;
            return this;
        }

        /**
         * Each player's optimizer from the run's learning rate; {@link #defaultOptimizer} by
         * default (with {@link #optCosineDecay}).
         */
        public Builder optOptimizer(Function<Float, Optimizer> optimizer) {
            this.optimizer = optimizer;
            return this;
        }

        /** Centres of a 2-D mixture: turns on mode-coverage evaluation. */
        public Builder optModeCentres(double[][] centres) {
            this.centres = centres;
            return this;
        }

        /** Steps per epoch, at least 1; 1,000 by default (synthetic data never runs out). */
        public Builder optStepsPerEpoch(long steps) {
            this.stepsPerEpoch = steps;
            return this;
        }

        /**
         * Samples from an exponential moving average of G's weights with this decay (Yazici et al.
         * 2019), in [0, 1); 0, the default, samples from G's current weights.
         */
        public Builder optGeneratorAverage(float decay) {
            this.averageDecay = decay;
            return this;
        }

        /**
         * Decays the default optimizer's learning rate to 0 on a half cosine over this many steps
         * (G's updates; D's count K per step); 0, the default, keeps it constant.
         */
        public Builder optCosineDecay(long steps) {
            this.decaySteps = steps;
            return this;
        }

        /**
         * Whether D scores real and fake examples in one pass over their concatenation (true, the
         * default, for players without batch statistics) or in two passes (false: batch norm then
         * normalises each batch on its own, as DCGAN trains).
         */
        public Builder optJointDiscriminatorPass(boolean joint) {
            this.jointPass = joint;
            return this;
        }

        /**
         * Scores each evaluation's samples of an image run (Fréchet distance and class coverage,
         * see {@link ImageScores}); the caller keeps ownership. None by default.
         */
        public Builder optImageScores(ImageScores scores) {
            this.imageScores = scores;
            return this;
        }

        /** Samples drawn at each evaluation, at least 2; {@link #EVAL_SAMPLES} by default. */
        public Builder optEvalSamples(int n) {
            this.evalSamples = n;
            return this;
        }

        /** Where the data came from, for the summary. */
        public Builder optDataSource(String source) {
            this.dataSource = source;
            return this;
        }

        public GanTask build() {
            Objects.requireNonNull(generator, "generator");
            Objects.requireNonNull(discriminator, "discriminator");
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(dataShape, "data shape");
            Objects.requireNonNull(loss, "loss");
            if (decaySteps < 0) {
                throw new IllegalArgumentException("cosine decay steps must be >= 0, got " + decaySteps);
            }
            if (latentSize < 1) {
                throw new IllegalArgumentException("latent size must be >= 1, got " + latentSize);
            }
            if (discriminatorSteps < 1) {
                throw new IllegalArgumentException(
                        "discriminator steps per generator step must be >= 1, got " + discriminatorSteps);
            }
            if (!(averageDecay >= 0 && averageDecay < 1)) {
                throw new IllegalArgumentException("generator average decay must be in [0, 1), got " + averageDecay);
            }
            if (stepsPerEpoch < 1) {
                throw new IllegalArgumentException("steps per epoch must be >= 1, got " + stepsPerEpoch);
            }
            if (centres != null && (dataShape.dimension() != 1 || dataShape.get(0) != 2)) {
                throw new IllegalArgumentException("mode centres need 2-D data, got data shape " + dataShape);
            }
            if (evalSamples < 2) {
                throw new IllegalArgumentException("evaluation samples must be >= 2, got " + evalSamples);
            }
            if (imageScores != null && dataShape.size() != 784) {
                throw new IllegalArgumentException(
                        "image scores need 28 x 28 images (784 values), got data shape " + dataShape);
            }
            if (imageScores != null && centres != null) {
                throw new IllegalArgumentException("mode centres and image scores exclude each other");
            }
            return new GanTask(this);
        }
    }
}
