package dev.paperlab.training;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything a run needs that is not the model: budget, optimisation, seed, device, output.
 *
 * <p>Built with {@link #builder()}; {@link Builder#build()} rejects impossible values with a
 * message naming the option and the value.
 */
public final class RunConfig {
    private final int epochs;
    private final long maxSteps;
    private final int batchSize;
    private final float learningRate;
    private final long seed;
    private final Device device;
    private final Path outDir;
    private final int checkpointEvery;
    private final long evalEvery;
    private final boolean resume;
    private final boolean progress;
    private final int threads;
    private final int profileSteps;

    private RunConfig(Builder b) {
        this.epochs = b.epochs;
        this.maxSteps = b.maxSteps;
        this.batchSize = b.batchSize;
        this.learningRate = b.learningRate;
        this.seed = b.seed;
        this.device = b.device;
        this.outDir = b.outDir;
        this.checkpointEvery = b.checkpointEvery;
        this.evalEvery = b.evalEvery;
        this.resume = b.resume;
        this.progress = b.progress;
        this.threads = b.threads;
        this.profileSteps = b.profileSteps;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every setting of this configuration, to change a few of them. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.epochs = epochs;
        b.maxSteps = maxSteps;
        b.batchSize = batchSize;
        b.learningRate = learningRate;
        b.seed = seed;
        b.device = device;
        b.outDir = outDir;
        b.checkpointEvery = checkpointEvery;
        b.evalEvery = evalEvery;
        b.resume = resume;
        b.progress = progress;
        b.threads = threads;
        b.profileSteps = profileSteps;
        return b;
    }

    /** Epochs to run when {@link #maxSteps()} is 0; a positive step budget overrides it. */
    public int epochs() {
        return epochs;
    }

    /** Step budget over the whole run; 0 means "epochs decide". */
    public long maxSteps() {
        return maxSteps;
    }

    /**
     * Steps the run makes: the step budget when one is set (ending inside an epoch, or adding
     * epochs beyond {@link #epochs()}: asking for 5000 steps gives 5000 steps), else whole epochs.
     *
     * @param stepsPerEpoch the task's steps per epoch
     */
    public long plannedSteps(long stepsPerEpoch) {
        return maxSteps > 0 ? maxSteps : stepsPerEpoch * epochs;
    }

    public int batchSize() {
        return batchSize;
    }

    public float learningRate() {
        return learningRate;
    }

    public long seed() {
        return seed;
    }

    /** The device to train on; DJL's default device (GPU when present) unless one was set. */
    public Device device() {
        return device != null ? device : ai.djl.engine.Engine.getInstance().defaultDevice();
    }

    public Path outDir() {
        return outDir;
    }

    /** Steps between checkpoints; 0 disables periodic checkpoints (one is still written at the end). */
    public int checkpointEvery() {
        return checkpointEvery;
    }

    /**
     * Steps between scheduled evaluations besides those at the end of each epoch and of the run;
     * 0 evaluates at epoch ends only.
     */
    public long evalEvery() {
        return evalEvery;
    }

    public boolean resume() {
        return resume;
    }

    public boolean progress() {
        return progress;
    }

    /**
     * Threads one engine operator may use during the run ({@link
     * dev.paperlab.framework.nn.IntraOpThreads}); 0 leaves the engine's setting (from {@code
     * OMP_NUM_THREADS}) as it is.
     */
    public int threads() {
        return threads;
    }

    /**
     * The last steps of the run to record with the operator profiler ({@link
     * dev.paperlab.training.listeners.ProfileListener}); 0 = none.
     */
    public int profileSteps() {
        return profileSteps;
    }

    /** Builder with defaults: 1 epoch, batch 128, lr 1e-3, seed 1, DJL's default device. */
    public static final class Builder {
        private int epochs = 1;
        private long maxSteps;
        private int batchSize = 128;
        private float learningRate = 1e-3f;
        private long seed = 1;
        private Device device;
        private Path outDir = Path.of("runs", "run");
        private int checkpointEvery;
        private long evalEvery;
        private boolean resume;
        private boolean progress = true;
        private int threads;
        private int profileSteps;

        private Builder() {}

        public Builder optEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        public Builder optMaxSteps(long maxSteps) {
            this.maxSteps = maxSteps;
            return this;
        }

        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder optLearningRate(float learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder optDevice(Device device) {
            this.device = Objects.requireNonNull(device, "device");
            return this;
        }

        public Builder optOutDir(Path outDir) {
            this.outDir = Objects.requireNonNull(outDir, "outDir");
            return this;
        }

        public Builder optCheckpointEvery(int steps) {
            this.checkpointEvery = steps;
            return this;
        }

        /** Evaluates every {@code steps} steps as well as at epoch ends; 0 (default) only there. */
        public Builder optEvalEvery(long steps) {
            this.evalEvery = steps;
            return this;
        }

        public Builder optResume(boolean resume) {
            this.resume = resume;
            return this;
        }

        public Builder optProgress(boolean progress) {
            this.progress = progress;
            return this;
        }

        /** Threads per engine operator during the run; 0 (default) keeps the engine's own count. */
        public Builder optThreads(int threads) {
            this.threads = threads;
            return this;
        }

        /** Records the run's last {@code steps} steps with the operator profiler; 0 (default) none. */
        public Builder optProfileSteps(int steps) {
            this.profileSteps = steps;
            return this;
        }

        public RunConfig build() {
            require(epochs >= 1, "epochs must be >= 1, got " + epochs);
            require(maxSteps >= 0, "steps must be >= 0 (0 = whole epochs), got " + maxSteps);
            require(batchSize >= 1, "batch size must be >= 1, got " + batchSize);
            require(
                    learningRate > 0 && Float.isFinite(learningRate),
                    "learning rate must be a finite number > 0, got " + learningRate);
            require(checkpointEvery >= 0, "checkpoint interval must be >= 0, got " + checkpointEvery);
            require(evalEvery >= 0, "evaluation interval must be >= 0 (0 = epoch ends only), got " + evalEvery);
            require(threads >= 0, "threads must be >= 0 (0 = the engine's own count), got " + threads);
            require(profileSteps >= 0, "profiled steps must be >= 0 (0 = none), got " + profileSteps);
            return new RunConfig(this);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
