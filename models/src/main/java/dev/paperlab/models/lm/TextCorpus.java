package dev.paperlab.models.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.paperlab.datasets.shards.TokenSequence;
import java.util.Random;

/**
 * A token stream split into training (first part) and validation (last {@code valFraction})
 * data, with nanoGPT's sampling: random windows of T+1 tokens for training, and every
 * non-overlapping window for validation, so the validation loss is deterministic.
 *
 * <p>The stream is any {@link TokenSequence}: an array in memory, or memory-mapped token shards
 * ({@code datasets.shards.TokenShards}) read window by window, never loaded whole. Both give the
 * same batches for the same tokens and seed.
 */
public final class TextCorpus {
    private final TokenSequence train;
    private final TokenSequence val;

    public TextCorpus(int[] ids, double valFraction) {
        this(TokenSequence.of(ids), valFraction);
    }

    public TextCorpus(TokenSequence tokens, double valFraction) {
        if (!(valFraction > 0 && valFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + valFraction);
        }
        long n = (long) ((1 - valFraction) * tokens.size());
        train = tokens.slice(0, n);
        val = tokens.slice(n, tokens.size());
    }

    public long trainSize() {
        return train.size();
    }

    public long valSize() {
        return val.size();
    }

    /** Checks that both splits hold at least one window of {@code context + 1} tokens. */
    public void requireWindows(int context) {
        if (train.size() < context + 2 || val.size() < context + 1) {
            throw new IllegalArgumentException("text too short for context " + context + ": " + train.size()
                    + " training and " + val.size() + " validation tokens");
        }
    }

    /** (x, y) of {@code batch} random training windows, y shifted by one: two (B, T) int arrays. */
    public NDArray[] sampleBatch(NDManager manager, Random random, int batch, int context) {
        int[] x = new int[batch * context];
        int[] y = new int[batch * context];
        int[] window = new int[context + 1];
        long starts = train.size() - context - 1;
        for (int b = 0; b < batch; b++) {
            // nextInt while it suffices keeps the draws of corpora below 2^31 tokens unchanged
            long start = starts <= Integer.MAX_VALUE ? random.nextInt((int) starts) : random.nextLong(starts);
            train.read(start, window, 0, context + 1);
            System.arraycopy(window, 0, x, b * context, context);
            System.arraycopy(window, 1, y, b * context, context);
        }
        Shape shape = new Shape(batch, context);
        return new NDArray[] {manager.create(x, shape), manager.create(y, shape)};
    }

    /** Number of non-overlapping validation windows of length {@code context}. */
    public int valWindows(int context) {
        return Math.toIntExact((val.size() - 1) / context);
    }

    /** Validation windows {@code [from, to)} as (x, y). */
    public NDArray[] valBatch(NDManager manager, int from, int to, int context) {
        int n = to - from;
        int[] x = new int[n * context];
        int[] y = new int[n * context];
        int[] window = new int[context + 1];
        for (int w = 0; w < n; w++) {
            long start = (long) (from + w) * context;
            val.read(start, window, 0, context + 1);
            System.arraycopy(window, 0, x, w * context, context);
            System.arraycopy(window, 1, y, w * context, context);
        }
        Shape shape = new Shape(n, context);
        return new NDArray[] {manager.create(x, shape), manager.create(y, shape)};
    }
}
