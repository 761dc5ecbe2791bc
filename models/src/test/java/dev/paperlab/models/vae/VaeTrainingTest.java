package dev.paperlab.models.vae;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A few hundred Adam steps on prototype data drive the negative ELBO well down. */
class VaeTrainingTest {

    private static final int EXAMPLES = 512;
    private static final int PIXELS = 784;
    private static final int PROTOTYPES = 4;
    private static final int BATCH = 64;
    private static final int STEPS = 300;

    /** Loss before and after training, and the wall time. */
    record Run(float before, float after, double seconds) {}

    @Test
    void shortTrainingLowersTheNegativeElbo() {
        Run run = train(Vae.builder().build(), new Shape(BATCH, PIXELS), STEPS, 1e-3f);
        assertTrue(run.after() < 0.5f * run.before(), "loss " + run.before() + " -> " + run.after());
        assertTrue(run.seconds() < 20, "took " + run.seconds() + " s");
    }

    @Test
    void convVariantTrainsToo() {
        Vae conv =
                Vae.builder()
                        .optVariant(Vae.Variant.CONV)
                        .optConvChannels(8, 16)
                        .optHiddenSize(128)
                        .build();
        Run run = train(conv, new Shape(BATCH, 1, 28, 28), 80, 3e-3f);
        assertTrue(run.after() < 0.7f * run.before(), "loss " + run.before() + " -> " + run.after());
    }

    static Run train(Vae vae, Shape batchShape, int steps, float learningRate) {
        Engine.getInstance().setRandomSeed(2024);
        float[] data = prototypeData(new Random(2024));
        long start = System.nanoTime();
        try (Model model = Model.newInstance("vae")) {
            model.setBlock(vae);
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(new VaeLoss())
                            .optOptimizer(
                                    Optimizer.adam()
                                            .optLearningRateTracker(Tracker.fixed(learningRate))
                                            .build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(batchShape);
                NDManager manager = trainer.getManager();
                Shape all = new Shape(EXAMPLES).addAll(batchShape.slice(1));
                NDArray dataset = manager.create(data, all);
                VaeLoss loss = (VaeLoss) trainer.getLoss();
                float before = evalLoss(trainer, dataset);
                Random order = new Random(7);
                for (int step = 0; step < steps; step++) {
                    try (NDManager scratch = manager.newSubManager()) {
                        int from = order.nextInt(EXAMPLES / BATCH) * BATCH;
                        NDArray x = dataset.get(from + ":" + (from + BATCH));
                        x.attach(scratch);
                        zeroGradients(model, scratch);
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDList out = trainer.forward(new NDList(x));
                            gc.backward(loss.evaluate(new NDList(x), out));
                        }
                        trainer.step();
                    }
                }
                float after = evalLoss(trainer, dataset);
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(
                        "VAE %s negative ELBO %.1f -> %.1f nats in %d steps, %.1f s%n",
                        vae.getVariant(), before, after, steps, seconds);
                return new Run(before, after, seconds);
            }
        }
    }

    /** Inference-mode loss (z = mu) on the whole set, so the measure has no sampling noise. */
    private static float evalLoss(Trainer trainer, NDArray all) {
        try (NDManager scratch = trainer.getManager().newSubManager()) {
            NDArray x = all.duplicate();
            x.attach(scratch);
            NDList out = trainer.evaluate(new NDList(x));
            return trainer.getLoss().evaluate(new NDList(x), out).getFloat();
        }
    }

    /** Gradients accumulate across backward calls in DJL's PyTorch engine; clear them. */
    private static void zeroGradients(Model model, NDManager scratch) {
        for (Parameter p : model.getBlock().getParameters().values()) {
            NDArray g = p.getArray().getGradient();
            g.attach(scratch);
            g.subi(g);
        }
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
