package dev.paperlab.framework.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.function.BinaryOperator;

/**
 * Arithmetic between an array and a plain number that stays correct under autograd. Use these
 * instead of DJL's {@code x.mul(number)}, {@code x.div(number)}, {@code x.pow(number)}, {@code
 * x.maximum(number)} and {@code x.minimum(number)} everywhere.
 *
 * <p>Why: DJL's PyTorch engine turns the number into a 0-d tensor over a direct {@code
 * ByteBuffer} ({@code torch::from_blob}, memory torch does not own), applies the op and closes
 * that tensor at once. For these five ops autograd saves the scalar for the backward pass
 * ({@code d(x * s)/dx = s}); once the Java buffer is unreachable, a garbage collection between
 * forward and backward frees its memory, and the backward pass reads whatever was allocated there
 * next. The gradient is then silently wrong, now and then and differently in every run: the same
 * seed gives different losses, or a gradient of 1e27 from a loss of 5. ({@code add} and {@code
 * sub} save nothing and are safe.) DJL's own losses share the defect where they scale by a
 * weight: {@code L2Loss} always, {@code SoftmaxCrossEntropyLoss} only with a weight other than 1;
 * so does {@code Activation.swish} ({@code x * sigmoid(x.mul(beta))}): write SiLU as {@code
 * x.mul(Activation.sigmoid(x))}.
 *
 * <p>Here the scalar is copied into memory torch owns before it is used and autograd keeps it
 * alive for as long as the graph needs it. A test scans the project's compiled classes for the
 * unsafe overloads.
 */
public final class Scalars {
    private Scalars() {}

    /** {@code value} as a 0-d array of {@code like}'s type on its manager and device, owned by the engine. */
    public static NDArray of(NDArray like, double value) {
        if (like.getDataType() == DataType.FLOAT32) {
            // one call: torch::full allocates the scalar itself
            return like.getManager().full(new Shape(), (float) value, DataType.FLOAT32);
        }
        try (NDArray raw = like.getManager().create(value)) { // over a Java buffer: copied before it is closed
            // a conversion allocates; the same type would alias the buffer, so it is cloned
            return raw.getDataType() == like.getDataType() ? raw.duplicate() : raw.toType(like.getDataType(), false);
        }
    }

    /** {@code x * value}. */
    public static NDArray mul(NDArray x, double value) {
        return apply(x, value, NDArray::mul);
    }

    /** {@code x / value}. */
    public static NDArray div(NDArray x, double value) {
        return apply(x, value, NDArray::div);
    }

    /** {@code x ^ value}, elementwise. */
    public static NDArray pow(NDArray x, double value) {
        return apply(x, value, NDArray::pow);
    }

    /** {@code max(x, value)}, elementwise. */
    public static NDArray maximum(NDArray x, double value) {
        return apply(x, value, NDArray::maximum);
    }

    /** {@code min(x, value)}, elementwise. */
    public static NDArray minimum(NDArray x, double value) {
        return apply(x, value, NDArray::minimum);
    }

    /** {@code x *= value} in place (no autograd: for optimizer updates and buffers). */
    public static NDArray muli(NDArray x, double value) {
        return apply(x, value, NDArray::muli);
    }

    /** {@code x /= value} in place (no autograd: for optimizer updates and buffers). */
    public static NDArray divi(NDArray x, double value) {
        return apply(x, value, NDArray::divi);
    }

    /** {@code op(x, value)} with the value as an engine-owned scalar, closed after the op. */
    private static NDArray apply(NDArray x, double value, BinaryOperator<NDArray> op) {
        try (NDArray s = of(x, value)) {
            return op.apply(x, s);
        }
    }
}
