/**
 * Optimizers written from their update rules as DJL {@link ai.djl.training.optimizer.Optimizer}s;
 * {@link dev.paperlab.training.optim.StatefulOptimizer} for checkpoints and {@link
 * dev.paperlab.training.optim.MultiTensorOptimizer} for one update over all of a part's weights.
 */
package dev.paperlab.training.optim;
