package dev.paperlab.models.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.paperlab.models.decoding.BeamConfig.EarlyStopping;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * When beam search stops and which EOS candidates it keeps, against Hugging Face's rules
 * transcribed in {@link HfBeamReference}.
 */
class BeamSearchStoppingTest {
    private static final int[] PROMPT = {0};
    private static final int EOS = 3;

    private static void assertSameRun(HfBeamReference.Run expected, BeamSearch.Result actual, String where) {
        assertEquals(expected.steps(), actual.steps(), "steps, " + where);
        List<BeamSearch.Hypothesis> e = expected.hypotheses();
        List<BeamSearch.Hypothesis> a = actual.hypotheses();
        assertEquals(e.size(), a.size(), where);
        for (int i = 0; i < e.size(); i++) {
            assertArrayEquals(e.get(i).tokens(), a.get(i).tokens(), "rank " + i + ", " + where);
            // both sum the same log-softmax values, in doubles (one from float logits, one in doubles)
            assertEquals(e.get(i).logProb(), a.get(i).logProb(), 1e-9, "rank " + i + ", " + where);
            assertEquals(e.get(i).score(), a.get(i).score(), 1e-9, "rank " + i + ", " + where);
            assertEquals(e.get(i).finished(), a.get(i).finished(), "rank " + i + ", " + where);
        }
    }

    /** Gaussian logits per (step, previous token), with EOS raised so that beams finish often. */
    private static TableStepModel randomTable(int vocab, long seed) {
        Random random = new Random(seed);
        float[][][] table = new float[8][vocab][vocab];
        for (float[][] rows : table) {
            for (float[] row : rows) {
                for (int i = 0; i < vocab; i++) {
                    row[i] = (float) (2 * random.nextGaussian() + (i == EOS ? 1.5 : 0));
                }
            }
        }
        return new TableStepModel(vocab, (t, prev) -> table[t][prev]);
    }

    @ParameterizedTest
    @EnumSource(EarlyStopping.class)
    void matchesHuggingFaceStepForStepOnRandomTables(EarlyStopping mode) {
        for (long seed = 0; seed < 40; seed++) {
            for (int beams = 2; beams <= 3; beams++) {
                TableStepModel m = randomTable(7, seed);
                for (double alpha : new double[] {-0.5, 0.0, 1.0, 2.0}) {
                    BeamConfig c = new BeamConfig(beams, 6, alpha, mode, EOS, beams);
                    String where = "seed " + seed + ", beams " + beams + ", alpha " + alpha;
                    assertSameRun(
                            HfBeamReference.search(m, PROMPT[0], c), BeamSearch.search(m, null, PROMPT, c), where);
                }
            }
        }
    }

    /**
     * Two beams, alpha 1, EOS = 3. Step 1: EOS (p .3) finishes, [1] (.5) and [2] (.15) run. Step 2:
     * [1,EOS] (.45) finishes, filling the pool {log .45 / 2, log .3}; the running beams are [2,0]
     * (.06) and [2,1] (.045). The best running beam scores log .06 / 2 = -1.41 &lt; log .3 = -1.20,
     * so a running-beam rule stops here. HF compares the best candidate, [1,EOS] with log .45 / 2 =
     * -0.40 &gt; -1.20, and goes on: at step 3 [2,0,EOS] (.0582, log / 3 = -0.95) displaces [EOS]
     * from the pool, and being the best candidate and the pool's worst at once, it stops the search.
     */
    private static TableStepModel stopsLaterUnderTheCandidateRule() {
        return new TableStepModel(4, (t, prev) -> {
            if (t == 0) {
                return TableStepModel.logOf(0.05, 0.5, 0.15, 0.3);
            }
            if (t == 1 && prev == 1) {
                return TableStepModel.logOf(0.015, 0.005, 0.08, 0.9);
            }
            if (t == 1 && prev == 2) {
                return TableStepModel.logOf(0.4, 0.3, 0.2, 0.1);
            }
            if (t >= 2) {
                return TableStepModel.logOf(0.01, 0.01, 0.01, 0.97);
            }
            return TableStepModel.logOf(0.25, 0.25, 0.25, 0.25);
        });
    }

