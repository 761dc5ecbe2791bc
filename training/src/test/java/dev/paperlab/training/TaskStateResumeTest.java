package dev.paperlab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import dev.paperlab.framework.nn.SquaredErrorLoss;
import dev.paperlab.training.optim.Adam;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A resumed run must match a straight one bit for bit, also for state that is not parameters or
 * optimizer moments: an EMA of the weights, a running-mean reward baseline and an environment
 * RNG seeded once at set-up (REINFORCE on a two-armed bandit, Williams 1992); and for two parts.
 */
class TaskStateResumeTest {
    private static final int STEPS = 40;

    static final class BanditWithStateTask implements TrainingTask {
        private static final double[] PAY = {0.3, 0.7};
        private TrainedPart policy;
        private Ema ema;
        private double baseline;
        private Random environment;

        @Override
        public void setUp(RunConfig config) {
            SequentialBlock net = new SequentialBlock()
                    .add(Linear.builder().setUnits(4).build())
                    .add(Activation::tanh)
                    .add(Linear.builder().setUnits(2).build());
            policy = Parts.create(
                    "policy",
                    net,
                    new SquaredErrorLoss(),
                    Adam.builder().optLearningRate(0.05f).build(),
                    Device.cpu(),
                    new Shape(1, 1));
            ema = new Ema("policy_ema", net, 0.9f);
            environment = new Random(config.seed()); // advanced by every pull, never reseeded
        }

        @Override
        public List<TrainedPart> parts() {
            return List.of(policy);
        }

        @Override
        public List<Ema> averages() {
            return List.of(ema);
        }

        @Override
        public long stepsPerEpoch() {
            return STEPS;
        }

        @Override
        public Map<String, Double> step(StepContext context) {
            int pulls = 4 + environment.nextInt(8); // variable episode length
            double[] mean = new double[1];
            policy.update(() -> {
                NDArray logProbs = policy.trainer()
                        .forward(new NDList(context.scope().ones(new Shape(1, 1))))
                        .head()
                        .logSoftmax(1)
                        .reshape(2);
                float[] p = logProbs.exp().toFloatArray();
                float[] advantage = new float[2];
                double sum = 0;
                for (int i = 0; i < pulls; i++) {
                    int action = environment.nextDouble() < p[0] ? 0 : 1;
                    double reward = environment.nextDouble() < PAY[action] ? 1 : 0;
                    advantage[action] += (float) ((reward - baseline) / pulls);
                    sum += reward;
                }
                mean[0] = sum / pulls;
                return logProbs.mul(context.scope().create(advantage)).sum().neg();
            });
            baseline = 0.9 * baseline + 0.1 * mean[0];
            ema.update();
            return Map.of("reward", mean[0], EXAMPLES, (double) pulls);
        }

