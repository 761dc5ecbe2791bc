package dev.paperlab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HarnessTest {

    private static RunConfig.Builder config(Path out) {
        return RunConfig.builder().optOutDir(out).optProgress(false).optSeed(7).optEpochs(1);
    }

    private static List<float[]> parameters(TrainingTask task) {
        List<float[]> values = new ArrayList<>();
        for (TrainedPart part : task.parts()) {
            for (Pair<String, Parameter> p : part.model().getBlock().getParameters()) {
                values.add(p.getValue().getArray().toFloatArray());
            }
        }
        return values;
    }

    @Test
    void resumeContinuesExactlyLikeAStraightRun(@TempDir Path dir) {
        int n = 30;
        List<float[]> straight;
        try (TrainingTask task = new NoisyRegressionTask(2 * n, -1, 1e-2f)) {
            Harness.withDefaultListeners(config(dir.resolve("straight")).build())
                    .fit(task);
            straight = parameters(task);
        }
        Path out = dir.resolve("resumed");
        try (TrainingTask task = new NoisyRegressionTask(2 * n, -1, 1e-2f)) {
            RunState first = Harness.withDefaultListeners(
                            config(out).optMaxSteps(n).optCheckpointEvery(n).build())
                    .fit(task);
            assertEquals(n, first.step());
        }
        try (TrainingTask task = new NoisyRegressionTask(2 * n, -1, 1e-2f)) {
            RunState second = Harness.withDefaultListeners(
                            config(out).optResume(true).build())
                    .fit(task);
            assertEquals(2 * n, second.step());
            List<float[]> resumed = parameters(task);
            assertEquals(straight.size(), resumed.size());
            for (int i = 0; i < straight.size(); i++) {
                assertArrayEquals(straight.get(i), resumed.get(i), 0f, "parameter " + i);
            }
        }
    }

    @Test
    void runsWithTheConfiguredThreadsPerOperatorAndRestoresTheEngines(@TempDir Path dir) {
        int before = dev.paperlab.framework.nn.IntraOpThreads.current();
        int wanted = before == 1 ? 2 : 1; // always a change, whatever the machine's default
        try (TrainingTask task = new NoisyRegressionTask(4, -1, 1e-2f)) {
            RunState state = Harness.of(config(dir).optThreads(wanted).build()).fit(task);
            assertEquals(wanted, state.summary().get("threads"));
        }
        assertEquals(before, dev.paperlab.framework.nn.IntraOpThreads.current());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> config(dir).optThreads(-1).build());
        assertTrue(
                e.getMessage().contains("threads must be >= 0")
                        && e.getMessage().contains("-1"),
                e.getMessage());
    }

    @Test
    void differentSeedsGiveDifferentParameters(@TempDir Path dir) {
        List<float[]> a;
        try (TrainingTask task = new NoisyRegressionTask(10, -1, 1e-2f)) {
            Harness.of(config(dir).build()).fit(task);
            a = parameters(task);
        }
        try (TrainingTask task = new NoisyRegressionTask(10, -1, 1e-2f)) {
            Harness.of(config(dir).optSeed(8).build()).fit(task);
            assertTrue(!java.util.Arrays.equals(a.get(0), parameters(task).get(0)));
        }
    }

    @Test
    void nanLossStopsNamingStepAndMetricAndKeepsLastGoodCheckpoint(@TempDir Path dir) throws Exception {
        try (TrainingTask task = new NoisyRegressionTask(100, 25, 1e-2f)) {
            Harness harness = Harness.withDefaultListeners(
                    config(dir).optCheckpointEvery(10).build());
            DivergenceException e = assertThrows(DivergenceException.class, () -> harness.fit(task));
            assertTrue(e.getMessage().contains("'loss'"), e.getMessage());
            assertTrue(e.getMessage().contains("step 26"), e.getMessage());
            assertTrue(e.getMessage().contains("step-00000020"), e.getMessage());
        }
        assertEquals(
                "step-00000020",
                Files.readString(dir.resolve("checkpoints/latest")).trim());
        Map<?, ?> summary =
                new ObjectMapper().readValue(dir.resolve("summary.json").toFile(), Map.class);
        assertTrue(summary.get("status").toString().startsWith("stopped"), summary.toString());
        // the last good checkpoint still loads and resumes
        try (TrainingTask task = new NoisyRegressionTask(100, -1, 1e-2f)) {
            RunState state = Harness.of(
                            config(dir).optResume(true).optMaxSteps(30).build())
                    .fit(task);
            assertEquals(30, state.step());
        }
    }

    @Test
    void trainingConvergesAndWritesMetricsAndSummary(@TempDir Path dir) throws Exception {
        try (TrainingTask task = new NoisyRegressionTask(400, -1, 3e-2f)) {
            RunState state = Harness.withDefaultListeners(config(dir).build()).fit(task);
            assertTrue(
                    state.evalMetrics().get("weight_error") < 0.05,
                    state.evalMetrics().toString());
        }
        List<String> csv = Files.readAllLines(dir.resolve("metrics.csv"));
        assertEquals("step,epoch,split,loss,weight_error", csv.get(0));
        assertEquals(1 + 400 + 1, csv.size());
        Map<?, ?> summary =
                new ObjectMapper().readValue(dir.resolve("summary.json").toFile(), Map.class);
        for (String key : List.of("seed", "device", "data_source", "wall_seconds", "samples_per_second", "steps")) {
            assertNotNull(summary.get(key), key);
        }
        assertEquals("completed", summary.get("status"));
    }

    /**
     * A slow first step (2 s, as a warm-up can be) moves the mean step time but not the median:
     * nine steps of which eight sleep 10 ms give a median of at least 10 ms and far below the mean,
     * which is at least 2.08 s / 9 = 0.23 s.
     */
    @Test
    void medianStepTimeLeavesOutASlowFirstStep(@TempDir Path dir) throws Exception {
        TinyTask task = new TinyTask(9) {
            @Override
            public Map<String, Double> step(StepContext context) {
                try {
                    Thread.sleep(context.step() == 0 ? 2000 : 10);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return super.step(context);
            }
        };
        try (task) {
            RunState state = Harness.withDefaultListeners(config(dir).build()).fit(task);
            double mean = state.trainSeconds() / 9;
            assertTrue(state.medianStepSeconds() >= 0.01, "median " + state.medianStepSeconds());
            assertTrue(state.medianStepSeconds() < mean / 2, "median " + state.medianStepSeconds() + " mean " + mean);
        }
        Map<?, ?> summary =
                new ObjectMapper().readValue(dir.resolve("summary.json").toFile(), Map.class);
        assertNotNull(summary.get("median_step_seconds"));
    }

    @Test
    void liveArrayCountStaysFlatOver2000Steps(@TempDir Path dir) {
        List<Integer> counts = new ArrayList<>();
        RunListener probe = new RunListener() {
            @Override
            public void onStep(RunState state) {
                if (state.step() == 100 || state.step() == 2000) {
                    counts.add(liveArrays());
                }
            }
        };
        try (TrainingTask task = new NoisyRegressionTask(2000, -1, 1e-3f)) {
            Harness.of(config(dir).build(), probe).fit(task);
        }
        assertEquals(2, counts.size());
        assertEquals(counts.get(0), counts.get(1), "live NDArrays at step 100 vs 2000");
    }

    @Test
    void resumeWithoutCheckpointIsAClearError(@TempDir Path dir) {
        try (TrainingTask task = new NoisyRegressionTask(10, -1, 1e-2f)) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> Harness.of(config(dir).optResume(true).build()).fit(task));
            assertTrue(e.getMessage().contains("no checkpoint"), e.getMessage());
        }
    }

    @Test
    void badConfigurationNamesTheValue() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> RunConfig.builder().optBatchSize(0).build());
        assertTrue(e.getMessage().contains("batch size") && e.getMessage().contains("0"));
        e = assertThrows(
                IllegalArgumentException.class,
                () -> RunConfig.builder().optLearningRate(-1).build());
        assertTrue(e.getMessage().contains("-1"));
    }

    /** Every NDArray alive in the engine: the system manager counts its children recursively. */
    private static int liveArrays() {
        try (NDManager probe = NDManager.newBaseManager()) {
            return probe.getParentManager().getManagedArrays().size();
        }
    }
}
