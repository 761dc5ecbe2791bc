package dev.paperlab.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExamplesTest {

    @Test
    void vaeRunsTwoStepsAndWritesItsResults(@TempDir Path dir) throws Exception {
        CommandRun o =
                CommandRun.of("vae", "--steps", "2", "--batch-size", "32", "--no-progress", "--out", dir.toString());
        assertEquals(0, o.code(), o.err());
        Map<?, ?> summary =
                new ObjectMapper().readValue(dir.resolve("summary.json").toFile(), Map.class);
        for (String key : List.of(
                "command",
                "seed",
                "device",
                "data_source",
                "wall_seconds",
                "samples_per_second",
                "test_loss",
                "latent_knn10_accuracy",
                "latent_cluster_accuracy")) {
            assertTrue(summary.containsKey(key), key + " missing from " + summary);
        }
        assertEquals("vae", summary.get("command"));
        assertEquals(2, ((Number) summary.get("steps")).intValue());
        for (String file : List.of("metrics.csv", "reconstructions.png", "samples.png", "loss.png")) {
            assertTrue(Files.size(dir.resolve(file)) > 0, file);
        }
    }

    @Test
    void lmTrainsSavesAndSamples(@TempDir Path dir) throws Exception {
        CommandRun o = CommandRun.of(
                "lm",
                "--steps",
                "3",
                "--layers",
                "1",
                "--d-model",
                "32",
                "--heads",
                "2",
                "--context",
                "32",
                "--kv-heads",
                "1",
                "--attention-kernel",
                "flash",
                "--position",
                "rope",
                "--sample-tokens",
                "20",
                "--no-progress",
                "--out",
                dir.toString());
        assertEquals(0, o.code(), o.err());
        Map<?, ?> s = CommandRun.summary(dir);
        for (String key : List.of("val_loss", "steps_per_second", "sample", "kv_cache_bytes_full_context")) {
            assertTrue(s.containsKey(key), key + " missing from " + s);
        }
        assertEquals(
                20,
                s.get("sample")
                        .toString()
                        .codePointCount(0, s.get("sample").toString().length()));
        assertTrue(Files.exists(dir.resolve("model/lm.json")));
        Map<?, ?> config = (Map<?, ?>) s.get("config");
        assertEquals(1, config.get("kvHeads"));
        assertEquals("FLASH", config.get("attentionKernel"));
    }

    @Test
    void lmTrainsOnBpeTokensAndGenerateLoadsIt(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("text.txt");
        Files.writeString(text, "the cat sat on the mat. the dog sat on the log. ".repeat(300));
        Path tok = dir.resolve("tok.bpe");
        CommandRun o = CommandRun.of(
                "bpe",
                "train",
                "--vocab-size",
                "300",
                "--input",
                text.toString(),
                "--model",
                tok.toString(),
                "--out",
                dir.resolve("bpe").toString());
        assertEquals(0, o.code(), o.err());
        o = CommandRun.of(
                "lm",
                "--tokens",
                "bpe",
                "--tokenizer",
                tok.toString(),
                "--input",
                text.toString(),
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
                "5",
                "--no-progress",
                "--out",
                dir.resolve("lm").toString());
        assertEquals(0, o.code(), o.err());
        assertEquals(
                dev.paperlab.models.tokenizer.BpeTokenizer.load(tok).vocabSize(),
                ((Number) CommandRun.summary(dir.resolve("lm")).get("vocab_size")).intValue());
        o = CommandRun.of(
                "generate",
                "--model",
                dir.resolve("lm/model").toString(),
                "--prompt",
                "the cat",
                "--max-tokens",
                "4",
                "--out",
                dir.resolve("gen").toString());
        assertEquals(0, o.code(), o.err());
        o = CommandRun.of(
                "lm",
                "--tokens",
                "bpe",
                "--input",
                text.toString(),
                "--out",
                dir.resolve("x").toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("--tokenizer"), o.err());
    }

    @Test
    void loraReportsBeforeAfterAndMergedLoss(@TempDir Path dir) throws Exception {
        CommandRun o = CommandRun.of(
                "lora",
                "--pretrain-steps",
                "2",
                "--steps",
                "3",
                "--layers",
                "1",
                "--d-model",
                "32",
                "--heads",
                "2",
                "--context",
                "32",
                "--no-progress",
                "--out",
                dir.toString());
        assertEquals(0, o.code(), o.err());
        Map<?, ?> s = CommandRun.summary(dir);
        double after = ((Number) s.get("val_loss_after")).doubleValue();
        double merged = ((Number) s.get("merged_val_loss")).doubleValue();
        assertEquals(after, merged, 1e-4, "merging the adapters must not change the model");
        double fraction = ((Number) s.get("trainable_fraction")).doubleValue();
        assertTrue(fraction > 0 && fraction < 0.2, "trainable fraction " + fraction);
    }

    @Test
    void unknownCommandOrOptionPrintsUsageAndFails() {
        CommandRun o = CommandRun.of("nosuchmodel");
        assertNotEquals(0, o.code());
        assertTrue(o.err().contains("Usage"), o.err());
        o = CommandRun.of("vae", "--no-such-option");
        assertNotEquals(0, o.code());
        assertTrue(o.err().contains("--no-such-option"), o.err());
    }

    @Test
    void badValuesGiveOneClearMessageWithoutStackTrace(@TempDir Path dir) {
        CommandRun o = CommandRun.of("vae", "--batch-size", "0", "--out", dir.toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("--batch-size must be >= 1, got 0"), o.err());
        assertTrue(!o.err().contains("at dev.paperlab"), o.err());
        o = CommandRun.of("vae", "--lr", "-0.5", "--out", dir.toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("--lr must be > 0, got -0.5"), o.err());
        o = CommandRun.of("vae", "--data-dir", dir.resolve("missing").toString(), "--out", dir.toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("missing") && o.err().contains("does not exist"), o.err());
    }
}
