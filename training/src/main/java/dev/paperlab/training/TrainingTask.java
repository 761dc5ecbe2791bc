package dev.paperlab.training;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;

/**
 * The extension point of the harness: a task owns "one training step", the harness owns
 * everything around it (loop, seed, device, scoping, evaluation, listeners, checkpoints).
 *
 * <p>Shapes of step this supports, each proved by a test: a plain supervised step (one loss, one
 * optimizer); a two-player step with two {@link TrainedPart}s (a GAN); an episode step that
 * collects rollouts before one update (REINFORCE); steps that sample their own noise or
 * timesteps (DDPM) or build two views per example (SimCLR), using the step's seeded scope.
 */
public interface TrainingTask extends AutoCloseable {

    /**
     * Builds models and trainers. Called once, after the engine seed is set, so parameter
     * initialisation is reproducible.
     */
    void setUp(RunConfig config);

    /** The parameter sets this task trains; the first is the primary one. */
    List<TrainedPart> parts();

    /** Steps in one epoch (batches per pass over the data, or episodes per epoch). */
    long stepsPerEpoch();

    /** Examples consumed by one step, for throughput; defaults to 1. */
    default long examplesPerStep() {
        return 1;
    }

    /**
     * Starts an epoch; {@code firstStep > 0} when a resumed run re-enters it mid-way, so the task
     * must skip exactly that many steps' worth of data to stay on the same trajectory.
     */
    default void startEpoch(int epoch, long firstStep) {}

    /**
     * Runs one step and returns its metrics (for example {@code loss}); every NDArray it
     * creates must live in {@link StepContext#scope()} or be closed by the task.
     */
    Map<String, Double> step(StepContext context);

    /** Held-out metrics; called at the end of every epoch and of the run. */
    default Map<String, Double> evaluate(NDManager scope) {
        return Map.of();
    }

    /** Source of the data, reported in summaries ("synthetic" by default). */
    default String dataSource() {
        return "synthetic";
    }

    @Override
    default void close() {
        for (TrainedPart part : parts()) {
            part.trainer().close();
            part.model().close();
        }
    }
}
