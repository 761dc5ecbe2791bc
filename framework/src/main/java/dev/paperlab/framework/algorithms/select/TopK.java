package dev.paperlab.framework.algorithms.select;

/**
 * Top-k selection without a full sort: the {@code k} largest or smallest elements of a
 * primitive array, with their indices, in expected {@code O(n + k log k)} time.
 *
 * <p>Method: one pass with a buffer of {@code 2k} candidates; each time it fills, introselect
 * (Hoare's quickselect, 1961, with Musser's 1997 depth limit and heapsort fallback) keeps the
 * {@code k} best and their worst becomes a threshold, so most elements of a long array are
 * rejected by a single comparison. The {@code k} survivors are then sorted.
 *
 * <p><b>Order of the result</b> (stable and part of the contract): {@link #largest} returns
 * values in descending order, {@link #smallest} in ascending order; equal values appear in
 * increasing index order (the lower index wins a tie for the last place). Values are ordered as
 * by {@link Float#compare}/{@link Double#compare}: {@code -0.0 < 0.0} and NaN is greater than
 * every other value, so NaNs come first in {@code largest} and last in {@code smallest}.
 *
 * <p>Legend: {@code n} array length, {@code k} number of elements selected, {@code 0 <= k <= n}.
 */
public final class TopK {
    private TopK() {}

    /** Selected float values and their indices in the input, in the documented order. */
    public record FloatResult(float[] values, int[] indices) {}

    /** Selected double values and their indices in the input, in the documented order. */
    public record DoubleResult(double[] values, int[] indices) {}

    /** The {@code k} largest values, descending; ties by lower index. */
    public static FloatResult largest(float[] values, int k) {
        return select(values, k, 0L);
    }

    /** The {@code k} smallest values, ascending; ties by lower index. */
    public static FloatResult smallest(float[] values, int k) {
        return select(values, k, -1L);
    }

    /** The {@code k} largest values, descending; ties by lower index. */
    public static DoubleResult largest(double[] values, int k) {
        return select(values, k, 0L);
    }

    /** The {@code k} smallest values, ascending; ties by lower index. */
    public static DoubleResult smallest(double[] values, int k) {
        return select(values, k, -1L);
    }

    /**
     * A signed integer with the same order as {@link Float#compare}: IEEE bits, with the
     * magnitude bits of negative numbers flipped so that larger magnitudes sort lower.
     */
    static long sortableKey(float v) {
        int bits = Float.floatToIntBits(v);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    /** A signed long with the same order as {@link Double#compare}. */
    static long sortableKey(double v) {
        long bits = Double.doubleToLongBits(v);
        return bits ^ ((bits >> 63) & Long.MAX_VALUE);
    }

    // flip = 0 keeps the order (largest), flip = -1 reverses it (smallest); Long.MIN_VALUE is
    // never produced, so it stays free as the selector's "admit all" threshold.
    private static FloatResult select(float[] a, int k, long flip) {
        checkK(a.length, k);
        if (k == 0) {
            return new FloatResult(new float[0], new int[0]);
        }
        PairSelector selector = new PairSelector(a.length, k);
        for (int i = 0; i < a.length; i++) {
            long key = sortableKey(a[i]) ^ flip;
            if (key > selector.threshold) {
                selector.add(key, i);
            }
        }
        int[] indices = selector.finish();
        float[] out = new float[k];
        for (int j = 0; j < k; j++) {
            out[j] = a[indices[j]];
        }
        return new FloatResult(out, indices);
    }

    private static DoubleResult select(double[] a, int k, long flip) {
        checkK(a.length, k);
        if (k == 0) {
            return new DoubleResult(new double[0], new int[0]);
        }
        PairSelector selector = new PairSelector(a.length, k);
        for (int i = 0; i < a.length; i++) {
            long key = sortableKey(a[i]) ^ flip;
            if (key > selector.threshold) {
                selector.add(key, i);
            }
        }
        int[] indices = selector.finish();
        double[] out = new double[k];
        for (int j = 0; j < k; j++) {
            out[j] = a[indices[j]];
        }
        return new DoubleResult(out, indices);
    }

    private static void checkK(int n, int k) {
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("k = " + k + " must be in [0, " + n + "] (array length)");
        }
    }
}
