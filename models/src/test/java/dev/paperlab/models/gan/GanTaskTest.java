package dev.paperlab.models.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.paperlab.training.RunConfig;
import dev.paperlab.training.StepContext;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Per-part isolation: one {@link GanTask} step equals K discriminator updates and one generator
 * update computed by hand, each from its own player's non-saturating loss only. Linear players
 * (G(z) = W z + c, D(x) = w.x + b) and plain SGD make the gradients short closed forms.
 */
class GanTaskTest {
    private static final int N = 16;
    private static final int Z = 3;
    private static final float LR = 0.1f;

    @SuppressWarnings("checkstyle:LocalVariableName") // paper letters
    @ParameterizedTest
    @ValueSource(ints = {1, 5})
    void oneStepEqualsHandComputedUpdatesOfEachPlayer(int k) {
        Engine.getInstance().setRandomSeed(3);
        GanTask.RealData data = (scope, n, random) -> {
            float[] v = new float[n * 2];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (random.nextGaussian() + (i % 2 == 0 ? 2 : -1));
            }
            return scope.create(v, new Shape(n, 2));
        };
        try (GanTask task = GanTask.builder()
                        .setGenerator(GanMlp.generator(Z, new int[0], 2, false))
                        .setDiscriminator(GanMlp.discriminator(new int[0]))
                        .setData(data, new Shape(2))
                        .setLatentSize(Z)
                        .optDiscriminatorSteps(k)
                        .optOptimizer(lr -> Optimizer.sgd()
                                .setLearningRateTracker(Tracker.fixed(lr))
                                .build())
                        .build();
                NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            task.setUp(RunConfig.builder()
                    .optBatchSize(N)
                    .optLearningRate(LR)
                    .optDevice(Device.cpu())
                    .build());
            double[][] W = matrix(param(task.generator().model().getBlock(), 0), 2, Z);
            double[] c = toDouble(param(task.generator().model().getBlock(), 1));
            double[] w = toDouble(param(task.discriminator().model().getBlock(), 0));
            double[] b = toDouble(param(task.discriminator().model().getBlock(), 1));

            try (NDManager scope = manager.newSubManager()) {
                task.step(new StepContext(0, 0, 0, scope, new Random(11)));
            }

            // The same draws, in the order GanTask documents.
            Random random = new Random(11);
            try (NDManager scope = manager.newSubManager()) {
                for (int step = 0; step < k; step++) {
                    double[][] real = rows(data.batch(scope, N, random), 2);
                    double[][] fake = generate(W, c, rows(task.latent(scope, N, random), Z));
                    // L_D = mean softplus(-a_r) + mean softplus(a_f): dL/da_r = -(1 - s(a_r))/N, dL/da_f = s(a_f)/N
                    double[] gw = new double[2];
                    double gb = 0;
                    for (int i = 0; i < N; i++) {
                        double dr = -(1 - sigmoid(dot(w, real[i]) + b[0])) / N;
                        double df = sigmoid(dot(w, fake[i]) + b[0]) / N;
                        for (int j = 0; j < 2; j++) {
                            gw[j] += dr * real[i][j] + df * fake[i][j];
                        }
                        gb += dr + df;
                    }
                    for (int j = 0; j < 2; j++) {
                        w[j] -= LR * gw[j];
                    }
                    b[0] -= LR * gb;
                }
                double[][] z = rows(task.latent(scope, N, random), Z);
                double[][] fake = generate(W, c, z);
                // L_G = mean softplus(-a_f): dL/dx_f = -(1 - s(a_f))/N * w; dL/dW = sum dL/dx_f z^T
                double[][] gW = new double[2][Z];
                double[] gc = new double[2];
                for (int i = 0; i < N; i++) {
                    double da = -(1 - sigmoid(dot(w, fake[i]) + b[0])) / N;
                    for (int o = 0; o < 2; o++) {
                        for (int j = 0; j < Z; j++) {
                            gW[o][j] += da * w[o] * z[i][j];
                        }
                        gc[o] += da * w[o];
                    }
                }
                for (int o = 0; o < 2; o++) {
                    for (int j = 0; j < Z; j++) {
                        W[o][j] -= LR * gW[o][j];
                    }
                    c[o] -= LR * gc[o];
                }
            }
            // float32 against double over at most 6 updates of O(0.1): agreement to 1e-5. A
            // discriminator gradient leaking into G's update would move W by O(1e-2).
            assertClose(flatten(W), param(task.generator().model().getBlock(), 0), "G weight");
            assertClose(c, param(task.generator().model().getBlock(), 1), "G bias");
            assertClose(w, param(task.discriminator().model().getBlock(), 0), "D weight");
            assertClose(b, param(task.discriminator().model().getBlock(), 1), "D bias");
            // D's weights are frozen only during G's update: its next update needs their gradient
            task.discriminator()
                    .model()
                    .getBlock()
                    .getParameters()
                    .forEach(p -> assertTrue(
                            p.getValue().getArray().hasGradient(), p.getKey() + " requires a gradient again"));
        }
    }

    @Test
    void generatorAverageSamplesFromTheAveragedWeights() {
        // decay 1/2 after one step: theta_avg = (theta_0 + theta_1) / 2, and G is linear in its
        // weights here, so G_avg(z) = (G_0(z) + G_1(z)) / 2 for the same z.
        Engine.getInstance().setRandomSeed(4);
        try (GanTask task = GanTask.builder()
                        .setGenerator(GanMlp.generator(Z, new int[0], 2, false))
                        .setDiscriminator(GanMlp.discriminator(new int[] {4}))
                        .setData((scope, n, random) -> scope.ones(new Shape(n, 2)), new Shape(2))
                        .setLatentSize(Z)
                        .optGeneratorAverage(0.5f)
                        .optOptimizer(lr -> Optimizer.sgd()
                                .setLearningRateTracker(Tracker.fixed(lr))
                                .build())
                        .build();
                NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            task.setUp(RunConfig.builder()
                    .optBatchSize(N)
                    .optLearningRate(1f)
                    .optDevice(Device.cpu())
                    .build());
            float[] before = task.sample(manager, 8, new Random(9)).toFloatArray();
            task.step(new StepContext(0, 0, 0, manager.newSubManager(), new Random(1)));
            float[] averaged = task.sample(manager, 8, new Random(9)).toFloatArray();
            NDArray z = task.latent(manager, 8, new Random(9));
            float[] after = task.generator()
                    .model()
                    .getBlock()
                    .forward(new ai.djl.training.ParameterStore(manager, false), new ai.djl.ndarray.NDList(z), false)
                    .head()
                    .toFloatArray();
            double moved = 0;
            for (int i = 0; i < before.length; i++) {
                // float32 sums of three products: 1e-5
                assertEquals((before[i] + after[i]) / 2, averaged[i], 1e-5, "sample coordinate " + i);
                moved = Math.max(moved, Math.abs(after[i] - before[i]));
            }
            assertTrue(moved > 1e-3, "the step moved G (else the check is empty): " + moved);
        }
    }

    @Test
    void cosineDecayEndsWithAStandingGenerator() {
        // lr_t = lr (1 + cos(pi t / T)) / 2 reaches 0 at t = T = 2: the third step leaves G as it is.
        Engine.getInstance().setRandomSeed(6);
        try (GanTask task = GanTask.builder()
                        .setGenerator(GanMlp.generator(Z, new int[0], 2, false))
                        .setDiscriminator(GanMlp.discriminator(new int[] {4}))
                        .setData((scope, n, random) -> scope.ones(new Shape(n, 2)), new Shape(2))
                        .setLatentSize(Z)
                        .optCosineDecay(2)
                        .build();
                NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            task.setUp(RunConfig.builder()
                    .optBatchSize(N)
                    .optLearningRate(0.1f)
                    .optDevice(Device.cpu())
                    .build());
            float[] start = param(task.generator().model().getBlock(), 0);
            float[][] after = new float[3][];
            for (int step = 0; step < 3; step++) {
                try (NDManager scope = manager.newSubManager()) {
                    task.step(new StepContext(step, 0, step, scope, new Random(step)));
                }
                after[step] = param(task.generator().model().getBlock(), 0);
            }
            assertTrue(Math.abs(after[0][0] - start[0]) > 1e-3, "the first update moves G");
            for (int i = 0; i < start.length; i++) {
                assertEquals(after[1][i], after[2][i], 0f, "G weight " + i + " after lr reached 0");
            }
        }
    }

    @Test
    void badSettingsAreNamed() {
        GanTask.Builder b = GanTask.builder()
                .setGenerator(GanMlp.generator(2, new int[] {8}, 2, false))
                .setDiscriminator(GanMlp.discriminator(new int[] {8}))
                .setData((scope, n, random) -> scope.zeros(new Shape(n, 2)), new Shape(2));
        IllegalArgumentException latent = assertThrows(
                IllegalArgumentException.class, () -> b.setLatentSize(0).build());
        assertTrue(latent.getMessage().contains("latent size must be >= 1, got 0"), latent.getMessage());
        IllegalArgumentException k = assertThrows(
                IllegalArgumentException.class,
                () -> b.setLatentSize(2).optDiscriminatorSteps(0).build());
        assertTrue(k.getMessage().contains("got 0"), k.getMessage());
        IllegalArgumentException g =
                assertThrows(IllegalArgumentException.class, () -> GanMlp.generator(-1, new int[] {8}, 2, false));
        assertTrue(g.getMessage().contains("latent size must be >= 1, got -1"), g.getMessage());
    }

    private static float[] param(Block block, int index) {
        return block.getParameters().valueAt(index).getArray().toFloatArray();
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    private static double[][] matrix(float[] v, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                m[r][j] = v[r * cols + j];
            }
        }
        return m;
    }

    private static double[][] rows(NDArray a, int cols) {
        return matrix(a.toFloatArray(), (int) a.getShape().get(0), cols);
    }

    private static double[] flatten(double[][] m) {
        double[] v = new double[m.length * m[0].length];
        for (int r = 0; r < m.length; r++) {
            System.arraycopy(m[r], 0, v, r * m[0].length, m[0].length);
        }
        return v;
    }

    /** G(z) = W z + c for each row. */
    @SuppressWarnings("checkstyle:ParameterName") // paper letters
    private static double[][] generate(double[][] W, double[] c, double[][] z) {
        double[][] x = new double[z.length][W.length];
        for (int i = 0; i < z.length; i++) {
            for (int o = 0; o < W.length; o++) {
                x[i][o] = c[o] + dot(W[o], z[i]);
            }
        }
        return x;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double sigmoid(double a) {
        return 1 / (1 + Math.exp(-a));
    }

    private static void assertClose(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5, what + "[" + i + "]");
        }
    }
}
