package dev.paperlab.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Dataset;
import dev.paperlab.datasets.fashion.FashionMnist;
import dev.paperlab.datasets.synthetic.Mixtures2d;
import dev.paperlab.framework.nn.Scalars;
import dev.paperlab.models.eval.ImageScores;
import dev.paperlab.models.gan.Dcgan;
import dev.paperlab.models.gan.GanLoss;
import dev.paperlab.models.gan.GanMlp;
import dev.paperlab.models.gan.GanTask;
import dev.paperlab.training.Harness;
import dev.paperlab.training.RunConfig;
import dev.paperlab.training.RunListener;
import dev.paperlab.training.RunState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Trains a GAN (Goodfellow et al. 2014) on a 2-D mixture (8 Gaussians on a ring, a 5x5 grid) or
 * Fashion-MNIST, and writes samples over the real data (2-D) or sample grids (images) and both
 * players' losses beside {@code summary.json}. 2-D defaults are the ring recipe: MLP 128-128
 * players, Z = 2, non-saturating loss, Adam 8.5e-4 (beta1 0.5) on a half cosine, batch 256, 5,000
 * steps. Image defaults are the DCGAN recipe (Radford et al. 2015): DCGAN players, Z = 100, Adam
 * 2e-4 (beta1 0.5), batch 64, N(0, 0.02) weights; every evaluation (each epoch, and every {@code
 * --eval-every} steps) scores 10,000 samples (Fréchet distance, class coverage) into {@code
 * metrics.csv} and writes a sample grid of fixed latents to {@code samples/step-N.png}.
 */
@Command(
        name = "gan",
        mixinStandardHelpOptions = true,
        description = "Generative adversarial network on 2-D mixtures (ring, grid; MLP players) or Fashion-MNIST"
                + " (DCGAN players).")
public final class GanCommand extends ExampleCommand {
    /** Standard deviation of each mixture component; the coverage radius 0.1 is 5 of them. */
    static final double MIXTURE_STD = 0.02;

    /** Steps of a 2-D run when --steps is not given. */
    static final long RING_STEPS = 5000;

    /** Learning rate of 2-D runs: with cosine decay, 8/8 modes and high quality >= 0.8 in 5,000 steps. */
    static final float RING_LR = 8.5e-4f;

    /**
     * Image epochs when neither --steps nor --epochs is given: each is evaluated, and three take
     * about 5 minutes of DCGAN training on a 2-core CPU, about 13 with oneDNN capped
     * (docs/benchmarks.md).
     */
    static final int IMAGE_EPOCHS = 3;

    /** Real training images scored for the floor of the Fréchet distance. */
    static final int SCORED_SAMPLES = 10_000;

    /** Real points drawn under the samples in the pictures. */
    private static final int REAL_POINTS = 2000;

    @Mixin
    CommonOptions common;

    @Option(names = "--data", description = "ring, grid or fashion-mnist (default: ${DEFAULT-VALUE}).")
    String data = "ring";

    @Option(
            names = "--arch",
            description = "Players' architecture: mlp, or dcgan for images (default: dcgan for images, mlp for 2-D"
                    + " data).")
    String arch;

