/**
 * The common training harness: a {@link dev.paperlab.training.Harness} owns epochs, steps,
 * device, seed, evaluation, logging and checkpoints; a {@link dev.paperlab.training.TrainingTask}
 * owns "one training step" (supervised, two-player, episodic, self-sampling), updating each
 * {@link dev.paperlab.training.TrainedPart} on its own with {@code update}. Around them: {@link
 * dev.paperlab.training.EpochBatches} (seeded, resumable batches for any task), {@link
 * dev.paperlab.training.Ema} (checkpointed moving averages of weights), {@link
 * dev.paperlab.training.EvalContext} (seeded evaluation with per-iteration scopes) and {@link
 * dev.paperlab.training.Checkpoints}.
 */
package dev.paperlab.training;
