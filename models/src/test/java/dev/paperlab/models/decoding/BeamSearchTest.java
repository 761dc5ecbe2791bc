package dev.paperlab.models.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paperlab.models.decoding.BeamConfig.EarlyStopping;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Beam search on table-driven toy LMs, checked against exhaustive enumeration in doubles. */
class BeamSearchTest {
    private static final int[] PROMPT = {0};

    private static TableStepModel randomTable(int vocab, long seed) {
        Random random = new Random(seed);
        float[][][] table = new float[8][vocab][vocab];
        for (float[][] rows : table) {
            for (float[] row : rows) {
                for (int i = 0; i < vocab; i++) {
                    row[i] = (float) (2 * random.nextGaussian());
                }
            }
        }
        return new TableStepModel(vocab, (t, prev) -> table[t][prev]);
    }

    /** Every hypothesis of at most {@code maxLen} tokens (stopping at EOS), best score first. */
    private static List<BeamSearch.Hypothesis> enumerate(TableStepModel m, int maxLen, int eos, double alpha) {
        List<BeamSearch.Hypothesis> all = new ArrayList<>();
        expand(m, new int[0], PROMPT[0], 0.0, maxLen, eos, alpha, all);
        all.sort(Comparator.comparingDouble(BeamSearch.Hypothesis::score).reversed());
        return all;
    }

    private static void expand(
            TableStepModel m,
            int[] prefix,
            int prev,
            double logProb,
            int maxLen,
            int eos,
            double alpha,
            List<BeamSearch.Hypothesis> out) {
        double[] logp = m.logProbs(prefix.length, prev);
        for (int v = 0; v < logp.length; v++) {
            int[] y = Arrays.copyOf(prefix, prefix.length + 1);
            y[prefix.length] = v;
            double s = logProb + logp[v];
            if (v == eos || y.length == maxLen) {
                out.add(new BeamSearch.Hypothesis(y, s, s / Math.pow(y.length, alpha), v == eos));
            } else {
                expand(m, y, v, s, maxLen, eos, alpha, out);
            }
        }
    }

