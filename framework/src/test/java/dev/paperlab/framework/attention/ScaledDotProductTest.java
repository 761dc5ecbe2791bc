package dev.paperlab.framework.attention;

import static dev.paperlab.framework.attention.AttentionTesting.maxAbsDiff;
import static dev.paperlab.framework.attention.AttentionTesting.randn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ScaledDotProductTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(7);
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void matchesBruteForceWithRandomMask() {
        NDArray q = randn(manager, 2, 3, 5, 4);
        NDArray k = randn(manager, 2, 3, 6, 4);
        NDArray v = randn(manager, 2, 3, 6, 4);
        Random random = new Random(3);
        boolean[][][][] allowed = new boolean[2][3][5][6];
        boolean[] flat = new boolean[2 * 3 * 5 * 6];
        int idx = 0;
        for (int b = 0; b < 2; b++) {
            for (int h = 0; h < 3; h++) {
                for (int i = 0; i < 5; i++) {
                    for (int j = 0; j < 6; j++) {
                        // key 0 always allowed so that no row is empty
                        allowed[b][h][i][j] = j == 0 || random.nextBoolean();
                        flat[idx++] = allowed[b][h][i][j];
                    }
                }
            }
        }
        NDArray mask = manager.create(flat, new Shape(2, 3, 5, 6));
        NDArray out = Attention.scaledDotProduct(q, k, v, mask);
        double[][][][] ref = AttentionTesting.bruteForce(
                AttentionTesting.toArray4(q), AttentionTesting.toArray4(k), AttentionTesting.toArray4(v), allowed);
        assertTrue(maxAbsDiff(out, ref) <= 1e-5, "max error " + maxAbsDiff(out, ref));
    }

    @Test
    void weightRowsSumToOne() {
        NDArray q = randn(manager, 2, 2, 7, 8);
        NDArray k = randn(manager, 2, 2, 9, 8);
        NDArray lengths = manager.create(new long[] {4, 9});
        NDArray mask = Attention.paddingMask(lengths, 9);
        for (boolean causal : new boolean[] {false, true}) {
            AttentionOutput out = Attention.scaledDotProductWithWeights(q, k, k, mask, causal);
            NDArray sums = out.weights().sum(new int[] {-1});
            assertTrue(maxAbsDiff(sums, manager.ones(sums.getShape())) <= 1e-6, "row sums " + sums);
        }
    }

    @Test
    void maskedPositionsGetZeroWeight() {
        NDArray q = randn(manager, 2, 2, 6, 4);
        NDArray k = randn(manager, 2, 2, 6, 4);
        NDArray mask = Attention.paddingMask(manager.create(new long[] {3, 6}), 6);
        NDArray w = Attention.scaledDotProductWithWeights(q, k, k, mask, true).weights();
        float[][][][] weights = AttentionTesting.toArray4(w);
        int[] lengths = {3, 6};
        for (int b = 0; b < 2; b++) {
            for (int h = 0; h < 2; h++) {
                for (int i = 0; i < 6; i++) {
                    for (int j = 0; j < 6; j++) {
                        boolean visible = j < lengths[b] && j <= i;
                        if (visible) {
                            assertTrue(weights[b][h][i][j] > 0f);
                        } else {
                            assertEquals(0f, weights[b][h][i][j], "b" + b + " i" + i + " j" + j);
                        }
                    }
                }
            }
        }
    }

    /** Causal visibility by loops: key j is visible to query i when j <= i + S - T. */
    private static boolean[][][][] causalAllowed(int b, int h, int t, int s) {
        boolean[][][][] allowed = new boolean[b][h][t][s];
        for (boolean[][][] perBatch : allowed) {
            for (boolean[][] perHead : perBatch) {
                for (int i = 0; i < t; i++) {
                    for (int j = 0; j < s; j++) {
                        perHead[i][j] = j <= i + s - t;
                    }
                }
            }
        }
        return allowed;
    }

    @Test
    void additiveAndBooleanMasksAgree() {
        NDArray q = randn(manager, 1, 2, 5, 4);
        NDArray k = randn(manager, 1, 2, 5, 4);
        NDArray v = randn(manager, 1, 2, 5, 4);
        NDArray bool = Attention.paddingMask(manager.create(new long[] {2}), 5);
        NDArray additive =
                manager.create(new float[] {0, 0, -1e9f, -1e9f, -1e9f}).reshape(1, 1, 1, 5);
        NDArray a = Attention.scaledDotProduct(q, k, v, bool);
        NDArray b = Attention.scaledDotProduct(q, k, v, additive);
        assertTrue(maxAbsDiff(a, b) <= 1e-6);
    }

    @Test
    void causalMaskIsZeroOnAndBelowTheShiftedDiagonalAndMinusInfinityAbove() {
        for (int[] ts : new int[][] {{5, 5}, {3, 7}, {1, 4}}) {
            float[] mask = Attention.causalMask(manager, ts[0], ts[1]).toFloatArray();
            for (int i = 0; i < ts[0]; i++) {
                for (int j = 0; j < ts[1]; j++) {
                    float expected = j <= i + ts[1] - ts[0] ? 0f : Float.NEGATIVE_INFINITY;
                    assertEquals(expected, mask[i * ts[1] + j], "T " + ts[0] + ", S " + ts[1] + ", " + i + ", " + j);
                }
            }
        }
    }

    @Test
    void causalFlagAndCausalMaskMatchBruteForceWithQueriesAtTheEnd() {
        // T = 4 queries at positions 3..6 of S = 7 keys, as after 3 cached positions
        NDArray q = randn(manager, 2, 2, 4, 8);
        NDArray k = randn(manager, 2, 2, 7, 8);
        NDArray v = randn(manager, 2, 2, 7, 8);
        double[][][][] expected = AttentionTesting.bruteForce(
                AttentionTesting.toArray4(q),
                AttentionTesting.toArray4(k),
                AttentionTesting.toArray4(v),
                causalAllowed(2, 2, 4, 7));
        NDArray flag = Attention.scaledDotProduct(q, k, v, null, true);
        // float32 dot products of 8 terms and a softmax: errors ~1e-6
        assertTrue(maxAbsDiff(flag, expected) <= 1e-5, "causal flag error " + maxAbsDiff(flag, expected));
        NDArray masked = Attention.scaledDotProduct(q, k, v, Attention.causalMask(manager, 4, 7));
        assertTrue(maxAbsDiff(masked, expected) <= 1e-5, "causal mask error " + maxAbsDiff(masked, expected));
    }

    @Test
    void causalOutputIgnoresLaterTokens() {
        NDArray q = randn(manager, 2, 2, 8, 4);
        NDArray k = randn(manager, 2, 2, 8, 4);
        NDArray v = randn(manager, 2, 2, 8, 4);
        int t = 4;
        NDArray q2 = q.duplicate();
        NDArray k2 = k.duplicate();
        NDArray v2 = v.duplicate();
        NDIndex later = new NDIndex(":, :, {}:", t + 1);
        q2.set(later, randn(manager, 2, 2, 8 - t - 1, 4));
        k2.set(later, randn(manager, 2, 2, 8 - t - 1, 4).mul(10));
        v2.set(later, randn(manager, 2, 2, 8 - t - 1, 4).mul(10));
        NDIndex upToT = new NDIndex(":, :, 0:{}", t + 1);
        NDArray a = Attention.scaledDotProduct(q, k, v, null, true).get(upToT);
        NDArray b = Attention.scaledDotProduct(q2, k2, v2, null, true).get(upToT);
        assertTrue(maxAbsDiff(a, b) <= 1e-6, "causal leak " + maxAbsDiff(a, b));
        // without the causal flag the same change does reach position t
        NDArray c = Attention.scaledDotProduct(q, k, v, null, false).get(upToT);
        NDArray d = Attention.scaledDotProduct(q2, k2, v2, null, false).get(upToT);
        assertTrue(maxAbsDiff(c, d) > 1e-2);
    }

    @Test
    void groupedKeyValueHeadsServeConsecutiveQueryHeads() {
        NDArray q = randn(manager, 2, 6, 5, 4);
        NDArray k = randn(manager, 2, 2, 5, 4);
        NDArray v = randn(manager, 2, 2, 5, 4);
        // query head h uses key/value head h / 3: repeat them by hand into 6 heads, in Java arrays
        float[][][][] ka = AttentionTesting.toArray4(k);
        float[][][][] va = AttentionTesting.toArray4(v);
        float[][][][] kRepeated = new float[2][6][][];
        float[][][][] vRepeated = new float[2][6][][];
        for (int b = 0; b < 2; b++) {
            for (int h = 0; h < 6; h++) {
                kRepeated[b][h] = ka[b][h / 3];
                vRepeated[b][h] = va[b][h / 3];
            }
        }
        double[][][][] expected = AttentionTesting.bruteForce(
                AttentionTesting.toArray4(q), kRepeated, vRepeated, causalAllowed(2, 6, 5, 5));
        NDArray actual = Attention.scaledDotProduct(q, k, v, null, true);
        // float32 dot products of 4 terms and a softmax: errors ~1e-6
        assertTrue(maxAbsDiff(actual, expected) <= 1e-5, "error " + maxAbsDiff(actual, expected));
    }

    @Test
    void wrongMaskShapeNamesBothShapes() {
        NDArray q = randn(manager, 2, 2, 5, 4);
        NDArray bad = manager.ones(new Shape(2, 1, 4, 5), DataType.BOOLEAN);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Attention.scaledDotProduct(q, q, q, bad));
        assertTrue(e.getMessage().contains("(2, 1, 4, 5)"), e.getMessage());
        assertTrue(e.getMessage().contains("(2, 2, 5, 5)"), e.getMessage());
        NDArray rank1 = manager.ones(new Shape(5), DataType.BOOLEAN);
        assertThrows(IllegalArgumentException.class, () -> Attention.scaledDotProduct(q, q, q, rank1));
    }

    @Test
    void badQkvShapesAreRejected() {
        NDArray q = randn(manager, 2, 4, 5, 8);
        NDArray k3 = randn(manager, 2, 3, 5, 8);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Attention.scaledDotProduct(q, k3, k3, null));
        assertTrue(e.getMessage().contains("4") && e.getMessage().contains("3"), e.getMessage());
        NDArray kd = randn(manager, 2, 4, 5, 6);
        assertThrows(IllegalArgumentException.class, () -> Attention.scaledDotProduct(q, kd, kd, null));
        NDArray shortK = randn(manager, 2, 4, 3, 8);
        assertThrows(IllegalArgumentException.class, () -> Attention.scaledDotProduct(q, shortK, shortK, null, true));
    }

    @Test
    void leavesOnlyItsResultsBehind() {
        try (NDManager sub = manager.newSubManager()) {
            NDArray q = randn(sub, 1, 2, 6, 4);
            NDArray mask = Attention.paddingMask(sub.create(new long[] {4}), 6);
            int before = sub.getManagedArrays().size();
            AttentionOutput out = Attention.scaledDotProductWithWeights(q, q, q, mask, true);
            assertEquals(before + 2, sub.getManagedArrays().size());
            out.output().close();
            out.weights().close();
        }
    }
}
