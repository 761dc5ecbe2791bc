package dev.paperlab.framework.attention;

import static dev.paperlab.framework.attention.AttentionTesting.maxAbsDiff;
import static dev.paperlab.framework.attention.AttentionTesting.randn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FlashAttentionTest {

    private static final float FORWARD_TOL = 1e-5f;
    private static final float GRAD_TOL = 1e-4f;

    private NDManager manager;

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(11);
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** Lengths 1, 7, 33, 100 against tile sizes that do and do not divide them. */
    static Stream<Arguments> cases() {
        List<Arguments> list = new ArrayList<>();
        int[][] blocks = {{4, 4}, {16, 16}, {8, 32}, {32, 8}, {64, 64}, {128, 128}};
        for (int t : new int[] {1, 7, 33, 100}) {
            for (int[] b : blocks) {
                if (t == 100 && b[0] == 4) {
                    continue; // 625 tiles: slow without testing anything new
                }
                for (boolean causal : new boolean[] {false, true}) {
                    list.add(Arguments.of(t, b[0], b[1], causal));
                }
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "T={0} Br={1} Bc={2} causal={3}")
    @MethodSource("cases")
    void forwardAndHandBackwardMatchNaive(int t, int br, int bc, boolean causal) {
        NDArray q = randn(manager, 2, 3, t, 16);
        NDArray k = randn(manager, 2, 3, t, 16);
        NDArray v = randn(manager, 2, 3, t, 16);
        NDArray dO = randn(manager, 2, 3, t, 16);
        assertMatchesNaive(q, k, v, null, causal, dO, br, bc);
    }

    @Test
    void keysLongerThanQueriesAsInDecoding() {
        NDArray q = randn(manager, 1, 2, 9, 8);
        NDArray k = randn(manager, 1, 2, 23, 8);
        NDArray v = randn(manager, 1, 2, 23, 8);
        NDArray dO = randn(manager, 1, 2, 9, 8);
        for (boolean causal : new boolean[] {false, true}) {
            assertMatchesNaive(q, k, v, null, causal, dO, 4, 5);
        }
    }

    @Test
    void paddingMaskMatchesNaive() {
        NDArray q = randn(manager, 3, 2, 21, 8);
        NDArray k = randn(manager, 3, 2, 21, 8);
        NDArray v = randn(manager, 3, 2, 21, 8);
        NDArray dO = randn(manager, 3, 2, 21, 8);
        NDArray mask = Attention.paddingMask(manager.create(new long[] {5, 21, 13}), 21);
        assertMatchesNaive(q, k, v, mask, false, dO, 8, 8);
        assertMatchesNaive(q, k, v, mask, true, dO, 6, 4);
        // a full (T, S) float mask is sliced per tile
        NDArray additive = randn(manager, 21, 21);
        assertMatchesNaive(q, k, v, additive, true, dO, 8, 5);
    }

    @Test
    void groupedKeyValueHeadsMatchNaive() {
        NDArray q = randn(manager, 2, 8, 19, 8);
        NDArray k = randn(manager, 2, 2, 19, 8);
        NDArray v = randn(manager, 2, 2, 19, 8);
        NDArray dO = randn(manager, 2, 8, 19, 8);
        assertMatchesNaive(q, k, v, null, true, dO, 8, 8);
        NDArray k1 = randn(manager, 2, 1, 19, 8);
        assertMatchesNaive(q, k1, k1, null, false, dO, 5, 7);
    }

    @Test
    void logSumExpIsLogOfTheSoftmaxDenominator() {
        NDArray q = randn(manager, 1, 2, 10, 8);
        NDArray k = randn(manager, 1, 2, 10, 8);
        FlashOutput out = FlashAttention.withBlocks(3, 4).forward(q, k, k, null, false);
        // L_i = log(sum_j exp(q_i . k_j / sqrt(d))), in double precision on the host
        float[][][][] qa = AttentionTesting.toArray4(q);
        float[][][][] ka = AttentionTesting.toArray4(k);
        float[] lse = out.logSumExp().toFloatArray();
        int idx = 0;
        for (int h = 0; h < 2; h++) {
            for (int i = 0; i < 10; i++) {
                double sum = 0;
                for (int j = 0; j < 10; j++) {
                    double dot = 0;
                    for (int d = 0; d < 8; d++) {
                        dot += (double) qa[0][h][i][d] * ka[0][h][j][d];
                    }
                    sum += Math.exp(dot / Math.sqrt(8));
                }
                assertEquals(Math.log(sum), lse[idx++], 1e-5);
            }
        }
    }

    @Test
    void autogradThroughTilesMatchesNaive() {
        NDArray q = randn(manager, 2, 2, 13, 8);
        NDArray k = randn(manager, 2, 2, 13, 8);
        NDArray v = randn(manager, 2, 2, 13, 8);
        NDArray dO = randn(manager, 2, 2, 13, 8);
        NDList expected = AttentionTesting.autogradGradients(q, k, v, null, true, dO);
        q.setRequiresGradient(true);
        k.setRequiresGradient(true);
        v.setRequiresGradient(true);
        try (var gc = Engine.getInstance().newGradientCollector()) {
            NDArray out = FlashAttention.withBlocks(4, 5).attend(q, k, v, true);
            gc.backward(out.mul(dO).sum());
        }
        assertTrue(maxAbsDiff(q.getGradient(), expected.get(0)) <= GRAD_TOL);
        assertTrue(maxAbsDiff(k.getGradient(), expected.get(1)) <= GRAD_TOL);
        assertTrue(maxAbsDiff(v.getGradient(), expected.get(2)) <= GRAD_TOL);
    }

    @Test
    void leavesOnlyItsResultsBehind() {
        try (NDManager sub = manager.newSubManager()) {
            NDArray q = randn(sub, 1, 2, 30, 8);
            NDArray dO = randn(sub, 1, 2, 30, 8);
            NDArray mask = Attention.paddingMask(sub.create(new long[] {20}), 30);
            int before = sub.getManagedArrays().size();
            FlashAttention flash = FlashAttention.withBlocks(7, 6);
            FlashOutput out = flash.forward(q, q, q, mask, true);
            assertEquals(before + 2, sub.getManagedArrays().size());
            FlashAttention.backward(q, q, q, out.output(), out.logSumExp(), dO, mask, true, 7, 6);
            assertEquals(before + 5, sub.getManagedArrays().size());
        }
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> FlashAttention.withBlocks(0, 4));
        NDArray q = randn(manager, 1, 2, 5, 4);
        NDArray lse = manager.zeros(new ai.djl.ndarray.types.Shape(1, 2, 4));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> FlashAttention.backward(q, q, q, q, lse, q));
        assertTrue(e.getMessage().contains("(1, 2, 4)"), e.getMessage());
        NDArray badMask = manager.ones(new ai.djl.ndarray.types.Shape(3, 5), DataType.BOOLEAN);
        assertThrows(
                IllegalArgumentException.class, () -> FlashAttention.create().attend(q, q, q, badMask, false, 0f));
    }

    private void assertMatchesNaive(
            NDArray q, NDArray k, NDArray v, NDArray mask, boolean causal, NDArray dO, int br, int bc) {
        String where = "Br=" + br + " Bc=" + bc + " causal=" + causal + " mask=" + (mask != null);
        NDArray expected = Attention.scaledDotProduct(q, k, v, mask, causal);
        FlashOutput out = FlashAttention.withBlocks(br, bc).forward(q, k, v, mask, causal);
        float forwardErr = maxAbsDiff(out.output(), expected);
        assertTrue(forwardErr <= FORWARD_TOL, where + ": forward error " + forwardErr);

        NDList grads = AttentionTesting.autogradGradients(q, k, v, mask, causal, dO);
        FlashGradients hand = FlashAttention.backward(q, k, v, out.output(), out.logSumExp(), dO, mask, causal, br, bc);
        float dqErr = maxAbsDiff(hand.dq(), grads.get(0));
        float dkErr = maxAbsDiff(hand.dk(), grads.get(1));
        float dvErr = maxAbsDiff(hand.dv(), grads.get(2));
        assertTrue(dqErr <= GRAD_TOL, where + ": dQ error " + dqErr);
        assertTrue(dkErr <= GRAD_TOL, where + ": dK error " + dkErr);
        assertTrue(dvErr <= GRAD_TOL, where + ": dV error " + dvErr);
    }
}
