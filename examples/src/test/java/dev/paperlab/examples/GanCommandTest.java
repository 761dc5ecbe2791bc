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
                "--arch",
                "mlp",
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
    void fashionMnistDefaultsToDcganScoredAtEveryEvaluation(@TempDir Path dir) throws Exception {
        // the first 160 training and test images (one batch of the scoring classifier's 128): an
        // epoch of 2 steps at batch 64, so a budget of 7 steps spans four epochs, with evaluations
        // at the epoch ends (2, 4, 6, 7) and every 3 steps (3; 6 only once)
        Path data = smallFashionMnist(dir.resolve("data"), 160);
        Path out = dir.resolve("out");
        CommandRun o = CommandRun.of(
                "gan",
                "--data",
                "fashion-mnist",
                "--data-dir",
                data.toString(),
                "--steps",
                "7",
                "--eval-every",
                "3",
                "--eval-samples",
                "300",
                "--batch-size",
                "64",
                "--no-progress",
                "--out",
                out.toString());
        assertEquals(0, o.code(), o.err());
        Map<?, ?> s = CommandRun.summary(out);
        assertEquals("dcgan", s.get("arch"));
        // --steps is the budget even beyond the default single epoch
        assertEquals(7, ((Number) s.get("steps")).intValue(), s.toString());
        assertEquals(4, ((Number) s.get("epochs")).intValue(), s.toString());
        List<String> rows = Files.readAllLines(out.resolve("metrics.csv"));
        List<String> header = List.of(rows.get(0).split(","));
        int frechetColumn = header.indexOf("frechet");
        int coverageColumn = header.indexOf("class_coverage");
        assertTrue(frechetColumn > 0 && coverageColumn > 0, rows.get(0));
        List<Integer> evalSteps = new java.util.ArrayList<>();
        String lastFrechet = null;
        for (String row : rows.subList(1, rows.size())) {
            String[] cells = row.split(",", -1);
            if (cells[2].equals("eval")) {
                evalSteps.add(Integer.parseInt(cells[0]));
                double frechet = Double.parseDouble(cells[frechetColumn]);
                double coverage = Double.parseDouble(cells[coverageColumn]);
                assertTrue(frechet > 0 && coverage >= 1 && coverage <= 10, row);
                lastFrechet = cells[frechetColumn];
            }
        }
        assertEquals(List.of(2, 3, 4, 6, 7), evalSteps, String.join("\n", rows));
        // the summary's score is the final evaluation's (metrics.csv keeps 8 significant digits)
        assertEquals(
                Double.parseDouble(lastFrechet),
                ((Number) s.get("frechet")).doubleValue(),
                1e-6 * Double.parseDouble(lastFrechet));
        for (int step : evalSteps) {
            Path grid = out.resolve(String.format("samples/step-%06d.png", step));
            assertTrue(Files.size(grid) > 0, grid.toString());
        }
        assertTrue(Files.size(out.resolve("samples.png")) > 0);
    }

    /** The first {@code n} images and labels of both Fashion-MNIST splits as plain IDX files. */
    private static Path smallFashionMnist(Path dir, int n) throws Exception {
        Files.createDirectories(dir);
        Path system = Path.of("/usr/share/datasets/fashion-mnist");
        for (String split : List.of("train", "t10k")) {
            copyHead(
                    system.resolve(split + "-images-idx3-ubyte.gz"),
                    dir.resolve(split + "-images-idx3-ubyte"),
                    n,
                    16,
                    784);
            copyHead(
                    system.resolve(split + "-labels-idx1-ubyte.gz"),
                    dir.resolve(split + "-labels-idx1-ubyte"),
                    n,
                    8,
                    1);
        }
        return dir;
    }

    private static void copyHead(Path gz, Path to, int n, int headerBytes, int itemBytes) throws Exception {
        byte[] head;
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(gz))) {
            head = in.readNBytes(headerBytes + n * itemBytes);
        }
        java.nio.ByteBuffer.wrap(head).putInt(4, n); // the item count follows the magic number
        Files.write(to, head);
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
        CommandRun samples = CommandRun.of("gan", "--eval-samples", "1", "--out", outDir);
        assertEquals(2, samples.code());
        assertTrue(samples.err().contains("--eval-samples must be >= 2, got 1"), samples.err());
    }
}
