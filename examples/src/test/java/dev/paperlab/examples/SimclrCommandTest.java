package dev.paperlab.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code simclr}: a short run writes every score beside its raw-pixel baseline and the pictures. */
class SimclrCommandTest {

    @Test
    void shortRunWritesScoresAndPictures(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        CommandRun o = CommandRun.of(
                "simclr",
                "--steps",
                "3",
                "--batch-size",
                "32",
                "--augment",
                "crop,flip,noise,erase",
                "--optimizer",
                "adamw",
                "--temperature",
                "0.2",
                "--channels",
                "8,16,32",
                "--probe-epochs",
                "20",
                "--eval-train",
                "500",
                "--eval-test",
                "200",
                "--no-progress",
                "--out",
                out.toString());
        assertEquals(0, o.code(), o.err());
        Map<?, ?> s = CommandRun.summary(out);
        assertEquals(3, ((Number) s.get("steps")).intValue());
        assertEquals(List.of("crop", "erase", "flip", "noise"), s.get("augment"));
        assertEquals("adamw", s.get("optimizer"));
        assertEquals(List.of(8, 16, 32), s.get("channels"));
        for (String key : List.of(
                "knn_accuracy",
                "knn_majority_accuracy",
                "raw_pixel_knn_accuracy",
                "raw_pixel_knn_majority_accuracy",
                "linear_probe_accuracy",
                "raw_pixel_linear_probe_accuracy")) {
            double v = ((Number) s.get(key)).doubleValue();
            // ten classes: k-NN and a probe trained 40 steps on 500 examples are far above chance (0.1)
            assertTrue(v > 0.3 && v <= 1, key + " = " + v);
        }
        assertEquals(200, ((Number) s.get("eval_test_examples")).intValue());
        for (String file : List.of("metrics.csv", "projection.png", "loss.png", "pairs.png")) {
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }
    }

    @Test
    void badInputIsOneClearLine(@TempDir Path dir) {
        String outDir = dir.toString();
        CommandRun tau = CommandRun.of("simclr", "--temperature", "0", "--out", outDir);
        assertEquals(2, tau.code());
        assertTrue(tau.err().contains("--temperature must be finite and > 0, got 0.0"), tau.err());
        CommandRun one = CommandRun.of("simclr", "--batch-size", "1", "--out", outDir);
        assertEquals(2, one.code());
        assertTrue(one.err().contains("--batch-size must be >= 2"), one.err());
        CommandRun none = CommandRun.of("simclr", "--augment", ",", "--out", outDir);
        assertEquals(2, none.code());
        assertTrue(none.err().contains("--augment must name at least one of"), none.err());
        CommandRun typo = CommandRun.of("simclr", "--augment", "crop,blur", "--out", outDir);
        assertEquals(2, typo.code());
        assertTrue(typo.err().contains("got 'blur'"), typo.err());
        CommandRun channels = CommandRun.of("simclr", "--channels", "8,16", "--out", outDir);
        assertEquals(2, channels.code());
        assertTrue(channels.err().contains("--channels must list three filter counts"), channels.err());
        assertTrue(channels.err().contains("got [8, 16]"), channels.err());
        CommandRun zero = CommandRun.of("simclr", "--channels", "8,0,16", "--out", outDir);
        assertEquals(2, zero.code());
        assertTrue(zero.err().contains("got [8, 0, 16]"), zero.err());
        CommandRun opt = CommandRun.of("simclr", "--optimizer", "sgd", "--out", outDir);
        assertEquals(2, opt.code());
        assertTrue(opt.err().contains("[adam, adamw, lars]"), opt.err());
    }

    @Test
    void theTourHasAShortSimclrStop(@TempDir Path dir) {
        TourCommand tour = new TourCommand();
        new picocli.CommandLine(tour).parseArgs("--out", dir.toString());
        TourCommand.Stop stop = tour.stops().stream()
                .filter(s -> s.name().equals("simclr"))
                .findFirst()
                .orElseThrow();
        List<String> args = stop.args();
        assertEquals("40", args.get(args.indexOf("--steps") + 1));
        assertEquals("1000", args.get(args.indexOf("--eval-test") + 1));
    }
}
