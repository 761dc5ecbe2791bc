package dev.paperlab.training;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live state of a run, shared read-only with listeners (the harness is its only writer,
 * except for {@link #summary()}, which tasks and commands fill with their final figures).
 */
public final class RunState {
    private final RunConfig config;
    private final List<TrainedPart> parts;
    private final long stepsPerEpoch;
    private final long plannedSteps;
    private final long examplesPerStep;
    private final TrainingTask task;
    private final Map<String, Double> stepMetrics = new LinkedHashMap<>();
    private final Map<String, Double> evalMetrics = new LinkedHashMap<>();
    private final Map<String, Object> summary = new LinkedHashMap<>();
    private final long startNanos = System.nanoTime();
    private long step;
    private int epoch;
    private long stepsThisRun;
    private long stepNanos;
    private long[] stepDurations = new long[64]; // nanoseconds of each step of this run
    private long examples;
    private long examplesThisRun;
    private Path lastCheckpoint;
    private Throwable failure;

    RunState(RunConfig config, TrainingTask task, List<TrainedPart> parts, long stepsPerEpoch, long examplesPerStep) {
        this.config = config;
        this.task = task;
        this.parts = List.copyOf(parts);
        this.stepsPerEpoch = stepsPerEpoch;
        this.examplesPerStep = examplesPerStep;
        this.plannedSteps = config.plannedSteps(stepsPerEpoch);
    }

    public RunConfig config() {
        return config;
    }

    public List<TrainedPart> parts() {
        return parts;
    }

    /** Steps completed so far over the whole run (resumed steps included). */
    public long step() {
        return step;
    }

    public int epoch() {
        return epoch;
    }

    public long stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /** Total steps this run will reach when it is not stopped early. */
    public long plannedSteps() {
        return plannedSteps;
    }

    /** Metrics of the latest step, in the order the task returned them. */
    public Map<String, Double> stepMetrics() {
        return Collections.unmodifiableMap(stepMetrics);
    }

    /** Latest evaluation metrics. */
    public Map<String, Double> evalMetrics() {
        return Collections.unmodifiableMap(evalMetrics);
    }

    /** Final figures written to {@code summary.json}; tasks and commands may add to it. */
    public Map<String, Object> summary() {
        return summary;
    }

    public double wallSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Seconds spent inside training steps in this process (evaluation and set-up excluded). */
    public double trainSeconds() {
        return stepNanos / 1e9;
    }

    /**
     * Training examples consumed so far over the whole run (resumed steps included): what the
     * steps reported as {@link TrainingTask#EXAMPLES}, or {@link TrainingTask#examplesPerStep()}
     * for a step that reported nothing.
     */
    public long examples() {
        return examples;
    }

    /** Training examples consumed per second of step time, over the steps run in this process. */
    /**
     * The median duration of this run's steps, in seconds (0 before the first): unlike {@link
     * #trainSeconds()} over the steps, it leaves out the warm-up of the first steps, as a PyTorch
     * script's median per-step time does.
     */
    public double medianStepSeconds() {
        int n = (int) stepsThisRun;
        if (n == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(stepDurations, n);
        Arrays.sort(sorted);
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        return median / 1e9;
    }

    public double samplesPerSecond() {
        double seconds = trainSeconds();
        return seconds > 0 ? examplesThisRun / seconds : 0;
    }

    /** Steps run in this process (a resumed run does not count the restored ones). */
    public long stepsThisRun() {
        return stepsThisRun;
    }

    TrainingTask task() {
        return task;
    }

    public Path lastCheckpoint() {
        return lastCheckpoint;
    }

    public Path outDir() {
        return config.outDir();
    }

    /** Why the run stopped early, or {@code null} while it runs or after it completed. */
    public Throwable failure() {
        return failure;
    }

    void setFailure(Throwable failure) {
        this.failure = failure;
    }

    void beginAt(long step, int epoch) {
        this.step = step;
        this.epoch = epoch;
    }

    void restoreExamples(long examples) {
        this.examples = examples;
    }

    void completeStep(Map<String, Double> metrics, long nanos) {
        stepNanos += nanos;
        if (stepsThisRun == stepDurations.length) {
            stepDurations = Arrays.copyOf(stepDurations, 2 * stepDurations.length);
        }
        stepDurations[(int) stepsThisRun] = nanos;
        stepMetrics.clear();
        stepMetrics.putAll(metrics);
        Double reported = stepMetrics.remove(TrainingTask.EXAMPLES);
        long consumed = examplesPerStep;
        if (reported != null) {
            if (!(reported >= 0) || reported != Math.rint(reported)) {
                throw new IllegalStateException("step " + step + " reported " + reported + " " + TrainingTask.EXAMPLES
                        + "; expected a whole number >= 0");
            }
            consumed = reported.longValue();
        }
        examples += consumed;
        examplesThisRun += consumed;
        step++;
        stepsThisRun++;
    }

    void setEpoch(int epoch) {
        this.epoch = epoch;
    }

    void setEvalMetrics(Map<String, Double> metrics) {
        evalMetrics.clear();
        evalMetrics.putAll(metrics);
    }

    void setLastCheckpoint(Path path) {
        this.lastCheckpoint = path;
    }
}
