package dev.paperlab.models.vae;

import ai.djl.ndarray.types.Shape;

/**
 * The sizes a {@link Vae} and its two parts share: variant, image {@code (C, H, W)}, D = C*H*W,
 * K, J and the convolution filters c1, c2. The conv variant shrinks H and W by {@link #REDUCTION}
 * (two stride-2 convolutions) and its bottleneck is {@code c2 x H/4 x W/4}.
 */
record VaeLayout(
        Vae.Variant variant,
        int channels,
        int height,
        int width,
        int hiddenSize,
        int latentSize,
        int convChannels1,
        int convChannels2) {

    /** Stride of each of the two convolutions (and transposed convolutions). */
    static final int STRIDE = 2;

    /** How much the encoder shrinks H and W: the product of the two strides. */
    static final int REDUCTION = STRIDE * STRIDE;

    /** D, elements per example. */
    int inputSize() {
        return channels * height * width;
    }

    /** c2 * H/4 * W/4, the flattened size of the last feature map (CONV). */
    int bottleneckSize() {
        return convChannels2 * (height / REDUCTION) * (width / REDUCTION);
    }

    /** {@code (C, H, W)}. */
    Shape imageShape() {
        return new Shape(channels, height, width);
    }

    /** How a batch of n enters the network: {@code (n, D)} for MLP, {@code (n, C, H, W)} for CONV. */
    Shape inputShape(long n) {
        return variant == Vae.Variant.MLP ? new Shape(n, inputSize()) : new Shape(n, channels, height, width);
    }
}
