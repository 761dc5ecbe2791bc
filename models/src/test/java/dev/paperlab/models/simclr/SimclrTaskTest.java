package dev.paperlab.models.simclr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import dev.paperlab.datasets.augment.ContrastiveAugmentation;
import dev.paperlab.training.Harness;
import dev.paperlab.training.RunConfig;
import dev.paperlab.training.RunState;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimclrTaskTest {
    private static final int SIDE = 28;

    /** Bars: class 0 a vertical bar, class 1 a horizontal one, at random places and brightness. */
    private static float[] bars(int n, int[] labels, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * SIDE * SIDE];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            int at = 6 + r.nextInt(16);
            float v = 0.5f + 0.5f * r.nextFloat();
            for (int a = 4; a < 24; a++) {
                for (int w = 0; w < 3; w++) {
                    int row = labels[i] == 0 ? a : at + w;
                    int col = labels[i] == 0 ? at + w : a;
                    x[i * SIDE * SIDE + row * SIDE + col] = v;
                }
            }
        }
        return x;
    }

    @Test
    void trainingLowersTheContrastiveLossWithEveryOptimizer(@TempDir Path dir) {
        for (SimclrTask.OptimizerChoice choice : SimclrTask.OptimizerChoice.values()) {
            try (NDManager m = NDManager.newBaseManager()) {
                int[] y = new int[128];
                NDArray x = m.create(bars(128, y, 1), new Shape(128, 1, SIDE, SIDE));
                ArrayDataset data = new ArrayDataset.Builder()
                        .setData(x)
                        .setSampling(32, false)
                        .build();
                Simclr model =
                        Simclr.builder().optChannels(8, 16, 16).optHead(32, 16).build();
                SimclrTask task = SimclrTask.builder()
                        .setModel(model)
                        .setData(data, "bars")
                        .optBatchSize(32)
                        .optOptimizer(choice)
                        .optWarmupFraction(0)
                        .optAugmentation(ContrastiveAugmentation.builder()
                                .optKinds(EnumSet.of(ContrastiveAugmentation.Kind.NOISE))
                                .build())
                        .optMonitor(new SimclrTask.Monitor(x, y, x, y))
                        .build();
                float lr = choice == SimclrTask.OptimizerChoice.LARS ? 10f : 3e-3f;
                try (task) {
                    RunState state = Harness.of(RunConfig.builder()
                                    .optOutDir(dir.resolve(choice.toString()))
                                    .optProgress(false)
                                    .optEpochs(6)
                                    .optBatchSize(32)
                                    .optLearningRate(lr)
                                    .build())
                            .fit(task);
                    assertEquals(24, state.step());
                    // 64 views: a random encoder starts near ln(63) = 4.14; learning the pairs
                    // through noise must take it well below that
                    double last = state.stepMetrics().get("loss");
                    assertTrue(last < 3.5, choice + ": final loss " + last);
                    double knn = state.evalMetrics().get("monitor_knn_accuracy");
                    assertTrue(knn >= 0.9, choice + ": bar orientation by k-NN " + knn);
                }
            }
        }
    }

    /** Every parameter after a run, concatenated, and the steps that run took itself. */
    private record Trained(float[] parameters, long stepsThisRun) {}

    /** Trains 2 epochs of 4 steps on bars with LARS. */
    private static Trained train(Path out, int checkpointEvery, boolean resume) {
        try (NDManager m = NDManager.newBaseManager()) {
            int[] y = new int[64];
            ArrayDataset data = new ArrayDataset.Builder()
                    .setData(m.create(bars(64, y, 3), new Shape(64, 1, SIDE, SIDE)))
                    .setSampling(16, false)
                    .build();
            Simclr model = Simclr.builder().optChannels(4, 8, 8).optHead(16, 8).build();
            try (SimclrTask task = SimclrTask.builder()
                    .setModel(model)
                    .setData(data, "bars")
                    .optBatchSize(16)
                    .optOptimizer(SimclrTask.OptimizerChoice.LARS)
                    .build()) {
                RunState state = Harness.withDefaultListeners(RunConfig.builder()
                                .optOutDir(out)
                                .optProgress(false)
                                .optEpochs(2)
                                .optBatchSize(16)
                                .optLearningRate(5f)
                                .optCheckpointEvery(checkpointEvery)
                                .optResume(resume)
                                .build())
                        .fit(task);
                java.util.List<Float> all = new java.util.ArrayList<>();
                for (var p : model.getParameters()) {
                    for (float v : p.getValue().getArray().toFloatArray()) {
                        all.add(v);
                    }
                }
                float[] f = new float[all.size()];
                for (int i = 0; i < f.length; i++) {
                    f[i] = all.get(i);
                }
                return new Trained(f, state.stepsThisRun());
            }
        }
    }

    @Test
    void aResumedRunEndsExactlyWhereAStraightOneDoes(@TempDir Path dir) throws Exception {
        Trained straight = train(dir.resolve("straight"), 0, false);
        Path out = dir.resolve("resumed");
        train(out, 4, false);
        // as if the run had stopped after its mid-way checkpoint: views, noise and batch order
        // come from the step's seed, LARS momentum and batch-norm statistics from the checkpoint
        java.nio.file.Files.writeString(out.resolve("checkpoints/latest"), "step-00000004");
        Trained resumed = train(out, 4, true);
        assertEquals(4, resumed.stepsThisRun(), "the resumed run starts at step 4");
        org.junit.jupiter.api.Assertions.assertArrayEquals(straight.parameters(), resumed.parameters(), 0f);
    }

    @Test
    void representationSizesFollowTheReadout() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (Simclr.Readout readout : Simclr.Readout.values()) {
                Simclr model = Simclr.builder().optReadout(readout).build();
                model.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, model.inputShape(4));
                NDArray h = model.represent(m.zeros(new Shape(5, SIDE * SIDE)), 2, m);
                // pooled: c3 = 128; flattened: 128 x 4 x 4 (28 -> 14 -> 7 -> 4)
                long expected = readout == Simclr.Readout.POOL ? 128 : 2048;
                assertEquals(new Shape(5, expected), h.getShape());
                assertEquals(expected, model.representationSize());
            }
        }
    }

    @Test
    void layersStartFromPytorchDefaultInit() {
        try (NDManager m = NDManager.newBaseManager()) {
            Simclr model = Simclr.builder().build();
            model.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, model.inputShape(2));
            for (var p : model.getParameters()) {
                Shape shape = p.getValue().getArray().getShape();
                if (!p.getKey().endsWith("weight") || shape.dimension() < 2) {
                    continue;
                }
                // U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = in * kernel area
                double bound = 1 / Math.sqrt(shape.size() / (double) shape.get(0));
                double max = p.getValue().getArray().abs().max().getFloat();
                assertTrue(max <= bound && max > 0.9 * bound, p.getKey() + ": max " + max + ", bound " + bound);
            }
        }
    }

    @Test
    void principalPlaneFindsTheTwoWidestDirections() {
        Random r = new Random(2);
        int n = 4000;
        float[] x = new float[n * 3];
        for (int i = 0; i < n; i++) {
            double a = 3 * r.nextGaussian();
            double b = 1 * r.nextGaussian();
            double c = 0.1 * r.nextGaussian();
            // axes rotated in the (0, 1) plane by 45 degrees
            x[3 * i] = (float) ((a - b) / Math.sqrt(2));
            x[3 * i + 1] = (float) ((a + b) / Math.sqrt(2));
            x[3 * i + 2] = (float) c;
        }
        try (NDManager m = NDManager.newBaseManager()) {
            float[] xy = SimclrEvaluation.principalPlane(m.create(x, new Shape(n, 3)), 1);
            double vx = 0;
            double vy = 0;
            for (int i = 0; i < n; i++) {
                vx += xy[2 * i] * (double) xy[2 * i];
                vy += xy[2 * i + 1] * (double) xy[2 * i + 1];
            }
            // variances 9 and 1; sample variance's standard error is var * sqrt(2/n) = 2.2%, 5 of them
            assertEquals(9, vx / n, 9 * 0.11);
            assertEquals(1, vy / n, 0.11);
        }
    }

    @Test
    void badSettingsSayWhatIsWrong() {
        try (NDManager m = NDManager.newBaseManager()) {
            ArrayDataset data = new ArrayDataset.Builder()
                    .setData(m.zeros(new Shape(8, 1, SIDE, SIDE)))
                    .setSampling(1, false)
                    .build();
            Simclr model = Simclr.builder().build();
            IllegalArgumentException one = assertThrows(
                    IllegalArgumentException.class,
                    () -> SimclrTask.builder()
                            .setModel(model)
                            .setData(data, "zeros")
                            .optBatchSize(1)
                            .build());
            assertTrue(one.getMessage().contains("batch size must be >= 2"), one.getMessage());
            assertTrue(one.getMessage().contains("got 1"), one.getMessage());
            IllegalArgumentException tau = assertThrows(
                    IllegalArgumentException.class,
                    () -> SimclrTask.builder()
                            .setModel(model)
                            .setData(data, "zeros")
                            .optTemperature(0f)
                            .build());
            assertTrue(tau.getMessage().contains("temperature must be finite and > 0, got 0.0"), tau.getMessage());
            IllegalArgumentException none = assertThrows(
                    IllegalArgumentException.class,
                    () -> ContrastiveAugmentation.builder()
                            .optKinds(EnumSet.noneOf(ContrastiveAugmentation.Kind.class)));
            assertTrue(none.getMessage().contains("at least one"), none.getMessage());
        }
    }
}
