package dev.paperlab.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ddpm}: a two-step run writes its scores and pictures; bad input is one clear line. */
class DdpmCommandTest {

    @Test
    void shortRunWritesScoresAndPictures(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        CommandRun o = CommandRun.of(
                "ddpm",
                "--steps",
                "2",
                "--batch-size",
                "8",
                "--channels",
                "8",
                "--timesteps",
                "20",
                "--sample-steps",
                "4",
                "--scored-samples",
                "20",
                "--no-progress",
                "--out",
                out.toString());
        assertEquals(0, o.code(), o.err());
        Map<?, ?> s = CommandRun.summary(out);
        assertEquals(2, ((Number) s.get("steps")).intValue());
        // two steps from random init: present and in range, not good
        double frechet = ((Number) s.get("frechet")).doubleValue();
        int coverage = ((Number) s.get("class_coverage")).intValue();
        assertTrue(frechet > 0 && Double.isFinite(frechet), s.toString());
        assertTrue(coverage >= 1 && coverage <= 10, s.toString());
        assertTrue(((Number) s.get("sample_seconds")).doubleValue() > 0, s.toString());
        for (String file :
                List.of("forward.png", "samples.png", "reverse.png", "classes.png", "samples_per_eval.png")) {
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }
    }

    /** --unconditional alone runs: the default guidance is for conditional models only. */
    @Test
    void unconditionalRunNeedsNoGuidanceOption(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        CommandRun o = CommandRun.of(
                "ddpm",
                "--unconditional",
                "--steps",
                "1",
                "--batch-size",
                "4",
                "--channels",
                "8",
                "--timesteps",
                "4",
                "--sample-steps",
                "2",
                "--scored-samples",
                "10",
                "--no-progress",
                "--out",
                out.toString());
        assertEquals(0, o.code(), o.err());
        Map<?, ?> s = CommandRun.summary(out);
        assertEquals(0, ((Number) s.get("guidance")).doubleValue(), s.toString());
        assertEquals(false, s.get("conditional"), s.toString());
    }

    @Test
    void badInputIsOneClearLine(@TempDir Path dir) {
        CommandRun o = CommandRun.of("ddpm", "--schedule", "quadratic", "--out", dir.toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("linear or cosine, got 'quadratic'"), o.err());
        o = CommandRun.of("ddpm", "--timesteps", "1", "--out", dir.toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("T must be >= 2, got 1"), o.err());
        o = CommandRun.of("ddpm", "--unconditional", "--guidance", "2", "--out", dir.toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("need class conditioning"), o.err());
        o = CommandRun.of("ddpm", "--sampler", "euler", "--out", dir.toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("ancestral or ddim, got 'euler'"), o.err());
        o = CommandRun.of("ddpm", "--ddim-spacing", "cubic", "--out", dir.toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("--ddim-spacing") && o.err().contains("[uniform, quadratic]"), o.err());
    }
}
