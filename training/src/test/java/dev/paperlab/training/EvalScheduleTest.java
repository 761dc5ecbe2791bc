package dev.paperlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalScheduleTest {

    /** Records when it is evaluated and what the evaluation's RNG draws. */
    static final class RecordingTask extends TinyTask {
        final Map<Long, Long> draws = new LinkedHashMap<>();
        final List<Integer> epochs = new ArrayList<>();

        RecordingTask() {
            super(10);
        }

        @Override
        public Map<String, Double> evaluate(EvalContext context) {
            draws.put(context.step(), context.random().nextLong());
            epochs.add(context.epoch());
            return Map.of("score", (double)
                    context.scope().randomUniform(0, 1, new Shape(1)).getFloat());
        }
    }

    private static RunConfig.Builder config(Path out) {
        return RunConfig.builder()
                .optOutDir(out)
                .optProgress(false)
                .optSeed(4)
                .optEpochs(2)
                .optEvalEvery(3);
    }

    @Test
    void evaluatesEveryNStepsAndAtEpochEndsWithARepeatableRng(@TempDir Path dir) throws Exception {
        RecordingTask straight = new RecordingTask();
        try (straight) {
            Harness.withDefaultListeners(config(dir.resolve("straight")).build())
                    .fit(straight);
        }
        // every 3 steps, plus the ends of epoch 0 (step 10) and of the run (step 20), never twice
        assertEquals(List.of(3L, 6L, 9L, 10L, 12L, 15L, 18L, 20L), new ArrayList<>(straight.draws.keySet()));
        assertEquals(List.of(0, 0, 0, 0, 1, 1, 1, 1), straight.epochs);
        assertEquals(8, straight.draws.values().stream().distinct().count(), "each evaluation has its own seed");
        List<String> evalRows = Files.readAllLines(dir.resolve("straight/metrics.csv")).stream()
                .filter(l -> l.contains(",eval,"))
                .toList();
        assertEquals(8, evalRows.size(), evalRows.toString());

        // a run resumed at step 10 evaluates at the same steps with the same draws
        Path out = dir.resolve("resumed");
        try (RecordingTask first = new RecordingTask()) {
            Harness.withDefaultListeners(
                            config(out).optMaxSteps(10).optCheckpointEvery(10).build())
                    .fit(first);
        }
        RecordingTask resumed = new RecordingTask();
        try (resumed) {
            Harness.withDefaultListeners(config(out).optResume(true).build()).fit(resumed);
        }
        Map<Long, Long> expected = new LinkedHashMap<>(straight.draws);
        expected.keySet().removeIf(step -> step <= 10);
        assertEquals(expected, resumed.draws);
    }

    @Test
    void negativeIntervalIsRejected() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> RunConfig.builder().optEvalEvery(-2).build());
        assertTrue(e.getMessage().contains("-2"), e.getMessage());
    }

    /** A 1,000-iteration sampler loop x_{i+1} = 0.5 x_i + noise, each iteration in its own scope. */
    @Test
    void aLongEvaluationLoopKeepsTheLiveArrayCountFlat(@TempDir Path dir) {
        List<Integer> counts = new ArrayList<>();
        double[] last = new double[1];
        TinyTask task = new TinyTask(2) {
            @Override
            public Map<String, Double> evaluate(EvalContext context) {
                NDArray x0 = context.scope().zeros(new Shape(16));
                NDArray x = context.iterate(x0, 1000, (i, state, scope) -> {
                    if (i == 10 || i == 999) {
                        counts.add(liveArrays());
                    }
                    NDArray noise = scope.randomNormal(new Shape(16));
                    return state.mul(0.5f).add(noise.mul(0.1f)); // temporaries in the iteration scope
                });
                last[0] = x.abs().max().getFloat();
                return Map.of("x_max", last[0]);
            }
        };
        try (task) {
            Harness.of(RunConfig.builder().optOutDir(dir).optProgress(false).build())
                    .fit(task);
        }
        assertEquals(2, counts.size());
        assertEquals(counts.get(0), counts.get(1), "live NDArrays at iteration 10 vs 999");
        // the stationary spread of x is 0.1 / sqrt(1 - 0.25) ~ 0.115 per entry: a real loop ran
        assertTrue(last[0] > 0 && last[0] < 1, "max |x| " + last[0]);
    }

    /** Every NDArray alive in the engine: the system manager counts its children recursively. */
    static int liveArrays() {
        try (NDManager probe = NDManager.newBaseManager()) {
            return probe.getParentManager().getManagedArrays().size();
        }
    }
}
