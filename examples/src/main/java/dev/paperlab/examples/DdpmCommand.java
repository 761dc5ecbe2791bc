package dev.paperlab.examples;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Dataset;
import dev.paperlab.datasets.fashion.FashionMnist;
import dev.paperlab.framework.nn.Scalars;
import dev.paperlab.models.ddpm.DdpmTask;
import dev.paperlab.models.ddpm.NoiseSchedule;
import dev.paperlab.models.ddpm.SamplerConfig;
import dev.paperlab.models.ddpm.Samplers;
import dev.paperlab.models.ddpm.UNet;
import dev.paperlab.models.eval.FashionClassifier;
import dev.paperlab.models.eval.ImageScores;
import dev.paperlab.training.Harness;
import dev.paperlab.training.RunConfig;
import dev.paperlab.training.RunState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Trains a DDPM (Ho et al. 2020) on Fashion-MNIST scaled to [-1, 1], class-conditional with label
 * dropout by default (Ho &amp; Salimans 2022), and writes the forward process, sample grids per
 * evaluation, the reverse process and one row per class beside {@code summary.json}, which gets the
 * Fréchet distance and class coverage of samples ({@link ImageScores}) and the seconds sampling
 * took.
 */
@Command(
        name = "ddpm",
        mixinStandardHelpOptions = true,
        description = "Denoising diffusion (DDPM) on Fashion-MNIST: small U-Net, ancestral or DDIM sampling,"
                + " classifier-free guidance.")
public final class DdpmCommand extends ExampleCommand {
    /** Classes of Fashion-MNIST. */
    private static final int CLASSES = 10;

    /**
     * Training steps when neither --steps nor --epochs is given: 1.6 epochs of batch 64, about 870
     * s on a 2-core CPU, inside the 15-minute budget (docs/benchmarks.md).
     */
    static final long DEFAULT_STEPS = 1500;

    /**
     * Guidance w of samples and scores: the lowest Fréchet distance of w = 0, 0.3 and 1 on the
     * default model (5.97, 4.31, 8.14 from 1,000 DDIM-50 samples), as Ho &amp; Salimans find small w
     * best for FID (docs/benchmarks.md).
     */
    static final float DEFAULT_GUIDANCE = 0.3f;

    /**
     * DDIM's eta: 1, a fresh noise draw each step, scored 3.24 where the deterministic eta = 0
     * scored 4.31 (1,000 DDIM-50 samples at w = 0.3; unguided, 500 samples: 3.03 against 6.40, and
     * 2.65 for 1,000 ancestral steps), on the default model (docs/benchmarks.md).
     */
    static final float DEFAULT_ETA = 1f;

    /**
     * DDIM's timestep spacing: quadratic scored 2.90 where the even spacing scored 3.24 (1,000
     * DDIM-50 samples, eta 1, w = 0.3, default model), and lower on two of three unguided noise
     * draws (docs/benchmarks.md).
     */
    static final Samplers.Spacing DEFAULT_SPACING = Samplers.Spacing.QUADRATIC;

    /** Timesteps shown in the forward and reverse pictures: 0, T/10, ..., T. */
    private static final int FRAMES = 10;

    @Mixin
    CommonOptions common;

    @Option(names = "--schedule", description = "linear or cosine noise schedule (default: ${DEFAULT-VALUE}).")
    String schedule = "linear";

    @Option(names = "--timesteps", description = "Diffusion steps T, at least 2 (default: ${DEFAULT-VALUE}).")
    int timesteps = 1000;

    @Option(
            names = "--sampler",
            description = "ancestral (Algorithm 2, T steps) or ddim (--sample-steps) (default: ${DEFAULT-VALUE}).")
    String sampler = "ddim";

    @Option(names = "--sample-steps", description = "DDIM steps S in [1, T] (default: ${DEFAULT-VALUE}).")
    int sampleSteps = 50;

    @Option(names = "--eta", description = "DDIM noise: 0 deterministic, 1 stochastic (default: ${DEFAULT-VALUE}).")
    float eta = DEFAULT_ETA;

    @Option(
            names = "--ddim-spacing",
            description = "DDIM timesteps over [1, T]: uniform or quadratic (denser at small t)"
                    + " (default: ${DEFAULT-VALUE}).")
    Samplers.Spacing ddimSpacing = DEFAULT_SPACING;

