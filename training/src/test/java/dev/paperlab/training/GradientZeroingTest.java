package dev.paperlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness zeroes every part's gradients before a step, unless the task declares that its
 * step zeroes them itself ({@link TrainingTask#zeroesOwnGradients()}).
 */
class GradientZeroingTest {

    /**
     * Each step runs one backward pass of sum(W) without zeroing first (d sum(W) / dW = 1) and
     * records the gradient after it: 1 when something zeroed it before the step, the step count
     * when the gradients accumulate.
     */
    private static final class Accumulates extends TinyTask {
        private final boolean zeroesOwn;
        final List<Float> seen = new ArrayList<>();

        Accumulates(boolean zeroesOwn) {
            super(3);
            this.zeroesOwn = zeroesOwn;
        }

        @Override
        public boolean zeroesOwnGradients() {
            return zeroesOwn;
        }

        @Override
        public Map<String, Double> step(StepContext context) {
            NDArray weight =
                    part.model().getBlock().getParameters().get("weight").getArray();
            try (GradientCollector collector = part.trainer().newGradientCollector()) {
                collector.backward(weight.sum());
            }
            try (NDArray grad = weight.getGradient()) {
                seen.add(grad.max().getFloat());
            }
            return Map.of("loss", 0.0);
        }
    }

    @Test
    void harnessZeroesUnlessTheTaskDoes(@TempDir Path dir) {
        for (boolean zeroesOwn : new boolean[] {false, true}) {
            Accumulates task = new Accumulates(zeroesOwn);
            try (task) {
                Harness.of(RunConfig.builder()
                                .optOutDir(dir.resolve("run-" + zeroesOwn))
                                .optProgress(false)
                                .build())
                        .fit(task);
            }
            List<Float> expected = zeroesOwn ? List.of(1f, 2f, 3f) : List.of(1f, 1f, 1f);
            assertEquals(expected, task.seen, "zeroesOwnGradients " + zeroesOwn);
        }
    }
}
