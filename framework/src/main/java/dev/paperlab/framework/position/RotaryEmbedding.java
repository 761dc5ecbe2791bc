package dev.paperlab.framework.position;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;

/**
 * Rotary position embedding, RoPE (Su, Lu, Pan, Murtadha, Wen and Liu, "RoFormer: Enhanced
 * Transformer with Rotary Position Embedding", 2021).
 *
 * <p>A query or key {@code x} at position {@code m} is rotated pair by pair (Eq. 14-15):
 *
 * <pre>
 *   f(x, m) = R_{Theta,m} x,   R_{Theta,m} = diag(R(m theta_0), ..., R(m theta_{D/2-1})),
 *   R(a) = [[cos a, -sin a], [sin a, cos a]],   theta_i = base^(-2i/D),  base = 10000
 * </pre>
 *
 * so that attention scores depend on positions only through their difference (Eq. 16):
 * {@code <R_m q, R_n k> = q^T R_{n-m} k}. Rotations also preserve norms. The rotation is computed
 * element-wise (Eq. 34): for a pair {@code (a, b)} at angle {@code t},
 * {@code (a cos t - b sin t, b cos t + a sin t)}. Which features form a pair is a {@link
 * RopeConvention}.
 *
 * <p>Dimension letters: B batch, H heads, T sequence length, D head size (even), D/2 pairs.
 *
 * <p>An instance holds {@code cos(m theta_i)} and {@code sin(m theta_i)} for positions {@code 0 ..
 * L-1} ({@code (L, D/2)} each), computed in double precision and stored per data type and device;
 * the table grows (at least doubling) when an application needs positions beyond it. The static
 * {@link #rotate(NDArray, int, double, RopeConvention)} computes the same rotation without a
 * cache. RoPE has no parameters and takes a position offset (for key-value cache decoding), so it
 * is a plain helper applied to queries and keys inside an attention block, not a {@code Block}.
 */
public final class RotaryEmbedding implements AutoCloseable {

    /** The RoFormer base of the angle frequencies. */
    public static final double DEFAULT_BASE = 10_000.0;

    /** Positions tabulated before the first application needs more. */
    public static final int DEFAULT_INITIAL_LENGTH = 256;

    private final int headSize;
    private final double base;
    private final RopeConvention convention;
    private final NDManager cacheManager;
    private final Map<String, NDArray[]> cache = new HashMap<>();
    private int cachedLength;

    private RotaryEmbedding(Builder builder) {
        this.headSize = builder.headSize;
        this.base = builder.base;
        this.convention = builder.convention;
        this.cacheManager = builder.manager.newSubManager();
        this.cachedLength = builder.initialLength;
    }

    /**
     * Rotates {@code x} whose position {@code t} along the T axis is {@code offset + t}.
     *
     * @param x queries or keys {@code (B, H, T, D)} (any leading axes before {@code (T, D)})
     * @param offset position of the first row, {@code >= 0} (the cache length while decoding)
     * @return the rotated array, same shape and data type, attached to {@code x}'s manager
     */
    public NDArray apply(NDArray x, int offset) {
        checkInput(x, headSize, offset);
        long t = x.getShape().get(x.getShape().dimension() - 2);
        NDArray[] cosSin = table(x.getDataType(), x.getDevice(), offset + (int) t);
        try (NDScope scope = new NDScope()) {
            NDIndex rows = new NDIndex("{}:{}", offset, offset + t);
            NDArray cos = cosSin[0].get(rows); // (T, D/2)
            NDArray sin = cosSin[1].get(rows); // (T, D/2)
            NDArray out = rotate(x, cos, sin, convention); // (B, H, T, D)
            NDScope.unregister(out);
            return out;
        }
    }

    /** Returns the head size {@code D} this embedding rotates. */
    public int getHeadSize() {
        return headSize;
    }

    /** Returns the base of the angle frequencies. */
    public double getBase() {
        return base;
    }

    /** Returns the pairing convention. */
    public RopeConvention getConvention() {
        return convention;
    }

    /** Returns the number of positions currently tabulated. */
    public synchronized int getCachedLength() {
        return cachedLength;
    }

    @Override
    public void close() {
        cacheManager.close();
    }

