package dev.paperlab.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Adam, written from its update rule (Kingma &amp; Ba 2015, Algorithm 1), with the decoupled
 * weight decay of AdamW (Loshchilov &amp; Hutter 2019) as an option.
 *
 * <pre>
 *   g_t = grad                                  (+ wd * theta for coupled L2 decay)
 *   m_t = beta1 * m_{t-1} + (1 - beta1) * g_t    first-moment EMA
 *   v_t = beta2 * v_{t-1} + (1 - beta2) * g_t^2  second-moment EMA
 *   mhat = m_t / (1 - beta1^t),  vhat = v_t / (1 - beta2^t)   bias correction
 *   theta_t = theta_{t-1} - lr * mhat / (sqrt(vhat) + eps)    (- lr * wd * theta for AdamW)
 * </pre>
 *
 * <p>{@link EpsilonPlacement#PAPER} is the formula above (PyTorch's {@code torch.optim.Adam});
 * {@link EpsilonPlacement#EFFICIENT} is the paper's §2 reformulation {@code lr_t = lr *
 * sqrt(1-beta2^t)/(1-beta1^t); theta -= lr_t * m / (sqrt(v) + eps)}, which DJL's built-in Adam
 * uses. The gradient is zeroed after the update, as DJL's PyTorch Adam does. Unlike DJL's, the
 * state is checkpointable ({@link StatefulOptimizer}) so a resumed run continues exactly, and
 * a whole part's parameters can be updated at once ({@link MultiTensorOptimizer}): the moments of
 * all of them in one flat buffer each, a dozen operations per step instead of a dozen per
 * parameter, with the same result.
 */
public final class Adam extends Optimizer implements StatefulOptimizer, MultiTensorOptimizer {

    /** Where epsilon enters the denominator; see the class comment. */
    public enum EpsilonPlacement {
        PAPER,
        EFFICIENT
    }

    private static final int STATE_VERSION = 1;

    private final ParameterTracker learningRate;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final boolean decoupledWeightDecay;
    private final EpsilonPlacement placement;
    private final Map<String, NDArray> means = new ConcurrentHashMap<>();
    private final Map<String, NDArray> variances = new ConcurrentHashMap<>();
    private final Map<String, Integer> steps = new ConcurrentHashMap<>();
    /** Flat moments of the parameters of the last multi-tensor update; null before the first. */
    private FlatMoments flat;

    private Adam(Builder builder) {
        super(builder);
        this.learningRate = builder.learningRate;
        this.beta1 = builder.beta1;
        this.beta2 = builder.beta2;
        this.epsilon = builder.epsilon;
        this.decoupledWeightDecay = builder.decoupled;
        this.placement = builder.placement;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        int t = steps.merge(parameterId, 1, Integer::sum);
        float lr = learningRate.getNewValue(parameterId, t);
        NDArray m = means.computeIfAbsent(parameterId, k -> weight.zerosLike());
        NDArray v = variances.computeIfAbsent(parameterId, k -> weight.zerosLike());
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray[] decayAndStep = direction(grad, weight, m, v, lr, t);
            if (decayAndStep[0] != null) {
                weight.subi(decayAndStep[0]);
            }
            weight.subi(decayAndStep[1]);
            Gradients.zero(grad);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The moments of the parameters live in two flat buffers (gathered on the first call, and
     * again whenever the list of parameters changes); the gradients are concatenated into one
     * flat array, Algorithm 1 runs once over it, and the step is split back into each weight.
     * Every element goes through the same float operations as in {@link #update}, so the result
     * is bit-identical. Parameters that differ in step count or learning rate (one skipped
     * earlier, a per-parameter tracker) or in data type take the per-parameter path.
     */
    @Override
    public void updateAll(List<String> parameterIds, List<NDArray> weights, List<NDArray> grads) {
        int count = parameterIds.size();
        if (weights.size() != count || grads.size() != count) {
            throw new IllegalArgumentException("parameterIds, weights and grads must have equal sizes, got " + count
                    + ", " + weights.size() + " and " + grads.size());
        }
        if (count == 0) {
            return;
        }
        int t = steps.getOrDefault(parameterIds.get(0), 0) + 1;
        float lr = learningRate.getNewValue(parameterIds.get(0), t);
        boolean uniform = true;
        for (int i = 1; i < count && uniform; i++) {
            String id = parameterIds.get(i);
            int ti = steps.getOrDefault(id, 0) + 1;
            uniform = ti == t
                    && learningRate.getNewValue(id, ti) == lr
                    && weights.get(i).getDataType() == weights.get(0).getDataType()
                    && weights.get(i).getDevice().equals(weights.get(0).getDevice());
        }
        if (!uniform) {
            for (int i = 0; i < count; i++) {
                update(parameterIds.get(i), weights.get(i), grads.get(i));
            }
            return;
        }
        if (flat == null || !flat.holds(parameterIds)) {
            if (flat != null) {
                flat.close();
            }
            flat = FlatMoments.gather(parameterIds, weights, means, variances);
        }
        parameterIds.forEach(id -> steps.put(id, t));
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray g = concatFlat(grads); // (N)
            NDArray w = getWeightDecay() != 0 ? concatFlat(weights) : null; // (N), only decay reads it
            NDArray[] decayAndStep = direction(g, w, flat.means(), flat.variances(), lr, t);
            NDList decays = decayAndStep[0] == null ? null : flat.split(decayAndStep[0]);
            NDList updates = flat.split(decayAndStep[1]);
            for (int i = 0; i < count; i++) {
                NDArray weight = weights.get(i);
                if (decays != null) {
                    weight.subi(decays.get(i).reshape(weight.getShape()));
                }
                weight.subi(updates.get(i).reshape(weight.getShape()));
                Gradients.zero(grads.get(i));
            }
        }
    }

    private static NDArray concatFlat(List<NDArray> arrays) {
        NDList flats = new NDList(arrays.size());
        arrays.forEach(a -> flats.add(a.reshape(-1)));
        return flats.size() == 1 ? flats.get(0) : NDArrays.concat(flats);
    }

    /**
     * Algorithm 1 on one buffer: updates the moments {@code m} and {@code v} in place and returns
     * the decoupled decay term ({@code null} without AdamW) and the Adam step, both to be
     * subtracted from the weight. {@code weight} is read only for weight decay.
     */
    private NDArray[] direction(NDArray grad, NDArray weight, NDArray m, NDArray v, float lr, int t) {
        float wd = getWeightDecay();
        double bias1 = 1 - Math.pow(beta1, t);
        double bias2 = 1 - Math.pow(beta2, t);
        NDArray g = grad;
        if (rescaleGrad != 1f) {
            g = Scalars.mul(g, rescaleGrad);
        }
        if (clipGrad > 0) {
            g = g.clip(-clipGrad, clipGrad);
        }
        if (wd != 0 && !decoupledWeightDecay) {
            g = g.add(Scalars.mul(weight, wd));
        }
        // m_t = beta1 m + (1 - beta1) g  ==  m += (1 - beta1) (g - m)
        m.addi(Scalars.muli(g.sub(m), 1 - beta1));
        // v_t = beta2 v + (1 - beta2) g^2  ==  v += (1 - beta2) (g^2 - v)
        v.addi(Scalars.muli(g.square().subi(v), 1 - beta2));
        NDArray decay = wd != 0 && decoupledWeightDecay ? Scalars.mul(weight, lr * wd) : null;
        NDArray step;
        if (placement == EpsilonPlacement.PAPER) {
            // theta -= lr * (m / bias1) / (sqrt(v / bias2) + eps)
            NDArray denom = Scalars.div(v, bias2).sqrt().addi(epsilon);
            step = Scalars.muli(m.div(denom), lr / bias1);
        } else {
            // theta -= lr * sqrt(bias2) / bias1 * m / (sqrt(v) + eps)
            NDArray denom = v.sqrt().addi(epsilon);
            step = Scalars.muli(m.div(denom), lr * Math.sqrt(bias2) / bias1);
        }
        return new NDArray[] {decay, step};
    }

    /** Number of updates applied to {@code parameterId} so far (the t of Algorithm 1). */
    public int stepCount(String parameterId) {
        return steps.getOrDefault(parameterId, 0);
    }

    /** {@inheritDoc} */
    @Override
    public void saveState(DataOutputStream out, Function<String, String> idToName) throws IOException {
        ParameterStates.write(out, STATE_VERSION, steps, id -> new NDList(means.get(id), variances.get(id)), idToName);
    }

    /** {@inheritDoc} */
    @Override
    public void loadState(NDManager manager, DataInputStream in, Function<String, String> nameToId) throws IOException {
        ParameterStates.read(manager, in, STATE_VERSION, "Adam", nameToId, this::closeState, (id, step, moments) -> {
            steps.put(id, step);
            means.put(id, moments.get(0));
            variances.put(id, moments.get(1));
        });
    }

    private void closeState() {
        if (flat != null) {
            flat.close();
            flat = null;
        }
        means.values().forEach(NDArray::close);
        variances.values().forEach(NDArray::close);
        means.clear();
        variances.clear();
        steps.clear();
    }

    /** Builder; defaults are the paper's: lr 1e-3, beta1 0.9, beta2 0.999, eps 1e-8. */
    public static final class Builder extends OptimizerBuilder<Builder> {
        private ParameterTracker learningRate = Tracker.fixed(1e-3f);
        private float beta1 = 0.9f;
        private float beta2 = 0.999f;
        private float epsilon = 1e-8f;
        private boolean decoupled;
        private EpsilonPlacement placement = EpsilonPlacement.PAPER;

        private Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        public Builder optLearningRateTracker(ParameterTracker tracker) {
            this.learningRate = tracker;
            return this;
        }

        public Builder optLearningRate(float lr) {
            if (!(lr > 0) || !Float.isFinite(lr)) {
                throw new IllegalArgumentException("learning rate must be finite and > 0, got " + lr);
            }
            return optLearningRateTracker(Tracker.fixed(lr));
        }

        public Builder optBeta1(float beta1) {
            this.beta1 = beta1;
            return this;
        }

        public Builder optBeta2(float beta2) {
            this.beta2 = beta2;
            return this;
        }

        public Builder optEpsilon(float epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /** AdamW: weight decay applied to the weights, not added to the gradient. */
        public Builder optDecoupledWeightDecay(boolean decoupled) {
            this.decoupled = decoupled;
            return this;
        }

        public Builder optEpsilonPlacement(EpsilonPlacement placement) {
            this.placement = placement;
            return this;
        }

        public Adam build() {
            check("beta1", beta1);
            check("beta2", beta2);
            if (!(epsilon > 0)) {
                throw new IllegalArgumentException("epsilon must be > 0, got " + epsilon);
            }
            return new Adam(this);
        }

        private static void check(String name, float beta) {
            if (!(beta >= 0 && beta < 1)) {
                throw new IllegalArgumentException(name + " must be in [0, 1), got " + beta);
            }
        }
    }
}
