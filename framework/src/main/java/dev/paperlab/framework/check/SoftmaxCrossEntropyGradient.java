package dev.paperlab.framework.check;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import dev.paperlab.framework.nn.Scalars;

/**
 * The softmax cross-entropy loss and its gradient with respect to the logits, derived by hand.
 *
 * <p>Dimension letters: N examples, C classes. For example {@code n} with logits {@code z} (one
 * row of {@code (N, C)}) and target distribution {@code y} (one-hot or soft labels):
 *
 * <pre>
 *   p_c = exp(z_c) / sum_j exp(z_j)                      (softmax)
 *   L_n = - sum_c y_c log p_c
 *       = - sum_c y_c z_c + (sum_c y_c) log sum_j exp(z_j)
 * </pre>
 *
 * Differentiating, with {@code d/dz_k log sum_j exp(z_j) = p_k}:
 *
 * <pre>
 *   dL_n/dz_k = -y_k + (sum_c y_c) p_k  =  p_k - y_k      when sum_c y_c = 1
 * </pre>
 *
 * <p>so the gradient is {@code softmax(z) - y} per example. The code keeps the factor {@code sum_c
 * y_c}, so targets that are not normalised still get their exact gradient. Reductions: with
 * {@code SUM} the batch loss is {@code sum_n L_n} and each row's gradient is as above; with
 * {@code MEAN} (DJL's {@code SoftmaxCrossEntropyLoss}) the loss is {@code (1/N) sum_n L_n} and every
 * row's gradient is divided by {@code N}.
 */
public final class SoftmaxCrossEntropyGradient {

    /** How per-example losses are combined into the batch loss. */
    public enum Reduction {
        /** {@code sum_n L_n}. */
        SUM,
        /** {@code (1/N) sum_n L_n}. */
        MEAN
    }

    private SoftmaxCrossEntropyGradient() {}

    /**
     * The loss, as the reference forward computation.
     *
     * @param logits {@code (N, C)}
     * @param targets {@code (N, C)} target distributions
     * @param reduction sum or mean over the batch
     * @return the scalar loss
     */
    public static NDArray loss(NDArray logits, NDArray targets, Reduction reduction) {
        checkShapes(logits, targets);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray logP = logits.logSoftmax(-1); // (N, C)
            NDArray perExample = logP.mul(targets).sum(new int[] {-1}).neg(); // (N)
            NDArray out = reduction == Reduction.MEAN ? perExample.mean() : perExample.sum();
            NDScope.unregister(out);
            return out;
        }
    }

    /**
     * The hand-derived gradient {@code dL/dz = softmax(z) * sum_c y_c - y}, divided by N for the
     * mean reduction.
     *
     * @param logits {@code (N, C)}
     * @param targets {@code (N, C)} target distributions
     * @param reduction sum or mean over the batch
     * @return {@code (N, C)}
     */
    public static NDArray logitsGradient(NDArray logits, NDArray targets, Reduction reduction) {
        checkShapes(logits, targets);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray p = logits.softmax(-1); // (N, C)
            NDArray mass = targets.sum(new int[] {-1}, true); // (N, 1), 1 for distributions
            // dL_n/dz = p * sum_c y_c - y
            NDArray grad = p.mul(mass).sub(targets); // (N, C)
            if (reduction == Reduction.MEAN) {
                grad = Scalars.div(grad, logits.getShape().get(0));
            }
            NDScope.unregister(grad);
            return grad;
        }
    }

    private static void checkShapes(NDArray logits, NDArray targets) {
        if (logits.getShape().dimension() != 2 || !logits.getShape().equals(targets.getShape())) {
            throw new IllegalArgumentException("logits and targets must both be (N, C), but were " + logits.getShape()
                    + " and " + targets.getShape());
        }
    }
}
