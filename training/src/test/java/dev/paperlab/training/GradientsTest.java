package dev.paperlab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import dev.paperlab.training.optim.Adam;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GradientsTest {

    /** A linear model whose loss at step {@code poisonAt} is NaN; that step skips its update. */
    static final class PoisonedStepTask implements TrainingTask {
        private final long poisonAt;
        private TrainedPart part;
        final List<Boolean> finiteAfterBackward = new ArrayList<>();

        PoisonedStepTask(long poisonAt) {
            this.poisonAt = poisonAt;
        }

        @Override
        public void setUp(RunConfig config) {
            part = Parts.create("net", Linear.builder().setUnits(1).build(), Loss.l2Loss(),
                    Adam.builder().optLearningRate(0.01f).build(), Device.cpu(), new Shape(4, 3));
        }

        @Override
        public List<TrainedPart> parts() {
            return List.of(part);
        }

        @Override
        public long stepsPerEpoch() {
            return poisonAt + 3;
        }

        @Override
        public Map<String, Double> step(StepContext context) {
            NDManager scope = context.scope();
            double value;
            try (GradientCollector collector = part.trainer().newGradientCollector()) {
                NDArray y = part.trainer().forward(new NDList(scope.randomNormal(new Shape(4, 3)))).head();
                NDArray loss = y.square().mean();
                if (context.step() == poisonAt) {
                    loss = loss.mul(Float.NaN);
                }
                collector.backward(loss);
                value = loss.getFloat();
            }
            finiteAfterBackward.add(gradientsFinite(part));
            if (Double.isFinite(value)) {
                part.step(); // a skipped update, as a loss scaler skips an overflowing step
            }
            return Map.of("loss", value);
        }
    }

    static boolean gradientsFinite(TrainedPart part) {
        for (Pair<String, Parameter> p : part.model().getBlock().getParameters()) {
            for (float g : p.getValue().getArray().getGradient().toFloatArray()) {
                if (!Float.isFinite(g)) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void aNonFiniteGradientDoesNotPoisonTheNextStep(@TempDir Path dir) {
        try (PoisonedStepTask task = new PoisonedStepTask(3)) {
            // No listeners: the divergence guard is off, so the run goes on past the NaN step.
            Harness.of(RunConfig.builder().optOutDir(dir).optProgress(false).optSeed(2).build()).fit(task);
            assertEquals(List.of(true, true, true, false, true, true), task.finiteAfterBackward);
        }
    }

    @Test
    void zeroOverwritesNanAndInf() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray grad = manager.create(new float[] {Float.NaN, Float.POSITIVE_INFINITY, -3f, Float.NEGATIVE_INFINITY});
            Gradients.zero(grad);
            assertArrayEquals(new float[4], grad.toFloatArray());
        }
    }
}
