package dev.paperlab.training.listeners;

import dev.paperlab.training.DivergenceException;
import dev.paperlab.training.RunListener;
import dev.paperlab.training.RunState;
import java.util.Map;

/**
 * Stops the run at the first non-finite step metric, naming step and metric. Registered before
 * the checkpoint listener, so the diverged step is never saved and the last good checkpoint stays.
 */
public final class DivergenceGuard implements RunListener {

    @Override
    public void onStep(RunState state) {
        check(state, state.stepMetrics(), "training");
    }

    @Override
    public void onEvaluation(RunState state) {
        check(state, state.evalMetrics(), "evaluation");
    }

    private static void check(RunState state, Map<String, Double> metrics, String phase) {
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            double value = e.getValue();
            if (!Double.isFinite(value)) {
                throw new DivergenceException(String.format(
                        "%s metric '%s' is %s at step %d (epoch %d); stopped. %s"
                                + " Try a lower --lr or gradient clipping.",
                        phase, e.getKey(), value, state.step(), state.epoch(), lastGood(state)));
            }
        }
    }

    static String lastGood(RunState state) {
        return state.lastCheckpoint() == null
                ? "No checkpoint had been written yet."
                : "Last good checkpoint kept: " + state.lastCheckpoint() + ".";
    }
}
