package dev.paperlab.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeriveCommandTest {

    @Test
    void everyCheckPassesAndWritesItsEntryAndPictures(@TempDir Path dir) throws Exception {
        CommandRun run = CommandRun.of("derive", "--out", dir.toString());
        assertEquals(0, run.code(), run.err());
        Map<?, ?> summary = CommandRun.summary(dir);
        Map<?, ?> results = (Map<?, ?>) summary.get("results");
        for (int number = 13; number <= 24; number++) {
            String key = Integer.toString(number);
            assertTrue(results.containsKey(key), "no entry for #" + key);
            Map<?, ?> entry = (Map<?, ?>) results.get(key);
            if (key.equals("24")) { // a timing: its PASS depends on the machine's load, so only that it ran
                assertTrue(entry.get("time_slope") instanceof Number, entry.toString());
            } else if (key.equals("22")) {
                // the parts are asserted one by one so a failure names the claim that broke
                assertEquals(Boolean.TRUE, entry.get("regression_pass"), entry.toString());
                Map<?, ?> cls = (Map<?, ?>) entry.get("classifier");
                assertEquals(Boolean.TRUE, cls.get("ood_pass"), cls.toString());
                assertEquals(Boolean.TRUE, cls.get("nll_pass"), cls.toString());
                assertEquals("PASS", entry.get("status"), entry.toString());
            } else {
                assertEquals("PASS", entry.get("status"), "#" + key + ": " + entry);
            }
        }
        for (String png : new String[] {
            "14-eckart-young.png",
            "14-vae-low-rank.png",
            "20-mixture-entropy.png",
            "21-bias-variance.png",
            "21-double-descent.png",
            "22-mc-dropout.png",
            "23-sgd-rates.png",
            "24-attention-time.png"
        }) {
            assertTrue(Files.size(dir.resolve(png)) > 1000, png);
        }
    }

    @Test
    void onlyRunsTheNamedChecksAndRejectsUnknownOnes(@TempDir Path dir) throws Exception {
        assertEquals(
                0,
                CommandRun.of("derive", "--only", "19,#13", "--out", dir.toString())
                        .code());
        Map<?, ?> results = (Map<?, ?>) CommandRun.summary(dir).get("results");
        assertEquals(java.util.Set.of("19", "13"), results.keySet());
        CommandRun bad = CommandRun.of("derive", "--only", "12", "--out", dir.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().startsWith("error: --only: no check for '12'"), bad.err());
    }
}
