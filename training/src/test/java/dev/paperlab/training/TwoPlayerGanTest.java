package dev.paperlab.training;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SigmoidBinaryCrossEntropyLoss;
import dev.paperlab.training.optim.Adam;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A two-player step (Goodfellow et al. 2014): generator G(z) = a z + b and an MLP discriminator,
 * two parameter sets and two optimizers, each updated with {@link TrainedPart#update} (no stop
 * gradients, no manual zeroing). The data are N(3, 0.5); G starts near N(0, 1).
 */
class TwoPlayerGanTest {
    private static final float DATA_MEAN = 3f;

    static final class GanTask implements TrainingTask {
        private TrainedPart generator;
        private TrainedPart discriminator;
        private final Loss bce = new SigmoidBinaryCrossEntropyLoss("bce", 1f, false);
        private final long steps;

        GanTask() {
            this(1500);
        }

        GanTask(long steps) {
            this.steps = steps;
        }

        @Override
        public void setUp(RunConfig config) {
            generator = Parts.create(
                    "generator",
                    Linear.builder().setUnits(1).build(),
                    bce,
                    Adam.builder().optLearningRate(0.01f).optBeta1(0.5f).build(),
                    Device.cpu(),
                    new Shape(1, 1));
            SequentialBlock d = new SequentialBlock()
                    .add(Linear.builder().setUnits(16).build())
                    .add(Activation::tanh)
                    .add(Linear.builder().setUnits(1).build());
            discriminator = Parts.create(
                    "discriminator",
                    d,
                    bce,
                    Adam.builder().optLearningRate(0.01f).optBeta1(0.5f).build(),
                    Device.cpu(),
                    new Shape(1, 1));
        }

        @Override
        public List<TrainedPart> parts() {
            return List.of(generator, discriminator);
        }

        @Override
        public long stepsPerEpoch() {
            return steps;
        }

        @Override
        public Map<String, Double> step(StepContext context) {
            var scope = context.scope();
            NDArray real = scope.randomNormal(DATA_MEAN, 0.5f, new Shape(64, 1), ai.djl.ndarray.types.DataType.FLOAT32);
            NDArray ones = scope.ones(new Shape(64, 1));
            NDArray zeros = scope.zeros(new Shape(64, 1));
            Map<String, Double> metrics = new LinkedHashMap<>();
            // Discriminator: max log D(x) + log(1 - D(G(z))). Its backward also reaches G's
            // parameters; the per-part update never applies that to G.
            double dLoss = discriminator.update(() -> {
                NDArray fake = generator
                        .trainer()
                        .forward(new NDList(scope.randomNormal(new Shape(64, 1))))
                        .head();
                NDArray lossReal =
                        bce.evaluate(new NDList(ones), discriminator.trainer().forward(new NDList(real)));
                NDArray lossFake =
                        bce.evaluate(new NDList(zeros), discriminator.trainer().forward(new NDList(fake)));
                return lossReal.add(lossFake);
            });
            metrics.put("d_loss", dLoss);
            // Generator: non-saturating loss -log D(G(z)); D's gradients from this pass are never applied.
            double gLoss = generator.update(() -> {
                NDArray fake = generator
                        .trainer()
                        .forward(new NDList(scope.randomNormal(new Shape(64, 1))))
                        .head();
                return bce.evaluate(new NDList(ones), discriminator.trainer().forward(new NDList(fake)));
            });
            metrics.put("g_loss", gLoss);
            return metrics;
        }

        float generatorMean() {
            return generator
                    .model()
                    .getBlock()
                    .getParameters()
                    .get("bias")
                    .getArray()
                    .getFloat(0);
        }
    }

    @Test
    void generatorMeanMovesToTheDataMean(@TempDir Path dir) {
        try (GanTask task = new GanTask()) {
            Harness harness = Harness.of(
                    RunConfig.builder()
                            .optOutDir(dir)
                            .optProgress(false)
                            .optSeed(3)
                            .build(),
                    new dev.paperlab.training.listeners.DivergenceGuard());
            harness.fit(task);
            float mean = task.generatorMean();
            assertTrue(Math.abs(mean - DATA_MEAN) < 0.5f, "generator mean " + mean + " vs data mean " + DATA_MEAN);
        }
    }
}