    private synchronized NDArray[] table(DataType dataType, Device device, int needed) {
        if (needed > cachedLength) {
            cachedLength = Math.max(needed, 2 * cachedLength);
            cache.values().forEach(pair -> {
                pair[0].close();
                pair[1].close();
            });
            cache.clear();
        }
        String key = dataType + "@" + device;
        NDArray[] pair = cache.get(key);
        if (pair == null) {
            double[][] cosSin = angles(cachedLength, headSize, base);
            Shape shape = new Shape(cachedLength, headSize / 2);
            pair = new NDArray[2];
            for (int i = 0; i < 2; i++) {
                // The table outlives any NDScope the caller may have open.
                try (NDManager build = cacheManager.newSubManager()) {
                    NDArray typed = build.create(cosSin[i], shape)
                            .toDevice(device, false)
                            .toType(dataType, false);
                    typed.attach(cacheManager);
                    NDScope.unregister(typed);
                    pair[i] = typed;
                }
            }
            cache.put(key, pair);
        }
        return pair;
    }

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
            throw new IllegalArgumentException(
                    "rotary input must be (B, H, T, D), but was " + shape);
        }
        int d = (int) shape.get(shape.dimension() - 1);
        checkHeadSize(d);
        checkInput(x, d, offset);
        int t = (int) shape.get(shape.dimension() - 2);
        double[][] cosSin = angles(offset + t, d, base);
        Shape table = new Shape(offset + t, d / 2);
        NDIndex rows = new NDIndex("{}:", offset);
        try (NDScope scope = new NDScope()) {
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
                out = a.mul(cos).sub(b.mul(sin)).stack(b.mul(cos).add(a.mul(sin)), -1)
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

    private static void checkHeadSize(long headSize) {
        if (headSize <= 0 || headSize % 2 != 0) {
            throw new IllegalArgumentException(
                    "rotary head size must be positive and even (pairs of features), but was "
                            + headSize);
        }
    }

    private static void checkInput(NDArray x, long headSize, int offset) {
        Shape shape = x.getShape();
        if (shape.dimension() < 2 || shape.get(shape.dimension() - 1) != headSize) {
            throw new IllegalArgumentException(
                    "rotary input must be (B, H, T, D) with D = " + headSize + ", but was " + shape);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("position offset must be >= 0, but was " + offset);
        }
        if (!x.getDataType().isFloating()) {
            throw new IllegalArgumentException(
                    "rotary input must be floating point, but was " + x.getDataType());
        }
    }

    /**
     * Returns a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link RotaryEmbedding}; {@code setHeadSize} and {@code setManager} are required. */
    public static final class Builder {
        private int headSize = -1;
        private double base = DEFAULT_BASE;
        private RopeConvention convention = RopeConvention.HALF_SPLIT;
        private int initialLength = DEFAULT_INITIAL_LENGTH;
        private NDManager manager;

        private Builder() {}

        /**
         * Sets the head size D (required, even).
         *
         * @param headSize D
         * @return this builder
         */
        public Builder setHeadSize(int headSize) {
            this.headSize = headSize;
            return this;
        }

        /**
         * Sets the manager under which the cos/sin tables live (required); they are freed by
         * {@link RotaryEmbedding#close()} or when this manager closes.
         *
         * @param manager parent manager
         * @return this builder
         */
        public Builder setManager(NDManager manager) {
            this.manager = manager;
            return this;
        }

        /**
         * Sets the angle base; default {@value RotaryEmbedding#DEFAULT_BASE}.
         *
         * @param base base {@code > 1}
         * @return this builder
         */
        public Builder optBase(double base) {
            this.base = base;
            return this;
        }

        /**
         * Sets the pairing convention; default {@link RopeConvention#HALF_SPLIT}.
         *
         * @param convention the convention
         * @return this builder
         */
        public Builder optConvention(RopeConvention convention) {
            this.convention = convention;
            return this;
        }

        /**
         * Sets the number of positions tabulated up front; default {@value
         * RotaryEmbedding#DEFAULT_INITIAL_LENGTH}. Longer inputs extend the table.
         *
         * @param initialLength positions, {@code >= 1}
         * @return this builder
         */
        public Builder optInitialLength(int initialLength) {
            this.initialLength = initialLength;
            return this;
        }

        /**
         * Validates the settings and builds the embedding.
         *
         * @return the rotary embedding
         * @throws IllegalArgumentException naming the bad setting and its value
         */
        public RotaryEmbedding build() {
            checkHeadSize(headSize);
            if (manager == null) {
                throw new IllegalArgumentException("manager must be set");
            }
            if (!(base > 1.0) || Double.isInfinite(base)) {
                throw new IllegalArgumentException("rotary base must be finite and > 1, but was "
                        + base);
            }
            if (convention == null) {
                throw new IllegalArgumentException("convention must not be null");
            }
            if (initialLength < 1) {
                throw new IllegalArgumentException(
                        "initial length must be >= 1, but was " + initialLength);
            }
            return new RotaryEmbedding(this);
        }
    }
}
