package dev.paperlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paperlab.training.listeners.ProfileListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileListenerTest {

    /**
     * Self time on a hand-made trace: a (0-100) calls b (10-40) and c (50-70), b calls d (15-25);
     * another thread runs b (0-30) alone. Self times a 100 - 30 - 20 = 50, b 30 - 10 + 30 = 50, c
     * 20, d 10, and they add up to the top-level time, 130. Non-complete events are ignored.
     */
    @Test
    void selfTimesSubtractNestedCalls(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("t.json");
        Files.writeString(trace, """
                [{"name":"a","ph":"X","ts":0,"dur":100,"pid":"CPU","tid":1},
                 {"name":"c","ph":"X","ts":50,"dur":20,"pid":"CPU","tid":1},
                 {"name":"b","ph":"X","ts":10,"dur":30,"pid":"CPU","tid":1},
                 {"name":"d","ph":"X","ts":15,"dur":10,"pid":"CPU","tid":1},
                 {"name":"b","ph":"X","ts":0,"dur":30,"pid":"CPU","tid":2},
                 {"name":"m","ph":"i","ts":5,"pid":"CPU","tid":1}]
                """);
        List<ProfileListener.OpTime> ops = ProfileListener.selfTimes(trace);
        Map<String, Double> self = new java.util.HashMap<>();
        ops.forEach(o -> self.put(o.name(), o.micros()));
        assertEquals(Map.of("a", 50.0, "b", 50.0, "c", 20.0, "d", 10.0), self);
        assertEquals(
                2,
                ops.stream().filter(o -> o.name().equals("b")).findFirst().get().calls());
        assertEquals(
                130.0, ops.stream().mapToDouble(ProfileListener.OpTime::micros).sum(), 1e-9);
    }

    /**
     * A 12-step run profiling its last 5 steps: the trace and the table are written, the table names
     * the step's matrix product, and its self times per step add up to less than the measured time
     * of a step.
     */
    @Test
    void profilesTheLastStepsOfARun(@TempDir Path dir) throws Exception {
        try (TinyTask task = new TinyTask(12)) {
            RunState state = Harness.withDefaultListeners(RunConfig.builder()
                            .optOutDir(dir)
                            .optProgress(false)
                            .optProfileSteps(5)
                            .build())
                    .fit(task);
            assertEquals(5L, state.summary().get("profiled_steps"));
        }
        assertTrue(Files.size(dir.resolve("profile.json")) > 0);
        List<String> rows = Files.readAllLines(dir.resolve("profile_ops.csv"));
        assertEquals("op,calls_per_step,self_ms_per_step,share", rows.get(0));
        assertTrue(
                rows.stream().anyMatch(r -> r.startsWith("\"aten::addmm\"") || r.startsWith("\"aten::mm\"")),
                rows.toString());
        Map<?, ?> summary =
                new ObjectMapper().readValue(dir.resolve("summary.json").toFile(), Map.class);
        double profiled = ((Number) summary.get("profiled_op_ms_per_step")).doubleValue();
        assertTrue(profiled > 0, summary.toString());
    }

    @Test
    void aRunShorterThanTheProfileIsRefused(@TempDir Path dir) {
        try (TinyTask task = new TinyTask(5)) {
            Harness harness = Harness.withDefaultListeners(RunConfig.builder()
                    .optOutDir(dir)
                    .optProgress(false)
                    .optProfileSteps(5)
                    .build());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> harness.fit(task));
            assertTrue(
                    e.getMessage().contains("--profile-steps 5 must be below the steps this run takes (5)"),
                    e.getMessage());
        }
    }
}
