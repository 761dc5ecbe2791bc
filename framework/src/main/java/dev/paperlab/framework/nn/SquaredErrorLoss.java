package dev.paperlab.framework.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * Half the mean squared error, {@code L = 1/2 mean((y_hat - y)^2)}: the value and gradient of DJL's
 * {@code Loss.l2Loss()}, without its defect. DJL scales by the 1/2 with {@code mul(Number)}, whose
 * scalar autograd keeps for the backward pass in memory Java may free (see {@link Scalars}): a
 * garbage collection between forward and backward then corrupts the gradient, now and then and
 * differently each run. Here the 1/2 is an engine-owned scalar. Use this wherever a DJL {@code
 * Loss} is needed for squared error, also as a placeholder a task never evaluates.
 */
public final class SquaredErrorLoss extends Loss {

    public SquaredErrorLoss() {
        super("L2Loss"); // DJL's name, so metrics keep their key
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray diff = predictions.singletonOrThrow().sub(labels.singletonOrThrow());
        return Scalars.mul(diff.square(), 0.5).mean();
    }
}
