package dev.paperlab.framework.position;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Sinusoidal position encodings (Vaswani, Shazeer, Parmar, Uszkoreit, Jones, Gomez, Kaiser and
 * Polosukhin, "Attention Is All You Need", 2017, Section 3.5):
 *
 * <pre>
 *   PE(pos, 2i)     = sin(pos / base^(2i/E))
 *   PE(pos, 2i + 1) = cos(pos / base^(2i/E)),   base = 10000
 * </pre>
 *
 * <p>Positions may be any real numbers, so the same function embeds diffusion timesteps (Ho, Jain
 * and Abbeel, "Denoising Diffusion Probabilistic Models", 2020, which feeds {@code t} through the
 * Transformer sinusoidal embedding). Their reference code concatenates all sines before all
 * cosines; {@link Layout#CONCATENATED} gives that layout with the Vaswani frequencies, see {@link
 * #timestepEmbedding(NDArray, int)}.
 *
 * <p>Dimension letters: N number of positions, E encoding size (even). Angles are computed in
 * double precision, so large positions (timesteps near 1000) keep full float accuracy.
 */
public final class SinusoidalEncoding {

    /** The Vaswani et al. base of the wavelengths. */
    public static final double DEFAULT_BASE = 10_000.0;

    /** Where the sine and cosine of frequency {@code i} sit in the encoding. */
    public enum Layout {
        /** {@code [sin w_0 p, cos w_0 p, sin w_1 p, cos w_1 p, ...]} as in Vaswani et al. */
        INTERLEAVED,
        /** {@code [sin w_0 p, ..., sin w_{E/2-1} p, cos w_0 p, ..., cos w_{E/2-1} p]}. */
        CONCATENATED
    }

    private SinusoidalEncoding() {}

    /**
     * Returns the table for positions {@code 0 .. length-1}, interleaved layout.
     *
     * @param manager the manager of the result
     * @param length number of positions N
     * @param size encoding size E (even)
     * @return {@code (N, E)} float32
     */
    public static NDArray table(NDManager manager, int length, int size) {
        if (length < 1) {
            throw new IllegalArgumentException("length must be >= 1, but was " + length);
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray positions = manager.arange(0, length, 1, DataType.FLOAT32); // (N)
            NDArray out = encode(positions, size, DEFAULT_BASE, Layout.INTERLEAVED);
            NDScope.unregister(out);
            return out;
        }
    }

    /**
     * Diffusion timestep embedding: the sinusoidal encoding of real-valued timesteps, sines first
     * then cosines.
     *
     * @param timesteps {@code (N)} timesteps, integer or floating
     * @param size encoding size E (even)
     * @return {@code (N, E)}
     */
    public static NDArray timestepEmbedding(NDArray timesteps, int size) {
        return encode(timesteps, size, DEFAULT_BASE, Layout.CONCATENATED);
    }

    /**
     * Encodes arbitrary positions.
     *
     * @param positions {@code (N)} positions, integer or floating
     * @param size encoding size E (even)
     * @param base wavelength base (Vaswani: 10000)
     * @param layout where sines and cosines go
     * @return {@code (N, E)}, in the positions' floating type, float32 for integer positions
     */
    public static NDArray encode(NDArray positions, int size, double base, Layout layout) {
        if (size <= 0 || size % 2 != 0) {
            throw new IllegalArgumentException("encoding size must be positive and even, but was " + size);
        }
        if (positions.getShape().dimension() != 1) {
            throw new IllegalArgumentException("positions must be (N), but was " + positions.getShape());
        }
        if (!(base > 1.0) || Double.isInfinite(base)) {
            throw new IllegalArgumentException("base must be finite and > 1, but was " + base);
        }
        int half = size / 2;
        double[] frequencies = new double[half];
        for (int i = 0; i < half; i++) {
            // w_i = 1 / base^(2i/E)
            frequencies[i] = Math.pow(base, -2.0 * i / size);
        }
        long n = positions.getShape().get(0);
        DataType outType = positions.getDataType().isFloating() ? positions.getDataType() : DataType.FLOAT32;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray p = positions.toType(DataType.FLOAT64, false).reshape(n, 1); // (N, 1)
            NDArray w = positions.getManager().create(frequencies, new Shape(1, half)); // (1, E/2)
            NDArray angles = p.mul(w); // (N, E/2)
            NDArray sin = angles.sin(); // (N, E/2)
            NDArray cos = angles.cos(); // (N, E/2)
            NDArray out = layout == Layout.INTERLEAVED
                    ? sin.stack(cos, -1).reshape(n, size) // (N, E/2, 2) -> (N, E)
                    : sin.concat(cos, -1); // (N, E)
            out = out.toType(outType, false);
            NDScope.unregister(out);
            return out;
        }
    }
}
