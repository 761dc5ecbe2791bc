package dev.paperlab.models.decoding;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The pool of finished hypotheses of one beam search: the K best by length-penalised score, with
 * the stopping rules of {@link BeamConfig.EarlyStopping}.
 */
final class FinishedHypotheses {
    private static final Comparator<BeamSearch.Hypothesis> BY_SCORE =
            Comparator.comparingDouble(BeamSearch.Hypothesis::score);
    private final BeamConfig config;
    private final PriorityQueue<BeamSearch.Hypothesis> worstFirst = new PriorityQueue<>(BY_SCORE);

    FinishedHypotheses(BeamConfig config) {
        this.config = config;
    }

    /** Offers a hypothesis; it is kept while it is among the K best seen. */
    void add(int[] tokens, double logProb, boolean finished) {
        double score = BeamSearch.score(logProb, tokens.length, config.lengthPenalty());
        if (worstFirst.size() < config.beams() || score > worstFirst.peek().score()) {
            worstFirst.add(new BeamSearch.Hypothesis(tokens, logProb, score, finished));
            if (worstFirst.size() > config.beams()) {
                worstFirst.poll();
            }
        }
    }

    /**
     * Whether the search may stop.
     *
     * @param bestCandidateLogProb the largest sum of log-probabilities among all 2K candidates of
     *     this step, EOS candidates included (HF's {@code next_scores.max()}), not only the beams
     *     that keep running
     * @param length the candidates' length (generated tokens so far, this step's included)
     */
    boolean isDone(double bestCandidateLogProb, int length) {
        if (worstFirst.size() < config.beams()) {
            return false;
        }
        double alpha = config.lengthPenalty();
        double best = bestCandidateLogProb;
        double bestAttainable = switch (config.earlyStopping()) {
            case TRUE -> Double.NEGATIVE_INFINITY;
            case HEURISTIC -> BeamSearch.score(best, length, alpha);
            // log p only falls as a beam grows; with alpha > 0 the longest length divides it most
            case NEVER -> BeamSearch.score(best, alpha > 0 ? config.maxNewTokens() : length, alpha);
        };
        return worstFirst.peek().score() >= bestAttainable;
    }

    /** The kept hypotheses, best first. */
    List<BeamSearch.Hypothesis> best() {
        List<BeamSearch.Hypothesis> all = new ArrayList<>(worstFirst);
        all.sort(BY_SCORE.reversed());
        return all;
    }
}
