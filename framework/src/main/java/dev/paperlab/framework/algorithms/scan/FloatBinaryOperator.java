package dev.paperlab.framework.algorithms.scan;

/** An associative operation on two {@code float}s; the float twin of {@link java.util.function.DoubleBinaryOperator}. */
@FunctionalInterface
public interface FloatBinaryOperator {
    /** Combines {@code left} (the earlier prefix) with {@code right} (the later element). */
    float applyAsFloat(float left, float right);
}
