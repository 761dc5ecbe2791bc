package dev.paperlab.models.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Random;

/**
 * A token stream split into training (first part) and validation (last {@code valFraction})
 * data, with nanoGPT's sampling: random windows of T+1 tokens for training, and every
 * non-overlapping window for validation, so the validation loss is deterministic.
 */
public final class TextCorpus {
    private final int[] train;
    private final int[] val;

    public TextCorpus(int[] ids, double valFraction) {
        if (!(valFraction > 0 && valFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + valFraction);
        }
        int n = (int) ((1 - valFraction) * ids.length);
        train = Arrays.copyOfRange(ids, 0, n);
        val = Arrays.copyOfRange(ids, n, ids.length);
    }

    public int trainSize() {
        return train.length;
    }

    public int valSize() {
        return val.length;
    }

    /** Checks that both splits hold at least one window of {@code context + 1} tokens. */
    public void requireWindows(int context) {
        if (train.length < context + 2 || val.length < context + 1) {
            throw new IllegalArgumentException("text too short for context " + context + ": " + train.length
                    + " training and " + val.length + " validation tokens");
        }
    }

    /** (x, y) of {@code batch} random training windows, y shifted by one: two (B, T) int arrays. */
    public NDArray[] sampleBatch(NDManager manager, Random random, int batch, int context) {
        int[] x = new int[batch * context];
        int[] y = new int[batch * context];
        for (int b = 0; b < batch; b++) {
            int start = random.nextInt(train.length - context - 1);
            System.arraycopy(train, start, x, b * context, context);
            System.arraycopy(train, start + 1, y, b * context, context);
        }
        Shape shape = new Shape(batch, context);
        return new NDArray[] {manager.create(x, shape), manager.create(y, shape)};
    }

    /** Number of non-overlapping validation windows of length {@code context}. */
    public int valWindows(int context) {
        return (val.length - 1) / context;
    }

    /** Validation windows {@code [from, to)} as (x, y). */
    public NDArray[] valBatch(NDManager manager, int from, int to, int context) {
        int n = to - from;
        int[] x = new int[n * context];
        int[] y = new int[n * context];
        for (int w = 0; w < n; w++) {
            int start = (from + w) * context;
            System.arraycopy(val, start, x, w * context, context);
            System.arraycopy(val, start + 1, y, w * context, context);
        }
        Shape shape = new Shape(n, context);
        return new NDArray[] {manager.create(x, shape), manager.create(y, shape)};
    }
}
