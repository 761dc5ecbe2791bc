package dev.paperlab.models.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.ArrayDataset;
import dev.paperlab.training.Harness;
import dev.paperlab.training.RunConfig;
import dev.paperlab.training.RunListener;
import dev.paperlab.training.RunState;
import dev.paperlab.training.listeners.DivergenceGuard;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training through the harness ({@link VaeTask}, paperlab's Adam) on four noisy binary
 * prototypes must make the VAE use its latent code.
 *
 * <p>The margin: a decoder that ignores z can at best predict each pixel's marginal frequency, so
 * its negative ELBO is at least the data's per-pixel marginal entropy ({@link #marginalOnlyLoss},
 * about 407 nats here, computed from the data). Knowing the prototype leaves only the 5% flip
 * noise, 784 * H(0.05) = 156 nats, plus a few nats of KL. A trained VAE must be below 0.8 times
 * the best z-free loss: halfway between is well clear of what ignoring z can reach, and far enough
 * above the floor that a few hundred steps get there.
 */
class VaeTrainingTest {

    private static final int EXAMPLES = 512;
    private static final int PIXELS = 784;
    private static final int PROTOTYPES = 4;
    private static final int BATCH = 64;

    /** Inference-mode loss (z = mu) over the whole set before and after training. */
    record Run(double before, double after, double marginalOnly) {}

    @Test
    void shortTrainingLowersTheNegativeElbo(@TempDir Path dir) {
        Run run = train(Vae.builder().build(), 300, 1e-3f, dir);
        assertTrue(run.before() > run.marginalOnly(), "an untrained decoder is no better than the marginals: " + run);
        assertTrue(run.after() < 0.8 * run.marginalOnly(), "the latent code must be used: " + run);
    }

    @Test
    void convVariantTrainsToo(@TempDir Path dir) {
        Vae conv = Vae.builder()
                .optVariant(Vae.Variant.CONV)
                .optConvChannels(8, 16)
                .optHiddenSize(128)
                .build();
        Run run = train(conv, 200, 3e-3f, dir);
        assertTrue(run.before() > run.marginalOnly(), "an untrained decoder is no better than the marginals: " + run);
        assertTrue(run.after() < 0.8 * run.marginalOnly(), "the latent code must be used: " + run);
    }

    static Run train(Vae vae, int steps, float learningRate, Path dir) {
        float[] data = prototypeData(new Random(2024));
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray all = manager.create(
                    data, new Shape(EXAMPLES).addAll(vae.inputShape(1).slice(1)));
            ArrayDataset train = new ArrayDataset.Builder()
                    .setData(all)
                    .optLabels(manager.zeros(new Shape(EXAMPLES)))
                    .setSampling(BATCH, false)
                    .build();
            RunConfig config = RunConfig.builder()
                    .optOutDir(dir)
                    .optProgress(false)
                    .optSeed(2024)
                    .optEpochs(Integer.MAX_VALUE)
                    .optMaxSteps(steps)
                    .optBatchSize(BATCH)
                    .optLearningRate(learningRate)
                    .build();
            double[] before = new double[1];
            RunListener first = new RunListener() {
                @Override
                public void onRunBegin(RunState state) {
                    before[0] = inferenceLoss(vae, all);
                }
            };
            try (VaeTask task = new VaeTask(vae, train, null, config.seed(), BATCH, "prototypes")) {
                RunState state =
                        Harness.of(config, new DivergenceGuard(), first).fit(task);
                assertEquals(steps, state.step());
                Run run = new Run(before[0], inferenceLoss(vae, all), marginalOnlyLoss(data));
                System.out.printf(
                        "VAE %s negative ELBO %.1f -> %.1f nats in %d steps (z-free best %.1f)%n",
                        vae.getVariant(), run.before(), run.after(), steps, run.marginalOnly());
                return run;
            }
        }
    }

    /** Mean negative ELBO with z = mu, so the measure has no sampling noise. */
    private static double inferenceLoss(Vae vae, NDArray all) {
        try (NDManager scope = all.getManager().newSubManager()) {
            NDList out = vae.forward(new ParameterStore(scope, false), new NDList(all), false);
            out.attach(scope);
            return VaeLoss.negativeElbo(out.get(0), all, out.get(1), out.get(2))
                    .mean()
                    .getFloat();
        }
    }

    /** Negative log-likelihood of the data under independent per-pixel Bernoullis at their means. */
    private static double marginalOnlyLoss(float[] data) {
        double total = 0;
        for (int d = 0; d < PIXELS; d++) {
            double on = 0;
            for (int i = 0; i < EXAMPLES; i++) {
                on += data[i * PIXELS + d];
            }
            double p = on / EXAMPLES;
            if (p > 0 && p < 1) {
                total -= on * Math.log(p) + (EXAMPLES - on) * Math.log(1 - p);
            }
        }
        return total / EXAMPLES;
    }

    /** Four random binary prototypes, each pixel flipped with probability 0.05. */
    private static float[] prototypeData(Random random) {
        boolean[][] prototypes = new boolean[PROTOTYPES][PIXELS];
        for (boolean[] p : prototypes) {
            for (int d = 0; d < PIXELS; d++) {
                p[d] = random.nextDouble() < 0.3;
            }
        }
        float[] data = new float[EXAMPLES * PIXELS];
        for (int i = 0; i < EXAMPLES; i++) {
            boolean[] p = prototypes[random.nextInt(PROTOTYPES)];
            for (int d = 0; d < PIXELS; d++) {
                boolean on = p[d] ^ (random.nextDouble() < 0.05);
                data[i * PIXELS + d] = on ? 1f : 0f;
            }
        }
        return data;
    }
}
