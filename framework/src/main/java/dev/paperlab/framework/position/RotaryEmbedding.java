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
 * the table grows (at least doubling) when an application needs positions beyond it. {@link
 * Rope#rotate(NDArray, int, double, RopeConvention)} computes the same rotation without a cache.
 * RoPE has no parameters and takes a position offset (for key-value cache decoding), so it
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
        Rope.checkInput(x, headSize, offset);
        long t = x.getShape().get(x.getShape().dimension() - 2);
        NDArray[] cosSin = table(x.getDataType(), x.getDevice(), offset + (int) t);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDIndex rows = new NDIndex("{}:{}", offset, offset + t);
            NDArray cos = cosSin[0].get(rows); // (T, D/2)
            NDArray sin = cosSin[1].get(rows); // (T, D/2)
            NDArray out = Rope.rotate(x, cos, sin, convention); // (B, H, T, D)
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
            double[][] cosSin = Rope.angles(cachedLength, headSize, base);
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
            Rope.checkHeadSize(headSize);
            if (manager == null) {
                throw new IllegalArgumentException("manager must be set");
            }
            if (!(base > 1.0) || Double.isInfinite(base)) {
                throw new IllegalArgumentException("rotary base must be finite and > 1, but was " + base);
            }
            if (convention == null) {
                throw new IllegalArgumentException("convention must not be null");
            }
            if (initialLength < 1) {
                throw new IllegalArgumentException("initial length must be >= 1, but was " + initialLength);
            }
            return new RotaryEmbedding(this);
        }
    }
}
