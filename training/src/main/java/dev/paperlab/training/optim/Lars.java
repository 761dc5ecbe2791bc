package dev.paperlab.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
import dev.paperlab.framework.nn.Scalars;
import dev.paperlab.training.Gradients;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * LARS, layer-wise adaptive rate scaling (You, Gitman &amp; Ginsburg 2017, Algorithm 1), the
 * optimizer SimCLR trains with. Each layer's step is scaled by a trust ratio, so its size follows
 * the size of the layer's weights rather than of its gradient:
 *
 * <pre>
 *   lambda_l = eta * ||w_l|| / (||g_l|| + beta * ||w_l||)       local learning rate (Eq. 6)
 *   v_l      = m * v_l + lr_t * lambda_l * (g_l + beta * w_l)  momentum
 *   w_l      = w_l - v_l
 * </pre>
 *
 * <p>with eta the trust coefficient, beta the weight decay, m the momentum and lr_t the global
 * rate (a {@link Tracker}, for instance {@link Schedules#warmupCosine}). As SimCLR does, parameters
 * with at most one dimension (biases, batch-norm scales and shifts) are left out of the
 * adaptation and the decay: they take plain momentum SGD steps. {@code lambda} is 1 where
 * {@code ||w||} or {@code ||g||} is 0 (a fresh zero layer, a layer with no gradient). The
 * gradient is zeroed after the update, as our {@link Adam} does; the state is checkpointable.
 */
public final class Lars extends Optimizer implements StatefulOptimizer {
    private static final int STATE_VERSION = 1;

    private final ParameterTracker learningRate;
    private final float momentum;
    private final float trust;
    private final Map<String, NDArray> velocities = new ConcurrentHashMap<>();
    private final Map<String, Integer> steps = new ConcurrentHashMap<>();

    private Lars(Builder builder) {
        super(builder);
        this.learningRate = builder.learningRate;
        this.momentum = builder.momentum;
        this.trust = builder.trust;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        int t = steps.merge(parameterId, 1, Integer::sum);
        float lr = learningRate.getNewValue(parameterId, t);
        NDArray v = velocities.computeIfAbsent(parameterId, k -> weight.zerosLike());
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray g = rescaleGrad != 1f ? Scalars.mul(grad, rescaleGrad) : grad;
            double local = 1;
            if (weight.getShape().dimension() > 1) {
                float wd = getWeightDecay();
                double wNorm = weight.norm().getFloat();
                double gNorm = g.norm().getFloat();
                if (wNorm > 0 && gNorm > 0) {
                    local = trust * wNorm / (gNorm + wd * wNorm); // Eq. 6
                }
                if (wd != 0) {
                    g = g.add(Scalars.mul(weight, wd));
                }
            }
            // v = m v + lr lambda (g + beta w)
            Scalars.muli(v, momentum).addi(Scalars.mul(g, (float) (lr * local)));
            weight.subi(v);
            Gradients.zero(grad);
        }
    }

    /** Number of updates applied to {@code parameterId} so far. */
    public int stepCount(String parameterId) {
        return steps.getOrDefault(parameterId, 0);
    }

    @Override
    public void saveState(DataOutputStream out, Function<String, String> idToName) throws IOException {
        ParameterStates.write(out, STATE_VERSION, steps, id -> new NDList(velocities.get(id)), idToName);
    }

    @Override
    public void loadState(NDManager manager, DataInputStream in, Function<String, String> nameToId) throws IOException {
        Runnable reset = () -> {
            velocities.values().forEach(NDArray::close);
            velocities.clear();
            steps.clear();
        };
        ParameterStates.read(manager, in, STATE_VERSION, "LARS", nameToId, reset, (id, step, arrays) -> {
            steps.put(id, step);
            velocities.put(id, arrays.head());
        });
    }

    /**
     * Builder; defaults: lr 0.1, momentum 0.9, trust coefficient eta 0.001 (the paper's), weight
     * decay 0 (set it with {@code optWeightDecays}; SimCLR uses 1e-6).
     */
    public static final class Builder extends OptimizerBuilder<Builder> {
        private ParameterTracker learningRate = Tracker.fixed(0.1f);
        private float momentum = 0.9f;
        private float trust = 0.001f;

        private Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        public Builder optLearningRateTracker(ParameterTracker tracker) {
            this.learningRate = tracker;
            return this;
        }

        public Builder optMomentum(float momentum) {
            this.momentum = momentum;
            return this;
        }

        /** The trust coefficient eta of Eq. 6. */
        public Builder optTrustCoefficient(float trust) {
            this.trust = trust;
            return this;
        }

        public Lars build() {
            if (!(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
            }
            if (!(trust > 0) || !Float.isFinite(trust)) {
                throw new IllegalArgumentException("trust coefficient must be finite and > 0, got " + trust);
            }
            return new Lars(this);
        }
    }
}
