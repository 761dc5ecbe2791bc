package dev.paperlab.training.optim;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * An optimizer that updates many parameters with a few operations over all of them at once (a
 * multi-tensor step, as PyTorch's {@code foreach} optimizers), instead of a dozen small ones per
 * parameter. {@link dev.paperlab.training.TrainedPart#step} calls it once per update with every
 * parameter it updates.
 */
public interface MultiTensorOptimizer {

    /**
     * Updates every {@code weights[i]} in place from {@code grads[i]} and zeroes the gradients, with
     * the same result as calling {@link ai.djl.training.optimizer.Optimizer#update} once per
     * parameter in list order. The lists are parallel and of equal length.
     *
     * @param parameterIds the parameters' ids, keys of the optimizer's per-parameter state
     * @param weights the parameters' arrays, updated in place
     * @param grads their gradients, zeroed after the update
     */
    void updateAll(List<String> parameterIds, List<NDArray> weights, List<NDArray> grads);
}
