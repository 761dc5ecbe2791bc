package dev.paperlab.framework.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;

/**
 * Convolutional networks kept in the channels-last layout (NHWC in memory, shape still (N, C, H,
 * W)) from input to output, forward and backward.
 *
 * <p>Why: oneDNN's convolutions are native in NHWC. Given an NCHW input libtorch 2.x reorders
 * tensors around each convolution's backward (a copy of the gradient, several milliseconds per
 * layer for a batch of 512 28x28 maps), while a channels-last input makes the convolution, batch
 * norm and elementwise operators all return channels-last and skip the reorders. Not for networks
 * with group norm: libtorch 2.7's CPU kernel for a channels-last group norm took 33-36 ms where the
 * NCHW one takes 1.3-1.7 (64 x 64 x 28 x 28, 32 groups, two threads), and the DDPM U-Net's step
 * got slower by as much as its convolutions gained. The
 * layout has to hold end to end: where a channels-last map meets an NCHW gradient (an NCHW flatten
 * before a linear layer is one) every operator's backward mixes the two layouts and runs several
 * times slower than in either. So maps are flattened and unflattened here in NHWC order, which is
 * a view of the channels-last map: the features are the same numbers, listed position by position
 * with the channels innermost, on every engine (checkpoints stay portable).
 */
public final class ChannelsLast {
    private ChannelsLast() {}

    /** {@code x} (N, C, H, W) stored channels-last on the PyTorch engine; see {@link TorchOps#channelsLast}. */
    public static NDArray of(NDArray x) {
        return TorchOps.channelsLast(x);
    }

    /** (N, C, H, W) to (N, H W C), channels innermost: a view of a channels-last map. */
    public static NDArray flatten(NDArray x) {
        Shape s = x.getShape();
        if (s.dimension() != 4) {
            throw new IllegalArgumentException("flatten needs (N, C, H, W), got " + s);
        }
        return x.transpose(0, 2, 3, 1).reshape(s.get(0), -1);
    }

    /** (N, H W C) in {@link #flatten}'s order to (N, C, H, W), channels-last: the inverse view. */
    public static NDArray unflatten(NDArray x, long channels, long height, long width) {
        Shape s = x.getShape();
        if (s.dimension() != 2 || s.get(1) != channels * height * width) {
            throw new IllegalArgumentException("unflatten to (N, " + channels + ", " + height + ", " + width
                    + ") needs (N, " + channels * height * width + "), got " + s);
        }
        return x.reshape(s.get(0), height, width, channels).transpose(0, 3, 1, 2);
    }

    /** {@link #flatten} as a block. */
    public static Block flattenBlock() {
        return new LambdaBlock(xs -> new NDList(flatten(xs.singletonOrThrow())), "flattenChannelsLast");
    }

    /** {@link #unflatten} as a block. */
    public static Block unflattenBlock(long channels, long height, long width) {
        return new LambdaBlock(
                xs -> new NDList(unflatten(xs.singletonOrThrow(), channels, height, width)), "unflattenChannelsLast");
    }
}
