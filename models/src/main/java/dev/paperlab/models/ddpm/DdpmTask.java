package dev.paperlab.models.ddpm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.paperlab.framework.nn.SquaredErrorLoss;
import dev.paperlab.training.Ema;
import dev.paperlab.training.EvalContext;
import dev.paperlab.training.GradientHook;
import dev.paperlab.training.Parts;
import dev.paperlab.training.RunConfig;
import dev.paperlab.training.StepContext;
import dev.paperlab.training.TrainedPart;
import dev.paperlab.training.TrainingTask;
import dev.paperlab.training.optim.Adam;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Trains a DDPM noise predictor (Ho et al. 2020, Algorithm 1) on the harness: per step, x_0 from
 * the data, t ~ Uniform{1..T}, eps ~ N(0, I), and one gradient step on the simple loss
 *
 * <pre>
 *   L_simple = E_{t, x_0, eps} || eps - eps_theta(sqrt(alpha-bar_t) x_0 + sqrt(1 - alpha-bar_t) eps, t) ||^2   (Eq. 14)
 * </pre>
 *
 * (the mean over pixels, as the reference code), then an update of the EMA of the weights that
 * sampling uses. A class-conditional net (Ho &amp; Salimans 2022, Algorithm 1) sees the null label
 * K instead of the class with probability {@code labelDropout}, so one network also learns eps(z),
 * and {@link #epsilonModel} mixes the two with classifier-free guidance.
 *
 * <p>Random draws per step, so a resumed run repeats them: batch indices, then t, then label
 * dropout from the step's Java RNG; eps from the engine RNG (seeded per step by the harness).
 * Adam (lr from the run), gradient norm clipped at 1 (the paper's setting).
 *
 * <p>Each evaluation draws {@link Builder#optEvalSamples} samples with the evaluation sampler from
 * the EMA weights and keeps them ({@link #snapshots()}) for pictures.
 */
public final class DdpmTask implements TrainingTask {
    /** Images of one evaluation, values in [-1, 1], after {@code step} steps. */
    public record Snapshot(long step, float[][] images) {}

    private final UNet unet;
    private final NoiseSchedule schedule;
    private final NDArray images;
    private final int[] labels;
    private final float emaDecay;
    private final boolean emaWarmup;
    private final float labelDropout;
    private final double clip;
    private final long stepsPerEpoch;
    private final int evalSamples;
    private final SamplerConfig evalSampler;
    private final String dataSource;
    private final List<Snapshot> snapshots = new ArrayList<>();
    private TrainedPart part;
    private Ema ema;
    private int batchSize;

    private DdpmTask(Builder b) {
        unet = b.unet;
        schedule = b.schedule;
        images = b.images;
        labels = b.labels;
        emaDecay = b.emaDecay;
        emaWarmup = b.emaWarmup;
        labelDropout = b.labelDropout;
        clip = b.clip;
        stepsPerEpoch = b.stepsPerEpoch > 0 ? b.stepsPerEpoch : -1;
        evalSamples = b.evalSamples;
        evalSampler = b.evalSampler;
        dataSource = b.dataSource;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void setUp(RunConfig config) {
        batchSize = config.batchSize();
        Shape x = new Shape(batchSize).addAll(unet.imageShape());
        Shape perImage = new Shape(batchSize);
        Shape[] inputs = unet.classes() > 0 ? new Shape[] {x, perImage, perImage} : new Shape[] {x, perImage};
        // the DJL Loss is never called: the step computes L_simple itself
        part = Parts.create(
                "unet",
                unet,
                new SquaredErrorLoss(),
                Adam.builder().optLearningRate(config.learningRate()).build(),
                config.device(),
                inputs);
        ema = new Ema("unet", unet, emaDecay, emaWarmup);
    }

    @Override
    public List<TrainedPart> parts() {
        return List.of(part);
    }

    @Override
    public List<Ema> averages() {
        return List.of(ema);
    }

    public UNet unet() {
        return unet;
    }

    public NoiseSchedule schedule() {
        return schedule;
    }

    @Override
    public long stepsPerEpoch() {
        return stepsPerEpoch > 0 ? stepsPerEpoch : Math.max(1, images.getShape().get(0) / batchSize);
    }

    @Override
    public long examplesPerStep() {
        return batchSize;
    }

    @Override
    public Map<String, Double> step(StepContext context) {
        NDManager scope = context.scope();
        java.util.Random random = context.random();
        int n = (int) images.getShape().get(0);
        long[] idx = new long[batchSize];
        for (int i = 0; i < batchSize; i++) {
            idx[i] = random.nextInt(n);
        }
        int[] t = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            t[i] = random.nextInt(schedule.steps()) + 1; // t ~ Uniform{1, ..., T}
        }
        int[] y = null;
        if (unet.classes() > 0) {
            y = new int[batchSize];
            for (int i = 0; i < batchSize; i++) {
                // label dropout: the null class K with probability p_uncond
                y[i] = random.nextFloat() < labelDropout ? unet.classes() : labels[(int) idx[i]];
            }
        }
        NDArray x0 = images.get(new NDIndex("{}", scope.create(idx))); // (B, C, S, S)
        x0.attach(scope);
        NDArray eps = scope.randomNormal(x0.getShape()); // (B, C, S, S)
        NDArray xt = schedule.noised(x0, t, eps); // Eq. 4
        NDList in = inputs(scope, xt, t, y);
        GradientHook hook = clip > 0 ? GradientHook.clipGlobalNorm(clip) : GradientHook.NONE;
        double loss = part.update(
                () -> {
                    NDArray predicted = part.trainer().forward(in).head(); // eps_theta(x_t, t)
                    return eps.sub(predicted).square().mean(); // Eq. 14
                },
                hook);
        ema.update();
        return Map.of("loss", loss);
    }

    private static NDList inputs(NDManager scope, NDArray xt, int[] t, int[] y) {
        NDList in = new NDList(xt, scope.create(t));
        if (y != null) {
            in.add(scope.create(y));
        }
        return in;
    }

    /**
     * The trained net (its current weights; wrap calls in {@link #withAverage} for the EMA) as a
     * noise predictor for the samplers: unconditional when {@code label} is null, else for that
     * class, guided with strength {@code guidance} (Ho &amp; Salimans Eq. 6; 0 = the conditional
     * model alone). One batched forward pass computes both predictions of a guided step.
     *
     * @throws IllegalArgumentException for a label or guidance on a net without class conditioning,
     *     or a label outside [0, K)
     */
    public EpsilonModel epsilonModel(Integer label, float guidance) {
        return epsilonModel(unet, label, guidance);
    }

    /** {@link #epsilonModel(Integer, float)} for any {@link UNet}. */
    public static EpsilonModel epsilonModel(UNet unet, Integer label, float guidance) {
        int k = unet.classes();
        if (k == 0 && (label != null || guidance != 0)) {
            throw new IllegalArgumentException("a class (" + label + ") and guidance (" + guidance
                    + ") need a class-conditional model (train with classes), this one has none");
        }
        if (label != null && (label < 0 || label >= k)) {
            throw new IllegalArgumentException("class must be in [0, " + k + "), got " + label);
        }
        if (k > 0 && label == null && guidance != 0) {
            throw new IllegalArgumentException("guidance " + guidance + " needs a class to guide towards");
        }
        return (xt, t) -> {
            NDManager m = xt.getManager();
            ParameterStore ps = new ParameterStore(m, false);
            int b = (int) xt.getShape().get(0);
            int[] ts = new int[b];
            Arrays.fill(ts, t);
            if (k == 0) {
                return unet.forward(ps, inputs(m, xt, ts, null), false).head();
            }
            int[] y = new int[b];
            Arrays.fill(y, label == null ? k : label);
            if (guidance == 0 || label == null) {
                return unet.forward(ps, inputs(m, xt, ts, y), false).head();
            }
            int[] both = new int[2 * b];
            Arrays.fill(both, 0, b, label);
            Arrays.fill(both, b, 2 * b, k);
            int[] ts2 = new int[2 * b];
            Arrays.fill(ts2, t);
            NDArray out = unet.forward(ps, inputs(m, xt.concat(xt), ts2, both), false)
                    .head(); // (2B, ...): [eps(z, c); eps(z)]
            return Guidance.combine(out.get("0:" + b), out.get(b + ":"), guidance);
        };
    }

    /** Runs {@code body} with the EMA weights in the net, then puts the trained ones back. */
    public <T> T withAverage(java.util.function.Supplier<T> body) {
        try (Ema.Swap swap = ema.swapIn()) {
            return body.get();
        }
    }

    /**
     * {@code n} samples from the EMA weights, x_T from the engine RNG, in {@code scope}.
     *
     * @param label a class, or null for unconditional samples (the null label on a conditional net)
     */
    public NDArray sample(
            NDManager scope, int n, SamplerConfig sampler, Integer label, float guidance, Samplers.Observer observer) {
        EpsilonModel model = epsilonModel(label, guidance);
        NDArray xT = scope.randomNormal(new Shape(n).addAll(unet.imageShape()), DataType.FLOAT32);
        return withAverage(() -> run(scope, schedule, model, xT, sampler, observer));
    }

    /**
     * {@code count} samples from {@code unet}'s current weights (wrap in {@link #withAverage} for
     * the EMA), x_T from the engine RNG: sample {@code start + i} is of class {@code fixedClass},
     * else of class (start + i) mod K, so that consecutive calls draw every class equally often,
     * guided with {@code guidance}; unconditional on a net without classes. Clipped to [-1, 1], as
     * writing pixels would (Algorithm 2 itself never clips).
     */
    public static NDArray sampleBalanced(
            NDManager scope,
            UNet unet,
            NoiseSchedule schedule,
            SamplerConfig sampler,
            int count,
            int start,
            Integer fixedClass,
            float guidance) {
        int k = unet.classes();
        if (k == 0) {
            NDArray xT = scope.randomNormal(new Shape(count).addAll(unet.imageShape()), DataType.FLOAT32);
            return run(scope, schedule, epsilonModel(unet, null, 0f), xT, sampler, Samplers.Observer.NONE)
                    .clip(-1f, 1f);
        }
        if (fixedClass != null && (fixedClass < 0 || fixedClass >= k)) {
            throw new IllegalArgumentException("class must be in [0, " + k + "), got " + fixedClass);
        }
        int[] perClass = new int[k];
        for (int i = start; i < start + count; i++) {
            perClass[fixedClass != null ? fixedClass : i % k]++;
        }
        NDList parts = new NDList();
        for (int c = 0; c < k; c++) {
            int n = perClass[c];
            if (n > 0) {
                NDArray xT = scope.randomNormal(new Shape(n).addAll(unet.imageShape()), DataType.FLOAT32);
                parts.add(run(scope, schedule, epsilonModel(unet, c, guidance), xT, sampler, Samplers.Observer.NONE));
            }
        }
        return NDArrays.concat(parts).clip(-1f, 1f);
    }

    /** Runs {@code sampler} from {@code xT}. */
    public static NDArray run(
            NDManager scope,
            NoiseSchedule schedule,
            EpsilonModel model,
            NDArray xT,
            SamplerConfig sampler,
            Samplers.Observer observer) {
        return sampler.kind() == SamplerConfig.Kind.ANCESTRAL
                ? Samplers.ancestral(scope, schedule, model, xT, sampler.variance(), observer)
                : Samplers.ddim(
                        scope,
                        schedule,
                        model,
                        xT,
                        Samplers.ddimTimesteps(schedule.steps(), sampler.steps(), sampler.spacing()),
                        sampler.eta(),
                        sampler.clip(),
                        observer);
    }

    @Override
    public Map<String, Double> evaluate(EvalContext context) {
        if (evalSamples == 0) {
            return Map.of();
        }
        NDArray s = sample(context.scope(), evalSamples, evalSampler, null, 0f, Samplers.Observer.NONE);
        snapshots.add(new Snapshot(context.step(), rows(s)));
        return Map.of();
    }

    /** (n, ...) to n rows of floats. */
    public static float[][] rows(NDArray batch) {
        int n = (int) batch.getShape().get(0);
        float[] all = batch.toFloatArray();
        int size = all.length / Math.max(1, n);
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = Arrays.copyOfRange(all, i * size, (i + 1) * size);
        }
        return out;
    }

    /** The samples of every evaluation so far, oldest first. */
    public List<Snapshot> snapshots() {
        return List.copyOf(snapshots);
    }

    @Override
    public String dataSource() {
        return dataSource;
    }

    /** Builder of a {@link DdpmTask}; {@link #build()} checks every setting. */
    public static final class Builder {
        private UNet unet;
        private NoiseSchedule schedule;
        private NDArray images;
        private int[] labels;
        private float emaDecay = 0.999f;
        private boolean emaWarmup = true;
        private float labelDropout = 0.1f;
        private double clip = 1.0;
        private long stepsPerEpoch;
        private int evalSamples = 16;
        private SamplerConfig evalSampler = SamplerConfig.ddim(50);
        private String dataSource = "synthetic";

        private Builder() {}

        /** The noise predictor. */
        public Builder setDenoiser(UNet unet) {
            this.unet = unet;
            return this;
        }

        public Builder setSchedule(NoiseSchedule schedule) {
            this.schedule = schedule;
            return this;
        }

        /**
         * Training images (N, C, S, S) scaled to [-1, 1] (the caller keeps them open), and their
         * class labels in [0, K) for a class-conditional net (null otherwise).
         */
        public Builder setData(NDArray images, int[] labels) {
            this.images = images;
            this.labels = labels == null ? null : labels.clone();
            return this;
        }

        /** Decay of the weights' EMA used for sampling, in [0, 1); 0.999 by default. */
        public Builder optEmaDecay(float decay) {
            this.emaDecay = decay;
            return this;
        }

        /**
         * Whether the EMA warms up, update t using min(decay, (1 + t) / (10 + t)) (default true):
         * without it a short run samples from a blend with the untrained weights ({@link Ema}).
         */
        public Builder optEmaWarmup(boolean warmup) {
            this.emaWarmup = warmup;
            return this;
        }

        /** Probability of training on the null label (conditional nets), in [0, 1); 0.1 by default. */
        public Builder optLabelDropout(float p) {
            this.labelDropout = p;
            return this;
        }

        /** Global gradient-norm clip, 0 for none; 1 by default (Ho et al.'s setting). */
        public Builder optClip(double clip) {
            this.clip = clip;
            return this;
        }

        /** Steps per epoch; by default a pass over the images (N / batch). */
        public Builder optStepsPerEpoch(long steps) {
            this.stepsPerEpoch = steps;
            return this;
        }

        /** Samples drawn at each evaluation for pictures (0 for none); 16 by default. */
        public Builder optEvalSamples(int n) {
            this.evalSamples = n;
            return this;
        }

        /** Sampler of the evaluations; DDIM with 50 steps by default. */
        public Builder optEvalSampler(SamplerConfig sampler) {
            this.evalSampler = sampler;
            return this;
        }

        /** Where the data came from, for the summary. */
        public Builder optDataSource(String source) {
            this.dataSource = source;
            return this;
        }

        public DdpmTask build() {
            Objects.requireNonNull(unet, "denoiser");
            Objects.requireNonNull(schedule, "schedule");
            Objects.requireNonNull(images, "images");
            Objects.requireNonNull(evalSampler, "eval sampler");
            Shape s = images.getShape();
            Shape expected = unet.imageShape();
            if (s.dimension() != 4 || s.get(0) < 1 || !s.slice(1).equals(expected)) {
                throw new IllegalArgumentException("images must be (N, " + expected.get(0) + ", " + expected.get(1)
                        + ", " + expected.get(2) + ") with N >= 1, got " + s);
            }
            if (unet.classes() > 0) {
                if (labels == null || labels.length != s.get(0)) {
                    throw new IllegalArgumentException("a class-conditional net needs one label per image (" + s.get(0)
                            + "), got " + (labels == null ? "none" : labels.length));
                }
                for (int l : labels) {
                    if (l < 0 || l >= unet.classes()) {
                        throw new IllegalArgumentException("labels must be in [0, " + unet.classes() + "), got " + l);
                    }
                }
            }
            if (!(emaDecay >= 0 && emaDecay < 1)) {
                throw new IllegalArgumentException("EMA decay must be in [0, 1), got " + emaDecay);
            }
            if (!(labelDropout >= 0 && labelDropout < 1)) {
                throw new IllegalArgumentException("label dropout must be in [0, 1), got " + labelDropout);
            }
            if (!(clip >= 0)) {
                throw new IllegalArgumentException("gradient clip must be >= 0, got " + clip);
            }
            if (stepsPerEpoch < 0 || evalSamples < 0) {
                throw new IllegalArgumentException(
                        "steps per epoch and eval samples must be >= 0, got " + stepsPerEpoch + " and " + evalSamples);
            }
            return new DdpmTask(this);
        }
    }
}
