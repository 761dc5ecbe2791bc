package dev.paperlab.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gan}: a short ring run writes its coverage metrics and pictures; bad input is one clear line. */
class GanCommandTest {

    @Test
    void ringRunWritesCoverageAndPictures(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        CommandRun o = CommandRun.of(
                "gan",
                "--data",
                "ring",
                "--steps",
                "60",
                "--batch-size",
                "64",
                "--no-progress",
                "--out",
                out.toString());
        assertEquals(0, o.code(), o.err());
        Map<?, ?> s = CommandRun.summary(out);
        assertEquals(60, ((Number) s.get("steps")).intValue());
        double modes = ((Number) s.get("modes_covered")).doubleValue();
        double hq = ((Number) s.get("high_quality_share")).doubleValue();
        assertTrue(modes >= 0 && modes <= 8, s.toString());
        assertTrue(hq >= 0 && hq <= 1, s.toString());
        for (String file : List.of("metrics.csv", "samples.png", "loss.png")) {
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }
    }

    @Test
    void fashionMnistRunWritesASampleGrid(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        CommandRun o = CommandRun.of(
                "gan",
                "--data",
                "fashion-mnist",
                "--loss",
                "hinge",
                "--d-steps",
                "2",
                "--steps",
                "3",
                "--batch-size",
                "32",
                "--no-progress",
                "--out",
                out.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(Files.size(out.resolve("samples.png")) > 0);
        Map<?, ?> s = CommandRun.summary(out);
        assertEquals("hinge", s.get("loss"));
        // three steps from random init: the scores must be present and in range, not good
        double frechet = ((Number) s.get("frechet")).doubleValue();
        double floor = ((Number) s.get("frechet_real_floor")).doubleValue();
        int coverage = ((Number) s.get("class_coverage")).intValue();
        assertTrue(frechet > floor && floor >= 0, s.toString());
        assertTrue(coverage >= 1 && coverage <= 10, s.toString());
        assertTrue(((Number) s.get("classifier_test_accuracy")).doubleValue() > 0.8, s.toString());
    }

    @Test
    void dcganTrainsOnFashionMnist(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        CommandRun o = CommandRun.of(
                "gan",
                "--data",
                "fashion-mnist",
                "--arch",
                "dcgan",
                "--steps",
                "2",
                "--batch-size",
                "16",
                "--no-progress",
                "--out",
                out.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(Files.size(out.resolve("samples.png")) > 0);
        assertEquals("dcgan", CommandRun.summary(out).get("arch"));
    }

    @Test
    void badInputIsOneClearLine(@TempDir Path dir) {
        String outDir = dir.toString();
        CommandRun data = CommandRun.of("gan", "--data", "moons", "--out", outDir);
        assertEquals(2, data.code());
        assertTrue(data.err().contains("--data must be one of ring, grid, fashion-mnist, got 'moons'"), data.err());
        CommandRun loss = CommandRun.of("gan", "--loss", "wgan", "--out", outDir);
        assertEquals(2, loss.code());
        assertTrue(loss.err().contains("[ns, minimax, ls, hinge]"), loss.err());
        CommandRun dcgan = CommandRun.of("gan", "--arch", "dcgan", "--out", outDir);
        assertEquals(2, dcgan.code());
        assertTrue(dcgan.err().contains("--arch dcgan needs image data"), dcgan.err());
        CommandRun latent = CommandRun.of("gan", "--latent", "0", "--out", outDir);
        assertEquals(2, latent.code());
        assertTrue(latent.err().contains("--latent must be >= 1, got 0"), latent.err());
    }
}
