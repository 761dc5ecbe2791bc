package dev.paperlab.examples;

import dev.paperlab.training.RunConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Options every training command shares (a picocli mixin): {@code --seed}, {@code --device} and
 * {@code --out} from {@link RunOptions}, and the training budget, data and checkpoint options.
 */
public final class CommonOptions {
    @Mixin
    RunOptions run;

    @Option(names = "--epochs", description = "Passes over the training data (default: ${DEFAULT-VALUE}).")
    int epochs = 1;

    @Option(
            names = "--steps",
            description = "Stop after this many steps in total; 0 = whole epochs (default: ${DEFAULT-VALUE}).")
    long steps;

    @Option(names = "--batch-size", description = "Examples per step (default: command's own).")
    Integer batchSize;

    @Option(names = "--lr", description = "Learning rate (default: command's own).")
    Float learningRate;

    @Option(
            names = "--data-dir",
            description = "Folder with the data files (default: PAPERLAB_DATA, then system locations).")
    Path dataDir;

    @Option(names = "--resume", description = "Continue from the latest checkpoint in the output folder.")
    boolean resume;

    @Option(
            names = "--checkpoint-every",
            description = "Steps between checkpoints; 0 = only at the end (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(
            names = "--eval-every",
            description = "Also evaluate every N steps; 0 = at epoch ends only (default: ${DEFAULT-VALUE}).")
    long evalEvery;

    @Option(names = "--no-progress", description = "Hide the progress bar.")
    boolean noProgress;

    @Option(
            names = "--threads",
            description = "Threads one engine operator may use; 0 = the engine's own count from"
                    + " OMP_NUM_THREADS (default: command's own).")
    Integer threads;

    @Option(
            names = "--profile-steps",
            description = "Record the run's last N steps with libtorch's operator profiler: profile.json (a"
                    + " Chrome trace) and profile_ops.csv (self time per operator) in the output folder;"
                    + " 0 = off (default: ${DEFAULT-VALUE}).")
    int profileSteps;

    /** The explicit data folder, checked to exist, or {@code null}. */
    Path dataDir() {
        if (dataDir != null && !Files.isDirectory(dataDir)) {
            throw new IllegalArgumentException("--data-dir " + dataDir + " does not exist or is not a folder");
        }
        return dataDir;
    }

    /** Run configuration with the command's defaults for batch size and learning rate. */
    RunConfig toConfig(String command, int defaultBatch, float defaultLr) {
        return toConfig(command, defaultBatch, defaultLr, 0);
    }

    /**
     * Run configuration with the command's defaults for batch size, learning rate and threads per
     * operator (0 = the engine's own count).
     */
    RunConfig toConfig(String command, int defaultBatch, float defaultLr, int defaultThreads) {
        if (threads != null && threads < 0) {
            throw new IllegalArgumentException("--threads must be >= 0 (0 = the engine's own count), got " + threads);
        }
        if (batchSize != null && batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
        }
        if (learningRate != null && !(learningRate > 0)) {
            throw new IllegalArgumentException("--lr must be > 0, got " + learningRate);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        }
        if (steps < 0) {
            throw new IllegalArgumentException("--steps must be >= 0, got " + steps);
        }
        if (profileSteps < 0) {
            throw new IllegalArgumentException("--profile-steps must be >= 0 (0 = off), got " + profileSteps);
        }
        if (evalEvery < 0) {
            throw new IllegalArgumentException("--eval-every must be >= 0 (0 = epoch ends only), got " + evalEvery);
        }
        return RunConfig.builder()
                .optEpochs(epochs)
                .optMaxSteps(steps)
                .optBatchSize(batchSize != null ? batchSize : defaultBatch)
                .optLearningRate(learningRate != null ? learningRate : defaultLr)
                .optSeed(run.seed)
                .optDevice(run.device())
                .optOutDir(run.out(command))
                .optCheckpointEvery(checkpointEvery)
                .optEvalEvery(evalEvery)
                .optResume(resume)
                .optProgress(!noProgress)
                .optThreads(threads != null ? threads : defaultThreads)
                .optProfileSteps(profileSteps)
                .build();
    }
}
