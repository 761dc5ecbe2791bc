package dev.paperlab.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Random;

/**
 * What a task sees during one evaluation.
 *
 * @param step steps completed when the evaluation runs
 * @param epoch current epoch, from 0
 * @param scope manager closed right after the evaluation
 * @param random Java RNG seeded from (run seed, step), so evaluations repeat exactly; the engine
 *     RNG is seeded the same way before the call
 */
public record EvalContext(long step, int epoch, NDManager scope, Random random) {

    /** One iteration of {@link #iterate}: the next state from the current one. */
    @FunctionalInterface
    public interface Iteration {
        /**
         * @param i iteration index, from 0
         * @param state the current state (do not close it)
         * @param scope closed after this iteration: create every temporary here, and the result
         */
        NDArray next(long i, NDArray state, NDManager scope);
    }

    /**
     * A fresh sub-manager of {@link #scope()} for one iteration of a long loop; close it at the
     * end of the iteration (try-with-resources) so native memory stays flat. DJL attaches an op's
     * result to the manager of the array it is called on, so lend arrays that outlive the
     * iteration to it with {@code tempAttach} (as {@link #iterate} does).
     */
    public NDManager newIterationScope() {
        return scope.newSubManager();
    }

    /**
     * Runs {@code iterations} steps of {@code state -> body.next(i, state, scope)} (a DDPM
     * sampler's {@code x_T -> ... -> x_0}), each in its own scope: only the latest state outlives
     * an iteration, so the live array count stays flat however long the loop.
     *
     * @param initial the starting state; it stays owned by the caller
     * @return the final state, attached to {@link #scope()} ({@code initial} when no iterations)
     */
    public NDArray iterate(NDArray initial, long iterations, Iteration body) {
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must be >= 0, got " + iterations);
        }
        NDArray state = initial;
        for (long i = 0; i < iterations; i++) {
            try (NDManager iteration = scope.newSubManager()) {
                // DJL puts an op's result on its first operand's manager: lend the state to the
                // iteration so that state.mul(...) and the like are freed with it
                state.tempAttach(iteration);
                NDArray next = body.next(i, state, iteration);
                if (next == state) {
                    continue;
                }
                next.attach(scope);
                NDArray previous = state;
                state = next;
                iteration.close(); // gives the previous state back to its own manager
                if (previous != initial) {
                    previous.close();
                }
            }
        }
        return state;
    }
}
