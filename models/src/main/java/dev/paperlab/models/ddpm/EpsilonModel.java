package dev.paperlab.models.ddpm;

import ai.djl.ndarray.NDArray;

/**
 * A noise prediction eps_theta(x_t, t) for a batch at one timestep, what the samplers call: the
 * trained {@link UNet} (through {@link DdpmTask#epsilonModel}), a guided mixture ({@link
 * Guidance}), or, in tests, the true noise of a known x_0.
 */
@FunctionalInterface
public interface EpsilonModel {
    /**
     * @param xt noisy images (B, ...) at timestep {@code t}
     * @param t timestep in [1, T]
     * @return predicted noise shaped like {@code xt}, created on {@code xt}'s manager
     */
    NDArray epsilon(NDArray xt, int t);
}
