package dev.paperlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.paperlab.training.listeners.MemoryListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryListenerTest {

    private static RunState run(Path dir, RunListener extra) {
        try (TinyTask task = new TinyTask(300)) {
            return Harness.withDefaultListeners(
                            RunConfig.builder()
                                    .optOutDir(dir)
                                    .optProgress(false)
                                    .optMaxSteps(300)
                                    .build(),
                            extra)
                    .fit(task);
        }
    }

    private static double delta(RunState s) {
        return ((Number) s.summary().get("rss_mb_final")).doubleValue()
                - ((Number) s.summary().get("rss_mb_warm")).doubleValue();
    }

    /**
     * A run samples steps 1, 100, 200 and 300 with the warm reference at step 100 (half the run,
     * on the grid). A listener that leaves 1 MiB of native memory open per step after it (written
     * with ones, so resident) shows as about 200 MiB between the warm sample and the last; the
     * same run without it grows by far less (the bound, 100 MiB, is half the leak).
     */
    @Test
    void aNativeLeakShowsAsResidentGrowth(@TempDir Path dir) throws Exception {
        RunState clean = run(dir.resolve("clean"), new RunListener() {});
        List<String> rows = Files.readAllLines(dir.resolve("clean/memory.csv"));
        assertEquals("step,rss_mb,heap_mb", rows.get(0));
        assertEquals(
                List.of("1", "100", "200", "300"),
                rows.subList(1, rows.size()).stream().map(r -> r.split(",")[0]).toList());
        assertTrue(clean.summary().containsKey("rss_growth"), clean.summary().toString());
        try (NDManager leaks = NDManager.newBaseManager()) {
            RunState leaky = run(dir.resolve("leaky"), new RunListener() {
                @Override
                public void onStep(RunState state) {
                    leaks.ones(new Shape(256, 1024)); // 1 MiB of float32, never closed during the run
                }
            });
            double grew = delta(leaky);
            assertTrue(grew > 150, "leak of 200 MiB seen as " + grew + " MiB");
            assertTrue(delta(clean) < 100, "clean run grew by " + delta(clean) + " MiB");
        }
    }

    @Test
    void aNonPositiveIntervalIsRefused(@TempDir Path dir) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new MemoryListener(dir.resolve("m.csv"), 0));
        assertTrue(e.getMessage().contains(">= 1") && e.getMessage().contains("got 0"), e.getMessage());
    }
}
