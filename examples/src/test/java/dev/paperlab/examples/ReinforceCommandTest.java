package dev.paperlab.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReinforceCommandTest {

    @Test
    void shortRunWritesItsSummaryKeysAndCurve(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("rf");
        CommandRun o = CommandRun.of(
                "reinforce",
                "--baseline",
                "rloo",
                "--batch-size",
                "2",
                "--episodes",
                "20",
                "--study-estimates",
                "3",
                "--no-progress",
                "--out",
                out.toString());
        assertEquals(0, o.code(), o.err());
        Map<?, ?> s = CommandRun.summary(out);
        for (String key : List.of(
                "episodes_to_solve", "final_running_reward", "gradient_variance_ratio", "env_steps_per_second")) {
            assertTrue(s.containsKey(key), key + " in " + s.keySet());
        }
        assertEquals(20, ((Number) s.get("episodes")).intValue());
        assertEquals(-1, ((Number) s.get("episodes_to_solve")).intValue(), "20 episodes cannot reach 475");
        assertTrue(((Number) s.get("env_steps_per_second")).doubleValue() > 0);
        assertTrue(Files.size(out.resolve("reward.png")) > 0);
    }

    @Test
    void badSettingsEndWithOneClearLine(@TempDir Path dir) {
        CommandRun gamma = CommandRun.of("reinforce", "--gamma", "1.5", "--out", dir.toString());
        assertEquals(2, gamma.code());
        assertEquals("error: gamma must be in [0, 1], got 1.5", gamma.err().strip());
        CommandRun rloo =
                CommandRun.of("reinforce", "--baseline", "rloo", "--batch-size", "1", "--out", dir.toString());
        assertEquals(2, rloo.code());
        assertEquals(
                "error: baseline rloo needs at least 2 episodes per update, got 1",
                rloo.err().strip());
    }

    @Test
    void theTourHasAReinforceStop(@TempDir Path dir) {
        TourCommand tour = new TourCommand();
        new picocli.CommandLine(tour).parseArgs("--out", dir.toString());
        assertTrue(tour.stops().stream().anyMatch(s -> s.name().equals("reinforce")));
    }
}
