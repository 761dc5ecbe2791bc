package dev.paperlab.models.decoding;

/**
 * Settings of {@link BeamSearch}, with Hugging Face {@code generate} semantics.
 *
 * @param beams K, hypotheses kept per step (1 = greedy)
 * @param maxNewTokens the most tokens generated after the prompt
 * @param lengthPenalty alpha in score = (sum log p) / length^alpha; 0 ranks by total log
 *     probability, alpha &gt; 0 favours longer hypotheses (log p &lt; 0), alpha &lt; 0 shorter ones
 * @param earlyStopping when to stop before {@code maxNewTokens}, see {@link EarlyStopping}
 * @param eosToken the end-of-sequence id, or -1 when the model has none (every hypothesis then
 *     runs to {@code maxNewTokens})
 * @param numReturn how many of the best hypotheses to return, 1..K
 */
public record BeamConfig(
        int beams, int maxNewTokens, double lengthPenalty, EarlyStopping earlyStopping, int eosToken, int numReturn) {

    /**
     * When a beam search may stop before {@code maxNewTokens}; it always stops once the pool of
     * finished hypotheses is full (K of them) and:
     */
    public enum EarlyStopping {
        /** immediately ({@code early_stopping=True}). */
        TRUE,
        /**
         * the best of the step's 2K candidates (EOS ones included, as in HF's {@code
         * BeamSearchScorer}), scored at the current length, cannot beat the worst finished
         * hypothesis ({@code early_stopping=False}, a heuristic: with alpha &gt; 0 a longer
         * continuation could still score higher).
         */
        HEURISTIC,
        /**
         * as {@link #HEURISTIC}, but with alpha &gt; 0 the best candidate is scored at the longest
         * length, {@code maxNewTokens}, so that no continuation can beat the worst finished
         * hypothesis ({@code early_stopping="never"}).
         */
        NEVER
    }

    public BeamConfig {
        if (beams < 1) {
            throw new IllegalArgumentException("beams must be >= 1, got " + beams);
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("max new tokens must be >= 1, got " + maxNewTokens);
        }
        if (!Double.isFinite(lengthPenalty)) {
            throw new IllegalArgumentException("length penalty must be finite, got " + lengthPenalty);
        }
        if (earlyStopping == null) {
            throw new IllegalArgumentException("early stopping is null, expected TRUE, HEURISTIC or NEVER");
        }
        if (eosToken < -1) {
            throw new IllegalArgumentException("eos token must be an id or -1 (none), got " + eosToken);
        }
        if (numReturn < 1 || numReturn > beams) {
            throw new IllegalArgumentException(
                    "num return " + numReturn + " must be in [1, " + beams + "] (the beams)");
        }
    }

    /** K beams, no length penalty, heuristic stopping, no EOS, the single best returned. */
    public static BeamConfig of(int beams, int maxNewTokens) {
        return new BeamConfig(beams, maxNewTokens, 0.0, EarlyStopping.HEURISTIC, -1, 1);
    }

    public BeamConfig withLengthPenalty(double alpha) {
        return new BeamConfig(beams, maxNewTokens, alpha, earlyStopping, eosToken, numReturn);
    }

    public BeamConfig withEarlyStopping(EarlyStopping mode) {
        return new BeamConfig(beams, maxNewTokens, lengthPenalty, mode, eosToken, numReturn);
    }

    public BeamConfig withEos(int eos) {
        return new BeamConfig(beams, maxNewTokens, lengthPenalty, earlyStopping, eos, numReturn);
    }

    public BeamConfig withNumReturn(int n) {
        return new BeamConfig(beams, maxNewTokens, lengthPenalty, earlyStopping, eosToken, n);
    }
}
