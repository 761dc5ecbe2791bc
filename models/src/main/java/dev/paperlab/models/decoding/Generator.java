package dev.paperlab.models.decoding;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.paperlab.framework.attention.KvCache;
import dev.paperlab.models.lm.DecoderLm;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Autoregressive generation with the KV cache: the prompt is run once (prefill), then each new
 * token costs one position of attention over the cache. When the context is full the window is
 * cropped to its last half and re-prefilled (positions restart, as nanoGPT's crop does). Every
 * decoding step runs in its own sub-manager and {@link NDScope}, which also frees the views the
 * forward attaches to the parameters' manager.
 */
public final class Generator {
    private Generator() {}

    /**
     * Generated tokens and their log-probability under the model.
     *
     * @param tokens the generated ids, prompt excluded
     * @param logProb sum over the generated tokens of log p(token | prefix), from the model's
     *     softmax at temperature 1, whatever the sampling settings were
     */
    public record Sequence(int[] tokens, double logProb) {}

    /**
     * @param prompt at least one token id
     * @return the prompt followed by {@code maxNewTokens} generated ids
     */
    public static int[] generate(
            DecoderLm lm, NDManager manager, int[] prompt, int maxNewTokens, SamplingConfig config, Random random) {
        int[] tokens =
                sequence(lm, manager, prompt, maxNewTokens, config, random).tokens();
        int[] out = Arrays.copyOf(prompt, prompt.length + tokens.length);
        System.arraycopy(tokens, 0, out, prompt.length, tokens.length);
        return out;
    }

    /** Like {@link #generate}, but returns only the new tokens, with their log-probability. */
    public static Sequence sequence(
            DecoderLm lm, NDManager manager, int[] prompt, int maxNewTokens, SamplingConfig config, Random random) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("prompt must hold at least one token");
        }
        if (maxNewTokens < 0) {
            throw new IllegalArgumentException("max new tokens must be >= 0, got " + maxNewTokens);
        }
        int context = lm.config().context();
        int[] out = Arrays.copyOf(prompt, prompt.length + maxNewTokens);
        int length = prompt.length;
        double logProb = 0;
        try (NDManager scope = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(scope, false);
            List<KvCache> caches = null;
            int offset = 0;
            float[] last = null;
            for (int i = 0; i <= maxNewTokens; i++) {
                if (i > 0) {
                    int token = TokenSampler.sample(last, config, random);
                    logProb += TokenSampler.logSoftmax(last)[token];
                    out[length++] = token;
                    if (i == maxNewTokens) {
                        break;
                    }
                }
                int[] feed;
                if (caches == null || offset == context) {
                    if (caches != null) {
                        caches.forEach(KvCache::close);
                    }
                    caches = lm.newCaches(scope, 1);
                    offset = 0;
                    int window = i == 0 ? Math.min(length, context) : Math.min(length, context / 2);
                    feed = Arrays.copyOfRange(out, length - window, length);
                } else {
                    feed = new int[] {out[length - 1]};
                }
                try (NDManager step = scope.newSubManager();
                        NDScope created = new NDScope()) {
                    NDArray tokens = step.create(feed, new Shape(1, feed.length));
                    NDArray logits = lm.forward(ps, tokens, caches, offset, false); // (1, T, V)
                    last = logits.get(new NDIndex(0, -1)).toFloatArray();
                }
                offset += feed.length;
            }
            if (caches != null) {
                caches.forEach(KvCache::close);
            }
        }
        return new Sequence(Arrays.copyOfRange(out, prompt.length, length), logProb);
    }
}