    @Option(
            names = "--clip-x0",
            description =
                    "DDIM clips each predicted x_0 to [-c, c], the data range; 0 = off (default: ${DEFAULT-VALUE}).")
    double clipX0 = SamplerConfig.IMAGE_CLIP;

    @Option(names = "--variance", description = "Ancestral sigma_t^2: beta or posterior (default: ${DEFAULT-VALUE}).")
    String variance = "beta";

    @Option(
            names = "--guidance",
            description = "Classifier-free guidance w: eps = (1 + w) eps(x, c) - w eps(x); 0 = the"
                    + " conditional model alone (default: ${DEFAULT-VALUE}).")
    float guidance = DEFAULT_GUIDANCE;

    @Option(names = "--class", description = "Draw samples.png from this class (0-9) instead of all classes in turn.")
    Integer sampleClass;

    @Option(names = "--unconditional", description = "Train without class labels (no --class, no --guidance).")
    boolean unconditional;

    @Option(
            names = "--label-dropout",
            description = "Share of training steps' labels replaced by the null class (default: ${DEFAULT-VALUE}).")
    float labelDropout = 0.1f;

    @Option(names = "--channels", description = "U-Net base channels C (default: ${DEFAULT-VALUE}).")
    int channels = 32;

    @Option(names = "--multipliers", split = ",", description = "Channel multiplier per U-Net level (default: 1,2,2).")
    int[] multipliers = {1, 2, 2};

    @Option(names = "--no-attention", description = "No self-attention at the lowest resolution.")
    boolean noAttention;

    @Option(names = "--ema", description = "Decay of the weights' EMA used for sampling (default: ${DEFAULT-VALUE}).")
    float emaDecay = 0.999f;

    @Option(
            names = "--no-ema-warmup",
            description = "A constant EMA decay; by default update t uses min(decay, (1 + t) / (10 + t)).")
    boolean noEmaWarmup;

    @Option(
            names = "--scored-samples",
            description = "Samples scored by Fréchet distance and class coverage (default: ${DEFAULT-VALUE}).")
    int scoredSamples = 1000;

