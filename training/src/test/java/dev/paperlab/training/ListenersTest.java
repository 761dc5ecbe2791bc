package dev.paperlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paperlab.training.listeners.ProgressListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListenersTest {

    /**
     * A parameter turns NaN at step 25 while the logged loss stays finite, so only the checkpoint
     * listener's parameter check can catch it: at the step-30 checkpoint it stops the run, names
     * part, parameter and step, and step 20 stays the latest checkpoint.
     */
    @Test
    void aNonFiniteParameterStopsTheRunAndKeepsTheLastGoodCheckpoint(@TempDir Path dir) throws Exception {
        TinyTask task = new TinyTask(100) {
            @Override
            public Map<String, Double> step(StepContext context) {
                if (context.step() < 25) {
                    return super.step(context);
                }
                part.model().getBlock().getParameters().get("bias").getArray().set(new float[] {Float.NaN});
                return Map.of("loss", 1.0);
            }
        };
        try (task) {
            Harness harness = Harness.withDefaultListeners(RunConfig.builder()
                    .optOutDir(dir)
                    .optProgress(false)
                    .optCheckpointEvery(10)
                    .build());
            DivergenceException e = assertThrows(DivergenceException.class, () -> harness.fit(task));
            String m = e.getMessage();
            assertTrue(m.contains("'bias'") && m.contains("'tiny'") && m.contains("step 30"), m);
            assertTrue(m.contains("step-00000020"), m);
        }
        assertEquals(
                "step-00000020",
                Files.readString(dir.resolve("checkpoints/latest")).trim());
        assertTrue(Files.notExists(dir.resolve("checkpoints/step-00000030")));
        Map<?, ?> summary =
                new ObjectMapper().readValue(dir.resolve("summary.json").toFile(), Map.class);
        assertTrue(summary.get("status").toString().startsWith("stopped"), summary.toString());
    }

    /**
     * The bar runs from the resumed step to the planned end and shows each metric smoothed with
     * weight 0.9 on the old value: losses 4, 2, 2 show 0.9 (0.9 * 4 + 0.1 * 2) + 0.1 * 2 = 3.62.
     */
    @Test
    void progressBarShowsSmoothedMetricsAndFinishes(@TempDir Path dir) {
        double[] losses = {4, 2, 2};
        TinyTask task = new TinyTask(3) {
            @Override
            public Map<String, Double> step(StepContext context) {
                super.step(context);
                return Map.of("loss", losses[(int) context.step()]);
            }
        };
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(captured, true, StandardCharsets.UTF_8);
        try (task) {
            Harness.of(RunConfig.builder().optOutDir(dir).optProgress(false).build(), new ProgressListener(stream))
                    .fit(task);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("loss=3.620"), out);
        assertTrue(out.contains("3/3"), out);
    }
}