    private static void assertSameList(List<BeamSearch.Hypothesis> expected, List<BeamSearch.Hypothesis> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i).tokens(), actual.get(i).tokens(), "rank " + i);
            assertEquals(expected.get(i).logProb(), actual.get(i).logProb(), 1e-9, "rank " + i);
            assertEquals(expected.get(i).score(), actual.get(i).score(), 1e-9, "rank " + i);
            assertEquals(expected.get(i).finished(), actual.get(i).finished(), "rank " + i);
        }
    }

    @ParameterizedTest
    @CsvSource({"3, 1", "3, 2", "4, 3"})
    void wideBeamReturnsTheExhaustiveNBestWithoutEos(int vocab, long seed) {
        TableStepModel m = randomTable(vocab, seed);
        int length = 3;
        int all = (int) Math.pow(vocab, length);
        BeamConfig config = BeamConfig.of(all, length).withNumReturn(all);
        BeamSearch.Result r = BeamSearch.search(m, null, PROMPT, config);
        assertSameList(enumerate(m, length, -1, 0.0), r.hypotheses());
        assertEquals(0, m.sessionsOpen, "session left open");
    }

    @ParameterizedTest
    @CsvSource({"3, 0.0", "3, 0.7", "4, 1.5", "4, -0.5"})
    void wideBeamReturnsTheExhaustiveNBestWithEosAndLengthPenalty(int vocab, double alpha) {
        TableStepModel m = randomTable(vocab, 7);
        int length = 3;
        int eos = vocab - 1;
        List<BeamSearch.Hypothesis> expected = enumerate(m, length, eos, alpha);
        int beams = (int) Math.pow(vocab, length);
        BeamConfig config = new BeamConfig(beams, length, alpha, EarlyStopping.NEVER, eos, expected.size());
        assertSameList(expected, BeamSearch.search(m, null, PROMPT, config).hypotheses());
    }

    @Test
    void greedyWalksIntoTheTrapAndTwoBeamsDoNot() {
        // step 0: token 1 (p .6) looks best, token 2 (p .4) worse; after 1 everything is uniform
        // (p 1/3), after 2 token 2 follows with p .9: 1,x scores .2 in total, 2,2 scores .36
        TableStepModel m = new TableStepModel(
                3,
                (t, prev) -> t == 0
                        ? TableStepModel.logOf(1e-6, 0.6, 0.4)
                        : prev == 2
                                ? TableStepModel.logOf(0.05, 0.05, 0.9)
                                : TableStepModel.logOf(1.0 / 3, 1.0 / 3, 1.0 / 3));
        int[] greedy = new int[2];
        double greedyLogProb = 0;
        int prev = PROMPT[0];
        for (int t = 0; t < 2; t++) {
            double[] logp = m.logProbs(t, prev);
            int best = 0;
            for (int v = 1; v < logp.length; v++) {
                best = logp[v] > logp[best] ? v : best;
            }
            greedy[t] = best;
            greedyLogProb += logp[best];
            prev = best;
        }
        assertEquals(1, greedy[0]);
        BeamSearch.Hypothesis one =
                BeamSearch.search(m, null, PROMPT, BeamConfig.of(1, 2)).best();
        assertArrayEquals(greedy, one.tokens(), "one beam is greedy");
        assertEquals(greedyLogProb, one.logProb(), 1e-9);
        BeamSearch.Hypothesis two =
                BeamSearch.search(m, null, PROMPT, BeamConfig.of(2, 2)).best();
        assertArrayEquals(new int[] {2, 2}, two.tokens());
        assertEquals(Math.log(0.4 * 0.9), two.logProb(), 1e-5);
        assertTrue(two.logProb() > greedyLogProb + 0.5);
        assertSameList(enumerate(m, 2, -1, 0).subList(0, 1), List.of(two));
    }

    /** EOS = 3. A: EOS at once, log p = log .5; B: 1, 2, EOS with log p = log .3 (longer). */
    private static TableStepModel shortOrLong() {
        return new TableStepModel(4, (t, prev) -> {
            if (t == 0) {
                return TableStepModel.logOf(0.05, 0.3, 0.15, 0.5);
            }
            if (prev == 1) {
                return TableStepModel.logOf(1e-9, 1e-9, 1 - 3e-9, 1e-9);
            }
            if (prev == 2) {
                return TableStepModel.logOf(1e-9, 1e-9, 1e-9, 1 - 3e-9);
            }
            return TableStepModel.logOf(0.25, 0.25, 0.25, 0.25);
        });
    }

    @Test
    void positiveLengthPenaltyFavoursTheLongerFinishedHypothesis() {
        TableStepModel m = shortOrLong();
        BeamConfig base = new BeamConfig(3, 5, 0.0, EarlyStopping.NEVER, 3, 2);
        BeamSearch.Result plain = BeamSearch.search(m, null, PROMPT, base);
        assertArrayEquals(new int[] {3}, plain.best().tokens(), "alpha 0: the most probable wins");
        BeamSearch.Result favourLong = BeamSearch.search(m, null, PROMPT, base.withLengthPenalty(1.0));
        assertArrayEquals(new int[] {1, 2, 3}, favourLong.best().tokens(), "alpha 1: the longer wins");
        assertArrayEquals(new int[] {3}, favourLong.hypotheses().get(1).tokens());
        for (BeamSearch.Hypothesis h : favourLong.hypotheses()) {
            assertTrue(h.finished());
            assertEquals(h.logProb() / h.tokens().length, h.score(), 1e-12, "score = sum log p / length^alpha");
        }
        // the ranking flips, not the probabilities
        assertEquals(plain.hypotheses().get(1).logProb(), favourLong.best().logProb(), 1e-12);
    }

    @Test
    void earlyStoppingModesTradeStepsForTheBestAttainableScore() {
        // one beam; EOS at step 1 fills the pool. TRUE stops there. HEURISTIC compares the best
        // candidate (that EOS, log .5) at its current length with the pool's worst (log .5) and stops
        // too. NEVER bounds it by the longest length (log .5 / 5 > log .5), goes on and finds 1,2,EOS
        // scoring log .3 / 3 at step 3, where the best candidate is that EOS again (log .3 / 5 >
        // log .3 / 3): only at step 4, all candidates below 1e-9, does it stop.
        TableStepModel m = shortOrLong();
        BeamConfig base = new BeamConfig(1, 5, 1.0, EarlyStopping.TRUE, 3, 1);
        BeamSearch.Result stopAtOnce = BeamSearch.search(m, null, PROMPT, base);
        BeamSearch.Result heuristic =
                BeamSearch.search(m, null, PROMPT, base.withEarlyStopping(EarlyStopping.HEURISTIC));
        BeamSearch.Result never = BeamSearch.search(m, null, PROMPT, base.withEarlyStopping(EarlyStopping.NEVER));
        assertEquals(1, stopAtOnce.steps());
        assertArrayEquals(new int[] {3}, stopAtOnce.best().tokens());
        assertEquals(1, heuristic.steps());
        assertArrayEquals(new int[] {1, 2, 3}, never.best().tokens());
        assertEquals(4, never.steps(), "stops once no candidate can beat the pool");
        assertTrue(never.best().score() > stopAtOnce.best().score());
    }

    @Test
    void laterStoppingNeverLowersTheBestScore() {
        for (long seed = 0; seed < 30; seed++) {
            TableStepModel m = randomTable(5, seed);
            for (double alpha : new double[] {0.0, 1.0}) {
                BeamConfig base = new BeamConfig(2, 6, alpha, EarlyStopping.TRUE, 4, 2);
                BeamSearch.Result a = BeamSearch.search(m, null, PROMPT, base);
                BeamSearch.Result b =
                        BeamSearch.search(m, null, PROMPT, base.withEarlyStopping(EarlyStopping.HEURISTIC));
                BeamSearch.Result c = BeamSearch.search(m, null, PROMPT, base.withEarlyStopping(EarlyStopping.NEVER));
                assertTrue(a.steps() <= b.steps() && b.steps() <= c.steps(), "seed " + seed);
                assertTrue(a.best().score() <= b.best().score() + 1e-12, "seed " + seed);
                assertTrue(b.best().score() <= c.best().score() + 1e-12, "seed " + seed);
            }
        }
    }

    @Test
    void beamsStartDistinctAndTheNBestIsSortedAndDistinct() {
        TableStepModel m = randomTable(6, 5);
        BeamSearch.Result r =
                BeamSearch.search(m, null, PROMPT, BeamConfig.of(4, 4).withNumReturn(4));
        assertEquals(4, r.hypotheses().size());
        for (int i = 1; i < 4; i++) {
            assertTrue(
                    r.hypotheses().get(i - 1).score() >= r.hypotheses().get(i).score());
            for (int j = 0; j < i; j++) {
                assertFalse(Arrays.equals(
                        r.hypotheses().get(i).tokens(), r.hypotheses().get(j).tokens()));
            }
        }
    }

    @Test
    void badSettingsNameTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BeamConfig.of(0, 5));
        assertTrue(e.getMessage().contains("beams must be >= 1, got 0"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> BeamConfig.of(2, 5).withNumReturn(3));
        assertTrue(e.getMessage().contains("num return 3"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> BeamSearch.search(
                        randomTable(3, 1), null, PROMPT, BeamConfig.of(2, 2).withEos(3)));
        assertTrue(e.getMessage().contains("eos token 3"), e.getMessage());
    }
}
