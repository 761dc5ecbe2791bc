package dev.paperlab.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassifyCommandTest {

    @Test
    void reportsCalibrationBeforeAndAfterTemperatureScaling(@TempDir Path dir) throws Exception {
        CommandRun run = CommandRun.of(
                "classify", "--hidden", "16,8", "--steps", "30", "--no-progress", "--out", dir.toString());
        assertEquals(0, run.code(), run.err());
        Map<?, ?> s = CommandRun.summary(dir);
        assertEquals(List.of(16, 8), s.get("hidden"));
        assertEquals(784 * 16 + 16 + 16 * 8 + 8 + 8 * 10 + 10, ((Number) s.get("parameters")).intValue());
        assertEquals(5000, s.get("calibration_examples"));
        // T is fitted on the other half: the held-out NLL may rise, but accuracy cannot change
        assertEquals(s.get("accuracy"), s.get("accuracy_ts"));
        for (String key : List.of("ece", "ece_equal_mass", "ece_debiased", "brier", "nll", "temperature")) {
            double v = ((Number) s.get(key)).doubleValue();
            assertTrue(Double.isFinite(v) && v >= 0, key + " = " + v);
        }
        assertEquals(15, ((List<?>) s.get("reliability_accuracy")).size());
        assertTrue(Files.size(dir.resolve("reliability.png")) > 0);
        assertEquals(
                2,
                CommandRun.of("classify", "--hidden", "16,0", "--out", dir.toString())
                        .code());
    }
}
