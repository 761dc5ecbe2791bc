package dev.paperlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Episodes of varying length: throughput counts what each step consumed. */
class ConsumedExamplesTest {

    @Test
    void variableStepSizesAreSummed(@TempDir Path dir) {
        TinyTask task = new TinyTask(10) {
            @Override
            public Map<String, Double> step(StepContext context) {
                super.step(context);
                return Map.of("loss", 0.0, EXAMPLES, (double) (context.step() + 1)); // 1, 2, ..., 10
            }
        };
        try (task) {
            RunState state = Harness.of(RunConfig.builder()
                            .optOutDir(dir)
                            .optProgress(false)
                            .build())
                    .fit(task);
            assertEquals(55, state.examples());
            assertEquals(55 / state.trainSeconds(), state.samplesPerSecond(), 1e-9 * state.samplesPerSecond());
            assertEquals(Map.of("loss", 0.0), state.stepMetrics());
        }
    }

    @Test
    void aFractionalCountIsRejected(@TempDir Path dir) {
        TinyTask task = new TinyTask(3) {
            @Override
            public Map<String, Double> step(StepContext context) {
                return Map.of(EXAMPLES, 2.5);
            }
        };
        try (task) {
            IllegalStateException e = assertThrows(
                    IllegalStateException.class,
                    () -> Harness.of(RunConfig.builder()
                                    .optOutDir(dir)
                                    .optProgress(false)
                                    .build())
                            .fit(task));
            assertEquals(true, e.getMessage().contains("2.5"), e.getMessage());
        }
    }
}