        @Override
        public void saveState(Path dir) throws IOException {
            try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(dir.resolve("bandit.bin")))) {
                out.writeDouble(baseline);
                out.writeObject(environment); // java.util.Random is Serializable, seed state included
            }
        }

        @Override
        public void loadState(Path dir) throws IOException {
            try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(dir.resolve("bandit.bin")))) {
                baseline = in.readDouble();
                environment = (Random) in.readObject();
            } catch (ClassNotFoundException e) {
                throw new IOException(e);
            }
        }

        /** Everything a resumed run must reproduce, as comparable arrays. */
        List<double[]> fingerprint() {
            List<double[]> all = new ArrayList<>();
            for (Pair<String, Parameter> p : policy.model().getBlock().getParameters()) {
                all.add(toDoubles(p.getValue().getArray().toFloatArray()));
                all.add(toDoubles(ema.average(p.getKey()).toFloatArray()));
            }
            all.add(new double[] {baseline, environment.nextLong(), ema.updates()});
            return all;
        }
    }

    static double[] toDoubles(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    private static RunConfig.Builder config(Path out) {
        return RunConfig.builder().optOutDir(out).optProgress(false).optSeed(13);
    }

    private static <T extends TrainingTask> void assertResumeIsExact(
            Path dir, Supplier<T> factory, java.util.function.Function<T, List<double[]>> fingerprint) {
        assertResumeIsExact(dir, 1, factory, fingerprint);
    }

    /** Runs {@link #STEPS} steps straight, and as half of them, a checkpoint, then a resume. */
    private static <T extends TrainingTask> void assertResumeIsExact(
            Path dir, int epochs, Supplier<T> factory, java.util.function.Function<T, List<double[]>> fingerprint) {
        List<double[]> straight;
        long straightExamples;
        try (T task = factory.get()) {
            straightExamples = Harness.withDefaultListeners(
                            config(dir.resolve("straight")).optEpochs(epochs).build())
                    .fit(task)
                    .examples();
            straight = fingerprint.apply(task);
        }
        Path out = dir.resolve("resumed");
        try (T task = factory.get()) {
            Harness.withDefaultListeners(config(out)
                            .optEpochs(epochs)
                            .optMaxSteps(STEPS / 2)
                            .optCheckpointEvery(STEPS / 2)
                            .build())
                    .fit(task);
        }
        try (T task = factory.get()) {
            RunState state = Harness.withDefaultListeners(
                            config(out).optEpochs(epochs).optResume(true).build())
                    .fit(task);
            assertEquals(STEPS, state.step());
            assertEquals(straightExamples, state.examples(), "examples consumed over the whole run");
            List<double[]> resumed = fingerprint.apply(task);
            assertEquals(straight.size(), resumed.size());
            for (int i = 0; i < straight.size(); i++) {
                assertArrayEquals(straight.get(i), resumed.get(i), 0.0, "state " + i);
            }
        }
    }

    @Test
    void resumeRestoresEmaBaselineAndEnvironmentRng(@TempDir Path dir) {
        assertResumeIsExact(dir, BanditWithStateTask::new, BanditWithStateTask::fingerprint);
        assertTrue(Files.exists(dir.resolve("resumed/checkpoints/step-00000020/policy_ema.ema")));
        assertTrue(Files.exists(dir.resolve("resumed/checkpoints/step-00000020/task/bandit.bin")));
    }

    @Test
    void resumeOfATwoPartTaskIsExact(@TempDir Path dir) {
        assertResumeIsExact(dir, () -> new TwoPlayerGanTest.GanTask(STEPS), task -> {
            List<double[]> all = new ArrayList<>();
            for (TrainedPart part : task.parts()) {
                for (Pair<String, Parameter> p : part.model().getBlock().getParameters()) {
                    all.add(toDoubles(p.getValue().getArray().toFloatArray()));
                }
            }
            return all;
        });
    }

    /**
     * A task that is not a SupervisedTask takes its batches from {@link EpochBatches} and builds
     * two views of each example (as SimCLR does: engine-RNG jitter and a Java-RNG scale). 30
     * examples in batches of 4 make 8 steps per epoch, the last one partial; the resume at step
     * 20 re-enters epoch 2 at its fifth batch.
     */
    static final class TwoViewTask extends TinyTask {
        private final NDManager data = NDManager.newBaseManager();
        private final EpochBatches batches =
                new EpochBatches(EpochSamplerTest.indices(data, 30, 4), new EpochSampler(4, true, false, 17));

        TwoViewTask() {
            super(0);
        }

        @Override
        public void setUp(RunConfig config) {
            part = Parts.create(
                    "encoder",
                    Linear.builder().setUnits(2).build(),
                    new SquaredErrorLoss(),
                    Adam.builder().optLearningRate(0.01f).build(),
                    Device.cpu(),
                    new Shape(4, 1));
        }

        @Override
        public long stepsPerEpoch() {
            return batches.batchesPerEpoch();
        }

        @Override
        public void startEpoch(int epoch, long firstStep) {
            batches.startEpoch(data, epoch, firstStep);
        }

        @Override
        public Map<String, Double> step(StepContext context) {
            try (ai.djl.training.dataset.Batch batch = batches.next()) {
                NDArray x = batch.getData().head().div(30); // (B, 1)
                NDArray view1 = x.add(context.scope().randomNormal(0, 0.05f, x.getShape(), x.getDataType()));
                NDArray view2 = x.mul(0.5f + context.random().nextFloat());
                double loss = part.update(() -> {
                    NDArray z1 = part.trainer().forward(new NDList(view1)).head();
                    NDArray z2 = part.trainer().forward(new NDList(view2)).head();
                    return z1.sub(z2).square().mean().add(z1.sub(x).square().mean());
                });
                return Map.of("loss", loss, EXAMPLES, (double) batch.getSize());
            }
        }

        @Override
        public void close() {
            super.close();
            data.close();
        }
    }

    @Test
    void resumeOfATaskBatchingWithEpochBatchesIsExact(@TempDir Path dir) {
        assertResumeIsExact(dir, 5, TwoViewTask::new, task -> {
            List<double[]> all = new ArrayList<>();
            for (Pair<String, Parameter> p :
                    task.parts().get(0).model().getBlock().getParameters()) {
                all.add(toDoubles(p.getValue().getArray().toFloatArray()));
            }
            return all;
        });
    }

    /** EMA by hand: shadow_t = d shadow_{t-1} + (1 - d) theta_t; swapIn puts it in and back. */
    @Test
    void emaFollowsItsFormulaAndSwapsInAndOut(@TempDir Path dir) throws IOException {
        try (var manager = ai.djl.ndarray.NDManager.newBaseManager()) {
            Linear block = Linear.builder().setUnits(2).optBias(false).build();
            block.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 1));
            NDArray w = block.getParameters().get("weight").getArray();
            w.set(new float[] {1f, 2f});
            Ema ema = new Ema("avg", block, 0.5f);
            double[] shadow = {1, 2};
            float[][] values = {{3f, -2f}, {5f, 0f}};
            for (float[] v : values) {
                w.set(v);
                ema.update();
                for (int i = 0; i < 2; i++) {
                    shadow[i] = 0.5 * shadow[i] + 0.5 * v[i];
                }
            }
            assertArrayEquals(shadow, toDoubles(ema.average("weight").toFloatArray()), 0.0); // exact in binary
            try (Ema.Swap swap = ema.swapIn()) {
                assertArrayEquals(shadow, toDoubles(w.toFloatArray()), 0.0);
            }
            assertArrayEquals(values[1], w.toFloatArray(), 0f, "trained weights back after the swap");
            Path file = dir.resolve("avg.ema");
            try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
                ema.save(out);
            }
            ema.update();
            try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
                ema.load(in);
            }
            assertArrayEquals(shadow, toDoubles(ema.average("weight").toFloatArray()), 0.0);
            assertEquals(2, ema.updates());
        }
    }

    /** With warm-up, update t uses min(decay, (1 + t) / (10 + t)): 2/11, 3/12, ..., then decay. */
    @Test
    void emaWarmupFollowsTheNumUpdatesRule(@TempDir Path dir) throws IOException {
        try (var manager = ai.djl.ndarray.NDManager.newBaseManager()) {
            Linear block = Linear.builder().setUnits(1).optBias(false).build();
            block.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 1));
            NDArray w = block.getParameters().get("weight").getArray();
            w.set(new float[] {0f});
            float decay = 0.75f;
            Ema ema = new Ema("avg", block, decay, true);
            double shadow = 0;
            java.util.Random random = new java.util.Random(3);
            for (int t = 1; t <= 40; t++) {
                double d = Math.min(decay, (1.0 + t) / (10.0 + t));
                assertEquals((float) d, ema.currentDecay(), 0f, "decay of update " + t);
                float v = (float) random.nextGaussian();
                w.set(new float[] {v});
                ema.update();
                shadow = d * shadow + (1 - d) * v;
                assertEquals(shadow, ema.average("weight").getFloat(0), 1e-6, "shadow after update " + t);
            }
            assertEquals(decay, ema.currentDecay(), 0f, "decay takes over once (1 + t) / (10 + t) passes it");
            Path file = dir.resolve("avg.ema");
            try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
                ema.save(out);
            }
            Ema plain = new Ema("avg", block, decay);
            try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
                IOException e = assertThrows(IOException.class, () -> plain.load(in));
                assertTrue(e.getMessage().contains("warm-up true"), e.getMessage());
            }
        }
    }
}
