package dev.paperlab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GradientsTest {

    /** A linear model whose loss at step {@code poisonAt} is NaN; that step skips its update. */
    static final class PoisonedStepTask extends TinyTask {
        private final long poisonAt;
        final List<Boolean> finiteAfterBackward = new ArrayList<>();

        PoisonedStepTask(long poisonAt) {
            super(poisonAt + 3);
            this.poisonAt = poisonAt;
        }

        @Override
        public Map<String, Double> step(StepContext context) {
            NDManager scope = context.scope();
            double value;
            try (GradientCollector collector = part.trainer().newGradientCollector()) {
                NDArray y = part.trainer()
                        .forward(new NDList(scope.randomNormal(new Shape(4, 3))))
                        .head();
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
            Harness.of(RunConfig.builder()
                            .optOutDir(dir)
                            .optProgress(false)
                            .optSeed(2)
                            .build())
                    .fit(task);
            assertEquals(List.of(true, true, true, false, true, true), task.finiteAfterBackward);
        }
    }

    /** A block's NaN gradients become zeros; a block with no backward pass yet is left alone. */
    @Test
    void zeroOfABlockOverwritesNanAndSkipsMissingGradients() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Linear block = Linear.builder().setUnits(2).build();
            block.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 3));
            Gradients.zero(block); // no gradient yet: nothing to do, no error
            NDArray x = manager.create(new float[] {1, 2, 3}, new Shape(1, 3));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = block.forward(new ai.djl.training.ParameterStore(manager, false), new NDList(x), true)
                        .head();
                collector.backward(y.sum().mul(Float.NaN));
            }
            for (Pair<String, Parameter> p : block.getParameters()) {
                assertEquals(Float.NaN, p.getValue().getArray().getGradient().toFloatArray()[0]);
            }
            Gradients.zero(block);
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray g = p.getValue().getArray().getGradient();
                assertArrayEquals(new float[(int) g.size()], g.toFloatArray(), p.getKey());
            }
        }
    }

    @Test
    void zeroOverwritesNanAndInf() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray grad =
                    manager.create(new float[] {Float.NaN, Float.POSITIVE_INFINITY, -3f, Float.NEGATIVE_INFINITY});
            Gradients.zero(grad);
            assertArrayEquals(new float[4], grad.toFloatArray());
        }
    }

    /**
     * clip_grad_norm_ by hand: gradients c1 = (3, -4, 12) on W (1x3) and c2 = (5) on b, whose
     * global norm is sqrt(9 + 16 + 144 + 25) = sqrt(194); scaled by max / (norm + 1e-6) when above
     * max, untouched otherwise.
     */
    @Test
    void clipGlobalNormScalesAllGradientsByOneFactor() {
        float[] c1 = {3, -4, 12};
        float[] c2 = {5};
        double norm = Math.sqrt(9 + 16 + 144 + 25);
        for (double max : new double[] {2.0, 100.0}) {
            try (NDManager manager = NDManager.newBaseManager()) {
                Linear block = Linear.builder().setUnits(1).build();
                block.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 3));
                NDArray w = block.getParameters().get("weight").getArray();
                NDArray b = block.getParameters().get("bias").getArray();
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    // d/dW sum(W * c1) = c1, d/db sum(b * c2) = c2
                    collector.backward(w.mul(manager.create(c1, new Shape(1, 3)))
                            .sum()
                            .add(b.mul(manager.create(c2)).sum()));
                }
                double reported = Gradients.clipGlobalNorm(block, max);
                assertEquals(norm, reported, 1e-5 * norm, "norm before clipping"); // float32 sum of squares
                double factor = norm > max ? max / (norm + 1e-6) : 1;
                float[] gw = w.getGradient().toFloatArray();
                for (int i = 0; i < 3; i++) {
                    assertEquals(c1[i] * factor, gw[i], 1e-6 * Math.abs(c1[i]), "dW[" + i + "] at max " + max);
                }
                assertEquals(c2[0] * factor, b.getGradient().getFloat(0), 1e-6 * c2[0], "db at max " + max);
            }
        }
    }
}
