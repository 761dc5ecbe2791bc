package dev.paperlab.models.decoding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Hugging Face's beam search ({@code BeamSearchScorer.process}, {@code BeamHypotheses.add / is_done}
 * and {@code finalize} of transformers 4.3x to 4.48, {@code generated_len} counting EOS and not the
 * prompt) transcribed step by step over a {@link TableStepModel}: a full sort of all candidates in
 * doubles instead of a top-k, a list of pooled hypotheses with {@code worst_score} bookkeeping
 * instead of a heap. The reference that {@link BeamSearch} must match step for step.
 */
final class HfBeamReference {
    private HfBeamReference() {}

    /** The n-best list and the number of steps taken. */
    record Run(List<BeamSearch.Hypothesis> hypotheses, int steps) {}

    /** {@code BeamHypotheses}: the pool, its {@code worst_score} and {@code is_done}. */
    private static final class Pool {
        final BeamConfig c;
        final List<BeamSearch.Hypothesis> beams = new ArrayList<>();
        double worstScore = 1e9;

        Pool(BeamConfig c) {
            this.c = c;
        }

        void add(int[] tokens, double sumLogprobs, boolean finished) {
            double score = sumLogprobs / Math.pow(tokens.length, c.lengthPenalty());
            if (beams.size() < c.beams() || score > worstScore) {
                beams.add(new BeamSearch.Hypothesis(tokens, sumLogprobs, score, finished));
                if (beams.size() > c.beams()) {
                    List<BeamSearch.Hypothesis> sorted = new ArrayList<>(beams);
                    sorted.sort(Comparator.comparingDouble(BeamSearch.Hypothesis::score));
                    beams.remove(sorted.get(0));
                    worstScore = sorted.get(1).score();
                } else {
                    worstScore = Math.min(score, worstScore);
                }
            }
        }

        boolean isDone(double bestSumLogprobs, int curLen) {
            if (beams.size() < c.beams()) {
                return false;
            }
            double alpha = c.lengthPenalty();
            return switch (c.earlyStopping()) {
                case TRUE -> true;
                case HEURISTIC -> worstScore >= bestSumLogprobs / Math.pow(curLen, alpha);
                case NEVER -> worstScore >= bestSumLogprobs / Math.pow(alpha > 0 ? c.maxNewTokens() : curLen, alpha);
            };
        }
    }

    /** Runs the search; the model must have a vocabulary of at least 2K (HF's own requirement). */
    static Run search(TableStepModel m, int promptLast, BeamConfig c) {
        int k = c.beams();
        int v = m.vocabSize();
        Pool pool = new Pool(c);
        // beam_scores[:, 1:] = -1e9 in HF; -inf here, the same ranking when V >= 2K
        double[] scores = new double[k];
        Arrays.fill(scores, 1, k, Double.NEGATIVE_INFINITY);
        int[][] tokens = new int[k][0];
        int[] last = new int[k];
        Arrays.fill(last, promptLast);
        for (int curLen = 1; ; curLen++) {
            // next_token_scores = log_softmax(logits) + beam_scores, sorted; ties by flat index
            double[] flat = new double[k * v];
            for (int b = 0; b < k; b++) {
                double[] logp = m.logProbs(curLen - 1, last[b]);
                for (int t = 0; t < v; t++) {
                    flat[b * v + t] = scores[b] + logp[t];
                }
            }
            Integer[] order = new Integer[k * v];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(
                    order, Comparator.<Integer>comparingDouble(i -> -flat[i]).thenComparingInt(i -> i));
            double[] nextScores = new double[k];
            int[][] nextTokens = new int[k][];
            int[] nextLast = new int[k];
            int beamIdx = 0;
            for (int rank = 0; rank < 2 * k; rank++) {
                int origin = order[rank] / v;
                int token = order[rank] % v;
                int[] extended = Arrays.copyOf(tokens[origin], curLen);
                extended[curLen - 1] = token;
                if (token == c.eosToken()) {
                    if (rank >= k) { // is_beam_token_worse_than_top_num_beams
                        continue;
                    }
                    pool.add(extended, flat[order[rank]], true);
                } else {
                    nextScores[beamIdx] = flat[order[rank]];
                    nextTokens[beamIdx] = extended;
                    nextLast[beamIdx] = token;
                    beamIdx++;
                }
                if (beamIdx == k) {
                    break;
                }
            }
            scores = nextScores;
            tokens = nextTokens;
            last = nextLast;
            // is_done(next_scores[batch_idx].max(), cur_len): the best of the 2K candidates
            if (pool.isDone(flat[order[0]], curLen)) {
                return new Run(best(pool, c), curLen);
            }
            if (curLen == c.maxNewTokens()) { // finalize: the running beams join the pool
                for (int b = 0; b < k; b++) {
                    pool.add(tokens[b], scores[b], false);
                }
                return new Run(best(pool, c), curLen);
            }
        }
    }

    private static List<BeamSearch.Hypothesis> best(Pool pool, BeamConfig c) {
        List<BeamSearch.Hypothesis> sorted = new ArrayList<>(pool.beams);
        sorted.sort(Comparator.comparingDouble(BeamSearch.Hypothesis::score).reversed());
        return sorted.subList(0, Math.min(c.numReturn(), sorted.size()));
    }
}
