package dev.paperlab.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateCommandTest {
    @TempDir
    static Path dir;

    private static Path model;

    @BeforeAll
    static void trainATinyLm() {
        CommandRun o = CommandRun.of(
                "lm",
                "--steps",
                "2",
                "--layers",
                "1",
                "--d-model",
                "32",
                "--heads",
                "2",
                "--context",
                "16",
                "--sample-tokens",
                "2",
                "--no-progress",
                "--out",
                dir.resolve("lm").toString());
        assertEquals(0, o.code(), o.err());
        model = dir.resolve("lm/model");
    }

    @Test
    void beamReturnsTheNBestSortedByScore() throws Exception {
        Path out = dir.resolve("beam");
        CommandRun o = CommandRun.of(
                "generate",
                "--model",
                model.toString(),
                "--strategy",
                "beam",
                "--beams",
                "3",
                "--num-return",
                "3",
                "--max-tokens",
                "20",
                "--length-penalty",
                "0.5",
                "--out",
                out.toString());
        assertEquals(0, o.code(), o.err());
        Map<?, ?> s = CommandRun.summary(out);
        List<?> sequences = (List<?>) s.get("sequences");
        List<?> scores = (List<?>) s.get("scores");
        assertEquals(3, sequences.size());
        assertEquals(3, scores.size());
        for (int i = 1; i < 3; i++) {
            assertTrue(
                    ((Number) scores.get(i - 1)).doubleValue() >= ((Number) scores.get(i)).doubleValue(),
                    scores.toString());
        }
        for (Object text : sequences) {
            assertEquals(20, text.toString().codePointCount(0, text.toString().length()));
        }
        assertEquals(3, sequences.stream().distinct().count(), "beams are distinct");
    }

    @Test
    void greedyAndSeededSamplingAreReproducible() throws Exception {
        for (String strategy : List.of("greedy", "sample")) {
            Path a = dir.resolve(strategy + "-a");
            Path b = dir.resolve(strategy + "-b");
            List<String> args = List.of(
                    "generate",
                    "--model",
                    model.toString(),
                    "--strategy",
                    strategy,
                    "--max-tokens",
                    "15",
                    "--top-k",
                    "5",
                    "--top-p",
                    "0.9",
                    "--seed",
                    "7",
                    "--num-return",
                    strategy.equals("greedy") ? "1" : "2");
            for (Path out : List.of(a, b)) {
                List<String> all = new java.util.ArrayList<>(args);
                all.addAll(List.of("--out", out.toString()));
                CommandRun o = CommandRun.of(all.toArray(String[]::new));
                assertEquals(0, o.code(), o.err());
            }
            assertEquals(
                    CommandRun.summary(a).get("sequences"),
                    CommandRun.summary(b).get("sequences"),
                    strategy);
            assertEquals(
                    CommandRun.summary(a).get("scores"), CommandRun.summary(b).get("scores"), strategy);
            double score = ((Number) ((List<?>) CommandRun.summary(a).get("scores")).get(0)).doubleValue();
            assertTrue(score < 0, "a log-probability, got " + score);
        }
    }

    @Test
    void missingModelAndBadSettingsExitWithTwoAndAClearMessage() {
        CommandRun o = CommandRun.of(
                "generate",
                "--model",
                dir.resolve("nothing-here").toString(),
                "--out",
                dir.resolve("x").toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("nothing-here") && o.err().contains("no saved LM"), o.err());
        assertFalse(o.err().contains("at dev.paperlab"), o.err());
        o = CommandRun.of(
                "generate",
                "--model",
                model.toString(),
                "--strategy",
                "topk",
                "--out",
                dir.resolve("x").toString());
        assertEquals(2, o.code());
        assertTrue(
                o.err().contains("--strategy")
                        && o.err().contains("[greedy, beam, sample]")
                        && o.err().contains("'topk'"),
                o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        o = CommandRun.of(
                "generate",
                "--model",
                model.toString(),
                "--strategy",
                "beam",
                "--beams",
                "2",
                "--num-return",
                "3",
                "--out",
                dir.resolve("x").toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("num return 3"), o.err());
        assertFalse(Files.exists(dir.resolve("x/summary.json")));
    }
}