    @Test
    void heuristicStoppingIsFedTheBestCandidateNotTheBestRunningBeam() {
        TableStepModel m = stopsLaterUnderTheCandidateRule();
        BeamConfig c = new BeamConfig(2, 5, 1.0, EarlyStopping.HEURISTIC, EOS, 2);
        BeamSearch.Result r = BeamSearch.search(m, null, PROMPT, c);
        assertSameRun(HfBeamReference.search(m, PROMPT[0], c), r, "reference");
        assertEquals(3, r.steps(), "a running-beam rule stops at step 2");
        assertArrayEquals(new int[] {1, EOS}, r.best().tokens());
        assertEquals(Math.log(0.5 * 0.9) / 2, r.best().score(), 1e-6);
        // a stop at step 2 would return [EOS] (log .3) here
        assertArrayEquals(new int[] {2, 0, EOS}, r.hypotheses().get(1).tokens());
        assertEquals(Math.log(0.15 * 0.4 * 0.97) / 3, r.hypotheses().get(1).score(), 1e-6);
    }

    /**
     * Step 1: [1] (.5) and [2] (.4) run. Step 2, the 2K = 4 best candidates: [1,EOS] .25, [1,0] .15,
     * [2,EOS] .12, [2,0] .10. [2,EOS] has rank 2 = K and is reached before the K beams are filled.
     * Step 3: (.4, .3, .2, .1) after any token.
     */
    private static TableStepModel secondEosAtRankTwo() {
        return new TableStepModel(4, (t, prev) -> {
            if (t == 0) {
                return TableStepModel.logOf(0.04, 0.5, 0.4, 0.06);
            }
            if (t == 1) {
                return prev == 1
                        ? TableStepModel.logOf(0.3, 0.1, 0.1, 0.5)
                        : TableStepModel.logOf(0.25, 0.225, 0.225, 0.3);
            }
            return TableStepModel.logOf(0.4, 0.3, 0.2, 0.1);
        });
    }

    @Test
    void anEosCandidateRankedAtOrBelowTheBeamWidthIsDropped() {
        TableStepModel m = secondEosAtRankTwo();
        // kept, [2,EOS] (.12) would stay in the pool over [1,0,0] (.06), the best of length 3
        BeamConfig never = new BeamConfig(2, 3, 0.0, EarlyStopping.NEVER, EOS, 2);
        BeamSearch.Result r = BeamSearch.search(m, null, PROMPT, never);
        assertSameRun(HfBeamReference.search(m, PROMPT[0], never), r, "never");
        assertArrayEquals(new int[] {1, EOS}, r.best().tokens());
        assertArrayEquals(new int[] {1, 0, 0}, r.hypotheses().get(1).tokens());
        assertEquals(Math.log(0.5 * 0.3 * 0.4), r.hypotheses().get(1).logProb(), 1e-6);
        // kept, it would fill the pool, and early stopping would stop at step 2
        BeamConfig atOnce = never.withEarlyStopping(EarlyStopping.TRUE);
        BeamSearch.Result a = BeamSearch.search(m, null, PROMPT, atOnce);
        assertSameRun(HfBeamReference.search(m, PROMPT[0], atOnce), a, "true");
        assertEquals(3, a.steps());
        for (BeamSearch.Hypothesis h : a.hypotheses()) {
            assertFalse(Arrays.equals(new int[] {2, EOS}, h.tokens()), "the rank-2 EOS candidate was kept");
        }
    }

    @Test
    void anEosCandidateRankedAboveTheBeamWidthIsKept() {
        // step 1: [1] (.4), then EOS (.3) at rank 1 < K: it finishes, and beats every longer hypothesis
        TableStepModel m = new TableStepModel(
                4,
                (t, prev) ->
                        t == 0 ? TableStepModel.logOf(0.05, 0.4, 0.25, 0.3) : TableStepModel.logOf(0.4, 0.3, 0.2, 0.1));
        BeamConfig c = new BeamConfig(2, 2, 0.0, EarlyStopping.NEVER, EOS, 2);
        BeamSearch.Result r = BeamSearch.search(m, null, PROMPT, c);
        assertSameRun(HfBeamReference.search(m, PROMPT[0], c), r, "rank 1");
        assertArrayEquals(new int[] {EOS}, r.best().tokens());
        assertEquals(Math.log(0.3), r.best().logProb(), 1e-6);
    }
}
