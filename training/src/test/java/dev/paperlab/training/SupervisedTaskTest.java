package dev.paperlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import dev.paperlab.framework.nn.SquaredErrorLoss;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupervisedTaskTest {
    private static final float LR = 0.1f;

    /** Linear regression on 10 examples in batches of 4 (the last one partial), plain SGD. */
    static final class Regression extends SupervisedTask {
        Regression(ArrayDataset train, double clipNorm) {
            super(train, null, new EpochSampler(4, true, false, 3), clipNorm);
        }

        @Override
        protected TrainedPart createPart(RunConfig config) {
            return Parts.create(
                    "reg",
                    Linear.builder().setUnits(1).build(),
                    new SquaredErrorLoss(),
                    Optimizer.sgd().setLearningRateTracker(Tracker.fixed(LR)).build(),
                    Device.cpu(),
                    new Shape(4, 1));
        }
    }

    private static float[] flat(TrainingTask task) {
        List<Float> all = new ArrayList<>();
        for (Pair<String, Parameter> p : task.parts().get(0).model().getBlock().getParameters()) {
            for (float v : p.getValue().getArray().toFloatArray()) {
                all.add(v);
            }
        }
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }

    private static double distance(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (double) (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    @Test
    void countsThePartialLastBatchAsWhatItIs(@TempDir Path dir) {
        try (NDManager manager = NDManager.newBaseManager()) {
            ArrayDataset data = EpochSamplerTest.indices(manager, 10, 4);
            try (Regression task = new Regression(data, 0)) {
                RunState state = Harness.of(RunConfig.builder()
                                .optOutDir(dir)
                                .optProgress(false)
                                .optEpochs(2)
                                .build())
                        .fit(task);
                assertEquals(6, state.step());
                assertEquals(20, state.examples(), "2 epochs of 4 + 4 + 2");
                assertEquals(20 / state.trainSeconds(), state.samplesPerSecond(), 1e-9 * state.samplesPerSecond());
                assertTrue(!state.stepMetrics().containsKey(TrainingTask.EXAMPLES), "reserved metric not logged");
            }
        }
    }

    /**
     * One SGD step moves the parameters by lr * g: with clipping to global norm c below ||g||,
     * by lr * c * ||g|| / (||g|| + 1e-6) exactly as clip_grad_norm_ scales, and grad_norm logs ||g||.
     */
    @Test
    void clipsTheGlobalNormBetweenBackwardAndUpdate(@TempDir Path dir) {
        double clip = 1e-3;
        try (NDManager manager = NDManager.newBaseManager()) {
            ArrayDataset data = EpochSamplerTest.indices(manager, 10, 4);
            for (double c : new double[] {0, clip}) {
                try (Regression task = new Regression(data, c)) {
                    float[][] before = new float[1][];
                    RunListener probe = new RunListener() {
                        @Override
                        public void onRunBegin(RunState state) {
                            before[0] = flat(task);
                        }
                    };
                    RunState state = Harness.of(
                                    RunConfig.builder()
                                            .optOutDir(dir)
                                            .optProgress(false)
                                            .optMaxSteps(1)
                                            .build(),
                                    probe)
                            .fit(task);
                    double moved = distance(before[0], flat(task));
                    if (c == 0) {
                        assertTrue(moved > 10 * LR * clip, "unclipped step " + moved);
                        assertTrue(!state.stepMetrics().containsKey("grad_norm"));
                    } else {
                        double norm = state.stepMetrics().get("grad_norm");
                        assertTrue(norm > clip, "gradient norm " + norm + " must exceed the clip for this test");
                        // float32 parameters of size ~1: the step is recovered to ~1e-7 absolute
                        assertEquals(LR * clip * norm / (norm + 1e-6), moved, 1e-6);
                    }
                }
            }
        }
    }

    @Test
    void reportsTheLossOfTheBatch(@TempDir Path dir) {
        try (NDManager manager = NDManager.newBaseManager()) {
            ArrayDataset data = EpochSamplerTest.indices(manager, 10, 4);
            try (Regression task = new Regression(data, 0)) {
                RunState state = Harness.of(RunConfig.builder()
                                .optOutDir(dir)
                                .optProgress(false)
                                .build())
                        .fit(task);
                Map<String, Double> metrics = state.stepMetrics();
                assertTrue(Double.isFinite(metrics.get("loss")) && metrics.get("loss") >= 0, metrics.toString());
            }
        }
    }
}
