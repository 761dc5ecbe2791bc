package dev.paperlab.training.experiments;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A stand-in for a training command, run by {@link SweepRunnerTest} in child JVMs: {@code --x X
 * --seed S --out DIR [--fail-seed F]} appends a line to {@code <DIR>/../../runs.log} and writes
 * {@code summary.json} with {@code score = 10 x + s}, or prints an error and exits 2 when {@code S
 * == F}.
 */
public final class FakeTrial {
    private FakeTrial() {}

    public static void main(String[] args) throws Exception {
        double x = 0;
        long seed = 0;
        long failSeed = -1;
        Path out = null;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--x" -> x = Double.parseDouble(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--fail-seed" -> failSeed = Long.parseLong(args[i + 1]);
                case "--out" -> out = Path.of(args[i + 1]);
                default -> i--; // a command word
            }
        }
        Files.writeString(
                out.getParent().getParent().resolve("runs.log"),
                out.getFileName() + "\n",
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        if (seed == failSeed) {
            System.out.println("training...");
            System.err.println("error: seed " + seed + " diverged");
            System.exit(2);
        }
        Files.writeString(
                out.resolve("summary.json"), "{\"status\": \"completed\", \"score\": " + (10 * x + seed) + "}");
    }
}
