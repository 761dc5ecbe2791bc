package dev.paperlab.framework.attention;

import ai.djl.ndarray.NDArray;

/**
 * The result of the tiled forward pass.
 *
 * @param output O (B, H, T, D)
 * @param logSumExp L = log(sum_j exp(S_ij)) per query row (B, H, T), all the backward pass needs
 *     to recompute the weights
 */
public record FlashOutput(NDArray output, NDArray logSumExp) {}
