package dev.paperlab.training;

import ai.djl.ndarray.NDManager;
import java.util.Random;

/**
 * What a task sees during one step.
 *
 * @param step global step index, counting from 0 over the whole run
 * @param epoch current epoch, from 0
 * @param stepInEpoch index of this step inside its epoch
 * @param scope manager closed right after the step: create every temporary here
 * @param random Java RNG seeded from (run seed, step), so a resumed run draws the same numbers
 */
public record StepContext(long step, int epoch, long stepInEpoch, NDManager scope, Random random) {}
