package dev.paperlab.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.paperlab.models.lm.DecoderLm;
import dev.paperlab.models.lm.LmConfig;
import dev.paperlab.training.experiments.Sweep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The experiment commands: their sweeps, the runner through real child JVMs, bad input. */
class ExperimentCommandTest {

    private static long nonEmbedding(NDManager manager, int layers, int dModel) {
        DecoderLm lm = DecoderLm.builder()
                .optConfig(LmConfig.builder()
                        .setVocabSize(65)
                        .optContext(64)
                        .optLayers(layers)
                        .optDModel(dModel)
                        .optHeads(4)
                        .build())
                .build();
        lm.initialize(manager, DataType.FLOAT32, new Shape(1, 64));
        return lm.nonEmbeddingParameterCount();
    }

    @Test
    void scalingSweepSpansThirtyTimesInParametersWithAHeldOutLargerModel() {
        try (NDManager manager = NDManager.newBaseManager()) {
            long smallest = nonEmbedding(manager, ScalingExperiment.SIZES[0][0], ScalingExperiment.SIZES[0][1]);
            int[] top = ScalingExperiment.SIZES[ScalingExperiment.SIZES.length - 1];
            long largest = nonEmbedding(manager, top[0], top[1]);
            long held = nonEmbedding(manager, ScalingExperiment.HELD_OUT[0], ScalingExperiment.HELD_OUT[1]);
            assertTrue(largest >= 30 * smallest, smallest + " to " + largest);
            assertTrue(held > largest);
        }
        ScalingExperiment full = new ScalingExperiment();
        new CommandLine(full).parseArgs();
        Sweep sweep = full.fitSweep();
        assertTrue(sweep.axes().get("size").size() >= 5);
        assertTrue(sweep.axes().get("--steps").size() >= 3);
        assertTrue(sweep.seeds().size() >= 2);
        ScalingExperiment quick = new ScalingExperiment();
        new CommandLine(quick).parseArgs("--quick");
        assertTrue(quick.fitSweep().trials().size() < sweep.trials().size());
    }

    @Test
    void calibrationAndAblationSweepsHaveTheirSizesSeedsAndVariants() {
        CalibrationExperiment c = new CalibrationExperiment();
        new CommandLine(c).parseArgs();
        assertEquals(5, c.sweep().axes().get("size").size());
        assertEquals(3, c.sweep().seeds().size());
        assertTrue(c.sweep().axes().get("--steps").size() >= 2, "training length must be an axis");
        AblationExperiment a = new AblationExperiment();
        new CommandLine(a).parseArgs();
        assertTrue(a.sweep().seeds().size() >= 3);
        // deep-narrow keeps the baseline's non-embedding parameters (12 L E^2: 2 x 64^2 = 8 x 32^2)
        Map<String, String> deep = AblationExperiment.variants().stream()
                .filter(v -> v.get("name").equals("deep-narrow"))
                .findFirst()
                .orElseThrow();
        assertEquals(
                2 * 64 * 64,
                Integer.parseInt(deep.get("--layers")) * Math.pow(Integer.parseInt(deep.get("--d-model")), 2));
    }

    @Test
    void aSweepFileRunsRealCommandsInChildJvmsAndRecordsTheFailingTrial(@TempDir Path dir) throws Exception {
        // two tiny LM runs and one whose heads do not divide d_model (16 / 3): exit 2, recorded
        Path file = dir.resolve("tiny.json");
        Files.writeString(
                file,
                ("{'name': 'tiny', 'command': 'lm', 'options': {'--steps': 2, '--layers': 1, '--d-model': 16,"
                                + " '--context': 16, '--batch-size': 4, '--sample-tokens': 0, '--no-progress': true},"
                                + " 'grid': {'--heads': [2, 3]}, 'seeds': [1, 2], 'metrics': ['val_loss']}")
                        .replace('\'', '"'));
        Path out = dir.resolve("out");
        CommandRun run = CommandRun.of("experiment", "sweep", file.toString(), "--out", out.toString());
        assertEquals(0, run.code(), run.err());
        Map<?, ?> summary = CommandRun.summary(out);
        assertEquals(4, summary.get("trials"));
        assertEquals(2, summary.get("failed"));
        String failure = ((List<?>) summary.get("failures")).get(0).toString();
        assertTrue(failure.contains("d_model 16 is not divisible by 3 heads"), failure);
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals("heads,seed,status,seconds,val_loss,error", csv.get(0));
        assertTrue(csv.get(1).startsWith("2,1,ok,"), csv.get(1));
        // an untrained char model scores about log(65) = 4.17 nats; two steps barely move it
        double loss = Double.parseDouble(csv.get(1).split(",")[4]);
        assertTrue(loss > 3 && loss < 4.5, csv.get(1));
        assertTrue(Files.readString(out.resolve("results.md")).contains("| 3 | 0/2 | — |"));
    }

    @Test
    void badSweepFilesAndOptionsEndWithOneLineNamingThem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"name\": \"x\", \"command\": \"lm\", \"seeds\": [1], \"grids\": {}}");
        CommandRun bad = CommandRun.of("experiment", "sweep", file.toString(), "--out", dir.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("unknown sweep key 'grids'"), bad.err());
        CommandRun missing =
                CommandRun.of("experiment", "sweep", dir.resolve("none.json").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("does not exist"), missing.err());
        CommandRun parallel = CommandRun.of("experiment", "ablation", "--parallel", "0", "--out", dir.toString());
        assertEquals(2, parallel.code());
        assertTrue(parallel.err().contains("--parallel must be >= 1, got 0"), parallel.err());
        CommandRun timeout =
                CommandRun.of("experiment", "calibration", "--trial-timeout", "-1", "--out", dir.toString());
        assertEquals(2, timeout.code());
        assertTrue(timeout.err().contains("--trial-timeout must be >= 0 (0 = none), got -1"), timeout.err());
        assertEquals(2, CommandRun.of("experiment").code());
    }
}
