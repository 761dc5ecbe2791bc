/**
 * The common training harness: a {@link dev.paperlab.training.Harness} owns epochs, steps,
 * device, seed, evaluation, logging and checkpoints; a {@link dev.paperlab.training.TrainingTask}
 * owns "one training step" (supervised, two-player, episodic, self-sampling).
 */
package dev.paperlab.training;
