package dev.paperlab.models.decoding;

import dev.paperlab.framework.algorithms.scan.ParallelScan;
import dev.paperlab.framework.algorithms.select.TopK;
import java.util.Arrays;
import java.util.Random;

/**
 * Picks one token from a logits vector on the Java side. Top-k candidates come from our
 * quickselect ({@link TopK}, no full sort of the vocabulary); top-p cuts the descending
 * probabilities where their prefix sum ({@link ParallelScan}) first reaches p.
 *
 * <pre>
 *   p_i = exp(z_i / tau) / sum_j exp(z_j / tau)           over the top-k candidates (Fan et al. 2018)
 *   keep = min { m : p_(1) + ... + p_(m) >= top-p }       nucleus, p_(i) descending (Holtzman et al. 2020)
 * </pre>
 */
public final class TokenSampler {
    private static final ParallelScan SCAN = ParallelScan.common();

    private TokenSampler() {}

    /**
     * The tokens a draw may return, most likely first.
     *
     * @param ids token ids in descending order of logit
     * @param probabilities their probabilities after temperature and top-k (before the top-p cut,
     *     so the kept ones sum to at least top-p)
     * @param cumulative prefix sums of {@code probabilities}
     */
    public record Candidates(int[] ids, float[] probabilities, float[] cumulative) {}

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

    /** log softmax(z) in doubles, stable: z_i - max z - log sum_j exp(z_j - max z). */
    public static double[] logSoftmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float z : logits) {
            max = Math.max(max, z);
        }
        double sum = 0;
        for (float z : logits) {
            sum += Math.exp(z - max);
        }
        double logZ = max + Math.log(sum);
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = logits[i] - logZ;
        }
        return out;
    }

    /** Draws the next token id from {@code logits} (length V) under {@code config}. */
    public static int sample(float[] logits, SamplingConfig config, Random random) {
        if (config.isGreedy()) {
            return argmax(logits);
        }
        Candidates c = candidates(logits, config);
        int keep = c.ids().length;
        float[] cumulative = c.cumulative();
        double u = random.nextDouble() * cumulative[keep - 1];
        for (int i = 0; i < keep; i++) {
            if (u < cumulative[i]) {
                return c.ids()[i];
            }
        }
        return c.ids()[keep - 1];
    }

    /**
     * The candidates of a non-greedy draw: the top-k tokens by logit, cut to the smallest prefix
     * whose probability mass reaches top-p (always at least one token).
     */
    public static Candidates candidates(float[] logits, SamplingConfig config) {
        if (config.isGreedy()) {
            throw new IllegalArgumentException("greedy decoding (temperature 0) has no candidates to sample");
        }
        int v = logits.length;
        int k = config.topK() > 0 ? Math.min(config.topK(), v) : v;
        // candidates in descending order of logit (a full selection only when top-k is off)
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
            // smallest prefix whose mass reaches p
            keep = 1;
            while (keep < k && cumulative[keep - 1] < config.topP()) {
                keep++;
            }
        }
        return new Candidates(Arrays.copyOf(ids, keep), Arrays.copyOf(p, keep), Arrays.copyOf(cumulative, keep));
    }
}