    @Override
    public Map<String, Object> runExample() throws Exception {
        if (!budgetGiven(common)) {
            common.steps = DEFAULT_STEPS; // --epochs alone, or --steps, replaces the default budget
        }
        RunConfig config = common.toConfig("ddpm", 64, 1e-3f);
        NoiseSchedule noise = NoiseSchedule.of(schedule, timesteps);
        SamplerConfig samplerConfig = samplerConfig();
        int classes = unconditional ? 0 : CLASSES;
        if (unconditional) {
            // the default guidance applies to conditional models only; a given one is refused
            if ((optionGiven("--guidance") && guidance != 0) || sampleClass != null) {
                throw new IllegalArgumentException("--guidance " + guidance + " and --class " + sampleClass
                        + " need class conditioning: drop --unconditional (or give --guidance 0)");
            }
            guidance = 0;
        }
        if (sampleClass != null && (sampleClass < 0 || sampleClass >= CLASSES)) {
            throw new IllegalArgumentException("--class must be in [0, " + CLASSES + "), got " + sampleClass);
        }
        if (scoredSamples < 0) {
            throw new IllegalArgumentException("--scored-samples must be >= 0, got " + scoredSamples);
        }
        UNet unet = UNet.builder()
                .optImage(1, 28)
                .optBaseChannels(channels)
                .optChannelMultipliers(multipliers)
                .optAttention(!noAttention)
                .optClasses(classes)
                .build();
        FashionMnist.Builder fb = FashionMnist.builder()
                .optUsage(Dataset.Usage.TRAIN)
                .optFlatten(false)
                .optSeed(config.seed())
                .setSampling(config.batchSize(), true);
        if (common.dataDir() != null) {
            fb.optDataDir(common.dataDir());
        }
        try (FashionMnist train = fb.build()) {
            NDArray x = Scalars.mul(train.dataArray().reshape(-1, 1, 28, 28), 2).sub(1f); // [0, 1] -> [-1, 1]
            float[] labelValues = train.labelArray().toFloatArray();
            int[] labels = new int[labelValues.length];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = (int) labelValues[i];
            }
            try (DdpmTask task = DdpmTask.builder()
                    .setDenoiser(unet)
                    .setSchedule(noise)
                    .setData(x, classes > 0 ? labels : null)
                    .optEmaDecay(emaDecay)
                    .optEmaWarmup(!noEmaWarmup)
                    .optLabelDropout(labelDropout)
                    .optEvalSampler(
                            samplerConfig.kind() == SamplerConfig.Kind.DDIM
                                    ? samplerConfig
                                    : SamplerConfig.ddim(Math.min(50, timesteps)))
                    .optDataSource(train.source())
                    .build()) {
                RunState state = Harness.withDefaultListeners(config).fit(task);
                describe(state, samplerConfig);
                Path out = config.outDir();
                forwardPicture(out.resolve("forward.png"), x, noise, config.seed());
                evolutionPicture(out.resolve("samples_per_eval.png"), task);
                NDManager parent = task.parts().get(0).model().getNDManager();
                samplePictures(out, task, parent, samplerConfig, config.seed());
                if (scoredSamples > 0) {
                    score(task, parent, samplerConfig, train, config, state);
                }
                Pictures.curves(out.resolve("metrics.csv"), out.resolve("loss.png"), "DDPM L_simple", List.of("loss"));
                return finalSummary(state);
            }
        }
    }

    private SamplerConfig samplerConfig() {
        SamplerConfig.Kind kind = SamplerConfig.Kind.parse(sampler);
        Samplers.Variance v = switch (variance) {
            case "beta" -> Samplers.Variance.BETA;
            case "posterior" -> Samplers.Variance.POSTERIOR;
            default ->
                throw new IllegalArgumentException("--variance must be beta or posterior, got '" + variance + "'");
        };
        if (kind == SamplerConfig.Kind.DDIM && (sampleSteps < 1 || sampleSteps > timesteps)) {
            throw new IllegalArgumentException(
                    "--sample-steps must be in [1, --timesteps " + timesteps + "], got " + sampleSteps);
        }
        return new SamplerConfig(kind, sampleSteps, eta, v, clipX0, ddimSpacing);
    }

    /**
     * Scores {@link #scoredSamples} samples drawn with the chosen sampler, classes in turn (each
     * class equally often, as in the data) with --guidance, and records the sampling time.
     */
    private void score(
            DdpmTask task, NDManager parent, SamplerConfig s, FashionMnist train, RunConfig config, RunState state)
            throws java.io.IOException {
        long[] nanos = {0};
        int[] next = {0};
        try (ImageScores scores = ImageScores.create(config.outDir().resolve("classifier"), common.dataDir())) {
            // seeded after the scorer, whose classifier may train first: the same samples either way
            Engine.getInstance().setRandomSeed((int) config.seed() + 1);
            ImageScores.Score score = scores.score(parent, scoredSamples, (scope, count) -> {
                long t0 = System.nanoTime();
                NDArray samples = drawBalanced(task, scope, count, next[0], s);
                nanos[0] += System.nanoTime() - t0;
                next[0] += count;
                // samples are in [-1, 1]; the classifier reads pixels in [0, 1]
                return FashionClassifier.fromTanh(samples);
            });
            scores.report(score, train.dataArray(), scoredSamples, state.summary());
        }
        state.summary().put("sample_seconds", nanos[0] / 1e9);
        state.summary().put("scored_samples", scoredSamples);
    }

    /** {@code count} EMA samples; sample {@code start + i} gets class (start + i) mod 10 (or --class). */
    private NDArray drawBalanced(DdpmTask task, NDManager scope, int count, int start, SamplerConfig s) {
        return task.withAverage(() ->
                DdpmTask.sampleBalanced(scope, task.unet(), task.schedule(), s, count, start, sampleClass, guidance));
    }

    private void describe(RunState state, SamplerConfig s) {
        state.summary().put("command", "ddpm");
        state.summary().put("schedule", schedule);
        state.summary().put("timesteps", timesteps);
        state.summary().put("sampler", s.kind().toString());
        state.summary().put("sample_steps", s.evaluations(timesteps));
        if (s.kind() == SamplerConfig.Kind.DDIM) {
            state.summary().put("eta", s.eta());
            state.summary().put("ddim_spacing", s.spacing().toString());
        }
        state.summary().put("guidance", guidance);
        state.summary().put("conditional", !unconditional);
    }

    /** Two training images at t = 0, T/10, ..., T (one fixed noise draw each): the forward process. */
    private static void forwardPicture(Path png, NDArray x, NoiseSchedule s, long seed) throws java.io.IOException {
        try (NDManager scope = x.getManager().newSubManager()) {
            Engine.getInstance().setRandomSeed((int) seed);
            NDArray x0 = x.get(new NDIndex("0:2"));
            x0.attach(scope);
            NDArray eps = scope.randomNormal(x0.getShape());
            float[][] cells = new float[2 * (FRAMES + 1)][];
            for (int k = 0; k <= FRAMES; k++) {
                int t = (int) ((long) k * s.steps() / FRAMES);
                NDArray xt = t == 0 ? x0 : s.noised(x0, new int[] {t, t}, eps);
                float[][] rows = DdpmTask.rows(xt);
                for (int i = 0; i < 2; i++) {
                    cells[i * (FRAMES + 1) + k] = toUnit(rows[i]);
                }
            }
            Pictures.grid(png, cells, 28, 28, FRAMES + 1, 2);
        }
    }

    /** One row of evaluation samples per evaluation, oldest first. */
    private static void evolutionPicture(Path png, DdpmTask task) throws java.io.IOException {
        List<float[]> cells = new ArrayList<>();
        int columns = 1;
        for (DdpmTask.Snapshot snap : task.snapshots()) {
            columns = Math.max(columns, snap.images().length);
        }
        for (DdpmTask.Snapshot snap : task.snapshots()) {
            for (int i = 0; i < columns; i++) {
                cells.add(i < snap.images().length ? toUnit(snap.images()[i]) : new float[784]);
            }
        }
        if (!cells.isEmpty()) {
            Pictures.grid(png, cells.toArray(float[][]::new), 28, 28, columns, 2);
        }
    }

    /**
     * samples.png (64 samples, classes in turn or --class), reverse.png (4 samples at x_t for t = T,
     * 9T/10, ..., 0, one row each) and, for a conditional model, classes.png (one row of 8 per
     * class with --guidance).
     */
    private void samplePictures(Path out, DdpmTask task, NDManager parent, SamplerConfig s, long seed)
            throws java.io.IOException {
        try (NDManager scope = parent.newSubManager()) {
            Engine.getInstance().setRandomSeed((int) seed);
            NDArray samples = drawBalanced(task, scope, 64, 0, s);
            Pictures.grid(out.resolve("samples.png"), unit(DdpmTask.rows(samples)), 28, 28, 8, 2);
        }
        try (NDManager scope = parent.newSubManager()) {
            int n = 4;
            float[][][] frames = new float[FRAMES + 1][][];
            int[] next = {0};
            NDArray xT = scope.randomNormal(new Shape(n, 1, 28, 28));
            frames[0] = DdpmTask.rows(xT);
            next[0] = 1;
            // record x_t at the first steps after T/10, 2T/10, ..., the last being x_0
            Samplers.Observer observer = (t, xt) -> {
                int k = next[0];
                if (k <= FRAMES && t <= (long) (FRAMES - k) * timesteps / FRAMES) {
                    frames[k] = DdpmTask.rows(xt);
                    next[0] = k + 1;
                }
            };
            Integer label = task.unet().classes() > 0 ? (sampleClass != null ? sampleClass : 0) : null;
            task.withAverage(
                    () -> DdpmTask.run(scope, task.schedule(), task.epsilonModel(label, guidance), xT, s, observer));
            List<float[]> cells = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                for (int k = 0; k <= FRAMES; k++) {
                    cells.add(frames[k] == null ? new float[784] : toUnit(frames[k][i]));
                }
            }
            Pictures.grid(out.resolve("reverse.png"), cells.toArray(float[][]::new), 28, 28, FRAMES + 1, 2);
        }
        if (task.unet().classes() > 0) {
            try (NDManager scope = parent.newSubManager()) {
                List<float[]> cells = new ArrayList<>();
                for (int c = 0; c < CLASSES; c++) {
                    NDArray row = task.sample(scope, 8, s, c, guidance, Samplers.Observer.NONE);
                    cells.addAll(Arrays.asList(unit(DdpmTask.rows(row))));
                }
                Pictures.grid(out.resolve("classes.png"), cells.toArray(float[][]::new), 28, 28, 8, 2);
            }
        }
    }

    private static float[][] unit(float[][] rows) {
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = toUnit(rows[i]);
        }
        return out;
    }

    /** [-1, 1] to [0, 1] for pictures. */
    private static float[] toUnit(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (v[i] + 1) / 2;
        }
        return out;
    }
}
