package dev.paperlab.framework.position;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Functional form of the rotary position embedding (Su et al., "RoFormer", 2021), without a
 * cache; {@link RotaryEmbedding} holds the same tables for repeated use and documents the
 * equations. Pair {@code i} of the row at position {@code m} turns by {@code m theta_i},
 * {@code theta_i = base^(-2i/D)} (Eq. 15), computed element-wise (Eq. 34): {@code (a, b) -> (a cos
 * - b sin, b cos + a sin)}.
 *
 * <p>Dimension letters: B batch, H heads, T sequence length, D head size (even).
 */
public final class Rope {

    private Rope() {}

    /**
     * Functional form without a cache: rotates {@code x} at positions {@code offset, offset + 1,
     * ...} along its T axis.
     *
     * @param x queries or keys {@code (B, H, T, D)}
     * @param offset position of the first row
     * @param base angle base (RoFormer: 10000)
     * @param convention which features are paired
     * @return the rotated array
     */
    public static NDArray rotate(NDArray x, int offset, double base, RopeConvention convention) {
        Shape shape = x.getShape();
        if (shape.dimension() < 2) {
            throw new IllegalArgumentException("rotary input must be (B, H, T, D), but was " + shape);
        }
        int d = (int) shape.get(shape.dimension() - 1);
        checkHeadSize(d);
        checkInput(x, d, offset);
        int t = (int) shape.get(shape.dimension() - 2);
        double[][] cosSin = angles(offset + t, d, base);
        Shape table = new Shape(offset + t, d / 2);
        NDIndex rows = new NDIndex("{}:", offset);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDManager manager = x.getManager();
            NDArray cos = manager.create(cosSin[0], table).get(rows); // (T, D/2)
            NDArray sin = manager.create(cosSin[1], table).get(rows); // (T, D/2)
            DataType type = x.getDataType();
            NDArray out = rotate(x, cos.toType(type, false), sin.toType(type, false), convention);
            NDScope.unregister(out);
            return out;
        }
    }

    /**
     * Core rotation with given angles: pair {@code i} of row {@code t} turns by the angle whose
     * cosine and sine are {@code cos[t, i]}, {@code sin[t, i]} (Eq. 34).
     *
     * @param x {@code (..., T, D)}
     * @param cos {@code (T, D/2)}
     * @param sin {@code (T, D/2)}
     * @param convention which features are paired
     * @return the rotated array, same shape as {@code x}
     */
    @SuppressWarnings("checkstyle:LocalVariableName") // paper letters for axes
    public static NDArray rotate(NDArray x, NDArray cos, NDArray sin, RopeConvention convention) {
        Shape shape = x.getShape(); // (..., T, D)
        long half = shape.get(shape.dimension() - 1) / 2;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray out;
            if (convention == RopeConvention.HALF_SPLIT) {
                NDArray a = x.get("..., :{}", half); // (..., T, D/2) first members
                NDArray b = x.get("..., {}:", half); // (..., T, D/2) second members
                // (a, b) -> (a cos - b sin, b cos + a sin)
                out = a.mul(cos).sub(b.mul(sin)).concat(b.mul(cos).add(a.mul(sin)), -1);
            } else {
                NDArray pairs = x.reshape(shape.slice(0, shape.dimension() - 1).add(half, 2));
                NDArray a = pairs.get("..., 0"); // (..., T, D/2) even features
                NDArray b = pairs.get("..., 1"); // (..., T, D/2) odd features
                out = a.mul(cos)
                        .sub(b.mul(sin))
                        .stack(b.mul(cos).add(a.mul(sin)), -1)
                        .reshape(shape); // (..., T, D/2, 2) -> (..., T, D)
            }
            NDScope.unregister(out);
            return out;
        }
    }

    /**
     * The feature permutation {@code p} that turns the interleaved layout into the half-split
     * one: {@code half[j] = interleaved[p[j]]}, i.e. {@code p = (0, 2, 4, ..., D-2, 1, 3, ...,
     * D-1)}. With it, {@code rotate(x[..., p], HALF_SPLIT) == rotate(x, INTERLEAVED)[..., p]}, and
     * because scores are dot products, permuting the rows of a checkpoint's query and key
     * projections by {@code p} makes a half-split model score exactly as the interleaved one.
     *
     * @param headSize the even head size D
     * @return {@code p}, a permutation of {@code 0 .. D-1}
     */
    public static int[] interleavedToHalfSplit(int headSize) {
        checkHeadSize(headSize);
        int half = headSize / 2;
        int[] p = new int[headSize];
        for (int i = 0; i < half; i++) {
            p[i] = 2 * i;
            p[i + half] = 2 * i + 1;
        }
        return p;
    }

    /**
     * Reorders the last axis: {@code out[..., j] = x[..., p[j]]}.
     *
     * @param x {@code (..., D)}
     * @param permutation {@code p}, a permutation of {@code 0 .. D-1}
     * @return the permuted array
     */
    public static NDArray permuteFeatures(NDArray x, int[] permutation) {
        long d = x.getShape().get(x.getShape().dimension() - 1);
        if (permutation.length != d) {
            throw new IllegalArgumentException(
                    "permutation length " + permutation.length + " does not match last axis " + d);
        }
        NDArray index = x.getManager().create(permutation).toType(DataType.INT64, false);
        return x.get(new NDIndex("..., {}", index));
    }

    /** cos and sin of {@code m * theta_i} for {@code m < length}, {@code i < D/2}, row-major. */
    static double[][] angles(int length, int headSize, double base) {
        int half = headSize / 2;
        double[] cos = new double[length * half];
        double[] sin = new double[length * half];
        for (int i = 0; i < half; i++) {
            // Eq. 15: theta_i = base^(-2i/D)
            double theta = Math.pow(base, -2.0 * i / headSize);
            for (int m = 0; m < length; m++) {
                double angle = m * theta;
                cos[m * half + i] = Math.cos(angle);
                sin[m * half + i] = Math.sin(angle);
            }
        }
        return new double[][] {cos, sin};
    }

    static void checkHeadSize(long headSize) {
        if (headSize <= 0 || headSize % 2 != 0) {
            throw new IllegalArgumentException(
                    "rotary head size must be positive and even (pairs of features), but was " + headSize);
        }
    }

    static void checkInput(NDArray x, long headSize, int offset) {
        Shape shape = x.getShape();
        if (shape.dimension() < 2 || shape.get(shape.dimension() - 1) != headSize) {
            throw new IllegalArgumentException(
                    "rotary input must be (B, H, T, D) with D = " + headSize + ", but was " + shape);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("position offset must be >= 0, but was " + offset);
        }
        if (!x.getDataType().isFloating()) {
            throw new IllegalArgumentException("rotary input must be floating point, but was " + x.getDataType());
        }
    }
}
