package dev.paperlab.framework.attention;

import ai.djl.ndarray.NDArray;

/**
 * The result of scaled dot-product attention: the output and the weights that produced it.
 *
 * @param output the attended values (B, H, T, D)
 * @param weights the attention weights softmax(QK^T / sqrt(D) + M) (B, H, T, S); rows sum to 1
 */
public record AttentionOutput(NDArray output, NDArray weights) {}