    @Option(names = "--loss", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    GanLoss loss = GanLoss.NS;

    @Option(
            names = "--d-steps",
            description = "Discriminator updates per generator update (default: ${DEFAULT-VALUE}).")
    int discriminatorSteps = 1;

    @Option(names = "--latent", description = "Latent size Z (default: 2 for 2-D data, 64 for images).")
    Integer latent;

    @Option(
            names = "--hidden",
            split = ",",
            description = "Hidden widths of both players (default: 128,128 for 2-D data, 512,512 for images).")
    int[] hidden;

    @Option(
            names = "--g-average",
            description = "Sample from a moving average of G's weights with this decay; 0 = G itself"
                    + " (default: ${DEFAULT-VALUE}).")
    float generatorAverage = 0f;

    @Option(
            names = "--eval-samples",
            description = "Samples scored at each evaluation: modes (2-D) or Fréchet distance and class coverage"
                    + " (images) (default: ${DEFAULT-VALUE}).")
    int evalSamples = GanTask.EVAL_SAMPLES;

    @Option(
            names = "--lr-decay",
            description = "none, or cosine: lr decays to 0 on a half cosine over the run's steps"
                    + " (default: cosine for 2-D data, none for images).")
    String lrDecay;

    @Override
    public Map<String, Object> runExample() throws Exception {
        boolean image = switch (data) {
            case "ring", "grid" -> false;
            case "fashion-mnist" -> true;
            default ->
                throw new IllegalArgumentException(
                        "--data must be one of ring, grid, fashion-mnist, got '" + data + "'");
        };
        if (arch == null) {
            arch = image ? "dcgan" : "mlp";
        }
        if (!arch.equals("mlp") && !arch.equals("dcgan")) {
            throw new IllegalArgumentException("--arch must be mlp or dcgan, got '" + arch + "'");
        }
        if (arch.equals("dcgan") && !image) {
            throw new IllegalArgumentException(
                    "--arch dcgan needs image data (--data fashion-mnist), got --data " + data);
        }
        boolean dcgan = arch.equals("dcgan");
        if (image && !budgetGiven(common)) {
            common.epochs = IMAGE_EPOCHS;
        }
        // 2-D: the tuned ring recipe (8.5e-4 decayed on a half cosine); images: DCGAN's 2e-4
        // 2-D players' operators are so small that one thread beats two (IntraOpThreads)
        RunConfig config = common.toConfig("gan", dcgan ? 64 : 256, image ? 2e-4f : RING_LR, image ? 0 : 1);
        int z = latent != null ? latent : dcgan ? 100 : image ? 64 : 2;
        String decay = lrDecay != null ? lrDecay : image ? "none" : "cosine";
        if (!decay.equals("none") && !decay.equals("cosine")) {
            throw new IllegalArgumentException("--lr-decay must be none or cosine, got '" + lrDecay + "'");
        }
        if (z < 1) {
            throw new IllegalArgumentException("--latent must be >= 1, got " + z);
        }
        if (discriminatorSteps < 1) {
            throw new IllegalArgumentException("--d-steps must be >= 1, got " + discriminatorSteps);
        }
        if (evalSamples < 2) {
            throw new IllegalArgumentException("--eval-samples must be >= 2, got " + evalSamples);
        }
        int[] widths = hidden != null ? hidden : image ? new int[] {512, 512} : new int[] {128, 128};
        if (!image && common.evalEvery == 0) {
            long steps = common.steps > 0 ? common.steps : RING_STEPS;
            config = withBudget(config, config.epochs(), Math.max(1, steps / 5));
        }
        GanTask.Builder b = GanTask.builder()
                .setLatentSize(z)
                .optLoss(loss)
                .optDiscriminatorSteps(discriminatorSteps)
                .optGeneratorAverage(generatorAverage)
                .optJointDiscriminatorPass(!dcgan)
                .optEvalSamples(evalSamples)
                .setDiscriminator(dcgan ? Dcgan.discriminator(28) : GanMlp.discriminator(widths));
        if (image) {
            return runImages(config, b, z, widths);
        }
        double[][] centres = data.equals("ring") ? Mixtures2d.ringMeans(8, 2.0) : Mixtures2d.gridMeans(5, 2.0);
        GanTask.RealData real = data.equals("ring")
                ? (scope, n, random) -> Mixtures2d.ring(n, 8, 2.0, MIXTURE_STD, random.nextLong())
                        .pointArray(scope)
                : (scope, n, random) -> Mixtures2d.grid(n, 5, 2.0, MIXTURE_STD, random.nextLong())
                        .pointArray(scope);
        long steps = common.steps > 0 ? common.steps : RING_STEPS;
        try (GanTask task = b.setGenerator(GanMlp.generator(z, widths, 2, false))
                .setData(real, new Shape(2))
                .optModeCentres(centres)
                .optStepsPerEpoch(steps)
                .optCosineDecay(decay.equals("cosine") ? steps : 0)
                .build()) {
            RunState state = Harness.withDefaultListeners(config).fit(task);
            describe(state);
            float[] realPoints = (data.equals("ring")
                            ? Mixtures2d.ring(REAL_POINTS, 8, 2.0, MIXTURE_STD, config.seed())
                            : Mixtures2d.grid(REAL_POINTS, 5, 2.0, MIXTURE_STD, config.seed()))
                    .points();
            List<Pictures.ScatterPanel> panels = new ArrayList<>();
            for (GanTask.Snapshot s : task.snapshots()) {
                float[] shown = java.util.Arrays.copyOf(s.points(), Math.min(s.points().length, 2 * REAL_POINTS));
                panels.add(new Pictures.ScatterPanel("step " + s.step(), realPoints, shown));
            }
            Pictures.scatterPanels(config.outDir().resolve("samples.png"), panels, 3);
            lossCurves(config.outDir());
            return finalSummary(state);
        }
    }

    private Map<String, Object> runImages(RunConfig config, GanTask.Builder b, int z, int[] widths) throws Exception {
        boolean dcgan = arch.equals("dcgan");
        FashionMnist.Builder fb = FashionMnist.builder()
                .optUsage(Dataset.Usage.TRAIN)
                .optFlatten(!dcgan)
                .optSeed(config.seed())
                .setSampling(config.batchSize(), true);
        if (common.dataDir() != null) {
            fb.optDataDir(common.dataDir());
        }
        // the scoring classifier first: every evaluation (each epoch, --eval-every) scores samples
        try (FashionMnist train = fb.build();
                ImageScores scores = ImageScores.create(config.outDir().resolve("classifier"), common.dataDir())) {
            // pixels in [0, 1] -> [-1, 1], the range of G's tanh
            NDArray x = Scalars.mul(train.dataArray(), 2).sub(1f);
            long n = x.getShape().get(0);
            GanTask.RealData real = (scope, count, random) -> {
                long[] idx = new long[count];
                for (int i = 0; i < count; i++) {
                    idx[i] = random.nextInt((int) n);
                }
                NDArray picked = x.get(new NDIndex("{}", scope.create(idx)));
                picked.attach(scope);
                return picked;
            };
            long perEpoch = Math.max(1, n / config.batchSize());
            long steps = config.plannedSteps(perEpoch);
            try (GanTask task = b.setGenerator(dcgan ? Dcgan.generator(z, 28) : GanMlp.generator(z, widths, 784, true))
                    .setData(real, dcgan ? new Shape(1, 28, 28) : new Shape(784))
                    .optStepsPerEpoch(perEpoch)
                    .optCosineDecay("cosine".equals(lrDecay) ? steps : 0)
                    .optImageScores(scores)
                    .optDataSource(train.source())
                    .build()) {
                Path out = config.outDir();
                RunListener grids = new RunListener() {
                    @Override
                    public void onEvaluation(RunState state) {
                        List<GanTask.Snapshot> all = task.snapshots();
                        GanTask.Snapshot last = all.get(all.size() - 1);
                        writeGrid(out.resolve(String.format("samples/step-%06d.png", last.step())), last);
                    }
                };
                RunState state = Harness.withDefaultListeners(config, grids).fit(task);
                describe(state);
                scores.report(task.lastScore(), train.dataArray(), SCORED_SAMPLES, state.summary());
                List<GanTask.Snapshot> all = task.snapshots();
                writeGrid(out.resolve("samples.png"), all.get(all.size() - 1));
                lossCurves(out);
                return finalSummary(state);
            }
        }
    }

    /** A grid of the snapshot's images (G's [-1, 1] shown as [0, 1]), 8 per row. */
    private static void writeGrid(Path file, GanTask.Snapshot snapshot) {
        float[] s = snapshot.points();
        int count = s.length / 784;
        float[][] images = new float[count][784];
        for (int i = 0; i < count; i++) {
            for (int p = 0; p < 784; p++) {
                images[i][p] = (s[i * 784 + p] + 1) / 2;
            }
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Pictures.grid(file, images, 28, 28, 8, 2);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private void describe(RunState state) {
        state.summary().put("command", "gan");
        state.summary().put("data", data);
        state.summary().put("arch", arch);
        state.summary().put("loss", loss.name().toLowerCase(java.util.Locale.ROOT));
        state.summary().put("d_steps", discriminatorSteps);
    }

    private static void lossCurves(Path out) throws java.io.IOException {
        Pictures.curves(
                out.resolve("metrics.csv"),
                out.resolve("loss.png"),
                "GAN players' losses",
                List.of("d_loss", "g_loss"));
    }

    private static RunConfig withBudget(RunConfig c, int epochs, long evalEvery) {
        return c.toBuilder().optEpochs(epochs).optEvalEvery(evalEvery).build();
    }
}
