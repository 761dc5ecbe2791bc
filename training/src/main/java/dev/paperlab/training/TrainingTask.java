package dev.paperlab.training;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
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
     * Reserved step metric: the number of examples (episodes, transitions, tokens' sequences...)
     * the step consumed. The harness takes it out of the logged metrics and sums it for
     * throughput; a step that does not report it counts {@link #examplesPerStep()}.
     */
    String EXAMPLES = "examples";

    /**
     * Builds models and trainers. Called once, after the engine seed is set, so parameter
     * initialisation is reproducible.
     */
    void setUp(RunConfig config);

    /** The parameter sets this task trains; the first is the primary one. */
    List<TrainedPart> parts();

    /** Steps in one epoch (batches per pass over the data, or episodes per epoch). */
    long stepsPerEpoch();

    /**
     * Examples consumed by a step that does not report {@link #EXAMPLES}, for throughput;
     * defaults to 1.
     */
    default long examplesPerStep() {
        return 1;
    }

    /**
     * Starts an epoch; {@code firstStep > 0} when a resumed run re-enters it mid-way, so the task
     * must skip exactly that many steps' worth of data to stay on the same trajectory.
     */
    default void startEpoch(int epoch, long firstStep) {}

    /**
     * Whether every part's gradients are zeroed by the step itself before each backward pass,
     * because it updates parts only with {@link TrainedPart#update} (which zeroes its own part
     * first). The harness then skips its own zeroing of all parts before the step, work that
     * changes nothing in that case. False by default: the harness zeroes every part's gradients
     * before each step.
     */
    default boolean zeroesOwnGradients() {
        return false;
    }

    /**
     * Runs one step and returns its metrics (for example {@code loss}, and {@link #EXAMPLES}
     * when a step's size varies); every NDArray it creates must live in {@link
     * StepContext#scope()} or be closed by the task. Update parts with {@link TrainedPart#update},
     * any part, in any order, any number of times.
     */
    Map<String, Double> step(StepContext context);

    /**
     * Held-out metrics; called at the end of every epoch and of the run, and every {@link
     * RunConfig#evalEvery()} steps. Delegates to {@link #evaluate(NDManager)} by default. A long
     * evaluation (a sampler's 1,000 iterations) runs each iteration in its own scope with {@link
     * EvalContext#iterate} or {@link EvalContext#newIterationScope()}.
     */
    default Map<String, Double> evaluate(EvalContext context) {
        return evaluate(context.scope());
    }

    /** Held-out metrics computed in {@code scope}; see {@link #evaluate(EvalContext)}. */
    default Map<String, Double> evaluate(NDManager scope) {
        return Map.of();
    }

    /**
     * Moving averages of parameters the checkpoints save and restore with the parts ({@code
     * <name>.ema}); none by default.
     */
    default List<Ema> averages() {
        return List.of();
    }

    /**
     * Saves the task's own state that is not parameters or optimizer state (a running-mean
     * baseline, an environment's RNG, a replay buffer's position) into {@code dir}, a folder of
     * the checkpoint being written; it is renamed into place with the rest, so a checkpoint holds
     * all of it or nothing. Nothing by default.
     */
    default void saveState(Path dir) throws IOException {}

    /**
     * Restores what {@link #saveState} wrote into {@code dir} (after {@link #setUp}, before the
     * first step of a resumed run). Nothing by default.
     */
    default void loadState(Path dir) throws IOException {}

    /** Source of the data, reported in summaries ("synthetic" by default). */
    default String dataSource() {
        return "synthetic";
    }

    @Override
    default void close() {
        for (Ema ema : averages()) {
            ema.close();
        }
        for (TrainedPart part : parts()) {
            part.trainer().close();
            part.model().close();
        }
    }
}
