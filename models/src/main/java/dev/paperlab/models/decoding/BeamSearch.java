package dev.paperlab.models.decoding;

import ai.djl.ndarray.NDManager;
import dev.paperlab.framework.algorithms.select.TopK;
import java.util.Arrays;
import java.util.List;

/**
 * Beam search (as in Sutskever et al. 2014; Wu et al. 2016 for the length penalty), with the
 * semantics of Hugging Face {@code generate(num_beams=K)} through its {@code BeamSearchScorer}
 * (transformers up to 4.48; the vectorised search of later versions stops on the best running
 * beam instead of the best candidate):
 *
 * <pre>
 *   s(y_1..t) = sum_i log p(y_i | x, y_&lt;i)           accumulated log-softmax, never a product
 *   candidates = top 2K of { s(beam_k) + log p(v | beam_k) : k &lt; K, v &lt; V }
 *   EOS candidate ranked &lt; K  -> finished pool, score(y) = s(y) / |y|^alpha
 *   EOS candidate ranked &gt;= K -> dropped
 *   other candidates, best first -> the next K beams
 *   stop test (pool full):       worst pooled score &gt;= (best of the 2K candidates) / t^alpha
 *   at maxNewTokens the running beams join the pool; return its best numReturn
 * </pre>
 *
 * {@code |y|} counts the generated tokens, EOS included and the prompt excluded. Taking 2K
 * candidates guarantees K non-EOS continuations (each beam has one EOS candidate). At the first
 * step only beam 0 is live (the others start at -inf), so the K beams start distinct.
 *
 * <p>All K beams are advanced together by one {@link StepModel.Session#advance} call (one
 * batched forward for a transformer). The top 2K of the K * V flattened scores come from our
 * quickselect ({@link TopK}), not a sort of all of them.
 *
 * <p>Legend: K beams, V vocabulary, t generated tokens, alpha the length penalty.
 */
public final class BeamSearch {
    private BeamSearch() {}

    /**
     * One hypothesis of the n-best list.
     *
     * @param tokens the generated ids (prompt excluded), ending with EOS when {@code finished}
     * @param logProb sum of log p over {@code tokens}
     * @param score {@code logProb / tokens.length^alpha}, the ranking key
     * @param finished whether it ended with EOS (otherwise it reached {@code maxNewTokens})
     */
    public record Hypothesis(int[] tokens, double logProb, double score, boolean finished) {}

    /**
     * The search's answer.
     *
     * @param hypotheses the best {@code numReturn} hypotheses, best score first
     * @param steps decoding steps taken (fewer than {@code maxNewTokens} after early stopping)
     */
    public record Result(List<Hypothesis> hypotheses, int steps) {
        public Hypothesis best() {
            return hypotheses.get(0);
        }
    }

    /** The length-penalised score: {@code logProb / length^alpha}. */
    public static double score(double logProb, int length, double alpha) {
        return logProb / Math.pow(length, alpha);
    }

    /**
     * Runs the search.
     *
     * @param model the model, stepped K sequences at a time
     * @param manager owner of the model's state during the search (freed before returning)
     * @param prompt at least one token id
     * @param config beams, length penalty, stopping, EOS and n-best size
     * @return the n-best hypotheses with their scores
     */
    public static Result search(StepModel model, NDManager manager, int[] prompt, BeamConfig config) {
        int k = config.beams();
        int v = model.vocabSize();
        if (config.eosToken() >= v) {
            throw new IllegalArgumentException("eos token " + config.eosToken() + " is outside the vocabulary of " + v);
        }
        FinishedHypotheses pool = new FinishedHypotheses(config);
        double[] beamLogProb = new double[k];
        Arrays.fill(beamLogProb, 1, k, Double.NEGATIVE_INFINITY);
        int[][] beamTokens = new int[k][0];
        int step = 0;
        boolean done = false;
        try (StepModel.Session session = model.open(manager, prompt, k)) {
            float[][] logits = session.logits(); // (K, V)
            while (!done) {
                step++;
                // s(beam_k) + log p(v | beam_k), flattened to K * V
                double[] flat = new double[k * v];
                for (int b = 0; b < k; b++) {
                    double[] logp = TokenSampler.logSoftmax(logits[b]);
                    for (int t = 0; t < v; t++) {
                        flat[b * v + t] = beamLogProb[b] + logp[t];
                    }
                }
                TopK.DoubleResult top = TopK.largest(flat, Math.min(2 * k, k * v));
                int[] origins = new int[k];
                int[] tokens = new int[k];
                double[] nextLogProb = new double[k];
                int[][] nextTokens = new int[k][];
                int running = 0;
                for (int j = 0; j < top.indices().length && running < k; j++) {
                    double s = top.values()[j];
                    if (s == Double.NEGATIVE_INFINITY) {
                        break; // candidates of dead beams
                    }
                    int origin = top.indices()[j] / v;
                    int token = top.indices()[j] % v;
                    int[] extended = append(beamTokens[origin], token);
                    if (token == config.eosToken()) {
                        if (j < k) {
                            pool.add(extended, s, true);
                        }
                        continue;
                    }
                    origins[running] = origin;
                    tokens[running] = token;
                    nextLogProb[running] = s;
                    nextTokens[running] = extended;
                    running++;
                }
                for (; running < k; running++) { // a dead filler beam keeps the batch at K
                    origins[running] = 0;
                    nextLogProb[running] = Double.NEGATIVE_INFINITY;
                    nextTokens[running] = append(beamTokens[0], 0);
                }
                beamLogProb = nextLogProb;
                beamTokens = nextTokens;
                double bestRunning = Arrays.stream(beamLogProb).max().orElseThrow();
                // as HF's BeamSearchScorer: the stopping test gets the best of all 2K candidates of the
                // step, an EOS candidate that just joined the pool included, not the best running beam
                done = bestRunning == Double.NEGATIVE_INFINITY || pool.isDone(top.values()[0], step);
                if (!done && step == config.maxNewTokens()) {
                    // the running beams join the pool as they are
                    for (int b = 0; b < k; b++) {
                        if (beamLogProb[b] > Double.NEGATIVE_INFINITY) {
                            pool.add(beamTokens[b], beamLogProb[b], false);
                        }
                    }
                    done = true;
                }
                if (!done) {
                    session.advance(origins, tokens);
                    logits = session.logits();
                }
            }
        }
        List<Hypothesis> best = pool.best();
        return new Result(List.copyOf(best.subList(0, Math.min(config.numReturn(), best.size()))), step);
    }

    private static int[] append(int[] tokens, int token) {
        int[] out = Arrays.copyOf(tokens, tokens.length + 1);
        out[tokens.length] = token;
        return out;
    }
}
