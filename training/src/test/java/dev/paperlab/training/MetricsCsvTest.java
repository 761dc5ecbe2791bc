package dev.paperlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paperlab.training.listeners.MetricsCsvListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsCsvTest {

    /** Logs {@code loss}, from step {@code lateFrom} also {@code late}; evaluates {@code score}; may fail. */
    static final class LoggingTask extends TinyTask {
        private final long lateFrom;
        private final long failAt;

        LoggingTask(long steps, long lateFrom, long failAt) {
            super(steps);
            this.lateFrom = lateFrom;
            this.failAt = failAt;
        }

        @Override
        public Map<String, Double> step(StepContext context) {
            if (context.step() == failAt) {
                throw new IllegalStateException("simulated crash at step " + failAt);
            }
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("loss", (double) context.step());
            if (context.step() >= lateFrom) {
                m.put("late", 1.0);
            }
            return m;
        }

        @Override
        public Map<String, Double> evaluate(EvalContext context) {
            return Map.of("score", (double) context.step());
        }
    }

    private static RunConfig.Builder config(Path out) {
        return RunConfig.builder().optOutDir(out).optProgress(false).optEvalEvery(250);
    }

    @Test
    void columnsThatAppearLaterWidenTheHeaderAndPadEarlierRows(@TempDir Path dir) throws Exception {
        try (LoggingTask task = new LoggingTask(1200, 700, -1)) {
            Harness.of(config(dir).build(), new MetricsCsvListener(dir.resolve("metrics.csv")))
                    .fit(task);
        }
        List<String> lines = Files.readAllLines(dir.resolve("metrics.csv"));
        assertEquals("step,epoch,split,loss,score,late", lines.get(0));
        List<String> rows = lines.subList(1, lines.size());
        assertEquals(1200 + 5, rows.size(), "1200 steps, evaluations at 250, 500, 750, 1000 and the end");
        for (String row : rows) {
            assertEquals(5, row.chars().filter(c -> c == ',').count(), row);
        }
        assertEquals("1,0,train,0.0,,", rows.get(0));
        assertEquals("250,0,eval,,250.0,", rows.get(250));
        assertEquals("701,0,train,700.0,,1.0", rows.get(702));
        assertEquals("1200,0,eval,,1200.0,", rows.get(rows.size() - 1));
    }

    /** A run that crashed after its checkpoint at 50 resumes: rows up to 50 kept, 51.. written once. */
    @Test
    void aResumedRunKeepsRowsUpToTheCheckpointAndDropsTheRest(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("metrics.csv");
        try (LoggingTask task = new LoggingTask(100, 60, 70)) {
            Harness harness = Harness.withDefaultListeners(
                    config(dir).optEvalEvery(25).optCheckpointEvery(50).build());
            assertThrows(IllegalStateException.class, () -> harness.fit(task));
        }
        List<String> crashed = Files.readAllLines(csv);
        assertTrue(crashed.stream().anyMatch(l -> l.startsWith("70,")), "rows after the checkpoint were written");
        try (LoggingTask task = new LoggingTask(100, 60, -1)) {
            Harness.withDefaultListeners(
                            config(dir).optEvalEvery(25).optResume(true).build())
                    .fit(task);
        }
        List<String> lines = Files.readAllLines(csv);
        assertEquals("step,epoch,split,loss,score,late", lines.get(0));
        List<Long> trainSteps = lines.stream()
                .filter(l -> l.contains(",train,"))
                .map(l -> Long.parseLong(l.substring(0, l.indexOf(','))))
                .toList();
        assertEquals(LongStream.rangeClosed(1, 100).boxed().toList(), trainSteps);
        List<String> evalSteps = lines.stream()
                .filter(l -> l.contains(",eval,"))
                .map(l -> l.substring(0, l.indexOf(',')))
                .toList();
        assertEquals(List.of("25", "50", "75", "100"), evalSteps);
        // the kept rows are the first run's, byte for byte
        assertEquals(crashed.subList(1, 53), lines.subList(1, 53));
    }
}
