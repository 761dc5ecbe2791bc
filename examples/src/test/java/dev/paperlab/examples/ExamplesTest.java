package dev.paperlab.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ExamplesTest {

    private record Outcome(int code, String err) {}

    private static Outcome run(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Outcome(code, err.toString());
    }

    @Test
    void vaeRunsTwoStepsAndWritesItsResults(@TempDir Path dir) throws Exception {
        Outcome o = run("vae", "--steps", "2", "--batch-size", "32", "--no-progress", "--out", dir.toString());
        assertEquals(0, o.code(), o.err());
        Map<?, ?> summary = new ObjectMapper().readValue(dir.resolve("summary.json").toFile(), Map.class);
        for (String key : List.of("command", "seed", "device", "data_source", "wall_seconds",
                "samples_per_second", "test_loss")) {
            assertTrue(summary.containsKey(key), key + " missing from " + summary);
        }
        assertEquals("vae", summary.get("command"));
        assertEquals(2, ((Number) summary.get("steps")).intValue());
        for (String file : List.of("metrics.csv", "reconstructions.png", "samples.png", "loss.png")) {
            assertTrue(Files.size(dir.resolve(file)) > 0, file);
        }
    }

    @Test
    void unknownCommandOrOptionPrintsUsageAndFails() {
        Outcome o = run("nosuchmodel");
        assertNotEquals(0, o.code());
        assertTrue(o.err().contains("Usage"), o.err());
        o = run("vae", "--no-such-option");
        assertNotEquals(0, o.code());
        assertTrue(o.err().contains("--no-such-option"), o.err());
    }

    @Test
    void badValuesGiveOneClearMessageWithoutStackTrace(@TempDir Path dir) {
        Outcome o = run("vae", "--batch-size", "0", "--out", dir.toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("--batch-size must be >= 1, got 0"), o.err());
        assertTrue(!o.err().contains("at dev.paperlab"), o.err());
        o = run("vae", "--lr", "-0.5", "--out", dir.toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("--lr must be > 0, got -0.5"), o.err());
        o = run("vae", "--data-dir", dir.resolve("missing").toString(), "--out", dir.toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("missing") && o.err().contains("does not exist"), o.err());
    }
}
