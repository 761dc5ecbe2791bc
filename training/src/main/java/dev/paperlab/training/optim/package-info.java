/** Optimizers written from their update rules as DJL {@link ai.djl.training.optimizer.Optimizer}s. */
package dev.paperlab.training.optim;
