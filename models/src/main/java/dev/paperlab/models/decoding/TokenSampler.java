package dev.paperlab.models.decoding;

import dev.paperlab.framework.algorithms.scan.ParallelScan;
import dev.paperlab.framework.algorithms.select.TopK;
import java.util.Random;

/**
 * Picks one token from a logits vector on the Java side. Top-k candidates come from our
 * quickselect ({@link TopK}, no full sort of the vocabulary); top-p cuts the descending
 * probabilities where their prefix sum ({@link ParallelScan}) first reaches p.
 */
public final class TokenSampler {
    private static final ParallelScan SCAN = ParallelScan.common();

    private TokenSampler() {}

    /** Index of the largest logit; ties go to the lower index. */
    public static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Draws the next token id from {@code logits} (length V) under {@code config}. */
    public static int sample(float[] logits, SamplingConfig config, Random random) {
        if (config.isGreedy()) {
            return argmax(logits);
        }
        int v = logits.length;
        int k = config.topK() > 0 ? Math.min(config.topK(), v) : v;
        // candidates in descending order of logit (a full selection only when top-p needs it)
        TopK.FloatResult top = TopK.largest(logits, k);
        int[] ids = top.indices();
        float[] z = top.values();
        // p_i = exp((z_i - z_max) / tau) / sum_j exp((z_j - z_max) / tau), over the candidates
        float[] p = new float[k];
        double sum = 0;
        for (int i = 0; i < k; i++) {
            p[i] = (float) Math.exp((z[i] - z[0]) / config.temperature());
            sum += p[i];
        }
        for (int i = 0; i < k; i++) {
            p[i] /= (float) sum;
        }
        float[] cumulative = p.clone();
        SCAN.inclusive(cumulative, Float::sum);
        int keep = k;
        if (config.topP() < 1f) {
            // smallest prefix whose mass reaches p (always at least one token)
            keep = 1;
            while (keep < k && cumulative[keep - 1] < config.topP()) {
                keep++;
            }
        }
        double u = random.nextDouble() * cumulative[keep - 1];
        for (int i = 0; i < keep; i++) {
            if (u < cumulative[i]) {
                return ids[i];
            }
        }
        return ids[keep - 1];
    }
}
