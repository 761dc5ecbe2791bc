package dev.paperlab.training.listeners;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.paperlab.training.Checkpoints;
import dev.paperlab.training.DivergenceException;
import dev.paperlab.training.RunListener;
import dev.paperlab.training.RunState;
import dev.paperlab.training.TrainedPart;

/**
 * Writes a checkpoint every {@code every} steps and at the end of a completed run. Parameters are
 * checked for NaN/Inf first: a diverged model is never saved over the last good one.
 */
public final class CheckpointListener implements RunListener {
    private final int every;

    /** @param every steps between checkpoints; 0 writes only the final one */
    public CheckpointListener(int every) {
        if (every < 0) {
            throw new IllegalArgumentException("checkpoint interval must be >= 0, got " + every);
        }
        this.every = every;
    }

    @Override
    public void onStep(RunState state) {
        if (every > 0 && state.step() % every == 0) {
            save(state);
        }
    }

    @Override
    public void onRunEnd(RunState state) {
        boolean alreadySaved = state.lastCheckpoint() != null
                && state.lastCheckpoint().getFileName().toString().equals(String.format("step-%08d", state.step()));
        if (state.failure() == null && !alreadySaved && state.step() > 0) {
            save(state);
        }
    }

    private static void save(RunState state) {
        for (TrainedPart part : state.parts()) {
            for (Pair<String, Parameter> pair : part.model().getBlock().getParameters()) {
                NDArray array = pair.getValue().getArray();
                boolean bad;
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    bad = array.isInfinite().logicalOr(array.isNaN()).any().getBoolean();
                }
                {
                    if (bad) {
                        throw new DivergenceException("parameter '" + pair.getKey() + "' of part '" + part.name()
                                + "' is not finite at step " + state.step() + "; stopped. "
                                + DivergenceGuard.lastGood(state));
                    }
                }
            }
        }
        Checkpoints.save(state);
    }
}
