package dev.paperlab.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.paperlab.framework.nn.Scalars;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/** Gradient utilities DJL lacks in an engine-neutral form. */
public final class Gradients {
    /** Selects the whole array, for an in-place fill. */
    private static final NDIndex ALL = new NDIndex("...");

    /**
     * DJL's PyTorch binding of {@code tensor.grad().zero_()} ({@code JniUtils.zeroGrad}), found at
     * run time so that this module compiles against no engine; null on other engines. One native
     * call (about 1.5 us) where an index assignment costs 15-35 us: a GAN step zeroes 24 of them.
     */
    private static final MethodHandle TORCH_ZERO_GRAD;

    /** The class of the arrays {@link #TORCH_ZERO_GRAD} accepts. */
    private static final Class<?> TORCH_ARRAY;

    static {
        MethodHandle zero = null;
        Class<?> array = null;
        try {
            array = Class.forName("ai.djl.pytorch.engine.PtNDArray");
            zero = MethodHandles.publicLookup()
                    .findStatic(
                            Class.forName("ai.djl.pytorch.jni.JniUtils"),
                            "zeroGrad",
                            MethodType.methodType(void.class, array));
        } catch (ReflectiveOperationException | LinkageError e) {
            array = null; // another engine: assignment below
        }
        TORCH_ZERO_GRAD = zero;
        TORCH_ARRAY = array;
    }

    private Gradients() {}

    /**
     * Sets every trainable parameter's gradient of {@code block} to zero. DJL's PyTorch gradient
     * collector accumulates into {@code .grad} across backward passes, so each step must start
     * from zero (a per-part update does this for its own part, see {@link TrainedPart#update}).
     */
    public static void zero(Block block) {
        // one scope for the whole block: each assignment's fill scalar lives in it until the end
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (Pair<String, Parameter> pair : block.getParameters()) {
                Parameter parameter = pair.getValue();
                if (!parameter.isInitialized() || !parameter.requiresGradient()) {
                    continue;
                }
                NDArray array = parameter.getArray();
                if (TORCH_ARRAY != null && TORCH_ARRAY.isInstance(array)) {
                    torchZeroGrad(array); // a fill, so NaN does not survive; no-op without a gradient
                    continue;
                }
                if (!array.hasGradient()) {
                    continue;
                }
                try (NDArray grad = array.getGradient()) {
                    grad.set(ALL, 0f);
                }
            }
        }
    }

    private static void torchZeroGrad(NDArray array) {
        try {
            TORCH_ZERO_GRAD.invoke(array);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("zeroing the gradient of " + array.getShape() + " failed", e);
        }
    }

    /** Sets one gradient to zero by assignment, so a NaN or Inf in it does not survive. */
    public static void zero(NDArray grad) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            grad.set(ALL, 0f); // the fill value becomes a scalar array; the scope closes it
        }
    }

    /**
     * Scales all gradients of {@code block} so that their global L2 norm is at most {@code
     * maxNorm} (Pascanu et al. 2013), as {@code torch.nn.utils.clip_grad_norm_} does.
     *
     * @return the norm before clipping
     */
    public static double clipGlobalNorm(Block block, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("max norm must be > 0, got " + maxNorm);
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            java.util.List<NDArray> grads = new java.util.ArrayList<>();
            NDArray total = null;
            for (Pair<String, Parameter> pair : block.getParameters()) {
                Parameter parameter = pair.getValue();
                if (!parameter.isInitialized() || !parameter.requiresGradient()) {
                    continue;
                }
                NDArray grad = parameter.getArray().getGradient();
                NDScope.register(grad);
                grads.add(grad);
                NDArray sq = grad.square().sum();
                total = total == null ? sq : total.add(sq);
            }
            if (total == null) {
                return 0;
            }
            double norm = Math.sqrt(total.getFloat());
            if (norm > maxNorm) {
                float factor = (float) (maxNorm / (norm + 1e-6));
                for (NDArray grad : grads) {
                    Scalars.muli(grad, factor);
                }
            }
            return norm;
        }
    }
}
