package dev.paperlab.framework.attention;

import ai.djl.ndarray.NDArray;

/**
 * Gradients of a scalar loss with respect to the attention inputs.
 *
 * @param dq dL/dQ (B, H, T, D)
 * @param dk dL/dK (B, Hkv, S, D)
 * @param dv dL/dV (B, Hkv, S, D)
 */
public record FlashGradients(NDArray dq, NDArray dk, NDArray dv) {}
