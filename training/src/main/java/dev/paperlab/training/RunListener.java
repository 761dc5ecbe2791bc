package dev.paperlab.training;

import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListener;

/**
 * A DJL {@link TrainingListener} that also sees the harness's {@link RunState}. The harness calls
 * the DJL callbacks on the primary trainer (so DJL's own listeners work unchanged) and these
 * run-level hooks on every listener that implements this interface.
 */
public interface RunListener extends TrainingListener {

    default void onRunBegin(RunState state) {}

    /** After every completed step; {@link RunState#stepMetrics()} holds its metrics. */
    default void onStep(RunState state) {}

    /** After each evaluation; {@link RunState#evalMetrics()} holds its metrics. */
    default void onEvaluation(RunState state) {}

    /** Once at the end, also when the run stopped early with an exception. */
    default void onRunEnd(RunState state) {}

    @Override
    default void onEpoch(Trainer trainer) {}

    @Override
    default void onTrainingBatch(Trainer trainer, BatchData batchData) {}

    @Override
    default void onValidationBatch(Trainer trainer, BatchData batchData) {}

    @Override
    default void onTrainingBegin(Trainer trainer) {}

    @Override
    default void onTrainingEnd(Trainer trainer) {}
}
